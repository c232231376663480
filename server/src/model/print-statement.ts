/**
 * `print` as a statement. Below language level 3 the scanner makes `print` a keyword unless the module says
 * `from __future__ import print_function` (Scanning.py; Main.Context.set_language_level adds print_function to the
 * future directives only at level 3 and above), so `print(x)` is a print statement of `(x)`. In nogil code the
 * compiler wraps print statements in an implicit `with gil:` (ParseTreeTransforms.InjectGilHandling), as it does
 * `raise`.
 */
import type { Directives } from './directives';
import { type Node, namedChildren } from './syntax';

/** Whether `print` is a statement in the module of `root`, read with the module's directives. */
export function printIsStatement(root: Node, directives: Readonly<Directives>): boolean {
  if (directives.language_level >= 3) return false;
  // Future imports can only come first (after comments and the docstring).
  for (const c of namedChildren(root)) {
    if (c.type === 'comment') continue;
    if (c.type === 'expression_statement' && namedChildren(c).every((x) => x.type === 'string' || x.type === 'comment')) {
      continue;
    }
    if (c.type !== 'future_import_statement') break;
    if (namedChildren(c).some((n) => n.text === 'print_function')) return false;
  }
  return true;
}

/** An expression statement that is a print statement where `print` is one: `print(x)`, `print (a, b)`, `print`. */
export function isPrintStatementCall(stmt: Node): boolean {
  if (stmt.type !== 'expression_statement') return false;
  const parts = namedChildren(stmt).filter((c) => c.type !== 'comment');
  if (parts.length !== 1) return false;
  const e = parts[0];
  if (e.type === 'identifier') return e.text === 'print';
  return e.type === 'call' && e.childForFieldName('function')?.text === 'print';
}
