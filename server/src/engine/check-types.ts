/**
 * The interface between the engine and the analyses ("checks") registered in server/src/checks/index.ts.
 * A check is synchronous and pure: it reads the document (and its tree) and returns diagnostics.
 * Diagnostics are plain LSP diagnostics; set `code` (the id users put in cythonLens.severityOverrides)
 * and `source: 'cython-lens'`.
 */
import type { Diagnostic } from 'vscode-languageserver';
import type { CythonLensSettings, LineAnnotation } from '../../../shared/src/protocol';
import type { Tree } from 'web-tree-sitter';
import type { ParsedDocument } from '../text/parsed-document';

export type { Diagnostic, LineAnnotation, ParsedDocument };

/** A document that was parsed (not skipped): what checks receive. */
export type TreeDocument = ParsedDocument & { readonly tree: Tree };

export interface CheckContext {
  /** Settings of this document's resource (validated, defaults filled in). */
  readonly settings: CythonLensSettings;
  /** Epoch milliseconds after which a check should stop and return what it has. */
  readonly deadline: number;
  /** True once the deadline has passed or a newer version of the document arrived. */
  isCancelled(): boolean;
  /** Log a line to the server's output (LSP) or stderr (CLI). */
  log(message: string): void;
}

/** Produces diagnostics. Only run on documents that have a tree (`doc.tree` defined). */
export interface DocumentCheck {
  readonly id: string;
  run(doc: TreeDocument, ctx: CheckContext): Diagnostic[];
  /** Drops what the check cached for a document (called when it is closed). */
  forget?(uri: string): void;
}

/** Produces `cython -a` style line scores. Only run on documents that have a tree. */
export interface LineAnnotator {
  readonly id: string;
  annotate(doc: TreeDocument, ctx: CheckContext): LineAnnotation[];
  /** Drops what the annotator cached for a document (called when it is closed). */
  forget?(uri: string): void;
}

export const DIAGNOSTIC_SOURCE = 'cython-lens';
