/** Indexing or slicing a Python object without the GIL. */
import { field, fieldNodes, namedChildren } from '../../model/syntax';
import { needsBoxing } from './expression-roles';
import { type GilRule, notAllowedWithoutGil } from './rule';

export const pythonIndexing: GilRule = {
  code: 'nogil-python-indexing',
  nodeTypes: ['subscript'],
  when: 'nogil',
  check(node, ctx) {
    const value = field(node, 'value');
    if (!value || ctx.info(value).type.kind !== 'py') return;
    const base = ctx.info(value).type;
    if (base.kind === 'py' && base.buffer && base.buffer.dtype.kind === 'py') {
      ctx.report(node, 'Cannot access buffer with object dtype without gil');
      return;
    }
    // Buffers and str/bytes indexed with C integers give C values: no Python indexing.
    if (ctx.info(node).type.kind !== 'py') return;
    const slices = fieldNodes(node, 'subscript').filter((s) => s.type === 'slice');
    // `obj[i:j]` is a direct slice; `obj[i:j:k]` builds a slice object and indexes with it.
    const withStep = slices.find((s) => s.children.filter((c) => c?.type === ':').length > 1);
    if (slices.length > 0 && !withStep) {
      ctx.report(node, notAllowedWithoutGil('Slicing Python object'));
      return;
    }
    if (withStep) {
      ctx.report(withStep, notAllowedWithoutGil('Constructing Python slice object'));
      for (const bound of namedChildren(withStep)) {
        if (needsBoxing(ctx.info(bound))) ctx.report(bound, notAllowedWithoutGil('Converting to Python object'));
      }
    }
    ctx.report(node, notAllowedWithoutGil('Indexing Python object'));
  },
};
