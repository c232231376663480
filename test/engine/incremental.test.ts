/** A keystroke re-checks only the definition it touched, and gives the diagnostics of a fresh analysis. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../server/src/engine';
import { gilCacheStats } from '../../server/src/checks/gil-check';
import { documentModelStats } from '../../server/src/model/document-model';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { analyses } from '../../server/src/checks';
import { type TypingMode, typingSession } from '../../bench/typing';
import { kernels } from '../support/kernels';

/** Module-level declarations, a cdef class with C and Python methods, a Python class: where header typing goes. */
const DECLARATIONS = [
  'from libc.math cimport sqrt',
  'cimport cython',
  '',
  'DEF SIZE = 4',
  'cdef int counter',
  'cdef double scale',
  'ctypedef double real_t',
  '',
  'cdef class Acc:',
  '    cdef real_t total',
  '    def add(self, double v):',
  '        self.total += v * scale',
  '    cpdef double get(self, int k):',
  '        return self.total + k',
  '    cdef void reset(self) noexcept nogil:',
  '        self.total = 0',
  '',
  'class Plain(object):',
  '    def go(self, x):',
  '        return sqrt(x)',
  '',
  '@cython.boundscheck(False)',
  'def api(double[:] xs, int n):',
  '    cdef double r = 0',
  '    cdef Py_ssize_t i',
  '    with nogil:',
  '        for i in range(n):',
  '            r += kernel_1(xs, i) + counter',
  '    return Acc().get(n) + r',
  '',
].join('\n');

