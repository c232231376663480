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
  /**
   * Counts the changes of the text (open: 0). With `unchangedSince`, a reader that kept something per range of the
   * text it last saw tells which of it is still the same text (engine/unit-texts.ts).
   */
  readonly textGeneration?: number;
  /**
   * How much of the text at `generation` is still the same text now: the first `prefix` code units are, and so are
   * the last `suffix` ones (the rest may have changed). Undefined when not known (a full-text change since, or too
   * many changes ago).
   */
  unchangedSince?(generation: number): { prefix: number; suffix: number; oldLength: number } | undefined;
}
