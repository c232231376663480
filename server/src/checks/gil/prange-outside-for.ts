/** `prange(...)` anywhere but as the iterable of a `for` loop (Nodes.ParallelRangeNode.analyse_expressions). */
import { field } from '../../model/syntax';
import type { GilRule } from './rule';

export const PRANGE_OUTSIDE_FOR_MESSAGE = 'prange() can only be used as part of a for loop';

export const prangeOutsideFor: GilRule = {
  code: 'prange-outside-for',
  nodeTypes: ['call'],
  when: 'always',
  check(node, ctx) {
    const fn = field(node, 'function');
    const args = field(node, 'arguments');
    if (!fn || !args || !/^((cython\.)?parallel\.)?prange$/.test(fn.text)) return;
    if (ctx.model.collector.lookupDotted(fn.text)?.kind !== 'cython-builtin') return;
    const parent = node.parent;
    if (parent?.type === 'for_statement' && field(parent, 'right')?.id === node.id) return;
    ctx.report(args, PRANGE_OUTSIDE_FOR_MESSAGE);
  },
};
