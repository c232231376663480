/**
 * The interface between the engine and the analyses ("checks") registered in server/src/checks/index.ts.
 * A check is synchronous and pure: it reads the document (and its tree) and returns diagnostics.
 * Diagnostics are plain LSP diagnostics; set `code` (a row of shared/src/diagnostic-codes.ts, the id users put in
 * cythonLens.severityOverrides), its default severity (`defaultSeverity(code)`) and `source: 'cython-lens'`.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from '../../../shared/src/diagnostic-codes';
import type { CythonLensSettings, LineAnnotation } from '../../../shared/src/protocol';
import type { Tree } from 'web-tree-sitter';
import type { AnalysisSession } from '../model/analysis-session';
import type { ParsedDocument } from '../text/parsed-document';

export type { Diagnostic, LineAnnotation, ParsedDocument };

/** Rows of a document, inclusive, 0-based. */
export interface RowWindow {
  first: number;
  last: number;
}

/** A document that was parsed (not skipped): what checks receive. */
export type TreeDocument = ParsedDocument & { readonly tree: Tree };

export interface CheckContext {
  /** The engine's analysis session: resolvers, the Python environment, the per-document caches (slots). */
  readonly session: AnalysisSession;
  /** Settings of this document's resource (validated, defaults filled in). */
  readonly settings: CythonLensSettings;
  /** Epoch milliseconds after which a check should stop and return what it has. */
  readonly deadline: number;
  /** True once the deadline has passed or a newer version of the document arrived. */
  isCancelled(): boolean;
  /**
   * Only the definition units that meet these rows (inclusive, 0-based) are analysed (a first screen of a large file,
   * or one slice of it: features/diagnostics.ts); undefined: the whole document. Checks that work per unit honour it
   * (`unitsInRows`); the cheap whole-document ones ignore it.
   */
  readonly rows?: RowWindow;
  /** Log a line to the server's output (LSP) or stderr (CLI). */
  log(message: string): void;
  /**
   * Part of the analysis is off for a reason outside the document (the installation lacks a data file): the report's
   * status says it (state 'warning', its diagnostics still published; the server logs it once, the CLI says it once).
   */
  problem(message: string): void;
}

/** Produces diagnostics. Only run on documents that have a tree (`doc.tree` defined). */
export interface DocumentCheck {
  readonly id: string;
  /** Every diagnostic code it may report (rows of the shared table; test/shared/diagnostic-codes.test.ts checks them). */
  readonly codes: readonly DiagnosticCode[];
  run(doc: TreeDocument, ctx: CheckContext): Diagnostic[];
  /** Drops what the check cached for a document (called when it is closed); caches in session slots need none. */
  forget?(uri: string): void;
}

/** Produces `cython -a` style line scores. Only run on documents that have a tree. */
export interface LineAnnotator {
  readonly id: string;
  /** Lines in any order; they may share arrays with the annotator's caches (the engine's report is a copy). */
  annotate(doc: TreeDocument, ctx: CheckContext): LineAnnotation[];
  /** Drops what the annotator cached for a document (called when it is closed). */
  forget?(uri: string): void;
}

export const DIAGNOSTIC_SOURCE = 'cython-lens';

const LSP_SEVERITY = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
} as const;

/** The LSP severity of a code as the shared table gives it (before `cythonLens.severityOverrides`). */
export function defaultSeverity(code: DiagnosticCode): DiagnosticSeverity {
  return LSP_SEVERITY[DIAGNOSTIC_CODES[code].severity];
}
