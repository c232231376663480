/**
 * One tree per open document, kept in sync INCREMENTALLY: every LSP content change becomes a tree-sitter
 * `Edit` (UTF-16 offsets and '\n'-based points, see newline-index.ts) applied at once with `tree.edit()`;
 * the re-parse (with the edited tree as old tree) happens lazily, the first time the tree is read after a
 * batch of changes (i.e. once per debounced analysis, not per keystroke).
 *
 * Canonical trees: tree-sitter's error recovery can place ERROR/MISSING nodes differently in an incremental
 * re-parse than in a fresh parse of the same text (reproducible with tree-sitter-python itself). So that
 * diagnostics never depend on edit history (editor == CLI == reopened file), a re-parse whose result has errors
 * leaves the document "unsettled" (documents up to FRESH_REPARSE_LIMIT code units): `settle()` redoes it from
 * scratch. The server settles a document once typing pauses (features/diagnostics.ts), so a keystroke is answered
 * from the incremental tree (a fresh parse of broken code costs 10-100x more) and the report users are left with
 * comes from the canonical tree. Error-free results (the common case while typing valid code) are canonical as
 * they are.
 */
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { Parser, type Edit, type Tree } from 'web-tree-sitter';
import { DEFAULT_SETTINGS } from '../../../shared/src/protocol';
import { NewlineIndex, advancePoint } from './newline-index';
import type { ParsedDocument, SkipReason } from './parsed-document';

export type { TextDocumentContentChangeEvent };

/**
 * Above this size (UTF-16 code units, ~2.5k lines) a broken incremental result is kept as is: a fresh parse
 * costs ~40 ms there (measured: 5.4k-line sklearn _dist_metrics.pyx, ~90 ms fresh vs < 1 ms incremental).
 */
export const FRESH_REPARSE_LIMIT = 100_000;

/**
 * A parse that takes longer than this is abandoned (the document gets a "not analysed" note until its next change).
 * Tree-sitter's error recovery is quadratic when an unclosed bracket precedes tens of thousands of statements
 * (measured: one '(' typed in the middle of a 100k-line file, ~40 s in ts_parser__recover), which would freeze the
 * server; typical parses of a 1 MB file take well under a second.
 */
export const PARSE_TIME_LIMIT_MS = 4000;

/** Changes of a document's text kept for ParsedDocument.unchangedSince (a reader further behind knows nothing). */
const MAX_RECORDED_CHANGES = 64;

export interface DocumentStoreOptions {
  /** Size limit in UTF-8 bytes for a document (per resource); default 2 MB. */
  maxFileSize?: (uri: string) => number;
  /** Where a parser failure (WASM trap, out of memory) and the parser restart are reported. */
  log?: (message: string) => void;
  /** Parse time limit in ms (default PARSE_TIME_LIMIT_MS). */
  parseTimeLimitMs?: number;
}

/** How the trees were produced (for tests and tracing). */
export interface ParseStats {
  /** Parses that reused the previous tree and were kept. */
  incremental: number;
  /** Parses from scratch: first parses, full-text changes, and canonical re-parses of broken results. */
  fresh: number;
  /** Incremental results with errors that were replaced by a fresh parse. */
  canonicalized: number;
  /** Times the parser threw (WASM trap, out of memory) and was replaced by a new one. */
  restarts: number;
}

const CR = 13;
const LF = 10;

/** True when replacing [start, end) by `inserted` makes a '\r' and a '\n' adjacent that were not. */
function joinsCrLf(text: string, start: number, end: number, inserted: string): boolean {
  const before = text.charCodeAt(start - 1);
  const after = text.charCodeAt(end);
  const first = inserted.length > 0 ? inserted.charCodeAt(0) : after;
  const last = inserted.length > 0 ? inserted.charCodeAt(inserted.length - 1) : before;
  return (before === CR && first === LF) || (last === CR && after === LF);
}

