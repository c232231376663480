/**
 * The analysis engine shared by the LSP server and the CLI: keeps the open documents (with their trees)
 * and runs the registered checks on demand. Synchronous per analysis; never throws for bad input or a
 * failing check (a failing check yields an empty report with status 'error', never stale results). A check that
 * finds part of its analysis off for a reason outside the document (a missing data file) says so through
 * `CheckContext.problem`: the report keeps its diagnostics, with status 'warning' and the message (which the server
 * logs once, and the CLI says once on stderr).
 */
import * as fs from 'node:fs';
import type { Diagnostic } from 'vscode-languageserver';
import type { DiagnosticCode } from '../../../shared/src/diagnostic-codes';
import type { Parser } from 'web-tree-sitter';
import type { CythonLensSettings, LineAnnotation, StatusParams } from '../../../shared/src/protocol';
import { AnalysisSession, type SessionOptions } from '../model/analysis-session';
import { defaultSettings } from '../settings/validate-settings';
import { isAnalysedSource, isPythonSourcePath } from '../model/pure-python-mode';
import { uriToPath } from '../model/pxd-resolver';
import { DocumentStore, type TextDocumentContentChangeEvent, type ParseStats } from '../text/document-store';
import type { ParsedDocument } from '../text/parsed-document';
import { createParser } from '../tree/language';
import { warmUpParser } from '../tree/warm-up';
import { applySeverityOverrides } from './severity-overrides';
import { UnitTexts } from './unit-texts';
import {
  DIAGNOSTIC_SOURCE,
  defaultSeverity,
  type CheckContext,
  type DocumentCheck,
  type LineAnnotator,
  type RowWindow,
  type TreeDocument,
} from './check-types';

export const SKIPPED_CODE = 'not-analysed' satisfies DiagnosticCode;
/** Information diagnostic: a check was skipped because the code is nested too deeply for it. */
export const TOO_DEEP_CODE = 'nested-too-deeply' satisfies DiagnosticCode;
/** The codes the engine itself reports (about the analysis, not the code), besides its checks'. */
export const ENGINE_CODES: readonly DiagnosticCode[] = [SKIPPED_CODE, TOO_DEEP_CODE];

export interface AnalysisReport {
  uri: string;
  version: number;
  diagnostics: Diagnostic[];
  /** One entry per line with a score or reasons, sorted by line. */
  annotations: LineAnnotation[];
  status: StatusParams;
  /**
   * The rows the per-definition analyses were limited to (AnalyzeOptions.rows): the report holds their results (and
   * those of the whole-document checks), not the rest of the document's. Absent: a full report.
   */
  rows?: RowWindow;
}

export interface EngineOptions {
  /** The checks to run, in order (the registry in checks/index.ts; tests pass their own). */
  checks: readonly DocumentCheck[];
  /** The line annotators to run (the registry in checks/index.ts). */
  annotators: readonly LineAnnotator[];
  log?: (message: string) => void;
  /** Time budget of one analysis in ms (checks see it as `ctx.deadline`); default 2000. */
  timeBudgetMs?: number;
  /** Per-document size limit (bytes); default: the settings default (2 MB). */
  maxFileSize?: (uri: string) => number;
  /** Options of the engine's analysis session (model/analysis-session.ts). */
  session?: SessionOptions;
  /**
   * Wall-clock limit of one parse in ms (text/document-store.ts; default PARSE_TIME_LIMIT_MS, the server's, which
   * keeps a keystroke from waiting on a pathological parse). A batch run (the CLI) gives a much larger one.
   */
  parseTimeLimitMs?: number;
}

export interface AnalyzeOptions {
  /** Extra cancellation signal, e.g. "a newer version arrived". */
  isCancelled?: () => boolean;
  /**
   * Analyse only the definition units that meet these rows (CheckContext.rows): a first screen of a large document,
   * or a slice of it; their results are cached per definition like those of a full analysis, so a full analysis
   * afterwards only walks the rest.
   */
  rows?: RowWindow;
}

