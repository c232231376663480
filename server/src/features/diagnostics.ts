/**
 * Debounced per-document analysis and publishing: diagnostics (textDocument/publishDiagnostics),
 * line scores (cythonLens/annotations, through the AnnotationsPublisher) and health (cythonLens/status, sent
 * when it changes). A document's report always replaces the previous one; on an internal error an empty report
 * is sent.
 *
 * The first publication of a large document (just opened) is progressive: the definitions of its first screen are
 * analysed and published first (the scores marked `partial`), then the rest in slices with the event loop free
 * between them (other requests are answered meanwhile; each slice has its own time budget), then the full report,
 * whose per-definition work is then all cached. Later publications (keystrokes) analyse the document in one go.
 */
import type { Connection } from 'vscode-languageserver';
import { STATUS_NOTIFICATION, type CythonLensSettings, type StatusParams } from '../../../shared/src/protocol';
import type { Engine } from '../engine';
import type { AnnotationsPublisher } from './annotations-publisher';

export interface DiagnosticsPublisherOptions {
  connection: Connection;
  engine: Engine;
  annotations: AnnotationsPublisher;
  settings: (uri: string) => Promise<CythonLensSettings>;
  /** Debounce delay in ms (default 40). */
  delayMs?: number;
  /**
   * Pause in typing (ms, default 300) after which a document whose tree is an unsettled incremental re-parse with
   * syntax errors is parsed again from scratch and re-published (text/document-store.ts); 0: before every publish.
   */
  settleDelayMs?: number;
  log: (message: string) => void;
  /**
   * Progressive first publication (see above): for documents of at least `minLines` lines, first `firstRows` rows,
   * then slices of `sliceRows` rows. Default { minLines: 1000, firstRows: 100, sliceRows: 500 }; false: off.
   */
  progressive?: ProgressiveOptions | false;
  /**
   * The discovery of the Python environment a document's analysis needs, when it is under way (undefined: known, or
   * not needed). A document's first publication waits for it (asynchronously, at most `environmentWaitMs`), so that
   * the first report already resolves the cimports of Cython's includes and installed packages instead of being
   * replaced by another once the environment arrives.
   */
  environment?: (uri: string, settings: CythonLensSettings) => Promise<unknown> | undefined;
  /** The longest a first publication waits for the environment (ms, default 2000); then published without it. */
  environmentWaitMs?: number;
}

export interface ProgressiveOptions {
  minLines: number;
  firstRows: number;
  sliceRows: number;
}

const DEFAULT_PROGRESSIVE: ProgressiveOptions = { minLines: 1000, firstRows: 100, sliceRows: 500 };

