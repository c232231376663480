/** A keystroke re-checks only the definition it touched, and gives the diagnostics of a fresh analysis. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
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

/**
 * Shaped like a loss module of scikit-learn (sklearn/_loss/_loss.pyx.tp and its .pxd): a companion .pxd declaring a
 * struct, inline helpers and a cdef class hierarchy; the .pyx defines them, adds subclasses, module-level cdef lines,
 * fused-type kernels calling the helpers and methods in nogil loops, and Python wrappers calling them with the
 * GIL. Header typing there changes signatures that the .pxd declares too, that callers and subclasses use.
 */
const LOSS_PXD = [
  'ctypedef fused floating_t:',
  '    double',
  '    float',
  '',
  'ctypedef struct double_pair:',
  '    double val1',
  '    double val2',
  '',
  'cdef double log1pexp(double x) noexcept nogil',
  'cdef double_pair sum_exp_minus_max(int i, double[:, :] raw) noexcept nogil',
  '',
  'cdef class CyLossFunction:',
  '    cdef double cy_loss(self, double y_true, double raw_prediction) noexcept nogil',
  '    cdef double cy_gradient(self, double y_true, double raw_prediction) noexcept nogil',
  '',
  'cdef class CyHalfSquaredError(CyLossFunction):',
  '    pass',
  '',
].join('\n');

