/** Inlay hints through the real server: inferred C types of untyped locals, default exception specs, settings. */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { InlayHint } from 'vscode-languageserver';
import { inlayHintFeature } from '../../server/src/features/inlay-hints';
import { LspPair } from '../support/lsp-pair';

const TEXT = [
  'cdef int twice(int n):',                      // 0
  '    return 2 * n',                            // 1
  '',                                            // 2
  'cdef void touch(double* p) noexcept:',        // 3
  '    p[0] = 1',                                // 4
  '',                                            // 5
  'cdef double half(double x) nogil:',           // 6
  '    return x / 2',                            // 7
  '',                                            // 8
  'def total(double[:] a, list items):',         // 9
  '    cdef double s = 0',                       // 10
  '    v = a[0]',                                // 11
  '    for i in range(3):',                      // 12
  '        s += a[i]',                           // 13
  '    first = items[0]',                        // 14
  '    return s + v',                            // 15
  '',
].join('\n');

describe('navigation: inlay hints', () => {
  let pair: LspPair;
  afterEach(() => pair?.dispose());

  async function hints(config: object = {}): Promise<string[]> {
    pair = new LspPair({ debounceMs: 5, features: [inlayHintFeature] });
    pair.config = config;
    const init = await pair.initialize() as { capabilities: Record<string, unknown> };
    assert.equal(init.capabilities['inlayHintProvider'], true);
    const uri = 'file:///ws/hints.pyx';
    await pair.open(uri, TEXT, 1);
    await pair.diagnostics(uri, 1);
    const list: InlayHint[] = await pair.client.sendRequest('textDocument/inlayHint',
      { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 17, character: 0 } } });
    return list.map((h) => `${h.position.line}:${h.position.character}${String(h.label)}`);
  }

  it('shows inferred C types of untyped locals and default exception specs', async () => {
    assert.deepEqual(await hints(), [
      '0:21 except? -1', '6:26 except? -1', '11:5: double', '12:9: long', '14:9: object',
    ]);
  });

  it('can be turned off per kind', async () => {
    assert.deepEqual(await hints({ inlayHints: { exceptionSpecs: false } }), ['11:5: double', '12:9: long', '14:9: object']);
    await pair.dispose();
    assert.deepEqual(await hints({ inlayHints: { inferredTypes: false } }), ['0:21 except? -1', '6:26 except? -1']);
  });
});
