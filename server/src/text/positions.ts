/** Conversions between tree-sitter nodes / offsets and LSP ranges. */
import type { Range } from 'vscode-languageserver';
import type { Node } from 'web-tree-sitter';
import type { ParsedDocument } from './parsed-document';

/** LSP range of a node (web-tree-sitter offsets are UTF-16 code units, like LSP characters). */
export function nodeRange(doc: ParsedDocument, node: Pick<Node, 'startIndex' | 'endIndex'>): Range {
  return offsetRange(doc, node.startIndex, node.endIndex);
}

export function offsetRange(doc: ParsedDocument, start: number, end: number): Range {
  return { start: doc.textDocument.positionAt(start), end: doc.textDocument.positionAt(end) };
}

/** UTF-8 byte length of a string without allocating a buffer when it is clearly small. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