describe('incremental GIL analysis', () => {
  let engine: Engine;
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000 });
  });
  after(() => engine.dispose());

  it('re-walks one definition after an edit inside it, with the same result as a fresh analysis', () => {
    const uri = 'file:///big.pyx';
    const text = kernels(160, []);
    assert.ok(text.split('\n').length >= 2000);
    engine.open(uri, text, 1);
    const first = engine.analyze(uri, defaultSettings());
    assert.ok(first);
    assert.deepEqual(first.diagnostics.filter((d) => d.severity === 1), []);
    const before = gilCacheStats(engine.session, uri);
    assert.ok(before);
    // Insert a Python call into kernel_80's body (line of its `return acc`).
    const line = text.split('\n').findIndex((l) => l.startsWith('cdef double kernel_80(')) + 5;
    assert.ok(engine.change(uri, 2, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } },
      text: '    print(acc)\n' }]));
    const second = engine.analyze(uri, defaultSettings());
    assert.ok(second);
    const after = gilCacheStats(engine.session, uri)!;
    assert.equal(after.misses - before.misses, 1, 'only the edited definition is re-analysed');
    const errors = second.diagnostics.filter((d) => d.severity === 1);
    assert.ok(errors.length > 0 && errors.every((d) => d.range.start.line === line), 'errors on the new line');
    const fresh = 'file:///fresh.pyx';
    engine.open(fresh, engine.document(uri)!.text, 1);
    const freshDiagnostics = JSON.stringify(engine.analyze(fresh, defaultSettings())?.diagnostics).replaceAll(fresh, uri);
    assert.deepEqual(JSON.parse(freshDiagnostics), second.diagnostics);
  });

  it('a keystroke that breaks the text (and the one that mends it) re-walks the edited definition only', () => {
    const uri = 'file:///broken.pyx';
    const text = kernels(40, []);
    engine.open(uri, text, 1);
    const first = engine.analyze(uri, defaultSettings());
    assert.ok(first);
    const line = text.split('\n').findIndex((l) => l.startsWith('cdef double kernel_20(')) + 4;
    const end = text.split('\n')[line]!.length;
    const before = gilCacheStats(engine.session, uri)!;
    // `(` leaves the statement broken (a module with a broken statement is not complete: model/module-model.ts)
    assert.ok(engine.change(uri, 2, [{ range: { start: { line, character: end }, end: { line, character: end } }, text: '(' }]));
    assert.ok(engine.document(uri)!.tree!.rootNode.hasError);
    assert.ok(engine.analyze(uri, defaultSettings()));
    assert.ok(engine.change(uri, 3, [{ range: { start: { line, character: end }, end: { line, character: end + 1 } }, text: '' }]));
    const mended = engine.analyze(uri, defaultSettings());
    const after = gilCacheStats(engine.session, uri)!;
    assert.ok(after.misses - before.misses <= 4, `${after.misses - before.misses} units re-walked for two keystrokes`);
    assert.deepEqual(mended?.diagnostics, first.diagnostics);
  });

  it('typing in bodies and in headers gives, keystroke by keystroke, the report of an analysis from scratch', async () => {
    // the same edits reach both engines (the same trees: tree-sitter's incremental re-parse is deterministic); the
    // reference drops every cache before each analysis
    const reference = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000 });
    try {
      const text = `${DECLARATIONS}\n${kernels(3, [])}`;
      for (const mode of ['body', 'header'] as TypingMode[]) {
        const uri = `file:///typing-${mode}.pyx`;
        engine.open(uri, text, 1);
        reference.open(uri, text, 1);
        engine.analyze(uri, defaultSettings());
        let version = 2;
        let compared = 0;
        const models = documentModelStats(engine.session);
        for (const k of typingSession(text, 160, 3, mode)) {
          assert.ok(engine.change(uri, version, [k.change]));
          assert.ok(reference.change(uri, version, [k.change]));
          version++;
          const live = engine.analyze(uri, defaultSettings());
          reference.resetCaches(uri);
          const scratch = reference.analyze(uri, defaultSettings());
          assert.deepEqual({ d: live?.diagnostics, a: live?.annotations }, { d: scratch?.diagnostics, a: scratch?.annotations },
            `${mode} typing, keystroke ${version - 2}: ${JSON.stringify(k.change)}`);
          compared++;
        }
        assert.equal(compared, 160);
        // header typing both keeps the declarations (a def's parameters) and rebuilds them (C headers, names)
        const now = documentModelStats(engine.session);
        assert.ok(now.reused > models.reused && (mode === 'body' || now.built > models.built), JSON.stringify([models, now]));
        engine.close(uri);
        reference.close(uri);
      }
    } finally {
      reference.dispose();
    }
  });

  it('a definition using a name declared nowhere is analysed again when the module stops being complete', () => {
    const uri = 'file:///undeclared.pyx';
    const text = [
      'cdef void f() noexcept nogil:',
      '    undeclared_helper()',
      '',
      'def g():',
      '    return 1',
      '',
    ].join('\n');
    engine.open(uri, text, 1);
    const complete = engine.analyze(uri, defaultSettings())!.diagnostics.filter((d) => d.range.start.line === 1);
    assert.ok(complete.length > 0, 'a Python global used without the GIL');
    // a broken top-level statement may hide declarations: the name is unknown then, nothing is said about it
    assert.ok(engine.change(uri, 2, [{ range: { start: { line: 4, character: 12 }, end: { line: 4, character: 12 } }, text: ' +' }]));
    const partial = engine.analyze(uri, defaultSettings())!.diagnostics.filter((d) => d.range.start.line === 1);
    const fresh = 'file:///undeclared-fresh.pyx';
    engine.open(fresh, engine.document(uri)!.text, 1);
    const freshPartial = engine.analyze(fresh, defaultSettings())!.diagnostics.filter((d) => d.range.start.line === 1);
    assert.deepEqual(JSON.parse(JSON.stringify(freshPartial).replaceAll(fresh, uri)), partial);
    assert.deepEqual(partial, []);
    assert.ok(engine.change(uri, 3, [{ range: { start: { line: 4, character: 12 }, end: { line: 4, character: 14 } }, text: '' }]));
    assert.deepEqual(engine.analyze(uri, defaultSettings())!.diagnostics.filter((d) => d.range.start.line === 1), complete);
  });
});
