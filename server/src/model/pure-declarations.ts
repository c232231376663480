/**
 * Declarations written as calls of the `cython` module in pure Python mode, as the compiler reads them
 * (Nodes.SingleAssignmentNode.analyse_declarations, Nodes.ExprStatNode.analyse_declarations):
 *
 * - `x = cython.declare(T)`, `x, y = cython.declare(T)`: C variables of type T, no code (the statement is removed:
 *   TransformBuiltinMethods drops `declaration_only` assignments); `x = cython.declare(T, value)`: declared and
 *   assigned; `visibility='public'|'readonly'` (a cclass attribute with a Python property, or a public global);
 * - `cython.declare(x=T, y=U)` as a statement: declarations only;
 * - `T = cython.typedef(U)`, `S = cython.struct(a=T, b=U)`, `U = cython.union(...)`, `F = cython.fused_type(A, B)`:
 *   type declarations, no code.
 *
 * The names of the `cython` module are read through its local names (`import cython as cy`, `from cython import
 * declare as my_declare`: cython-names.ts).
 */
import { cythonMemberOf } from './cython-names';
import { type Node, field, namedChildren, significantChildren } from './syntax';

export type PureDeclaration =
  /** `x = cython.declare(T[, value][, visibility=...])`: the names of the left side, T, the value if any. */
  | { kind: 'declare'; names: readonly Node[]; type: Node; value?: Node; visibility: string }
  /** `cython.declare(x=T, y=U)`: names and their types. */
  | { kind: 'declare-names'; entries: { name: Node; type: Node }[] }
  | { kind: 'typedef'; name: Node; type: Node }
  | { kind: 'struct' | 'union'; name: Node; members: { name: Node; type: Node }[] }
  | { kind: 'fused_type'; name: Node; members: Node[] };

const KINDS = new Set(['declare', 'typedef', 'struct', 'union', 'fused_type']);

/**
 * The pure-mode declaration a statement makes (an `expression_statement`, or the `assignment` / `call` inside one),
 * or undefined. Malformed ones (which the compiler rejects) are undefined too.
 */
export function pureDeclarationOf(stmt: Node): PureDeclaration | undefined {
  let node = stmt;
  if (node.type === 'expression_statement') {
    const inner = significantChildren(node);
    if (inner.length !== 1) return undefined;
    node = inner[0]!;
  }
  if (node.type === 'call') {
    if (declarationKind(node) !== 'declare') return undefined;
    const { positional, keywords } = argumentsOf(node);
    if (positional.length || !keywords.length) return undefined;
    return { kind: 'declare-names', entries: keywords };
  }
  if (node.type !== 'assignment' || field(node, 'type')) return undefined;
  const left = field(node, 'left');
  const right = field(node, 'right');
  if (!left || right?.type !== 'call') return undefined;
  const kind = declarationKind(right);
  if (!kind) return undefined;
  const { positional, keywords } = argumentsOf(right);
  if (kind === 'declare') {
    const names = left.type === 'identifier' ? [left]
      : left.type === 'pattern_list' || left.type === 'tuple_pattern' ? significantChildren(left) : [];
    if (!names.length || names.some((n) => n.type !== 'identifier')) return undefined;
    const type = positional[0];
    if (!type || positional.length > 2 || keywords.some((k) => k.name.text !== 'visibility')) return undefined;
    const vis = keywords[0]?.type.text.replace(/^[rbuRBU]*['"]+|['"]+$/g, '') ?? 'private';
    return { kind, names, type, value: positional[1], visibility: vis };
  }
  if (left.type !== 'identifier') return undefined;
  if (kind === 'typedef') {
    const type = positional[0];
    return type && positional.length <= 2 && !keywords.length ? { kind, name: left, type } : undefined;
  }
  if (kind === 'fused_type') return keywords.length ? undefined : { kind, name: left, members: positional };
  return positional.length || !keywords.length ? undefined
    : { kind: kind as 'struct' | 'union', name: left, members: keywords };
}

/** The names a `cython.declare` declares with their types (none for the other kinds). */
export function declaredNames(d: PureDeclaration): { name: Node; type: Node }[] {
  return d.kind === 'declare' ? d.names.map((name) => ({ name, type: d.type })) : d.kind === 'declare-names' ? d.entries : [];
}

/** Does this statement only declare (no code: `x = cython.declare(T)`, `cython.declare(x=T)`, typedefs...)? */
export function isDeclarationOnly(d: PureDeclaration): boolean {
  return d.kind !== 'declare' || d.value === undefined;
}

function declarationKind(call: Node): string | undefined {
  const fn = field(call, 'function');
  const member = fn ? cythonMemberOf(fn) : undefined;
  return member && KINDS.has(member) ? member : undefined;
}

function argumentsOf(call: Node): { positional: Node[]; keywords: { name: Node; type: Node }[] } {
  const args = field(call, 'arguments');
  const positional: Node[] = [];
  const keywords: { name: Node; type: Node }[] = [];
  for (const a of args ? namedChildren(args) : []) {
    if (a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const name = field(a, 'name');
      const value = field(a, 'value');
      if (name && value) keywords.push({ name, type: value });
    } else {
      positional.push(a);
    }
  }
  return { positional, keywords };
}
