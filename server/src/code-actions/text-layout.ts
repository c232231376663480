/** Lines and indentation around tree nodes, for edits that add or move whole lines. */
import type { Node } from '../model/syntax';

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function lineEnd(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i;
}

/** The whitespace before the first character of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** The node is alone on its lines: only indentation before it, only a comment or nothing after it. */
export function ownsItsLines(text: string, node: Node): boolean {
  const before = text.slice(lineStart(text, node.startIndex), node.startIndex);
  const after = text.slice(node.endIndex, lineEnd(text, node.endIndex));
  return /^[ \t]*$/.test(before) && /^[ \t]*(#.*)?\r?$/.test(after);
}

/** One indentation step as used around `node`: the difference between its indent and its block owner's. */
export function indentUnit(text: string, node: Node): string {
  const own = indentAt(text, node.startIndex);
  let owner = node.parent;
  while (owner && owner.type === 'block') owner = owner.parent;
  const outer = owner ? indentAt(text, owner.startIndex) : '';
  if (own.startsWith(outer) && own.length > outer.length) return own.slice(outer.length);
  return own.includes('\t') ? '\t' : '    ';
}

/** Does a string literal inside `node` span several lines (re-indenting would change its value)? */
export function hasMultilineString(node: Node): boolean {
  if ((node.type === 'string' || node.type === 'concatenated_string') && node.startPosition.row !== node.endPosition.row) {
    return true;
  }
  return node.namedChildren.some((c) => c !== null && hasMultilineString(c));
}
