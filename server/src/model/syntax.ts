/** Small helpers over web-tree-sitter nodes, named after the grammar contract (docs/grammar-contract.md). */
import type { Language, Node } from 'web-tree-sitter';
import type { DeclLocation } from './c-types';

export type { Node };

/** Field ids by name, for the last language seen (`childForFieldName` searches the language's field list each time). */
let fieldIdsLanguage: Language | undefined;
let fieldIds = new Map<string, number>();

function fieldIdOf(node: Node, name: string): number {
  const language = node.tree.language;
  if (language !== fieldIdsLanguage) {
    fieldIdsLanguage = language;
    fieldIds = new Map();
  }
  let id = fieldIds.get(name);
  if (id === undefined) {
    id = language.fieldIdForName(name) ?? -1;
    fieldIds.set(name, id);
  }
  return id;
}

export function field(node: Node, name: string): Node | null {
  const id = fieldIdOf(node, name);
  const r = id < 0 ? null : node.childForFieldId(id);
  // web-tree-sitter may answer a field query with a comment (an extra) that sits just before the field's node,
  // e.g. `cdef extern from "h":  # note` followed by the block: skip to the node the field names.
  if (r?.type === 'comment') {
    let next = r.nextSibling;
    while (next && (next.type === 'comment' || !next.isNamed)) next = next.nextSibling;
    return next;
  }
  return r;
}

/** The children with field `name` that are not comments (the shared list when it holds none: read-only). */
export function fields(node: Node, name: string): readonly Node[] {
  return withoutComments(fieldNodes(node, name));
}

/**
 * The children with field `name`, as the same node objects as `node.children` (web-tree-sitter builds new ones for
 * each `childrenForFieldName`: what is memoised on the shared ones, their parent first of all, would be lost;
 * tree/node-memo.ts memoises the lists as shared objects). Read-only, like `children`.
 */
export function fieldNodes(node: Node, name: string): readonly Node[] {
  const id = fieldIdOf(node, name);
  return id <= 0 ? [] : (node.childrenForFieldId(id) as readonly Node[]);
}

/**
 * The named children (comments included). The array is web-tree-sitter's own, cached on the node (read-only: no
 * copy per call on the hot paths of every walk); it never holds nulls in practice, and is filtered if it does.
 */
export function namedChildren(node: Node): readonly Node[] {
  return withoutNulls(node.namedChildren);
}

/** Every child, anonymous tokens included (read-only, as `namedChildren`). */
export function children(node: Node): readonly Node[] {
  return withoutNulls(node.children);
}

function withoutNulls(list: (Node | null)[]): readonly Node[] {
  return list.includes(null) ? list.filter((n): n is Node => n !== null) : (list as Node[]);
}

/** Children that are not comments (comments are extras and may appear anywhere). */
export function significantChildren(node: Node): readonly Node[] {
  return withoutComments(namedChildren(node));
}

/** The list itself when it holds no comment (most do not: no copy per call), else a filtered copy. Read-only. */
function withoutComments(list: readonly Node[]): readonly Node[] {
  for (let i = 0; i < list.length; i++) {
    if ((list[i] as Node).type === 'comment') return list.filter((n) => n.type !== 'comment');
  }
  return list;
}

export function hasChildOfType(node: Node, ...types: string[]): boolean {
  return children(node).some((c) => types.includes(c.type));
}

export function childOfType(node: Node, ...types: string[]): Node | undefined {
  return children(node).find((c) => types.includes(c.type));
}

export function childrenOfType(node: Node, ...types: string[]): Node[] {
  return children(node).filter((c) => types.includes(c.type));
}

export function locationOf(uri: string, node: Node): DeclLocation {
  return {
    uri,
    line: node.startPosition.row,
    character: node.startPosition.column,
    endLine: node.endPosition.row,
    endCharacter: node.endPosition.column,
  };
}

/** The statements of a block (or of a module), skipping comments. */
export function statementsOf(block: Node | null): readonly Node[] {
  if (!block) return [];
  return significantChildren(block);
}

/** Strip the quotes and prefix of a string literal's text. */
export function stringValue(node: Node): string {
  const m = /^[a-zA-Z]*("""|'''|"|')([\s\S]*)\1$/.exec(node.text);
  return m ? m[2] : node.text;
}

export function isDefinitionNode(node: Node): boolean {
  return node.type === 'function_definition' || node.type === 'c_function_definition'
    || node.type === 'class_definition' || node.type === 'cdef_class_definition'
    || node.type === 'cypclass_definition' || node.type === 'decorated_definition';
}

/** Unwrap `decorated_definition` to the definition it decorates. */
export function undecorate(node: Node): Node {
  if (node.type === 'decorated_definition') {
    return field(node, 'definition') ?? namedChildren(node).filter((c) => c.type !== 'decorator').pop() ?? node;
  }
  return node;
}

export function decoratorsOf(node: Node): Node[] {
  const parent = node.parent;
  if (parent?.type === 'decorated_definition') return childrenOfType(parent, 'decorator');
  if (node.type === 'decorated_definition') return childrenOfType(node, 'decorator');
  return [];
}

/**
 * Part of a syntax error: the node holds one, or error recovery left it right after one on the same row (after an
 * unclosed `(`, `cdef class Sub(Base):` can come out as an ERROR holding `cdef` and a Python class `Sub`). What the
 * parser made of such text is no ground for a diagnostic.
 */
export function isBrokenSyntax(node: Node): boolean {
  if (node.hasError) return true;
  if (!node.tree.rootNode.hasError) return false;
  let prev = node.previousSibling;
  while (prev && prev.type === 'comment') prev = prev.previousSibling;
  return prev !== null && prev.hasError && prev.endPosition.row === node.startPosition.row;
}

/** The name of a C declarator, also inside a function pointer or parenthesized declarator (`(*f)(int)`). */
export function declaratorName(d: Node): Node | undefined {
  const direct = field(d, 'name');
  if (direct) return direct;
  for (const c of namedChildren(d)) {
    if (c.type === 'function_pointer_declarator' || c.type === 'parenthesized_declarator') {
      const n = field(c, 'name');
      if (n) return n;
    }
  }
  return undefined;
}
