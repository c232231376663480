/**
 * Cython's "safe" type inference (the default, `infer_types=None`) infers a C integer type for an untyped local
 * only when the local cannot overflow (TypeInference.safe_spanning_type): a name used as an operand of arithmetic
 * (MarkOverflowingArithmetic: `+ - * / // % ** << >>`, unary minus, in-place operators, `abs()`), or assigned a
 * literal beyond 32 bits, stays a Python object. Checked against cython 3.3.1: `for j in range(n): s += j` makes j
 * an object, also in nogil functions.
 */
import { type Node, field, namedChildren } from './syntax';

/** Binary operators MarkOverflowingArithmetic treats as neutral (the rest may overflow). */
const NEUTRAL_OPERATORS = new Set(['&', '|', '^']);

/** Names of a function body that the compiler marks as possibly overflowing. */
export function mightOverflowNames(body: Node): Set<string> {
  const marked = new Set<string>();
  const visit = (node: Node, dangerous: boolean): void => {
    switch (node.type) {
      case 'identifier':
        if (dangerous) marked.add(node.text);
        return;
      case 'parenthesized_expression':
        for (const c of namedChildren(node)) visit(c, dangerous);
        return;
      case 'binary_operator': {
        const op = field(node, 'operator')?.text ?? node.child(1)?.text ?? '';
        const inner = NEUTRAL_OPERATORS.has(op) ? dangerous : true;
        for (const c of namedChildren(node)) visit(c, inner);
        return;
      }
      case 'unary_operator': {
        const op = node.child(0)?.text;
        for (const c of namedChildren(node)) visit(c, op === '-' ? true : dangerous);
        return;
      }
      case 'not_operator':
        for (const c of namedChildren(node)) visit(c, dangerous);
        return;
      case 'augmented_assignment':
        for (const c of namedChildren(node)) visit(c, true);
        return;
      case 'call': {
        const fn = field(node, 'function');
        const args = field(node, 'arguments');
        if (fn) visit(fn, false);
        const inner = fn?.type === 'identifier' && fn.text === 'abs' ? true : dangerous;
        for (const a of args ? namedChildren(args) : []) visit(a, inner);
        return;
      }
      case 'assignment': {
        // `x = 2**40`-style literals: Utils.long_literal (beyond 32 bits)
        const left = field(node, 'left');
        const right = field(node, 'right');
        if (left?.type === 'identifier' && right?.type === 'integer' && isLongLiteral(right.text)) marked.add(left.text);
        for (const c of namedChildren(node)) visit(c, false);
        return;
      }
      case 'function_definition': case 'c_function_definition': case 'class_definition': case 'cdef_class_definition':
      case 'lambda':
        return; // their own scopes
      default:
        for (const c of namedChildren(node)) visit(c, false);
    }
  };
  visit(body, false);
  return marked;
}

function isLongLiteral(text: string): boolean {
  const clean = text.replace(/_/g, '').replace(/[lLuU]+$/, '');
  try {
    const v = BigInt(clean);
    return v < -(2n ** 31n) || v >= 2n ** 31n;
  } catch {
    return false;
  }
}
