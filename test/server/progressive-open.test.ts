/**
 * The first publication of a large document is progressive (features/diagnostics.ts): the first screen's diagnostics
 * and scores (marked partial) first, then the complete report, the same as a server that publishes in one go.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { ANNOTATIONS_NOTIFICATION, type AnnotationsParams } from '../../shared/src/protocol';
import { LspPair, type Received } from '../support/lsp-pair';
import { kernels } from '../support/kernels';

const URI = 'file:///ws/large.pyx';
const TEXT = kernels(40, [1, 30]);

const isScores = (n: Received): boolean => n.method === ANNOTATIONS_NOTIFICATION && (n.params as AnnotationsParams).uri === URI;
const isDiagnostics = (n: Received): boolean => n.method === 'textDocument/publishDiagnostics'
  && (n.params as PublishDiagnosticsParams).uri === URI;

async function publications(pair: LspPair): Promise<{ diagnostics: PublishDiagnosticsParams[]; scores: AnnotationsParams[] }> {
  await pair.initialize();
  await pair.open(URI, TEXT, 1);
  const full = await pair.waitFor((n) => isScores(n) && !(n.params as AnnotationsParams).partial, 60_000);
  // up to the complete scores (the Python environment found later may publish the document again)
  const upTo = pair.notifications.slice(0, pair.notifications.indexOf(full) + 1);
  return {
    diagnostics: upTo.filter(isDiagnostics).map((n) => n.params as PublishDiagnosticsParams),
    scores: upTo.filter(isScores).map((n) => n.params as AnnotationsParams),
  };
}

describe('progressive first publication', () => {
  let pair: LspPair | undefined;
  afterEach(() => pair?.dispose());

  it('publishes the first screen first, then the same complete report as a one-go publication', async () => {
    // no time budget: under load a one-go analysis could be cut at the default 2 s (the progressive one's slices not)
    pair = new LspPair({ debounceMs: 5, progressive: false, engine: { timeBudgetMs: 600_000 } });
    const oneGo = await publications(pair);
    await pair.dispose();
    assert.equal(oneGo.diagnostics.length, 1);
    assert.equal(oneGo.scores.length, 1);
    assert.equal(oneGo.scores[0]!.partial, undefined);

    pair = new LspPair({ debounceMs: 5, progressive: { minLines: 100, firstRows: 21, sliceRows: 100 }, engine: { timeBudgetMs: 600_000 } });
    const progressive = await publications(pair);
    assert.equal(progressive.diagnostics.length, 2);
    assert.equal(progressive.scores.length, 2);
    const [firstDiagnostics, fullDiagnostics] = progressive.diagnostics as [PublishDiagnosticsParams, PublishDiagnosticsParams];
    const [firstScores, fullScores] = progressive.scores as [AnnotationsParams, AnnotationsParams];
    assert.equal(firstScores.partial, true);
    assert.ok(firstScores.lines.length > 0 && firstScores.lines.every((l) => l.line <= 24), 'the first screen scored');
    const errorLines = (p: PublishDiagnosticsParams): number[] =>
      [...new Set(p.diagnostics.filter((d) => d.severity === 1).map((d) => d.range.start.line))];
    assert.deepEqual(errorLines(firstDiagnostics), [23]);
    assert.deepEqual(errorLines(fullDiagnostics), [23, 30 * 13 + 10]);
    assert.deepEqual(fullDiagnostics, oneGo.diagnostics[0]);
    assert.deepEqual(fullScores, oneGo.scores[0]);
  });

  it('a small document, and later versions of a large one, are published in one go', async () => {
    pair = new LspPair({ debounceMs: 5, progressive: { minLines: 100, firstRows: 21, sliceRows: 100 } });
    await pair.initialize();
    await pair.open('file:///ws/small.pyx', kernels(2, [1]), 1);
    const small = await pair.waitFor((n) => n.method === ANNOTATIONS_NOTIFICATION, 60_000);
    assert.equal((small.params as AnnotationsParams).partial, undefined);
    await pair.open(URI, TEXT, 1);
    await pair.waitFor((n) => isScores(n) && !(n.params as AnnotationsParams).partial, 60_000);
    const from = pair.notifications.length;
    await pair.change(URI, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }]);
    const next = await pair.waitFor((n) => isScores(n) && (n.params as AnnotationsParams).version === 2, 60_000, from);
    assert.equal((next.params as AnnotationsParams).partial, undefined);
    assert.ok(pair.notifications.slice(from).filter(isScores).every((n) => (n.params as AnnotationsParams).partial === undefined));
  });
});
