/**
 * The last `cythonLens/annotations` notification per document, kept only while it describes the document's current
 * version: a notification for another version is ignored, so stale scores never paint the wrong lines.
 */
import type { AnnotationsParams, LineAnnotation } from '../../../shared/src/protocol';

export interface VersionedDocument {
  uri: { toString(): string };
  version: number;
}

export class AnnotationStore {
  private readonly latest = new Map<string, AnnotationsParams>();

  /** Accepts `params` if it is for the document's current version (or clears it, when `lines` is empty). */
  accept(params: AnnotationsParams, current: VersionedDocument | undefined): boolean {
    if (params.lines.length === 0) {
      this.latest.delete(params.uri);
      return true;
    }
    if (!current || current.version !== params.version) return false;
    this.latest.set(params.uri, params);
    return true;
  }

  /** Lines for a document, only if they were computed for its current version. */
  linesFor(doc: VersionedDocument): LineAnnotation[] {
    const p = this.latest.get(doc.uri.toString());
    return p && p.version === doc.version ? p.lines : [];
  }

  lineFor(doc: VersionedDocument, line: number): LineAnnotation | undefined {
    return this.linesFor(doc).find((l) => l.line === line);
  }

  forget(uri: string): void {
    this.latest.delete(uri);
  }
}
