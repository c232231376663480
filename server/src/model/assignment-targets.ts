/** Which names a statement binds: assignment targets and the identifiers inside target patterns. */
import { type Node, field, namedChildren } from './syntax';

/** The names a statement assigns to (for module globals and function locals). */
export function assignmentTargets(s: Node): Node[] {
  const out: Node[] = [];
  const visitAssignment = (a: Node): void => {
    const left = field(a, 'left');
    if (left) out.push(...namesIn(left));
    const right = field(a, 'right');
    if (right && right.type === 'assignment') visitAssignment(right);
  };
  if (s.type === 'assignment' || s.type === 'augmented_assignment') visitAssignment(s);
  else for (const c of namedChildren(s)) if (c.type === 'assignment' || c.type === 'augmented_assignment') visitAssignment(c);
  return out;
}

/** Identifiers bound by a target expression: `a`, `a, b`, `(a, [b, c])`, `*rest`; not `a.b` or `a[i]`. */
export function namesIn(target: Node): Node[] {
  if (target.type === 'identifier') return [target];
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'expression_list', 'tuple', 'list', 'parenthesized_expression',
    'list_splat_pattern', 'as_pattern_target'].includes(target.type)) {
    return namedChildren(target).flatMap(namesIn);
  }
  return [];
}

/**
 * The names a `case` pattern binds (MatchCaseNodes.py PatternNode.get_targets): captures (`case [x, y]:`, `y=v` of a
 * class pattern), star captures (`*rest`, `**kw`) and `as` names; not class names, value patterns (`Color.RED`) or `_`.
 */
export function patternCaptures(pattern: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node): void => {
    for (const c of namedChildren(n)) {
      if (c.type === 'dotted_name') {
        const parts = namedChildren(c);
        if (parts.length === 1 && ['case_pattern', 'keyword_pattern', 'union_pattern'].includes(n.type)) out.push(parts[0]!);
      } else if (c.type === 'identifier') {
        if (n.type === 'splat_pattern' || n.type === 'as_pattern') out.push(c);
      } else {
        visit(c);
      }
    }
  };
  visit(pattern);
  return out;
}
