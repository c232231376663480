/** The compiler's hint on memoryview/buffer indexing without the GIL while `boundscheck` is on. */
import { field } from '../../model/syntax';
import type { GilRule } from './rule';

export const boundscheckHint: GilRule = {
  code: 'boundscheck-hint',
  nodeTypes: ['subscript'],
  when: 'nogil',
  check(node, ctx) {
    if (!ctx.directives.boundscheck) return;
    const value = field(node, 'value');
    if (!value) return;
    const t = ctx.info(value).type;
    const indexed = t.kind === 'memview' ? ctx.info(node).type.kind !== 'memview'
      : t.kind === 'py' && t.buffer !== undefined && ctx.info(node).type.kind !== 'py';
    if (indexed) ctx.report(node, 'Use boundscheck(False) for faster access', { data: { directive: 'boundscheck' } });
  },
};
