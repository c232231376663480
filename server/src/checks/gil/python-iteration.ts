/** Iterating over a Python object (a for loop or a comprehension) without the GIL. */
import { field } from '../../model/syntax';
import { type GilRule, notAllowedWithoutGil } from './rule';

const C_LOOPS = /^((cython\.)?(parallel\.)?prange|range|xrange)$/;

export const pythonIteration: GilRule = {
  code: 'nogil-python-iteration',
  nodeTypes: ['for_statement', 'for_in_clause'],
  when: 'nogil',
  severity: 'error',
  check(node, ctx) {
    const right = field(node, 'right');
    if (!right) return;
    if (right.type === 'call' && C_LOOPS.test(field(right, 'function')?.text ?? '')) return;
    const t = ctx.info(right).type;
    if (t.kind === 'py' && !(ctx.info(right).literal && t.name === 'bytes')) {
      ctx.report(right, notAllowedWithoutGil('Iterating over Python object'));
    }
  },
};
