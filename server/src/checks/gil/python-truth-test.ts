/** Testing the truth of a Python object (`if obj:`, `while obj:`, `not obj`) without the GIL. */
import type { Node } from 'web-tree-sitter';
import { field } from '../../model/syntax';
import { SIZED_BUILTINS } from './expression-roles';
import { type GilRule, type RuleContext, notAllowedWithoutGil } from './rule';

export const pythonTruthTest: GilRule = {
  code: 'nogil-python-truth-test',
  nodeTypes: ['if_statement', 'elif_clause', 'while_statement', 'not_operator', 'conditional_expression',
    'boolean_operator', 'assert_statement'],
  when: 'nogil',
  check(node, ctx) {
    const tested: (Node | null)[] = [];
    switch (node.type) {
      case 'if_statement': case 'elif_clause': case 'while_statement': case 'conditional_expression':
        tested.push(field(node, 'condition') ?? (node.type === 'conditional_expression' ? node.namedChild(1) : null));
        break;
      case 'assert_statement':
        tested.push(node.namedChild(0));
        break;
      case 'not_operator':
        tested.push(field(node, 'argument'));
        break;
      case 'boolean_operator':
        tested.push(field(node, 'left'));
        break;
      default:
        break;
    }
    for (const t of tested) if (t && needsTruthTest(t, ctx)) ctx.report(t, notAllowedWithoutGil('Truth-testing Python object'));
  },
};

function needsTruthTest(node: Node, ctx: RuleContext): boolean {
  // Comparisons and boolean operators produce their own C truth value (or their own error).
  if (['comparison_operator', 'boolean_operator', 'not_operator', 'parenthesized_expression'].includes(node.type)) {
    return false;
  }
  const info = ctx.info(node);
  return info.type.kind === 'py' && !info.literal && !SIZED_BUILTINS.has(info.type.name);
}
