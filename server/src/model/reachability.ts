/**
 * Unreachable statements, which the compiler removes before its GIL check (ParseTreeTransforms.RemoveUnreachableCode,
 * run before and after ControlFlowAnalysis): in a statement list, everything after a statement that never completes
 * normally. Such a statement is `return`, `raise`, `break` or `continue`; an `if` whose every branch, `else`
 * included, ends so; a `try` whose `finally` ends so; a `with` block (also `with nogil`/`with gil`) whose body ends so.
 */
import { type Node, significantChildren } from './syntax';

const JUMPS = new Set(['return_statement', 'raise_statement', 'break_statement', 'continue_statement']);
const WITHS = new Set(['with_statement', 'with_nogil_statement', 'with_gil_statement']);

/** The statements of a list that run: up to and including the first one that never completes normally. */
export function reachableStatements(stmts: readonly Node[]): readonly Node[] {
  for (let i = 0; i < stmts.length - 1; i++) {
    if (endsFlow(stmts[i])) return stmts.slice(0, i + 1);
  }
  return stmts;
}

/** Whether control never leaves the statement normally (the compiler's `is_terminator`). */
export function endsFlow(stmt: Node): boolean {
  if (JUMPS.has(stmt.type)) return true;
  switch (stmt.type) {
    case 'block': return significantChildren(stmt).some(endsFlow);
    case 'if_statement': {
      const parts = significantChildren(stmt);
      const branches = parts.filter((c) => c.type === 'block' || c.type === 'elif_clause' || c.type === 'else_clause');
      return parts.some((c) => c.type === 'else_clause') && branches.every((b) => endsFlow(blockOf(b)));
    }
    case 'try_statement': {
      const fin = significantChildren(stmt).find((c) => c.type === 'finally_clause');
      return fin !== undefined && endsFlow(blockOf(fin));
    }
    default:
      if (WITHS.has(stmt.type)) {
        const body = significantChildren(stmt).find((c) => c.type === 'block');
        return body !== undefined && endsFlow(body);
      }
      return false;
  }
}

function blockOf(node: Node): Node {
  return node.type === 'block' ? node : significantChildren(node).find((c) => c.type === 'block') ?? node;
}

/**
 * Whether the module's header comments leave the `remove_unreachable` directive on (the default; Cython's own error
 * tests turn it off with `# cython: remove_unreachable=False`).
 */
export function removesUnreachable(root: Node): boolean {
  for (const c of root.namedChildren) {
    if (!c || c.type !== 'comment') break;
    const m = /^#\s*cython\s*:.*\bremove_unreachable\s*=\s*(\w+)/.exec(c.text);
    if (m) return !/^(False|false|0)$/.test(m[1] ?? '');
  }
  return true;
}
