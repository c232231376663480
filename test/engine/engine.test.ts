import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { Engine, SKIPPED_CODE, type DocumentCheck, type LineAnnotator } from '../../server/src/engine';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { fixture } from '../support/paths';
import { analyses } from '../../server/src/checks';

const BROKEN = 'x = 1\ny = (2 +\nz = 3\n';

describe('Engine', () => {
  let engine: Engine;
  const logs: string[] = [];
  before(async () => {
    engine = await Engine.create({ ...analyses, log: (m) => logs.push(m) });
  });
  after(() => engine.dispose());

  it('reports syntax errors with code "syntax" and source "cython-lens"', () => {
    engine.open('file:///broken.pyx', BROKEN, 3);
    const report = engine.analyze('file:///broken.pyx');
    assert.ok(report);
    assert.equal(report.version, 3);
    assert.equal(report.status.state, 'ok');
    assert.equal(report.diagnostics.length, 1);
    const [d] = report.diagnostics;
    assert.equal(d?.code, 'syntax');
    assert.equal(d?.source, 'cython-lens');
    assert.equal(d?.severity, DiagnosticSeverity.Error);
    assert.equal(d?.range.start.line, 1);
  });

  it('is clean on a well-formed file and follows incremental changes', () => {
    const uri = 'file:///kernels.pyx';
    const syntax = (): unknown[] => engine.analyze(uri)?.diagnostics.filter((d) => d.code === 'syntax') ?? [];
    engine.open(uri, fixture('kernels.pyx'), 1);
    assert.deepEqual(syntax(), []);
    assert.ok(engine.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'def (:\n' }]));
    assert.equal(syntax().length, 1);
    assert.ok(engine.change(uri, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]));
    assert.deepEqual(syntax(), []);
    engine.close(uri);
    assert.equal(engine.analyze(uri), undefined);
    assert.equal(engine.change(uri, 4, []), false);
  });

  it('applies severity overrides, including "off"', () => {
    engine.open('file:///o.pyx', BROKEN, 1);
    const settings = defaultSettings();
    settings.severityOverrides = { syntax: 'warning' };
    assert.equal(engine.analyze('file:///o.pyx', settings)?.diagnostics[0]?.severity, DiagnosticSeverity.Warning);
    settings.severityOverrides = { syntax: 'off' };
    assert.deepEqual(engine.analyze('file:///o.pyx', settings)?.diagnostics, []);
  });

  it('gives skipped documents one information diagnostic and status "skipped"', async () => {
    const small = await Engine.create({ ...analyses, maxFileSize: () => 2048, log: () => undefined });
    small.open('file:///big.pyx', '# padding\n'.repeat(500));
    const report = small.analyze('file:///big.pyx');
    assert.equal(report?.status.state, 'skipped');
    assert.equal(report?.diagnostics.length, 1);
    assert.equal(report?.diagnostics[0]?.code, SKIPPED_CODE);
    assert.equal(report?.diagnostics[0]?.severity, DiagnosticSeverity.Information);
    small.open('file:///bin.pyx', 'abc\0def');
    assert.match(small.analyze('file:///bin.pyx')?.diagnostics[0]?.message ?? '', /NUL bytes/);
    small.dispose();
  });

  it('a throwing check yields an empty report with status "error", and is logged', async () => {
    const boom: DocumentCheck = {
      id: 'boom',
      codes: [],
      run() {
        throw new Error('kaput');
      },
    };
    const failing = await Engine.create({ ...analyses, checks: [boom], log: (m) => logs.push(m) });
    failing.open('file:///f.pyx', BROKEN);
    const report = failing.analyze('file:///f.pyx');
    assert.deepEqual(report?.diagnostics, []);
    assert.deepEqual(report?.annotations, []);
    assert.equal(report?.status.state, 'error');
    assert.match(report?.status.message ?? '', /check "boom".*kaput/);
    assert.ok(logs.some((l) => l.includes('check "boom" failed') && l.includes('kaput')));
    failing.dispose();
  });

  it('merges annotations of all annotators per line and honours annotations.enabled', async () => {
    const a: LineAnnotator = { id: 'a', annotate: () => [{ line: 2, score: 3, reasons: ['r1'] }, { line: 0, score: 1, reasons: ['r0'] }] };
    const b: LineAnnotator = { id: 'b', annotate: () => [{ line: 2, score: 5, reasons: ['r2'] }] };
    const e = await Engine.create({ checks: [], annotators: [a, b], log: () => undefined });
    e.open('file:///a.pyx', 'x = 1\ny = 2\nz = 3\n');
    assert.deepEqual(e.analyze('file:///a.pyx')?.annotations, [
      { line: 0, score: 1, reasons: ['r0'] },
      { line: 2, score: 8, reasons: ['r1', 'r2'] },
    ]);
    const off = defaultSettings();
    off.annotations.enabled = false;
    assert.deepEqual(e.analyze('file:///a.pyx', off)?.annotations, []);
    e.dispose();
  });

  it('hands checks a context with the settings and a deadline', async () => {
    let seen: { budget: number; cancelled: boolean; includeDirs: string[] } | undefined;
    const probe: DocumentCheck = {
      id: 'probe',
      codes: [],
      run(_doc, ctx) {
        seen = { budget: ctx.deadline - Date.now(), cancelled: ctx.isCancelled(), includeDirs: ctx.settings.includeDirs };
        return [];
      },
    };
    const e = await Engine.create({ ...analyses, checks: [probe], timeBudgetMs: 500, log: () => undefined });
    e.open('file:///p.pyx', 'x = 1\n');
    const settings = defaultSettings();
    settings.includeDirs = ['/inc'];
    e.analyze('file:///p.pyx', settings);
    assert.ok(seen && seen.budget > 0 && seen.budget <= 500);
    assert.equal(seen.cancelled, false);
    assert.deepEqual(seen.includeDirs, ['/inc']);
    e.analyze('file:///p.pyx', settings, { isCancelled: () => true });
    e.dispose();
  });
});
