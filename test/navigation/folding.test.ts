/** Folding ranges and selection ranges through the real server (an in-memory document). */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { FoldingRange, SelectionRange } from 'vscode-languageserver';
import { foldingRangeFeature } from '../../server/src/features/folding-ranges';
import { selectionRangeFeature } from '../../server/src/features/selection-ranges';
import { LspPair } from '../support/lsp-pair';

const TEXT = [
  '# module comment',                        // 0
  '# second line',                           // 1
  'from libc.math cimport sqrt',             // 2
  'cimport cython',                          // 3
  '',                                        // 4
  'cdef extern from "h.h" nogil:',           // 5
  '    double f(double x)',                  // 6
  '    double g(double x)',                  // 7
  '',                                        // 8
  'cdef struct P:',                          // 9
  '    double x',                            // 10
  '    double y',                            // 11
  '',                                        // 12
  'cdef double norm(P p) noexcept nogil:',   // 13
  '    """Length of p.',                     // 14
  '    """',                                 // 15
  '    if p.x > 0:',                         // 16
  '        return sqrt(p.x * p.x)',          // 17
  '    else:',                               // 18
  '        return 0',                        // 19
  '',                                        // 20
  'cdef:',                                   // 21
  '    int a',                               // 22
  '    int b',                               // 23
  '',
].join('\n');

describe('navigation: folding and selection ranges', () => {
  let pair: LspPair;
  afterEach(() => pair?.dispose());

  async function start(): Promise<string> {
    pair = new LspPair({ debounceMs: 5, features: [foldingRangeFeature, selectionRangeFeature] });
    const init = await pair.initialize() as { capabilities: Record<string, unknown> };
    assert.equal(init.capabilities['foldingRangeProvider'], true);
    assert.equal(init.capabilities['selectionRangeProvider'], true);
    const uri = 'file:///ws/fold.pyx';
    await pair.open(uri, TEXT, 1);
    await pair.diagnostics(uri, 1);
    return uri;
  }

  it('folds blocks, extern blocks, structs, cdef blocks, docstrings, comment and import runs', async () => {
    const uri = await start();
    const ranges: FoldingRange[] = await pair.client.sendRequest('textDocument/foldingRange', { textDocument: { uri } });
    const summary = ranges.map((r) => `${r.startLine}-${r.endLine}${r.kind ? `:${r.kind}` : ''}`);
    assert.deepEqual(summary, ['0-1:comment', '2-3:imports', '5-7', '9-11', '13-19', '14-15:comment', '16-17', '18-19',
      '21-23']);
  });

  it('expands the selection from a name outwards', async () => {
    const uri = await start();
    const [sel]: SelectionRange[] = await pair.client.sendRequest('textDocument/selectionRange',
      { textDocument: { uri }, positions: [{ line: 17, character: 22 }] });
    const chain: string[] = [];
    for (let r: SelectionRange | undefined = sel; r; r = r.parent) {
      chain.push(`${r.range.start.line}:${r.range.start.character}-${r.range.end.line}:${r.range.end.character}`);
    }
    // x, p.x, p.x * p.x, sqrt(...) args, the call, the return, the if body..., the function, the module
    assert.deepEqual(chain.slice(0, 6), ['17:22-17:23', '17:20-17:23', '17:20-17:29', '17:19-17:30', '17:15-17:30',
      '17:8-17:30']);
    assert.ok(chain.includes('13:0-19:16'), chain.join(' '));
    for (let i = 1; i < chain.length; i++) assert.notEqual(chain[i], chain[i - 1]);
  });
});
