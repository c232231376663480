/**
 * The branch of `IF cond: ... ELIF cond: ... ELSE: ...` that the compiler keeps: it evaluates the conditions at parse
 * time (Parsing.p_IF_statement, with the DEF constants seen so far) and drops the other branches, so nothing in them
 * is analysed, checked or compiled.
 */
import { type Node, field, fields } from './syntax';

/**
 * The kept branch's block; null when no branch is kept (every condition false and no ELSE); undefined when a
 * condition is not a constant we can evaluate (then callers look at every branch, as before).
 */
export function keptCompileTimeBranch(node: Node, evaluate: (cond: Node) => boolean | 'maybe' | undefined):
  Node | null | undefined {
  const clauses = [node, ...fields(node, 'alternative')];
  for (const clause of clauses) {
    if (clause.type === 'compile_time_else_clause') return field(clause, 'body');
    const cond = field(clause, 'condition');
    const value = cond ? evaluate(cond) : undefined;
    if (value === undefined || value === 'maybe') return undefined;
    if (value) return field(clause, 'consequence');
  }
  return null;
}