function countNuls(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\0'); i !== -1; i = text.indexOf('\0', i + 1)) n++;
  return n;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

class DocumentState implements ParsedDocument {
  private currentTree: Tree | undefined;
  private currentSkip: SkipReason | undefined;
  /** True while edits were applied to `currentTree` (or the text changed) without a re-parse. */
  private stale = true;
  /** The current tree came from an incremental re-parse and has errors: a fresh parse may place them elsewhere. */
  unsettled = false;
  newlines: NewlineIndex;
  /** See ParsedDocument.textGeneration. */
  textGeneration = 0;
  /**
   * The changes from generation `changesBase` on, one entry per generation: the prefix and suffix lengths the text
   * before it shares with the text after it, and the length before (a full-text change empties the list).
   */
  private changes: { prefix: number; suffix: number; oldLength: number }[] = [];
  private changesBase = 0;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    public textDocument: TextDocument,
    private readonly store: DocumentStore,
  ) {
    this.newlines = new NewlineIndex(textDocument.getText());
  }

  get version(): number {
    return this.textDocument.version;
  }

  get text(): string {
    return this.textDocument.getText();
  }

  get tree(): Tree | undefined {
    this.refresh();
    return this.currentTree;
  }

  get skipped(): SkipReason | undefined {
    this.refresh();
    return this.currentSkip;
  }

  /**
   * The text's UTF-8 length (the size limit's measure), kept across edits: an edit adds its inserted text's length and
   * takes away the removed text's, when no surrogate is at either end of the edit (a pair split or joined by the edit
   * changes its neighbours' lengths); otherwise it is measured again.
   */
  utf8Length(): number {
    return (this.bytes ??= Buffer.byteLength(this.text, 'utf8'));
  }

  private bytes: number | undefined;

  /** Whether the text holds a NUL character (a binary file), kept across edits as a count. */
  hasNul(): boolean {
    return (this.nuls ??= countNuls(this.text)) > 0;
  }

  private nuls: number | undefined;

  /** Updates the UTF-8 length and the NUL count for replacing [start, oldEnd) of `old` by `inserted` (before the text changes). */
  private countBytes(old: string, start: number, oldEnd: number, inserted: string): void {
    if (this.nuls !== undefined) this.nuls += countNuls(inserted) - countNuls(old.slice(start, oldEnd));
    if (this.bytes === undefined) return;
    const surrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdfff;
    if (surrogate(old.charCodeAt(start - 1)) || surrogate(old.charCodeAt(start)) || surrogate(old.charCodeAt(oldEnd - 1))
      || surrogate(old.charCodeAt(oldEnd)) || surrogate(inserted.charCodeAt(0)) || surrogate(inserted.charCodeAt(inserted.length - 1))) {
      this.bytes = undefined;
      return;
    }
    this.bytes += Buffer.byteLength(inserted, 'utf8') - Buffer.byteLength(old.slice(start, oldEnd), 'utf8');
  }

  /** Records a change of [start, oldEnd) of a text of `oldLength` code units (undefined: the whole text replaced). */
  recordChange(change: { start: number; oldEnd: number; inserted: string } | undefined): void {
    this.textGeneration++;
    if (!change) {
      this.bytes = undefined;
      this.nuls = undefined;
      this.changes = [];
      this.changesBase = this.textGeneration;
      return;
    }
    const old = this.text;
    this.countBytes(old, change.start, change.oldEnd, change.inserted);
    this.changes.push({ prefix: change.start, suffix: old.length - change.oldEnd, oldLength: old.length });
    if (this.changes.length > MAX_RECORDED_CHANGES) {
      this.changes.shift();
      this.changesBase++;
    }
  }

  unchangedSince(generation: number): { prefix: number; suffix: number; oldLength: number } | undefined {
    if (generation < this.changesBase || generation > this.textGeneration) return undefined;
    const length = this.text.length;
    if (generation === this.textGeneration) return { prefix: length, suffix: length, oldLength: length };
    // texts t0 .. tn, each sharing a prefix and a suffix with the next: t0 and tn share the smallest of each
    const first = this.changes[generation - this.changesBase]!;
    let prefix = first.prefix;
    let suffix = first.suffix;
    for (let g = generation + 1; g < this.textGeneration; g++) {
      const c = this.changes[g - this.changesBase]!;
      prefix = Math.min(prefix, c.prefix);
      suffix = Math.min(suffix, c.suffix);
    }
    return { prefix, suffix, oldLength: first.oldLength };
  }

  /** Applies an edit to the (possibly not yet re-parsed) tree; the text is updated by the caller. */
  editTree(edit: Edit): void {
    this.currentTree?.edit(edit);
    this.stale = true;
  }

  markStale(dropTree: boolean): void {
    if (dropTree) this.dropTree();
    this.stale = true;
  }

  dropTree(): void {
    this.currentTree?.delete();
    this.currentTree = undefined;
  }

  /** Replaces an unsettled tree by a fresh parse of the same text; true when it did. */
  settle(): boolean {
    this.refresh();
    if (!this.unsettled || !this.currentTree) return false;
    this.unsettled = false;
    const fresh = this.store.freshParse(this);
    if (!fresh) return false; // over the time limit: the incremental tree stays
    this.currentTree.delete();
    this.currentTree = fresh;
    return true;
  }

  private refresh(): void {
    if (!this.stale) return;
    this.stale = false;
    const result = this.store.parse(this, this.currentTree);
    this.currentTree = result.tree;
    this.currentSkip = result.skipped;
    this.unsettled = result.unsettled;
  }
}

