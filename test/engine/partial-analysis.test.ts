/**
 * An analysis limited to some rows (AnalyzeOptions.rows: the first screen of a large document, a slice of it) walks
 * only the definitions that meet them, caches their results like a full analysis, and a full analysis afterwards walks
 * only the rest and gives the report of a fresh full analysis.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../server/src/engine';
import { gilCacheStats } from '../../server/src/checks/gil-check';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { analyses } from '../../server/src/checks';
import { kernels } from '../support/kernels';

describe('analysis of some rows', () => {
  let engine: Engine;
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000 });
  });
  after(() => engine.dispose());

  it('walks the definitions that meet the rows only; the full analysis after it walks the rest, same as a fresh one', () => {
    const text = kernels(40, [1, 30]);
    const uri = 'file:///partial.pyx';
    engine.open(uri, text, 1);
    const rows = { first: 0, last: 20 };
    const part = engine.analyze(uri, defaultSettings(), { rows });
    assert.ok(part);
    assert.deepEqual(part.rows, rows);
    // kernel_0 (rows 0-5), wrapper_0 (7-11), kernel_1 (13-18), wrapper_1 (20-24): 4 definitions walked
    assert.deepEqual(gilCacheStats(engine.session, uri), { hits: 0, misses: 4 });
    const errorLines = (r: { diagnostics: { severity?: number; range: { start: { line: number } } }[] }): number[] =>
      [...new Set(r.diagnostics.filter((d) => d.severity === 1).map((d) => d.range.start.line))];
    assert.deepEqual(errorLines(part), [23], 'the error of wrapper_1, not the one of wrapper_30');
    assert.ok(part.annotations.length > 0 && part.annotations.every((a) => a.line <= 24));

    const full = engine.analyze(uri, defaultSettings());
    assert.ok(full);
    assert.equal(full.rows, undefined);
    assert.deepEqual(gilCacheStats(engine.session, uri), { hits: 4, misses: 80 }, 'only the 76 other definitions walked');
    assert.deepEqual(errorLines(full), [23, 30 * 13 + 10]);

    const fresh = 'file:///fresh.pyx';
    engine.open(fresh, text, 1);
    const alone = engine.analyze(fresh, defaultSettings());
    assert.ok(alone);
    assert.deepEqual(JSON.parse(JSON.stringify(alone.diagnostics).replaceAll(fresh, uri)), full.diagnostics);
    assert.deepEqual(alone.annotations, full.annotations);
    engine.close(fresh);
    engine.close(uri);
  });
});
