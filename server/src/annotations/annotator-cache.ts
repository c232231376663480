/**
 * The annotator's per-document caches of the costs of each top-level statement (engine/definition-cache.ts: keyed
 * by the statement's text, valid while the module-level names it looked up denote the same things). Costs are
 * stored relative to the statement's first line, so definitions that merely moved are reused.
 */
import { DefinitionCache } from '../engine/definition-cache';
import type { LineCost } from './line-costs';

/** The annotator's caches: one per-definition cache (engine/definition-cache.ts) and one doctest memo per document. */
export class AnnotatorCache {
  private readonly documents = new Map<string, DefinitionCache<LineCost>>();
  private readonly doctests = new Map<string, DoctestMemo>();
  /** Statements served from the cache / walked, over every document (for tests and benchmarks). */
  hits = 0;
  misses = 0;

  forDocument(uri: string): DefinitionCache<LineCost> {
    let c = this.documents.get(uri);
    if (!c) {
      c = new DefinitionCache<LineCost>();
      this.documents.set(uri, c);
    }
    return c;
  }

  /** Doctest counts of a document's top-level statements, by text (module initialisation cost). */
  doctestsOf(uri: string): DoctestMemo {
    let d = this.doctests.get(uri);
    if (!d) {
      d = new DoctestMemo();
      this.doctests.set(uri, d);
    }
    return d;
  }

  forget(uri: string): void {
    this.documents.delete(uri);
    this.doctests.delete(uri);
  }
}

/** Doctest counts of the last run's top-level statements, by text; each run replaces them with its own. */
export class DoctestMemo {
  counts: ReadonlyMap<string, { kind: string; doctests: number }> = new Map();

  replace(next: ReadonlyMap<string, { kind: string; doctests: number }>): void {
    this.counts = next;
  }
}