function mergeAnnotations(lists: LineAnnotation[][]): LineAnnotation[] {
  // one annotator whose lines are in order, each once (the static annotator's): a copy, in that order
  if (lists.length === 1 && (lists[0] as LineAnnotation[]).every((a, i, all) => i === 0 || (all[i - 1] as LineAnnotation).line < a.line)) {
    return (lists[0] as LineAnnotation[]).map((a) => ({ line: a.line, score: a.score, reasons: [...a.reasons] }));
  }
  const byLine = new Map<number, LineAnnotation>();
  for (const list of lists) {
    for (const a of list) {
      const cur = byLine.get(a.line);
      if (cur) {
        cur.score += a.score;
        cur.reasons.push(...a.reasons);
      } else {
        byLine.set(a.line, { line: a.line, score: a.score, reasons: [...a.reasons] });
      }
    }
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

export class Engine {
  private readonly store: DocumentStore;
  private readonly checks: readonly DocumentCheck[];
  private readonly annotators: readonly LineAnnotator[];
  private readonly log: (message: string) => void;
  private readonly timeBudgetMs: number;
  /**
   * What the analysis keeps between documents and versions (resolvers, .pxd caches, the Python environment, the
   * per-document caches of the model and the checks): this engine's alone.
   */
  readonly session: AnalysisSession;
  /** Python files (.py): whether each open one is in pure Python mode, by the version it was decided for. */
  private readonly pythonSelection = new Map<string, { version: number; analysed: boolean }>();
  /** Per open document, its units' texts of the last analysed version (unit-texts.ts). */
  private readonly unitTexts = new Map<string, UnitTexts>();

  private constructor(parser: Parser, options: EngineOptions) {
    this.log = options.log ?? ((m) => process.stderr.write(`${m}\n`));
    this.store = new DocumentStore(parser, { ...(options.maxFileSize ? { maxFileSize: options.maxFileSize } : {}), log: this.log,
      ...(options.parseTimeLimitMs !== undefined ? { parseTimeLimitMs: options.parseTimeLimitMs } : {}) });
    this.checks = options.checks;
    this.annotators = options.annotators;
    this.timeBudgetMs = options.timeBudgetMs ?? 2000;
    this.session = new AnalysisSession(options.session);
  }

  /** Loads the grammar (once per process) and returns a ready engine. */
  static async create(options: EngineOptions): Promise<Engine> {
    return new Engine(await createParser(), options);
  }

  /**
   * Parses a sample of Cython so that the parser's WebAssembly is optimised before the first real document
   * (tree/warm-up.ts); for a server, while it waits anyway. Never throws.
   */
  async warmUp(): Promise<void> {
    try {
      await warmUpParser();
    } catch (err) {
      this.log(`[warn] parser warm-up: ${String(err)}`);
    }
  }

  open(uri: string, text: string, version = 0, languageId = 'cython'): ParsedDocument {
    this.unitTexts.delete(uri); // a new document: its text generations start again
    return this.store.open(uri, languageId, version, text);
  }

  /** Applies LSP content changes; false if the document is not open. */
  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): boolean {
    return this.store.change(uri, version, changes) !== undefined;
  }

  /** Closes a document and drops everything cached for it (model, per-definition caches of checks). */
  close(uri: string): void {
    this.store.close(uri);
    this.pythonSelection.delete(uri);
    this.resetCaches(uri);
  }

  /**
   * Drops what was cached for an open document (its model, the checks' per-definition results) and keeps the
   * document and its tree: its next analysis starts from scratch (tests compare it with an incremental one).
   */
  resetCaches(uri: string): void {
    this.unitTexts.delete(uri);
    this.session.forget(uri);
    for (const check of this.checks) check.forget?.(uri);
    for (const annotator of this.annotators) annotator.forget?.(uri);
  }

  /** An open document we analyse (a plain Python file, open or not, is none of ours: undefined). */
  document(uri: string): ParsedDocument | undefined {
    const doc = this.store.get(uri);
    return doc && this.analysed(doc) ? doc : undefined;
  }

  /**
   * Is this open document ours? Cython sources always; a `.py` file only in pure Python mode (it imports `cython`,
   * or a same-named `.pxd` is beside it: model/pure-python-mode.ts). Decided once per version from the text alone,
   * before anything is parsed, so that a plain Python file costs no parse and no analysis.
   */
  isAnalysed(uri: string): boolean {
    const doc = this.store.get(uri);
    return doc !== undefined && this.analysed(doc);
  }

  private analysed(doc: ParsedDocument): boolean {
    if (!isPythonSourcePath(doc.uri)) return true;
    const known = this.pythonSelection.get(doc.uri);
    if (known && known.version === doc.version) return known.analysed;
    const file = uriToPath(doc.uri) ?? doc.uri;
    const analysed = isAnalysedSource(file, doc.text, (pxd) => {
      try {
        return fs.statSync(pxd).isFile();
      } catch {
        return false;
      }
    });
    this.pythonSelection.set(doc.uri, { version: doc.version, analysed });
    return analysed;
  }

  /** The wall-clock limit of one parse in ms (EngineOptions.parseTimeLimitMs). */
  get parseTimeLimitMs(): number {
    return this.store.parseTimeLimitMs;
  }

  /** How the open documents' trees were produced (tests count the parses a document cost). */
  get parseStats(): Readonly<ParseStats> {
    return this.store.stats;
  }

  openUris(): string[] {
    return this.store.uris();
  }

  /**
   * True when the document's tree is an incremental re-parse with syntax errors, which a fresh parse might place
   * differently (text/document-store.ts): `settle` makes it canonical.
   */
  needsSettling(uri: string): boolean {
    return this.store.needsSettling(uri);
  }

  /** Re-parses an unsettled document from scratch; true when its tree was replaced (analyse it again). */
  settle(uri: string): boolean {
    return this.store.settle(uri);
  }

  /** Re-applies the size limit (e.g. after cythonLens.maxFileSize changed). */
  revalidate(uri: string): void {
    this.store.revalidate(uri);
  }

  dispose(): void {
    this.store.dispose();
    this.session.dispose();
  }

  /** Runs every check on the document; undefined if it is not open. */
  analyze(uri: string, settings: CythonLensSettings = defaultSettings(), options: AnalyzeOptions = {}): AnalysisReport | undefined {
    const doc = this.store.get(uri);
    if (!doc) return undefined;
    const base = { uri, version: doc.version };
    // A plain Python file: nothing from us, and nothing parsed.
    if (!this.analysed(doc)) return { ...base, diagnostics: [], annotations: [], status: { uri, state: 'ok' } };
    if (doc.skipped || !doc.tree) {
      const message = doc.skipped?.message ?? 'Cython Lens: file not analysed.';
      const info: Diagnostic = {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: defaultSeverity(SKIPPED_CODE),
        code: SKIPPED_CODE,
        source: DIAGNOSTIC_SOURCE,
        message,
      };
      return { ...base, diagnostics: [info], annotations: [], status: { uri, state: 'skipped', message } };
    }
    if (settings.excludedBy) { // the project's [tool.cython-lens] exclude: not analysed, nothing shown
      const message = `Cython Lens: not analysed, ${settings.excludedBy}.`;
      return { ...base, diagnostics: [], annotations: [], status: { uri, state: 'skipped', message } };
    }
    const treeDoc = doc as TreeDocument;
    this.session.analyses++;
    let texts = this.unitTexts.get(uri);
    if (!texts) {
      texts = new UnitTexts();
      this.unitTexts.set(uri, texts);
    }
    texts.share(treeDoc, treeDoc.tree.rootNode, this.session.splitClasses);
    const deadline = Date.now() + this.timeBudgetMs;
    const problems: string[] = [];
    const ctx: CheckContext = {
      session: this.session,
      settings,
      deadline,
      isCancelled: () => Date.now() > deadline || (options.isCancelled?.() ?? false),
      log: this.log,
      problem: (message) => {
        if (!problems.includes(message)) problems.push(message);
      },
      ...(options.rows ? { rows: options.rows } : {}),
    };
    const diagnostics: Diagnostic[] = [];
    const annotationLists: LineAnnotation[][] = [];
    let current = '';
    // Code nested thousands of levels deep (generated, or a fuzzer's) overflows the stack of the recursive walkers;
    // that check is skipped with a note, the others still run (the compiler itself gives up on such code).
    const tooDeep = (id: string, err: unknown): boolean => {
      if (!(err instanceof RangeError) || !/call stack/i.test(err.message)) return false;
      this.log(`[warn] check "${id}" skipped on ${uri} (version ${doc.version}): the code is nested too deeply (${err.message})`);
      diagnostics.push({
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: defaultSeverity(TOO_DEEP_CODE),
        code: TOO_DEEP_CODE,
        source: DIAGNOSTIC_SOURCE,
        message: `Cython Lens: "${id}" skipped, the code is nested too deeply to analyse.`,
      });
      return true;
    };
    try {
      for (const check of this.checks) {
        current = check.id;
        try {
          diagnostics.push(...check.run(treeDoc, ctx));
        } catch (err) {
          if (!tooDeep(check.id, err)) throw err;
        }
      }
      if (settings.annotations.enabled) {
        for (const annotator of this.annotators) {
          current = annotator.id;
          try {
            annotationLists.push(annotator.annotate(treeDoc, ctx));
          } catch (err) {
            if (!tooDeep(annotator.id, err)) throw err;
          }
        }
      }
    } catch (err) {
      this.log(`[error] check "${current}" failed on ${uri} (version ${doc.version}): ${errorText(err)}`);
      const first = err instanceof Error ? err.message : String(err);
      const message = `Cython Lens: internal error in check "${current}" (${first}); diagnostics for this file are hidden until it changes. See the output channel.`;
      return { ...base, diagnostics: [], annotations: [], status: { uri, state: 'error', message } };
    }
    return {
      ...base,
      diagnostics: applySeverityOverrides(diagnostics, settings.severityOverrides),
      annotations: mergeAnnotations(annotationLists),
      status: problems.length > 0 ? { uri, state: 'warning', message: problems.join(' ') } : { uri, state: 'ok' },
      ...(options.rows ? { rows: options.rows } : {}),
    };
  }
}