/** Lets the event loop run (pending requests and notifications) before the next slice of an analysis. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastStatus = new Map<string, string>();
  /** The messages of 'warning' statuses logged already (a missing data file): each is logged once. */
  private readonly loggedWarnings = new Set<string>();
  /** Settings object last used to apply the size limit, per document. */
  private readonly limitSettings = new Map<string, CythonLensSettings>();
  private readonly delayMs: number;
  private readonly settleDelayMs: number;
  private readonly settleTimers = new Map<string, NodeJS.Timeout>();
  /** Documents with a full report published since they were opened (later publications are not progressive). */
  private readonly published = new Set<string>();
  private readonly progressive: ProgressiveOptions | undefined;
  /** Publications under way (an analysis in slices spans several event-loop turns). */
  private running = 0;
  /** The Python environment each document was last analysed with (see `scheduleStale`). */
  private readonly analysedWith = new Map<string, unknown>();

  constructor(private readonly options: DiagnosticsPublisherOptions) {
    this.delayMs = options.delayMs ?? 40;
    this.settleDelayMs = options.settleDelayMs ?? 300;
    this.progressive = options.progressive === false ? undefined : options.progressive ?? DEFAULT_PROGRESSIVE;
  }

  /** (Re)starts the debounce timer of a document (`delayMs`: this time only, e.g. 0 for a document just opened). */
  schedule(uri: string, delayMs = this.delayMs): void {
    const existing = this.timers.get(uri);
    if (existing) clearTimeout(existing);
    this.cancelSettling(uri);
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      this.publishLogged(uri);
    }, delayMs);
    this.timers.set(uri, timer);
  }

  /** Whether a publication is scheduled or under way (background work such as .pxd warming waits for none). */
  get busy(): boolean {
    return this.running > 0 || this.timers.size > 0 || this.settleTimers.size > 0;
  }

  scheduleAll(): void {
    for (const uri of this.options.engine.openUris()) this.schedule(uri);
  }

  /**
   * The Python environment changed: the documents analysed (or being analysed) with another one are published
   * again; those not analysed yet (a first publication that waited for it) will be analysed with it anyway.
   */
  scheduleStale(): void {
    const env = this.options.engine.session.pythonEnvironment;
    for (const uri of this.options.engine.openUris()) {
      if (this.analysedWith.has(uri) && this.analysedWith.get(uri) !== env) this.schedule(uri);
    }
  }

  /** Document closed: stop pending work and clear what was shown for it. */
  clear(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
    this.cancelSettling(uri);
    this.lastStatus.delete(uri);
    this.limitSettings.delete(uri);
    this.published.delete(uri);
    this.analysedWith.delete(uri);
    const failed = (err: unknown): void => this.options.log(`[warn] clearing ${uri}: ${String(err)}`);
    this.options.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(failed);
    this.options.annotations.clear(uri).catch(failed);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const timer of this.settleTimers.values()) clearTimeout(timer);
    this.settleTimers.clear();
  }

  private cancelSettling(uri: string): void {
    const timer = this.settleTimers.get(uri);
    if (timer) clearTimeout(timer);
    this.settleTimers.delete(uri);
  }

  /** Once typing pauses, a broken incremental tree is re-parsed from scratch and the document published again. */
  private scheduleSettling(uri: string, version: number): void {
    this.cancelSettling(uri);
    const timer = setTimeout(() => {
      this.settleTimers.delete(uri);
      const { engine } = this.options;
      if (engine.document(uri)?.version !== version || this.timers.has(uri)) return;
      if (!engine.settle(uri)) return;
      this.publishLogged(uri);
    }, this.settleDelayMs);
    this.settleTimers.set(uri, timer);
  }

  /** Publishes from a timer: a failure is logged, never thrown. */
  private publishLogged(uri: string): void {
    this.running++;
    this.publish(uri).catch((err: unknown) => {
      try {
        this.options.log(`[error] publishing ${uri}: ${String(err)}`);
      } catch {
        // the connection is gone
      }
    }).finally(() => this.running--);
  }

  private async publish(uri: string): Promise<void> {
    const { engine, connection } = this.options;
    const scheduledVersion = engine.document(uri)?.version;
    if (scheduledVersion === undefined) return;
    const settings = await this.options.settings(uri);
    if (!this.published.has(uri)) await this.environmentFor(uri, settings);
    const doc = engine.document(uri);
    // Closed meanwhile, or edited (a newer timer will publish the newer version).
    if (!doc || doc.version !== scheduledVersion || this.timers.has(uri)) return;
    if (this.limitSettings.get(uri) !== settings) {
      this.limitSettings.set(uri, settings);
      engine.revalidate(uri);
    }
    if (this.settleDelayMs === 0) engine.settle(uri);
    this.analysedWith.set(uri, engine.session.pythonEnvironment);
    if (!this.published.has(uri) && !await this.publishProgressively(uri, doc.version, settings)) return;
    const report = engine.analyze(uri, settings, { isCancelled: () => this.timers.has(uri) });
    if (!report) return;
    this.published.add(uri);
    if (engine.needsSettling(uri)) this.scheduleSettling(uri, report.version);
    await connection.sendDiagnostics({ uri, version: report.version, diagnostics: report.diagnostics });

    await this.options.annotations.publish(report, settings);

    const status: StatusParams = report.status;
    if (status.state === 'warning' && status.message && !this.loggedWarnings.has(status.message)) {
      this.loggedWarnings.add(status.message);
      this.options.log(`[warn] ${status.message}`);
    }
    const key = `${status.state}:${status.message ?? ''}`;
    if (this.lastStatus.get(uri) !== key && !(status.state === 'ok' && !this.lastStatus.has(uri))) {
      await connection.sendNotification(STATUS_NOTIFICATION, status);
    }
    this.lastStatus.set(uri, key);
  }

  /** Waits for the environment discovery a document's first analysis needs, if under way (bounded; never throws). */
  private async environmentFor(uri: string, settings: CythonLensSettings): Promise<void> {
    let pending: Promise<unknown> | undefined;
    try {
      pending = this.options.environment?.(uri, settings);
    } catch (err) {
      this.options.log(`[warn] Python environment for ${uri}: ${String(err)}`);
    }
    if (!pending) return;
    // the document is parsed now, while the interpreter answers, instead of after (its settings are known: the size
    // limit applied is theirs)
    const { engine } = this.options;
    if (this.limitSettings.get(uri) !== settings) {
      this.limitSettings.set(uri, settings);
      engine.revalidate(uri);
    }
    void engine.document(uri)?.tree;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => { timer = setTimeout(resolve, this.options.environmentWaitMs ?? 2000); });
    await Promise.race([pending.then(() => undefined, () => undefined), waited]);
    clearTimeout(timer);
  }

  /**
   * The first screen of a large document published, then the rest analysed slice by slice (results cached per
   * definition for the full analysis that follows). False when the document changed or closed meanwhile (a newer
   * timer publishes it) or the first screen's analysis failed (published as such).
   */
  private async publishProgressively(uri: string, version: number, settings: CythonLensSettings): Promise<boolean> {
    const { engine, connection } = this.options;
    const p = this.progressive;
    const lastRow = engine.document(uri)?.tree?.rootNode.endPosition.row ?? 0;
    if (!p || lastRow + 1 < p.minLines) return true;
    const stale = (): boolean => this.timers.has(uri) || engine.document(uri)?.version !== version;
    const first = engine.analyze(uri, settings, { isCancelled: stale, rows: { first: 0, last: p.firstRows - 1 } });
    if (!first || stale()) return false;
    await connection.sendDiagnostics({ uri, version: first.version, diagnostics: first.diagnostics });
    await this.options.annotations.publish(first, settings);
    if (first.status.state !== 'ok') return true; // the full analysis reports it (and its status)
    for (let start = p.firstRows; start <= lastRow; start += p.sliceRows) {
      await yieldToEventLoop();
      if (stale()) return false;
      engine.analyze(uri, settings, { isCancelled: stale, rows: { first: start, last: start + p.sliceRows - 1 } });
    }
    await yieldToEventLoop();
    return !stale();
  }
}
