/** f-strings and `%` formatting of a literal without the GIL. */
import { type Node, field, namedChildren } from '../../model/syntax';
import { type GilRule, type RuleContext, notAllowedWithoutGil } from './rule';

const isFString = (n: Node): boolean => n.type === 'string' && namedChildren(n).some((c) => c.type === 'interpolation');
const isUnicodeLiteral = (n: Node): boolean => n.type === 'string' && !/^[rRuU]*[bB]/.test(n.text);

/**
 * `'...' % (a, b)` (a unicode literal and a tuple display) is turned into an f-string by the compiler
 * (Optimize.ConstantFolding.visit_ModNode) and reported as "String formatting"; any other `%` or `+` on text stays
 * a binary operation, reported as an "Operation" (python-operation.ts), as `"a" + s` and `"x" + f"{n}"` are.
 */
export function textOperationMessage(node: Node): string | undefined {
  const left = field(node, 'left');
  const right = field(node, 'right');
  const op = field(node, 'operator')?.text ?? node.child(1)?.text;
  if (!left || !right) return undefined;
  if (op === '%' && isUnicodeLiteral(left) && !isFString(left) && right.type === 'tuple') return 'String formatting';
  return undefined;
}

export const stringFormatting: GilRule = {
  code: 'nogil-string-formatting',
  nodeTypes: ['string', 'binary_operator'],
  when: 'nogil',
  check(node, ctx) {
    if (node.type === 'string') {
      if (namedChildren(node).some((c) => c.type === 'interpolation')) {
        ctx.report(node, notAllowedWithoutGil('String formatting'));
      }
      return;
    }
    const what = textOperationMessage(node);
    if (what) ctx.report(node, notAllowedWithoutGil(what));
  },
};
