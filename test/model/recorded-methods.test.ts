/**
 * Per-method dependencies (model/recorded-methods.ts): a definition that calls one method of a cdef class of its
 * module depends on that method, not on the class's other methods. Editing the header of a method re-walks the
 * definitions that call it and not those that call another method of the class.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../server/src/engine';
import { gilCacheStats } from '../../server/src/checks/gil-check';
import { analyses } from '../../server/src/checks';
import { defaultSettings } from '../../server/src/settings/validate-settings';

const TEXT = [
  'cdef class C:',
  '    cdef int a(self) noexcept nogil:',
  '        return 1',
  '',
  '    cdef int b(self) noexcept nogil:',
  '        return 2',
  '',
  '',
  'cdef int use_a(C c) noexcept nogil:',
  '    return c.a()',
  '',
  '',
  'cdef int use_b(C c) noexcept nogil:',
  '    return c.b()',
  '',
].join('\n');

describe('per-method dependencies', () => {
  let engine: Engine;
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 60_000 });
  });
  after(() => engine.dispose());

  /** The units the GIL check walks again after the header of `method` gets a parameter. */
  const rewalkedAfterHeaderEdit = (method: 'a' | 'b'): number => {
    const uri = `file:///recorded-methods-${method}.pyx`;
    engine.open(uri, TEXT, 1);
    try {
      engine.analyze(uri, defaultSettings());
      const line = TEXT.split('\n').indexOf(`    cdef int ${method}(self) noexcept nogil:`);
      const at = { line, character: `    cdef int ${method}(self`.length };
      const before = gilCacheStats(engine.session, uri)!.misses;
      assert.ok(engine.change(uri, 2, [{ range: { start: at, end: at }, text: ', int k=0' }]));
      engine.analyze(uri, defaultSettings());
      return gilCacheStats(engine.session, uri)!.misses - before;
    } finally {
      engine.close(uri);
    }
  };

  it('a method header edit re-walks the class, that method and its caller only', () => {
    // the class's own unit (its text changed), the edited method, the definition calling it; not the other method
    // nor the definition calling the other method (with the class's methods one dependency, that one is re-walked too)
    assert.equal(rewalkedAfterHeaderEdit('b'), 3);
    assert.equal(rewalkedAfterHeaderEdit('a'), 3);
  });
});
