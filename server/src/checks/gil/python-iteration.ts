/** Iterating over a Python object (a for loop or a comprehension) without the GIL. */
import { field } from '../../model/syntax';
import { type GilRule, notAllowedWithoutGil } from './rule';

const PRANGE = /^((cython\.)?(parallel\.)?prange)$/;

export const pythonIteration: GilRule = {
  code: 'nogil-python-iteration',
  nodeTypes: ['for_statement', 'for_in_clause'],
  when: 'nogil',
  check(node, ctx) {
    const right = field(node, 'right');
    if (!right) return;
    if (right.type === 'call' && PRANGE.test(field(right, 'function')?.text ?? '')) return;
    // Loops the compiler runs in C (ranges, C arrays, memoryviews, literal sequences...): loop-iteration.ts
    if (ctx.typer.loopPlan(node, ctx.scope).kind === 'python') {
      ctx.report(right, notAllowedWithoutGil('Iterating over Python object'));
    }
  },
};
