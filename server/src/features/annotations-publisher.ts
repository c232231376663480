/**
 * Publishes `cythonLens/annotations` for an analysis report, versioned with the document so that a client never
 * paints scores on the wrong lines: the estimate of the report's version, or, when exact mode compiled exactly
 * that version, the compiler's own scores. An empty notification clears what a document showed before.
 *
 * Wiring (server.ts / DiagnosticsPublisher): after each `engine.analyze`, call `publish(report, settings)`; on
 * close call `clear(uri)`; when exact mode finishes a run for the current version, call `publish` again.
 */
import type { Connection } from 'vscode-languageserver';
import {
  ANNOTATIONS_NOTIFICATION,
  type AnnotationsParams,
  type CythonLensSettings,
  type LineAnnotation,
} from '../../../shared/src/protocol';

export interface AnnotatedReport {
  uri: string;
  version: number;
  annotations: LineAnnotation[];
  /** Set on a report of some rows only (engine AnalyzeOptions.rows): published as `partial`. */
  rows?: unknown;
}

export type ExactScores = (uri: string, version: number) => LineAnnotation[] | undefined;

export class AnnotationsPublisher {
  private readonly shown = new Set<string>();
  private readonly last = new Map<string, AnnotationsParams>();

  constructor(private readonly connection: Pick<Connection, 'sendNotification'>, private readonly exact?: ExactScores) {}

  /** The lines to show for a report (exact scores take precedence when they are for this very version). */
  linesFor(report: AnnotatedReport, settings: CythonLensSettings): LineAnnotation[] {
    if (!settings.annotations.enabled) return [];
    return this.exact?.(report.uri, report.version) ?? report.annotations;
  }

  async publish(report: AnnotatedReport, settings: CythonLensSettings): Promise<void> {
    const lines = this.linesFor(report, settings);
    if (lines.length === 0 && !this.shown.has(report.uri)) return;
    const params: AnnotationsParams = { uri: report.uri, version: report.version, lines, ...(report.rows ? { partial: true } : {}) };
    this.last.set(report.uri, params);
    if (lines.length > 0) this.shown.add(report.uri);
    else this.shown.delete(report.uri);
    await this.connection.sendNotification(ANNOTATIONS_NOTIFICATION, params);
  }

  /** The last notification sent for a document (e.g. for a server-side hover). */
  lastSent(uri: string): AnnotationsParams | undefined {
    return this.last.get(uri);
  }

  async clear(uri: string): Promise<void> {
    this.last.delete(uri);
    if (!this.shown.delete(uri)) return;
    const params: AnnotationsParams = { uri, version: 0, lines: [] };
    await this.connection.sendNotification(ANNOTATIONS_NOTIFICATION, params);
  }
}
