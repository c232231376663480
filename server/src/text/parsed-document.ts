import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Tree } from 'web-tree-sitter';

/** Why a document has no tree (and gets no analysis). */
export interface SkipReason {
  kind: 'too-large' | 'binary' | 'parse-failed';
  /** One sentence for the information diagnostic. */
  message: string;
}

/**
 * An open document as the checks see it. `tree` is owned by the document store: valid only during the
 * synchronous call it was handed to (the next edit re-parses and frees it), never keep it.
 * Convert tree offsets to LSP positions with `textDocument.positionAt(node.startIndex)` (see text/positions.ts).
 */
export interface ParsedDocument {
  readonly uri: string;
  readonly languageId: string;
  readonly version: number;
  readonly text: string;
  /** LSP view of the text: line/character (UTF-16) <-> offset. */
  readonly textDocument: TextDocument;
  /** Undefined when `skipped` is set. */
  readonly tree: Tree | undefined;
  readonly skipped: SkipReason | undefined;
}