const LOSS_PYX = [
  'from libc.math cimport exp, log, fabs',
  'cimport cython',
  'from cython.parallel cimport prange',
  '',
  'DEF EPS = 1e-12',
  'cdef double huber_delta = 1.0',
  'cdef int n_threads_default',
  '',
  'cdef inline double log1pexp(double x) noexcept nogil:',
  '    if x <= -37:',
  '        return exp(x)',
  '    elif x <= 18:',
  '        return log(1. + exp(x))',
  '    return x',
  '',
  'cdef inline double_pair sum_exp_minus_max(int i, double[:, :] raw) noexcept nogil:',
  '    cdef double_pair out',
  '    out.val1 = raw[i, 0]',
  '    out.val2 = exp(raw[i, 0] - out.val1)',
  '    return out',
  '',
  'cdef inline double closed_form(double y_true, double raw_prediction) noexcept nogil:',
  '    return 0.5 * (raw_prediction - y_true) * (raw_prediction - y_true)',
  '',
  'cdef double clipped(double x, double lo) nogil:',
  '    if x < lo:',
  '        return lo',
  '    return x',
  '',
  'cdef class CyLossFunction:',
  '    cdef double cy_loss(self, double y_true, double raw_prediction) noexcept nogil:',
  '        pass',
  '',
  '    cdef double cy_gradient(self, double y_true, double raw_prediction) noexcept nogil:',
  '        pass',
  '',
  'cdef class CyHalfSquaredError(CyLossFunction):',
  '    cdef inline double cy_loss(self, double y_true, double raw_prediction) noexcept nogil:',
  '        return closed_form(y_true, raw_prediction)',
  '',
  '    cdef inline double cy_gradient(self, double y_true, double raw_prediction) noexcept nogil:',
  '        return raw_prediction - y_true',
  '',
  '    def loss(self, const floating_t[::1] y_true, const floating_t[::1] raw_prediction, floating_t[::1] out, int n_threads=1):',
  '        cdef int i',
  '        cdef int n = y_true.shape[0]',
  '        for i in prange(n, schedule="static", nogil=True, num_threads=n_threads):',
  '            out[i] = closed_form(y_true[i], raw_prediction[i])',
  '        return out',
  '',
  'cdef class CyHuberLoss(CyLossFunction):',
  '    cdef readonly double delta',
  '',
  '    def __init__(self, delta):',
  '        self.delta = delta',
  '',
  '    cdef inline double cy_loss(self, double y_true, double raw_prediction) noexcept nogil:',
  '        cdef double abserr = fabs(y_true - raw_prediction)',
  '        if abserr <= self.delta:',
  '            return closed_form(y_true, raw_prediction)',
  '        return self.delta * (abserr - 0.5 * self.delta)',
  '',
  '    cdef double cy_gradient(self, double y_true, double raw_prediction) noexcept nogil:',
  '        return clipped(raw_prediction - y_true, -self.delta)',
  '',
  'cdef double total_loss(CyLossFunction loss, double[::1] y, double[::1] raw) noexcept nogil:',
  '    cdef double acc = 0',
  '    cdef Py_ssize_t i',
  '    for i in range(y.shape[0]):',
  '        acc += loss.cy_loss(y[i], raw[i]) + log1pexp(raw[i]) + clipped(raw[i], EPS)',
  '    return acc',
  '',
  'cdef double huber_total(CyHuberLoss loss, double[::1] y, double[::1] raw) noexcept nogil:',
  '    cdef double acc = 0',
  '    cdef Py_ssize_t i',
  '    for i in range(y.shape[0]):',
  '        acc += loss.cy_loss(y[i], raw[i])',
  '    return acc',
  '',
  'cpdef double mean_loss(CyLossFunction loss, double[::1] y, double[::1] raw):',
  '    cdef double r',
  '    with nogil:',
  '        r = total_loss(loss, y, raw)',
  '    return r / y.shape[0] + huber_delta',
  '',
  'def softmax_row(double[:, :] raw, int i):',
  '    cdef double_pair p',
  '    with nogil:',
  '        p = sum_exp_minus_max(i, raw)',
  '    return p.val1, clipped(p.val2, 0), log1pexp(p.val2)',
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
        // header typing keeps the declarations (a def's parameters), patches them (C headers, names) and rebuilds them
        const now = documentModelStats(engine.session);
        assert.ok(now.reused > models.reused && (mode === 'body' || (now.built > models.built && now.patched > models.patched)),
          JSON.stringify([models, now]));
        engine.close(uri);
        reference.close(uri);
      }
    } finally {
      reference.dispose();
    }
  });

  it('typing in the C headers of a module with a companion .pxd gives, keystroke by keystroke, the report from scratch', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-headers-'));
    const reference = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000 });
    try {
      fs.writeFileSync(path.join(dir, '_loss.pxd'), LOSS_PXD);
      fs.writeFileSync(path.join(dir, '_loss.pyx'), LOSS_PYX);
      const uri = pathToFileURL(path.join(dir, '_loss.pyx')).href;
      engine.open(uri, LOSS_PYX, 1);
      reference.open(uri, LOSS_PYX, 1);
      const first = engine.analyze(uri, defaultSettings());
      assert.ok(first && first.annotations.length > 0);
      let version = 2;
      let broken = 0;
      const models = documentModelStats(engine.session);
      for (const k of typingSession(LOSS_PYX, 240, 5, 'header')) {
        assert.ok(engine.change(uri, version, [k.change]));
        assert.ok(reference.change(uri, version, [k.change]));
        version++;
        if (engine.document(uri)!.tree!.rootNode.hasError) broken++;
        const live = engine.analyze(uri, defaultSettings());
        reference.resetCaches(uri);
        const scratch = reference.analyze(uri, defaultSettings());
        assert.deepEqual({ d: live?.diagnostics, a: live?.annotations }, { d: scratch?.diagnostics, a: scratch?.annotations },
          `keystroke ${version - 2}: ${JSON.stringify(k.change)}\n${engine.document(uri)!.text}`);
      }
      const now = documentModelStats(engine.session);
      // C headers and names were typed in, broken and mended; most keystrokes patched one statement's declarations
      assert.ok(broken > 10, `${broken} broken states`);
      assert.ok(now.patched - models.patched > 100 && now.built > models.built, JSON.stringify([models, now]));
      // a method's new parameter: the method and the class's own code are walked again (that the definitions using
      // only the class's other methods are not is test/model/recorded-methods.test.ts: this count is the same with
      // the class's methods one dependency)
      const lines = engine.document(uri)!.text.split('\n');
      const huber = lines.indexOf('cdef class CyHuberLoss(CyLossFunction):');
      const line = lines.findIndex((l, i) => i > huber && l.startsWith('    cdef double cy_gradient(self, double y_true, double raw_prediction)'));
      assert.ok(huber > 0 && line > huber);
      const misses = gilCacheStats(engine.session, uri)!.misses;
      const at = { line: line, character: '    cdef double cy_gradient(self, double y_true, double raw_prediction'.length };
      assert.ok(engine.change(uri, version, [{ range: { start: at, end: at }, text: ', int k=0' }]));
      engine.analyze(uri, defaultSettings());
      assert.equal(gilCacheStats(engine.session, uri)!.misses - misses, 2);
    } finally {
      engine.close(pathToFileURL(path.join(dir, '_loss.pyx')).href);
      reference.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a definition using a name declared nowhere is analysed again when a broken statement may declare that name', () => {
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
    const line1 = (ds: readonly Diagnostic[]): Diagnostic[] => ds.filter((d) => d.range.start.line === 1);
    const complete = line1(engine.analyze(uri, defaultSettings())!.diagnostics);
    assert.ok(complete.length > 0, 'a Python global used without the GIL');
    let version = 2;
    let fresh = 0;
    /** One edit; the report's line 1 equals a fresh engine's on the same text; how many units were walked again. */
    const edit = (line: number, character: number, end: { line: number; character: number } | undefined, text: string):
      { diagnostics: Diagnostic[]; walked: number } => {
      const misses = gilCacheStats(engine.session, uri)!.misses;
      assert.ok(engine.change(uri, version++, [{ range: { start: { line, character }, end: end ?? { line, character } }, text }]));
      const diagnostics = line1(engine.analyze(uri, defaultSettings())!.diagnostics);
      const walked = gilCacheStats(engine.session, uri)!.misses - misses;
      const other = `file:///undeclared-fresh-${fresh++}.pyx`;
      engine.open(other, engine.document(uri)!.text, 1);
      const scratch = line1(engine.analyze(other, defaultSettings())!.diagnostics);
      engine.close(other);
      assert.deepEqual(JSON.parse(JSON.stringify(scratch).replaceAll(other, uri)), diagnostics, engine.document(uri)!.text);
      return { diagnostics, walked };
    };
    const broken = (): boolean => engine.document(uri)!.tree!.rootNode.hasError;
    // a broken statement that does not spell the name cannot declare it: still a Python global, f is not walked again
    const unrelated = edit(4, 12, undefined, ' +');
    assert.ok(broken());
    assert.deepEqual(unrelated.diagnostics, complete);
    assert.equal(unrelated.walked, 1, 'only the broken definition');
    // nor does a function body before its error (body statements declare locals)
    assert.deepEqual(edit(4, 4, undefined, 'undeclared_helper\n    ').diagnostics, complete);
    assert.ok(broken());
    assert.deepEqual(edit(4, 4, { line: 5, character: 14 }, 'return 1').diagnostics, complete);
    assert.ok(!broken());
    // a broken statement that spells it may declare it: unknown, nothing said
    const spelled = edit(5, 0, undefined, 'x = [undeclared_helper');
    assert.ok(broken());
    assert.deepEqual(spelled.diagnostics, []);
    assert.equal(spelled.walked, 2, 'f asked about the name: walked again, with the broken statement');
    assert.deepEqual(edit(5, 0, { line: 5, character: 22 }, '').diagnostics, complete);
    // a function body after its first error: a module-level declaration swallowed by the unclosed bracket
    assert.deepEqual(edit(4, 12, undefined, ' + (\ncdef void undeclared_helper() noexcept nogil').diagnostics, []);
    assert.ok(broken());
    assert.deepEqual(edit(4, 12, { line: 5, character: 44 }, '').diagnostics, complete);
    // a broken class: its methods without an error declare nothing at module level; a broken method's body after its
    // error may
    edit(5, 0, undefined, ['cdef class K:', '    def a(self):', '        return undeclared_helper', '    def b(self):',
      '        return 2', ''].join('\n'));
    const brokenClass = edit(9, 16, undefined, ' )');
    assert.ok(broken());
    assert.deepEqual(brokenClass.diagnostics, complete);
    assert.deepEqual(edit(9, 16, { line: 9, character: 18 }, ' )\n        undeclared_helper').diagnostics, []);
    // an include or a star import in a broken statement may declare anything
    assert.deepEqual(edit(10, 8, { line: 10, character: 25 }, 'include "helpers.pxi"').diagnostics, []);
    assert.deepEqual(edit(10, 8, { line: 10, character: 29 }, 'from libc.math cimport *').diagnostics, []);
    assert.deepEqual(edit(9, 16, { line: 10, character: 32 }, '').diagnostics, complete);
    assert.ok(!broken());
  });

  it('a definition that reaches a struct or a class through another type is analysed again when its members change', () => {
    const uri = 'file:///members.pyx';
    const text = [
      'cdef struct S:',
      '    double x',
      '',
      'cdef S s',
      '',
      'cdef class A:',
      '    cdef double v',
      '',
      'cdef class B:',
      '    cdef A a',
      '',
      'def f():',
      '    return s.x + 1',
      '',
      'def g(B b):',
      '    return b.a.v + 1',
      '',
    ].join('\n');
    engine.open(uri, text, 1);
    engine.analyze(uri, defaultSettings());
    let version = 2;
    let fresh = 0;
    /** One edit; the live report equals a fresh engine's on the same text; the scores of lines 12 and 15. */
    const edit = (line: number, character: number, length: number, replacement: string): string => {
      assert.ok(engine.change(uri, version++, [{ range: { start: { line, character }, end: { line, character: character + length } }, text: replacement }]));
      const live = engine.analyze(uri, defaultSettings())!;
      const other = `file:///members-fresh-${fresh++}.pyx`;
      engine.open(other, engine.document(uri)!.text, 1);
      const scratch = engine.analyze(other, defaultSettings())!;
      engine.close(other);
      assert.deepEqual(JSON.parse(JSON.stringify({ d: scratch.diagnostics, a: scratch.annotations }).replaceAll(other, uri)),
        JSON.parse(JSON.stringify({ d: live.diagnostics, a: live.annotations })), engine.document(uri)!.text);
      return JSON.stringify(live.annotations.filter((a) => a.line === 12 || a.line === 15));
    };
    const start = edit(1, 4, 0, '');
    // a struct field's type, read by f through the type of the global `s`
    const field = edit(1, 4, 6, 'object');
    assert.notEqual(field, start);
    // a cdef class attribute's type, read by g through the type of `B.a`
    const attribute = edit(6, 9, 6, 'object');
    assert.notEqual(attribute, field);
    // a syntax error in A's body: its members are unknown (incomplete), g's `.v` is no Python attribute lookup
    const broken = edit(7, 0, 0, '    cdef int (\n');
    assert.ok(engine.document(uri)!.tree!.rootNode.hasError);
    assert.notEqual(broken, attribute);
    edit(7, 0, 14, '');
  });
});
