/**
 * What the statements of a block mean for the code around them, without costs: which generate no code, which end
 * their block (ParseTreeTransforms.py RemoveUnreachableCode), and the line the compiler is at after a statement.
 */
import { type Node, field, fields, namedChildren, significantChildren } from '../model/syntax';
import { lineOf } from './cost-env';

export const NO_CODE = new Set(['cimport_statement', 'cimport_from_statement', 'include_statement', 'c_function_declaration',
  'struct_definition', 'enum_definition', 'ctypedef_statement', 'fused_type_definition', 'cppclass_definition',
  'extern_block', 'comment', 'pass_statement', 'break_statement', 'continue_statement', 'global_statement',
  'nonlocal_statement', 'compile_time_definition', 'future_import_statement', 'decorator']);

/** `is_terminator` as RemoveUnreachableCode sets it: return/raise/break/continue, an if whose every branch ends so. */
export function terminates(s: Node): boolean {
  switch (s.type) {
    case 'return_statement': case 'raise_statement': case 'break_statement': case 'continue_statement':
      return true;
    case 'if_statement': {
      const alts = fields(s, 'alternative');
      const last = alts[alts.length - 1];
      if (!last || last.type !== 'else_clause') return false;
      return [field(s, 'consequence'), ...alts.map((a) => field(a, 'consequence') ?? field(a, 'body')
        ?? significantChildren(a).find((c) => c.type === 'block') ?? null)].every(blockTerminates);
    }
    case 'try_statement': {
      const fin = significantChildren(s).find((c) => c.type === 'finally_clause');
      return !!fin && blockTerminates(significantChildren(fin).find((c) => c.type === 'block') ?? null);
    }
    default:
      return false;
  }
}

function blockTerminates(b: Node | null): boolean {
  return !!b && significantChildren(b).some(terminates);
}

export function isTerminator(s: Node): boolean {
  return s.type === 'return_statement' || s.type === 'raise_statement' || s.type === 'break_statement'
    || s.type === 'continue_statement';
}

/** The line of the last simple statement of `s` (where the compiler's position is after generating it). */
export function lastLine(s: Node): number {
  let cur = s;
  for (;;) {
    const blocks = namedChildren(cur).filter((c) => c.type === 'block' || c.type.endsWith('_clause'));
    const tail = blocks.pop();
    if (!tail) return lineOf(cur);
    const inner = tail.type === 'block' ? tail : significantChildren(tail).find((c) => c.type === 'block') ?? tail;
    const stmts = significantChildren(inner).filter((c) => c.type !== 'comment');
    const next = stmts.pop();
    // pass/break/continue generate no position of their own
    if (!next || next === cur || NO_CODE.has(next.type)) return lineOf(cur);
    cur = next;
  }
}

/** Whether a `return` leaves this block (nested definitions and lambdas aside). */
export function containsReturn(node: Node | null): boolean {
  if (!node) return false;
  return namedChildren(node).some((c) => c.type === 'return_statement' || !DEFINITIONS.has(c.type) && containsReturn(c));
}

/** The `return` statements that leave this block (nested definitions and lambdas aside). */
export function returnsIn(node: Node | null, out: Node[] = []): Node[] {
  if (!node) return out;
  for (const c of namedChildren(node)) {
    if (c.type === 'return_statement') out.push(c);
    else if (!DEFINITIONS.has(c.type)) returnsIn(c, out);
  }
  return out;
}

const DEFINITIONS = new Set(['function_definition', 'c_function_definition', 'class_definition',
  'cdef_class_definition', 'decorated_definition', 'lambda']);
