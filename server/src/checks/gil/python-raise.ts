/**
 * `raise` where the compiler does not add an implicit `with gil:` (e.g. directly in a prange body), and `assert`
 * there: PostParse.visit_AssertStatNode makes its failure a RaiseStatNode.
 */
import { type GilRule, notAllowedWithoutGil } from './rule';

export const pythonRaise: GilRule = {
  code: 'nogil-raise',
  nodeTypes: ['raise_statement', 'assert_statement'],
  when: 'nogil',
  check(node, ctx) {
    // The walker only lets a raise statement reach the rules in a no-GIL state when no implicit `with gil:` applies.
    if (node.type === 'assert_statement' && ctx.injectsGil) return;
    ctx.report(node, notAllowedWithoutGil('Raising exception'));
  },
};
