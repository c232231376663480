/**
 * Constant arguments for the LAPACK workspace rules: the value of a local written exactly once with an integer or
 * one-character literal (`cdef int lwork = 10`, `jobz = b'V'`).
 */
import type { ArgValue } from '../../lapack';
import { type Node, field, namedChildren, stringValue } from '../../model/syntax';

/** The body of the function around a node (the module when there is none). */
export function enclosingBody(node: Node): Node {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'c_function_definition') return field(n, 'body') ?? n;
    if (!n.parent) return n;
  }
  return node;
}

/**
 * The value of a local that is written exactly once, by a declaration or assignment of an integer or
 * one-character literal (`cdef int lwork = 10`, `jobz = b'V'`); undefined otherwise.
 */
export function constantValue(name: string, body: Node): ArgValue | undefined {
  const writes: (Node | null)[] = [];
  const visit = (n: Node): void => {
    for (const c of namedChildren(n)) {
      if (c.type === 'function_definition' || c.type === 'c_function_definition' || c.type === 'lambda') continue;
      if (c.type === 'c_declarator' && field(c, 'name')?.text === name) writes.push(field(c, 'value'));
      else if ((c.type === 'assignment' || c.type === 'augmented_assignment')
        && targetsName(field(c, 'left'), name)) writes.push(c.type === 'assignment' ? field(c, 'right') : null);
      else if ((c.type === 'for_statement' && targetsName(field(c, 'left'), name))
        || (c.type === 'for_from_statement' && field(c, 'target')?.text === name)
        || (c.type === 'named_expression' && field(c, 'name')?.text === name)) writes.push(null);
      visit(c);
    }
  };
  visit(body);
  if (writes.length !== 1 || !writes[0]) return undefined;
  return literalValue(writes[0]);
}

function targetsName(target: Node | null, name: string): boolean {
  if (!target) return false;
  if (target.type === 'identifier') return target.text === name;
  if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern'
    || target.type === 'tuple' || target.type === 'list') {
    return namedChildren(target).some((c) => targetsName(c, name));
  }
  return false;
}

function literalValue(v: Node): ArgValue | undefined {
  if (v.type === 'integer' && /^\d+$/.test(v.text)) return Number(v.text);
  if (v.type === 'unary_operator') {
    const arg = field(v, 'argument');
    if (arg?.type === 'integer' && /^\d+$/.test(arg.text) && v.text.trim().startsWith('-')) return -Number(arg.text);
    return undefined;
  }
  if (v.type === 'string') {
    const s = stringValue(v);
    return s.length === 1 ? s : undefined;
  }
  return undefined;
}
