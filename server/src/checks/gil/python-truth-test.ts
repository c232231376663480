/**
 * Testing the truth of a Python object (`if obj:`, `while obj:`, `not obj`) without the GIL. In a condition a
 * boolean operation is no Python object: each operand is tested by itself (BoolBinopNode.coerce_to_boolean), after
 * a constant left operand is folded (ConstantFolding.visit_BoolBinopNode: `False or x` is x, `True or x` is True).
 */
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
    const tested: Node[] = [];
    let condition: Node | null = null;
    switch (node.type) {
      case 'if_statement': case 'elif_clause': case 'while_statement': case 'conditional_expression':
        condition = field(node, 'condition') ?? (node.type === 'conditional_expression' ? node.namedChild(1) : null);
        break;
      case 'assert_statement':
        condition = node.namedChild(0);
        break;
      case 'not_operator':
        condition = field(node, 'argument');
        break;
      case 'boolean_operator': {
        // its operands are tested one by one when it is itself a condition (above)
        if (isCondition(node)) return;
        const left = field(node, 'left');
        if (left && !isFolded(left, ctx)) tested.push(left);
        break;
      }
      default:
        break;
    }
    if (condition) tested.push(...conditionOperands(condition, ctx));
    for (const t of tested) if (needsTruthTest(t, ctx)) ctx.report(t, notAllowedWithoutGil('Truth-testing Python object'));
  },
};

const unwrap = (node: Node): Node => {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1 && n.namedChild(0)) n = n.namedChild(0)!;
  return n;
};

/** A left operand that constant folding removes (its value decides which operand remains). */
function isFolded(left: Node, ctx: RuleContext): boolean {
  const v = ctx.model.constantCondition(left, ctx.specialisation);
  return v === true || v === false;
}

/** What a condition tests: the operands of its boolean operations (after folding), else itself. */
function conditionOperands(condition: Node, ctx: RuleContext): Node[] {
  const n = unwrap(condition);
  if (n.type !== 'boolean_operator') return [n];
  const left = field(n, 'left');
  const right = field(n, 'right');
  if (!left || !right) return [];
  const and = n.children.some((c) => c?.text === 'and');
  const v = ctx.model.constantCondition(left, ctx.specialisation);
  if (v === true || v === false) return v === and ? conditionOperands(right, ctx) : [];
  return [...conditionOperands(left, ctx), ...conditionOperands(right, ctx)];
}

/** Whether a boolean operation is (part of) the condition of an if/while/assert/not/conditional expression. */
function isCondition(node: Node): boolean {
  let n = node;
  let p = n.parent;
  while (p && (p.type === 'parenthesized_expression' || p.type === 'boolean_operator')) {
    n = p;
    p = n.parent;
  }
  if (!p) return false;
  switch (p.type) {
    case 'if_statement': case 'elif_clause': case 'while_statement':
      return field(p, 'condition')?.id === n.id;
    case 'conditional_expression':
      return p.namedChild(1)?.id === n.id;
    case 'assert_statement':
      return p.namedChild(0)?.id === n.id;
    case 'not_operator':
      return field(p, 'argument')?.id === n.id;
    default:
      return false;
  }
}

function needsTruthTest(node: Node, ctx: RuleContext): boolean {
  // Comparisons and boolean operators produce their own C truth value (or their own error).
  if (['comparison_operator', 'boolean_operator', 'not_operator', 'parenthesized_expression'].includes(node.type)) {
    return false;
  }
  const info = ctx.info(node);
  return info.type.kind === 'py' && !info.literal && !SIZED_BUILTINS.has(info.type.name);
}