export class DocumentStore {
  private readonly docs = new Map<string, DocumentState>();
  private readonly maxFileSize: (uri: string) => number;
  private readonly log: (message: string) => void;
  /** Wall-clock limit of one parse in ms (abandoned beyond it: "not analysed"). */
  readonly parseTimeLimitMs: number;
  readonly stats: ParseStats = { incremental: 0, fresh: 0, canonicalized: 0, restarts: 0 };

  constructor(
    private parser: Parser,
    options: DocumentStoreOptions = {},
  ) {
    this.maxFileSize = options.maxFileSize ?? (() => DEFAULT_SETTINGS.maxFileSize);
    this.log = options.log ?? (() => undefined);
    this.parseTimeLimitMs = options.parseTimeLimitMs ?? PARSE_TIME_LIMIT_MS;
  }

  /** Parses within the time limit; null when the parse was abandoned (the parser is reset for the next one). */
  private timedParse(text: string, previous: Tree | undefined): Tree | null {
    const deadline = Date.now() + this.parseTimeLimitMs;
    const tree = this.parser.parse(text, previous ?? null, { progressCallback: () => Date.now() > deadline });
    if (!tree) this.parser.reset();
    return tree;
  }

  get(uri: string): ParsedDocument | undefined {
    return this.docs.get(uri);
  }

  has(uri: string): boolean {
    return this.docs.has(uri);
  }

  uris(): string[] {
    return [...this.docs.keys()];
  }

  open(uri: string, languageId: string, version: number, text: string): ParsedDocument {
    this.close(uri);
    const state = new DocumentState(uri, languageId, TextDocument.create(uri, languageId, version, text), this);
    this.docs.set(uri, state);
    return state;
  }

