/**
 * Keystroke latency of the engine on a 2,000-line file: time from an incremental edit to the diagnostics of the
 * new version (re-parse + model + GIL checks + annotations), next to tree-sitter's own incremental re-parse of the
 * same edit (the floor). Prints p50/p95 for both and how many definitions were re-walked per keystroke.
 */
import { performance } from 'node:perf_hooks';
import { Engine, type EngineOptions } from '../server/src/engine';
import { gilCheck } from '../server/src/checks/gil-check';
import { syntaxErrorCheck } from '../server/src/tree/syntax-error-check';
import { gilCacheStats } from '../server/src/checks/gil-check';
import { createParser } from '../server/src/tree/language';
import { defaultSettings } from '../server/src/settings/validate-settings';
import { syntheticModule } from './synthetic-module';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function keystrokeLatency(lines: number, edits = 200, options: EngineOptions = {}): Promise<{
  p50: number; p95: number; parseP50: number; parseP95: number; rewalked: number }> {
  const text = syntheticModule(lines);
  const engine = await Engine.create({ log: () => undefined, timeBudgetMs: 60_000, ...options });
  const uri = `file:///bench-${lines}.pyx`;
  engine.open(uri, text, 1);
  const settings = defaultSettings();
  engine.analyze(uri, settings);
  const parser = await createParser();
  let tree = parser.parse(text)!;
  let current = text;
  const total: number[] = [];
  const parseOnly: number[] = [];
  const lineStarts = text.split('\n');
  let misses = gilCacheStats(uri)?.misses ?? 0;
  let rewalked = 0;
  for (let i = 0; i < edits; i++) {
    // type one character inside a function body, at a pseudo-random line
    const line = 1 + ((i * 7919) % (lineStarts.length - 2));
    const lineText = current.split('\n')[line] ?? '';
    const character = Math.min(lineText.length, 8);
    const t0 = performance.now();
    engine.change(uri, i + 2, [{ range: { start: { line, character }, end: { line, character } }, text: ' ' }]);
    engine.analyze(uri, settings);
    total.push(performance.now() - t0);
    const stats = gilCacheStats(uri);
    if (stats) {
      rewalked += stats.misses - misses;
      misses = stats.misses;
    }
    // the floor: the same edit applied to a bare tree-sitter tree
    const offset = current.split('\n').slice(0, line).reduce((n, l) => n + l.length + 1, 0) + character;
    const next = current.slice(0, offset) + ' ' + current.slice(offset);
    const p0 = performance.now();
    tree.edit({ startIndex: offset, oldEndIndex: offset, newEndIndex: offset + 1,
      startPosition: { row: line, column: character }, oldEndPosition: { row: line, column: character },
      newEndPosition: { row: line, column: character + 1 } });
    const newTree = parser.parse(next, tree)!;
    parseOnly.push(performance.now() - p0);
    tree.delete();
    tree = newTree;
    current = next;
  }
  engine.dispose();
  tree.delete();
  return { p50: percentile(total, 50), p95: percentile(total, 95), parseP50: percentile(parseOnly, 50),
    parseP95: percentile(parseOnly, 95), rewalked: rewalked / edits };
}

if (require.main === module) {
  (async () => {
    for (const lines of (process.env.BENCH_LINES ? [Number(process.env.BENCH_LINES)] : [2000, 5000])) {
      const only = process.env.BENCH_ONLY;
      const options: EngineOptions = only === 'gil' ? { checks: [gilCheck], annotators: [] }
        : only === 'syntax' ? { checks: [syntaxErrorCheck], annotators: [] } : {};
      const r = await keystrokeLatency(lines, 100, options);
      console.log(`${only ?? 'all'} ${lines} lines: keystroke p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms; `
        + `tree-sitter re-parse p50 ${r.parseP50.toFixed(1)} ms, p95 ${r.parseP95.toFixed(1)} ms; `
        + `definitions re-walked per keystroke ${r.rewalked.toFixed(2)}`);
    }
  })();
}
