/** Indexing or slicing a Python object without the GIL. */
import { field } from '../../model/syntax';
import { type GilRule, notAllowedWithoutGil } from './rule';

export const pythonIndexing: GilRule = {
  code: 'nogil-python-indexing',
  nodeTypes: ['subscript'],
  when: 'nogil',
  severity: 'error',
  check(node, ctx) {
    const value = field(node, 'value');
    if (!value || ctx.info(value).type.kind !== 'py') return;
    const slicing = node.childrenForFieldName('subscript').some((s) => s?.type === 'slice');
    ctx.report(node, notAllowedWithoutGil(slicing ? 'Slicing Python object' : 'Indexing Python object'));
  },
};
