/**
 * Debounced per-document analysis and publishing: diagnostics (textDocument/publishDiagnostics),
 * line scores (cythonLens/annotations, through the AnnotationsPublisher) and health (cythonLens/status, sent
 * when it changes). A document's report always replaces the previous one; on an internal error an empty report
 * is sent.
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
  log: (message: string) => void;
}

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastStatus = new Map<string, string>();
  /** Settings object last used to apply the size limit, per document. */
  private readonly limitSettings = new Map<string, CythonLensSettings>();
  private readonly delayMs: number;

  constructor(private readonly options: DiagnosticsPublisherOptions) {
    this.delayMs = options.delayMs ?? 40;
  }

  /** (Re)starts the debounce timer of a document. */
  schedule(uri: string): void {
    const existing = this.timers.get(uri);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      this.publish(uri).catch((err: unknown) => {
        try {
          this.options.log(`[error] publishing ${uri}: ${String(err)}`);
        } catch {
          // the connection is gone
        }
      });
    }, this.delayMs);
    this.timers.set(uri, timer);
  }

  scheduleAll(): void {
    for (const uri of this.options.engine.openUris()) this.schedule(uri);
  }

  /** Document closed: stop pending work and clear what was shown for it. */
  clear(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
    this.lastStatus.delete(uri);
    this.limitSettings.delete(uri);
    const failed = (err: unknown): void => this.options.log(`[warn] clearing ${uri}: ${String(err)}`);
    this.options.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(failed);
    this.options.annotations.clear(uri).catch(failed);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async publish(uri: string): Promise<void> {
    const { engine, connection } = this.options;
    const scheduledVersion = engine.document(uri)?.version;
    if (scheduledVersion === undefined) return;
    const settings = await this.options.settings(uri);
    const doc = engine.document(uri);
    // Closed meanwhile, or edited (a newer timer will publish the newer version).
    if (!doc || doc.version !== scheduledVersion || this.timers.has(uri)) return;
    if (this.limitSettings.get(uri) !== settings) {
      this.limitSettings.set(uri, settings);
      engine.revalidate(uri);
    }
    const report = engine.analyze(uri, settings, { isCancelled: () => this.timers.has(uri) });
    if (!report) return;
    await connection.sendDiagnostics({ uri, version: report.version, diagnostics: report.diagnostics });

    await this.options.annotations.publish(report, settings);

    const status: StatusParams = report.status;
    const key = `${status.state}:${status.message ?? ''}`;
    if (this.lastStatus.get(uri) !== key && !(status.state === 'ok' && !this.lastStatus.has(uri))) {
      await connection.sendNotification(STATUS_NOTIFICATION, status);
    }
    this.lastStatus.set(uri, key);
  }
}
