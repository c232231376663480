/** Completion after `.` from the model: cimported modules, struct fields, cdef class members, memoryviews. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompletionList } from 'vscode-languageserver';
import { completionFeature } from '../../server/src/features/completion';
import { type NavWorkspace, startNavigationServer } from './harness';

const TEXT = [
  'cimport libc.math',                                    // 0
  'cimport numpy as cnp',                                 // 1
  'from geom.shapes cimport Point, Square',               // 2
  'from geom cimport shapes as sh',                       // 3
  '',                                                     // 4
  'def f(Square sq, double[:, ::1] a, double complex z):', // 5
  '    cdef Point p',                                     // 6
  '    cdef Point *pp = &p',                              // 7
  '    x = 1.',                                           // 8
  '    return sq.',                                       // 9
  '',
].join('\n');

describe('navigation: member completion', () => {
  let ws: NavWorkspace;
  const uri = (): string => ws.uri('typing.pyx');
  before(async () => {
    ws = await startNavigationServer([completionFeature], [], undefined, [{ rel: 'typing.pyx', text: TEXT }]);
  });
  after(() => ws?.dispose());

  /** Completion at the end of `line` after replacing its text by `typed` (a new version of the document). */
  let version = 1;
  async function complete(typed: string): Promise<Map<string, string>> {
    version++;
    await ws.pair.change(uri(), version, [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 99 } },
      text: typed }]);
    const list: CompletionList = await ws.pair.client.sendRequest('textDocument/completion',
      { textDocument: { uri: uri() }, position: { line: 9, character: typed.length } });
    return new Map(list.items.map((i) => [i.label, i.detail ?? '']));
  }

  it('offers the members of a cdef class instance, inherited ones included', async () => {
    const items = await complete('    return sq.');
    assert.equal(items.get('side'), 'real_t side');
    assert.equal(items.get('sides'), 'int sides');
    assert.match(items.get('area') ?? '', /double area\(.*\) noexcept/);
    // def methods live in the .pyx, which a cimporting module does not see (neither does the compiler)
    assert.deepEqual([...items.keys()].sort(), ['area', 'side', 'sides']);
  });

  it('offers struct fields on a value and through a pointer', async () => {
    assert.deepEqual([...(await complete('    return p.')).entries()], [['x', 'real_t x'], ['y', 'real_t y']]);
    assert.deepEqual([...(await complete('    return pp.')).keys()], ['x', 'y']);
  });

  it('offers the declarations of cimported modules', async () => {
    const sh = await complete('    return sh.');
    assert.match(sh.get('norm') ?? '', /real_t norm\(Point p\) noexcept nogil/);
    assert.ok(sh.has('Point') && sh.has('Shape'));
    const math = await complete('    return libc.math.sq');
    assert.match(math.get('sqrt') ?? '', /double sqrt\(double x\)/);
    const np = await complete('    return cnp.');
    assert.ok(np.has('float64_t') && np.has('ndarray'), `${np.size} items`);
  });

  it('offers memoryview and complex attributes, and nothing where the model knows no type', async () => {
    assert.ok((await complete('    return a.')).has('shape'));
    assert.deepEqual([...(await complete('    return z.')).keys()], ['real', 'imag']);
    assert.equal((await complete('    return x.')).size, 0);
    assert.equal((await complete('    return 1.')).size, 0);
    assert.equal((await complete('    # sq.')).size, 0);
  });
});
