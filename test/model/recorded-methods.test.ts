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

// A cdef class's attributes (its C attributes, and its `def` methods, which are attributes too) are dependencies of
// their own as well (RecordedAttributes): typing a `def` method's name, or breaking a method so that error recovery
// swallows the next `def` into its body, re-walks the definitions that read that attribute, not every method that
// reads `self`.
const ATTRIBUTES = [
  'cdef class D:',
  '    cdef int x',
  '',
  '    def g(self):',
  '        return 1',
  '',
  '    cdef int uses_x(self) noexcept nogil:',
  '        return self.x',
  '',
  '    cdef void uses_g(self) noexcept nogil:',
  '        self.g()',
  '',
  '',
  'cdef void outside(D d) noexcept nogil:',
  '    d.g()',
  '',
].join('\n');

describe('per-attribute dependencies', () => {
  let engine: Engine;
  let reference: Engine;
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 60_000 });
    reference = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 60_000 });
  });
  after(() => {
    engine.dispose();
    reference.dispose();
  });

  /** Applies `edits` one by one to a live engine and to one analysing from scratch; the units re-walked by each. */
  const type = (uri: string, edits: { line: number; character: number; end?: number; text: string }[]): number[] => {
    engine.open(uri, ATTRIBUTES, 1);
    reference.open(uri, ATTRIBUTES, 1);
    try {
      engine.analyze(uri, defaultSettings());
      const rewalked: number[] = [];
      let version = 2;
      for (const e of edits) {
        const change = { range: { start: { line: e.line, character: e.character }, end: { line: e.line, character: e.end ?? e.character } },
          text: e.text };
        const before = gilCacheStats(engine.session, uri)!.misses;
        assert.ok(engine.change(uri, version, [change]));
        assert.ok(reference.change(uri, version, [change]));
        version++;
        const live = engine.analyze(uri, defaultSettings());
        rewalked.push(gilCacheStats(engine.session, uri)!.misses - before);
        reference.resetCaches(uri);
        const scratch = reference.analyze(uri, defaultSettings());
        assert.deepEqual({ d: live?.diagnostics, a: live?.annotations }, { d: scratch?.diagnostics, a: scratch?.annotations },
          `after ${JSON.stringify(e)}:\n${engine.document(uri)!.text}`);
      }
      return rewalked;
    } finally {
      engine.close(uri);
      reference.close(uri);
    }
  };

  it('renaming a def method re-walks the readers of the old and new name, not a method reading another attribute', () => {
    const g = ATTRIBUTES.split('\n').indexOf('    def g(self):');
    // g -> gg: the class's own unit, the renamed method, uses_g and outside (both read `g`), not uses_x; back to g: the
    // first two are as they were (cached), uses_g and outside again
    assert.deepEqual(type('file:///attributes-rename.pyx', [
      { line: g, character: '    def g'.length, text: 'g' },
      { line: g, character: '    def g'.length, end: '    def gg'.length, text: '' },
    ]), [4, 2]);
  });

  it('a class reached through another type: its base and completeness still count for the members it does not declare', async () => {
    // use() reads b.w through A's attribute b (of type B) without spelling B: B's missing base makes w unknown (no
    // error), a found base (or none) a Python attribute read without the GIL (an error)
    const text = [
      'cdef class B:',
      '    cdef int v',
      '',
      '',
      'cdef class A:',
      '    cdef B b',
      '',
      '',
      'cdef int use(A a) noexcept nogil:',
      '    return a.b.w',
      '',
    ].join('\n');
    const uri = 'file:///attributes-through.pyx';
    engine.open(uri, text, 1);
    reference.open(uri, text, 1);
    try {
      engine.analyze(uri, defaultSettings());
      let version = 2;
      const errorsAt9: boolean[] = [];
      for (const change of [
        { range: { start: { line: 0, character: 12 }, end: { line: 0, character: 12 } }, text: '(Missing)' },
        { range: { start: { line: 0, character: 12 }, end: { line: 0, character: 21 } }, text: '' },
      ]) {
        assert.ok(engine.change(uri, version, [change]));
        assert.ok(reference.change(uri, version, [change]));
        version++;
        const live = engine.analyze(uri, defaultSettings());
        reference.resetCaches(uri);
        const scratch = reference.analyze(uri, defaultSettings());
        assert.deepEqual({ d: live?.diagnostics, a: live?.annotations }, { d: scratch?.diagnostics, a: scratch?.annotations },
          engine.document(uri)!.text);
        errorsAt9.push(live!.diagnostics.some((d) => d.range.start.line === 9 && d.severity === 1));
      }
      assert.deepEqual(errorsAt9, [false, true]);
    } finally {
      engine.close(uri);
      reference.close(uri);
    }
  });

  it('a broken method swallowing the next def: every step is the report from scratch', () => {
    const lines = ATTRIBUTES.split('\n');
    const x = lines.indexOf('        return self.x');
    const call = lines.indexOf('        self.g()');
    // an unclosed bracket in uses_x's body (error recovery takes the following method into it), then closed; the
    // same in uses_g's call
    type('file:///attributes-broken.pyx', [
      { line: x, character: '        return self.x'.length, text: '[' },
      { line: x, character: '        return self.x['.length, text: '0]' },
      { line: call, character: '        self.g('.length, text: '(' },
      { line: call, character: '        self.g(('.length, text: ')' },
    ]);
  });
});