  /**
   * Applies LSP content changes (incremental ones with `range`, or full-text ones) in order.
   * Returns undefined for a document that is not open.
   */
  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): ParsedDocument | undefined {
    const state = this.docs.get(uri);
    if (!state) return undefined;
    for (const change of changes) {
      if ('range' in change && change.range) {
        const td = state.textDocument;
        let start = td.offsetAt(change.range.start);
        let oldEnd = td.offsetAt(change.range.end);
        if (oldEnd < start) [start, oldEnd] = [oldEnd, start];
        state.recordChange({ start, oldEnd, inserted: change.text });
        const startPosition = state.newlines.pointAt(start);
        state.editTree({
          startIndex: start,
          oldEndIndex: oldEnd,
          newEndIndex: start + change.text.length,
          startPosition,
          oldEndPosition: state.newlines.pointAt(oldEnd),
          newEndPosition: advancePoint(startPosition, change.text),
        });
        state.newlines.replace(start, oldEnd, change.text);
        if (joinsCrLf(td.getText(), start, oldEnd, change.text)) {
          // TextDocument's incremental line table miscounts when an edit glues '\r' and '\n' into one
          // line break; rebuild it from the text in that (rare) case.
          const old = td.getText();
          const text = old.slice(0, start) + change.text + old.slice(oldEnd);
          state.textDocument = TextDocument.create(uri, state.languageId, version, text);
        } else {
          // Apply the same (normalised) range so the text and the tree edit cannot disagree.
          const range = { start: td.positionAt(start), end: td.positionAt(oldEnd) };
          state.textDocument = TextDocument.update(td, [{ range, text: change.text }], version);
        }
      } else {
        state.recordChange(undefined);
        state.markStale(true);
        state.textDocument = TextDocument.update(state.textDocument, [{ text: change.text }], version);
        state.newlines = new NewlineIndex(change.text);
      }
    }
    if (changes.length === 0) {
      state.textDocument = TextDocument.update(state.textDocument, [], version);
    }
    state.markStale(false);
    return state;
  }

  close(uri: string): void {
    const state = this.docs.get(uri);
    if (!state) return;
    state.dropTree();
    this.docs.delete(uri);
  }

  /** Re-applies the size limit (after a settings change); the next read parses or drops the tree as needed. */
  revalidate(uri: string): ParsedDocument | undefined {
    const state = this.docs.get(uri);
    if (!state) return undefined;
    state.markStale(false);
    return state;
  }

  dispose(): void {
    for (const uri of this.uris()) this.close(uri);
  }

  private skipReason(state: DocumentState): SkipReason | undefined {
    const text = state.text;
    const limit = this.maxFileSize(state.uri);
    if (text.length * 3 > limit) {
      const bytes = state.utf8Length();
      if (bytes > limit) {
        return {
          kind: 'too-large',
          message: `Cython Lens: file not analysed, ${formatBytes(bytes)} is over the ${formatBytes(limit)} limit (setting cythonLens.maxFileSize).`,
        };
      }
    }
    if (state.hasNul()) {
      return { kind: 'binary', message: 'Cython Lens: file not analysed, it contains NUL bytes (binary file?).' };
    }
    return undefined;
  }

  /** A fresh parse of the document's text (settling a broken incremental result); null over the time limit. */
  freshParse(state: DocumentState): Tree | null {
    let tree: Tree | null;
    try {
      tree = this.timedParse(state.text, undefined);
    } catch (err) {
      // a WASM trap: keep the incremental tree; the next change parses with a restarted parser
      this.log(`[warn] settling ${state.uri} failed: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
    if (tree) {
      this.stats.canonicalized++;
      this.stats.fresh++;
    }
    return tree;
  }

  /** True when the document's tree is an unsettled incremental result (see settle). */
  needsSettling(uri: string): boolean {
    const state = this.docs.get(uri);
    if (!state) return false;
    void state.tree; // parse pending edits first
    return state.unsettled;
  }

  /**
   * Replaces an unsettled tree (an incremental re-parse with errors) by a fresh parse of the same text, so that the
   * tree no longer depends on the edit history. True when the tree was replaced.
   */
  settle(uri: string): boolean {
    return this.docs.get(uri)?.settle() ?? false;
  }

  /** Produces the document's tree from its (edited) previous tree; the previous tree is consumed. */
  parse(state: DocumentState, previous: Tree | undefined):
    { tree: Tree | undefined; skipped: SkipReason | undefined; unsettled: boolean } {
    const skipped = this.skipReason(state);
    if (skipped) {
      previous?.delete();
      return { tree: undefined, skipped, unsettled: false };
    }
    const text = state.text;
    let tree: Tree | null;
    let restarted = false;
    try {
      tree = this.timedParse(text, previous);
    } catch (err) {
      // A WASM trap or out of memory inside tree-sitter: the parser (and the old tree) cannot be trusted any more.
      // Parse again from scratch with a new parser; the document's text is untouched either way.
      restarted = true;
      tree = this.restartAndParse(state, err);
    } finally {
      try {
        previous?.delete();
      } catch {
        // the old tree's memory went with the failed parser
      }
    }
    let unsettled = false;
    if (tree && previous && !restarted) {
      this.stats.incremental++;
      unsettled = tree.rootNode.hasError && text.length <= FRESH_REPARSE_LIMIT;
    } else if (tree && !restarted) {
      this.stats.fresh++;
    }
    if (!tree) {
      const message = `Cython Lens: file not analysed, parsing it took longer than ${this.parseTimeLimitMs / 1000} s `
        + '(an unclosed bracket before very many lines?); it is parsed again at the next change.';
      this.log(`[warn] ${state.uri} (version ${state.version}): parse abandoned after ${this.parseTimeLimitMs} ms`);
      return { tree: undefined, skipped: { kind: 'parse-failed', message }, unsettled: false };
    }
    return { tree, skipped: undefined, unsettled };
  }

  /** Replaces the parser after it threw, and parses `state` from scratch (null if that fails too). */
  private restartAndParse(state: DocumentState, err: unknown): Tree | null {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    this.stats.restarts++;
    this.log(`[error] tree-sitter failed on ${state.uri} (version ${state.version}): ${reason}; restarting the parser`);
    const language = this.parser.language;
    try {
      this.parser.delete();
    } catch {
      // already unusable
    }
    this.parser = new Parser();
    if (language) this.parser.setLanguage(language);
    try {
      const tree = this.parser.parse(state.text);
      this.stats.fresh++;
      return tree;
    } catch (again) {
      this.log(`[error] tree-sitter failed again on ${state.uri} after the restart: ${again instanceof Error ? again.message : String(again)}`);
      return null;
    }
  }
}
