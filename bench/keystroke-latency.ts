/**
 * Keystroke latency: time from an incremental edit to the new version's full report (diagnostics + line scores,
 * what the server publishes), next to tree-sitter's own incremental re-parse of the same edit (the floor) and to
 * the document store alone (edit + re-parse, no checks). The three run interleaved, edit by edit, on the same text.
 */
import { performance } from 'node:perf_hooks';
import type { Parser, Tree } from 'web-tree-sitter';
import { Engine } from '../server/src/engine';
import { analyses } from '../server/src/checks';
import { gilCacheStats } from '../server/src/checks/gil-check';
import { createParser } from '../server/src/tree/language';
import { defaultSettings } from '../server/src/settings/validate-settings';
import type { CythonLensSettings } from '../shared/src/protocol';
import { percentile } from './stats';
import { type TypingMode, typingSession } from './typing';

export interface KeystrokeResult {
  lines: number;
  /** where the typing happens (bench/typing.ts): in bodies, or in headers and module-level declarations */
  mode: TypingMode;
  edits: number;
  /** edit → diagnostics + scores (Engine.change + Engine.analyze with every check and annotator) */
  full: { p50: number; p95: number; mean: number };
  /** edit → tree (document store only) */
  store: { p50: number; p95: number; mean: number };
  /** tree.edit + parser.parse(text, oldTree) + oldTree.delete() on a bare tree-sitter tree */
  reparse: { p50: number; p95: number; mean: number };
  /** full analysis of the unedited text, freshly opened (ms, median of 3) */
  openAnalyze: number;
  rewalkedPerEdit: number;
  /** keystrokes whose text had a syntax error */
  brokenShare: number;
  /**
   * Settling after a pause (at most once per 10 keystrokes here, when the tree is an incremental re-parse with errors): fresh
   * parse + analysis again, what the server does 300 ms after typing stops. Not part of the keystroke figures.
   */
  settle: { p50: number; p95: number; count: number };
}

function summary(values: number[]): { p50: number; p95: number; mean: number } {
  return { p50: percentile(values, 50), p95: percentile(values, 95), mean: values.reduce((a, b) => a + b, 0) / values.length };
}

function pointAt(text: string, offset: number): { row: number; column: number } {
  const before = text.lastIndexOf('\n', offset - 1);
  let row = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) row++;
  return { row, column: offset - before - 1 };
}

export async function keystrokeLatency(text: string, uri: string, edits: number, settings: CythonLensSettings = defaultSettings(),
  python?: string, mode: TypingMode = 'body'): Promise<KeystrokeResult> {
  const lines = text.split('\n').length;
  const full = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 60_000 });
  if (python) await full.session.discover(python);
  const bare = await Engine.create({ log: () => undefined, checks: [], annotators: [] });
  const storeUri = uri.replace(/\.pyx$/, '.store.pyx');
  // cold open + analyze (median of 3), then the editing session on the last one
  const opens: number[] = [];
  for (let i = 0; i < 3; i++) {
    full.close(uri);
    const t0 = performance.now();
    full.open(uri, text, 1);
    full.analyze(uri, settings);
    opens.push(performance.now() - t0);
  }
  // JIT warm-up of the keystroke path (as in a server that has been editing for a while): 60 keystrokes of another
  // typing session on a copy of the document, not measured
  const warmUri = uri.replace(/\.pyx$/, '.warmup.pyx');
  full.open(warmUri, text, 1);
  full.analyze(warmUri, settings);
  let warmVersion = 2;
  for (const k of typingSession(text, 60, 2, mode)) {
    full.change(warmUri, warmVersion++, [k.change]);
    full.analyze(warmUri, settings);
  }
  full.close(warmUri);
  bare.open(storeUri, text, 1);
  void bare.document(storeUri)?.tree;
  const parser: Parser = await createParser();
  let tree: Tree = parser.parse(text) as Tree;
  let current = text;
  const tFull: number[] = [];
  const tStore: number[] = [];
  const tParse: number[] = [];
  const tSettle: number[] = [];
  let settleDue = false;
  let misses = gilCacheStats(full.session, uri)?.misses ?? 0;
  let rewalked = 0;
  let broken = 0;
  let version = 2;
  for (const k of typingSession(text, edits, 1, mode)) {
    const t0 = performance.now();
    full.change(uri, version, [k.change]);
    full.analyze(uri, settings);
    const t1 = performance.now();
    bare.change(storeUri, version, [k.change]);
    if (bare.document(storeUri)?.tree?.rootNode.hasError) broken++;
    const t2 = performance.now();
    const next = current.slice(0, k.offset) + k.inserted + current.slice(k.offset + k.deleted);
    const start = pointAt(current, k.offset);
    const p0 = performance.now();
    tree.edit({
      startIndex: k.offset, oldEndIndex: k.offset + k.deleted, newEndIndex: k.offset + k.inserted.length,
      startPosition: start, oldEndPosition: pointAt(current, k.offset + k.deleted), newEndPosition: pointAt(next, k.offset + k.inserted.length),
    });
    const newTree = parser.parse(next, tree) as Tree;
    tree.delete(); // a consumer that keeps one tree frees the old one (the store does, inside its timing)
    const p1 = performance.now();
    tree = newTree;
    current = next;
    version++;
    tFull.push(t1 - t0);
    tStore.push(t2 - t1);
    tParse.push(p1 - p0);
    if (tFull.length % 10 === 0) settleDue = true;
    if (settleDue && full.needsSettling(uri)) {
      settleDue = false;
      const s0 = performance.now();
      full.settle(uri);
      full.analyze(uri, settings);
      tSettle.push(performance.now() - s0);
    }
    const stats = gilCacheStats(full.session, uri);
    if (stats) {
      rewalked += stats.misses - misses;
      misses = stats.misses;
    }
  }
  if (full.document(uri)?.text !== current) throw new Error('keystroke bench: the engine text diverged from the reference text');
  full.dispose();
  bare.dispose();
  tree.delete();
  parser.delete();
  return {
    lines, mode, edits: tFull.length, full: summary(tFull), store: summary(tStore), reparse: summary(tParse),
    openAnalyze: percentile(opens, 50), rewalkedPerEdit: rewalked / tFull.length, brokenShare: broken / tFull.length,
    settle: { p50: tSettle.length ? percentile(tSettle, 50) : 0, p95: tSettle.length ? percentile(tSettle, 95) : 0, count: tSettle.length },
  };
}
