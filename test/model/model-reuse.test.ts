/**
 * The module's declarations are rebuilt only when its interface changes: typing inside a function body, or in the
 * parameters of a Python def, reuses them, editing a C header or a name, adding a line above a definition or breaking
 * the syntax of a statement rebuilds them, or collects that one statement again (model/declaration-patch.ts), and in
 * every case the diagnostics and scores equal those of a freshly opened document.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../server/src/engine';
import { documentModel, documentModelStats } from '../../server/src/model/document-model';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import type { CythonLensSettings } from '../../shared/src/protocol';
import { analyses } from '../../server/src/checks';

const TEXT = [
  'from libc.math cimport sqrt',
  'from nowhere.at.all cimport thing',
  '',
  'cdef double norm(double x, double y) noexcept nogil:',
  '    return sqrt(x * x + y * y)',
  '',
  'cdef class Acc:',
  '    cdef double total',
  '    def add(self, double v):',
  '        self.total += v',
  '    cpdef double get(self):',
  '        return self.total',
  '',
  'def helper(double a, b):',
  '    with nogil:',
  '        a = norm(a, a)',
  '    return a + b',
  '',
  'def user():',
  '    return helper(1.0, 2) + Acc().get()',
  '',
  'def api(double x):',
  '    cdef double r',
  '    with nogil:',
  '        r = norm(x, 1.0)',
  '    return r',
  '',
].join('\n');

type How = 'reused' | 'built' | 'patched';

/**
 * A document typed into in one engine; after each edit its diagnostics and scores are compared with those of the same
 * text opened afresh in another engine, and the edit says how the model was obtained.
 */
class EditedDocument {
  private version = 1;

  constructor(private readonly engine: Engine, private readonly fresh: Engine, private readonly uri: string,
    private readonly freshUri: string, private readonly settings: CythonLensSettings, public text: string) {
    engine.open(uri, text, this.version);
    engine.analyze(uri, settings);
  }

  /** The whole text replaced and analysed (not compared). */
  set(text: string): void {
    this.text = text;
    this.engine.change(this.uri, ++this.version, [{ text }]);
    this.engine.analyze(this.uri, this.settings);
  }

  /** Replaces `from` (first occurrence) by `to`, analyses, compares with a fresh open, says how the model was obtained. */
  edit(from: string, to: string): How {
    const at = this.text.indexOf(from);
    assert.ok(at >= 0, from);
    const before = documentModelStats(this.engine.session);
    this.text = this.text.slice(0, at) + to + this.text.slice(at + from.length);
    this.engine.change(this.uri, ++this.version, [{ text: this.text }]);
    const live = this.engine.analyze(this.uri, this.settings);
    const stats = documentModelStats(this.engine.session);
    const how = stats.built > before.built ? 'built' : stats.patched > before.patched ? 'patched' : 'reused';
    if (how === 'reused') assert.equal(stats.reused, before.reused + 1);
    if (how === 'patched') assert.equal(stats.patched, before.patched + 1);
    this.fresh.open(this.freshUri, this.text, 1);
    const reference = this.fresh.analyze(this.freshUri, this.settings);
    this.fresh.close(this.freshUri);
    assert.deepEqual(live?.diagnostics,
      JSON.parse(JSON.stringify(reference?.diagnostics).replaceAll(this.freshUri, this.uri)));
    assert.deepEqual(live?.annotations, reference?.annotations);
    return how;
  }
}

describe('document model reuse across versions', () => {
  let engine: Engine;
  let fresh: Engine;
  const uri = 'file:///model-reuse/m.pyx';
  let doc: EditedDocument;

  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined });
    fresh = await Engine.create({ ...analyses, log: () => undefined });
    doc = new EditedDocument(engine, fresh, uri, `${uri}.fresh`, defaultSettings(), TEXT);
  });
  after(() => {
    engine.dispose();
    fresh.dispose();
  });

  const edit = (from: string, to: string): How => doc.edit(from, to);

  it('an edit inside a function body reuses the declarations', () => {
    assert.equal(edit('return r', 'return r + 1'), 'reused');
  });

  it('an edit on an earlier line that moves nothing to another line reuses them, positions stay right', () => {
    // the unresolved cimport's diagnostic is on line 1: its offsets moved, its line and column did not
    assert.equal(edit('return sqrt(x * x + y * y)', 'return sqrt(x * x + y * y + 0.0)'), 'reused');
  });

  it('a header edit rebuilds them; a new line above definitions moves their locations instead', () => {
    // one C function's header: that statement alone is collected again (model/declaration-patch.ts)
    assert.equal(edit('noexcept nogil:', 'noexcept:'), 'patched');
    const moved = documentModelStats(engine.session).moved;
    assert.equal(edit('def api(double x):', '# moved\ndef api(double x):'), 'reused');
    // above the unresolved cimport too: its diagnostic moves with it (compared with a fresh open in edit())
    assert.equal(edit('from nowhere.at.all cimport thing', '\n\nfrom nowhere.at.all cimport thing'), 'reused');
    assert.equal(documentModelStats(engine.session).moved, moved + 2);
  });

  it('a body broken while typing, or a comment edited in a header, keeps them; a broken C header does not', () => {
    assert.equal(edit('    return r + 1', '    return (r + 1'), 'reused');
    assert.equal(edit('    return (r + 1', '    return r + 1'), 'reused');
    assert.equal(edit('def api(double x):', 'def api(double x):  # entry point'), 'reused');
    // error recovery makes an ERROR of a def whose parameters are not closed
    assert.equal(edit('def api(double x):', 'def api(double x:'), 'built');
    assert.equal(edit('def api(double x:', 'def api(double x):'), 'built');
    assert.equal(edit('double y) noexcept:', 'double y noexcept:'), 'built');
    assert.equal(edit('double y noexcept:', 'double y) noexcept:'), 'built');
    // a method with a broken header makes its cdef class incomplete: the class is collected again
    assert.equal(edit('    def add(self, double v):', '    def add(self, double v:'), 'patched');
    assert.equal(edit('    def add(self, double v:', '    def add(self, double v):'), 'patched');
  });

  it('typing in the parameters of a def or of a method of a cdef class keeps them; its name or decorators do not', () => {
    const moved = documentModelStats(engine.session).moved;
    assert.equal(edit('def helper(double a, b):', 'def helper(double a, b, int k):'), 'reused');
    assert.equal(edit('def helper(double a, b, int k):', 'def helper(double a, b, int k, double[:] w):'), 'reused');
    assert.equal(edit('    def add(self, double v):', '    def add(self, double v, x=None):'), 'reused');
    // a new line in a def's parameters moves the statements below it
    assert.equal(edit('def helper(double a, b, int k, double[:] w):', 'def helper(double a, b,\n           int k, double[:] w):'), 'reused');
    assert.equal(documentModelStats(engine.session).moved, moved + 1);
    // a renamed def, a decorator making a C function of it: that statement is collected again
    assert.equal(edit('def helper(', 'def helper2('), 'patched');
    assert.equal(edit('def helper2(', 'def helper('), 'patched');
    assert.equal(edit('    def add(self', '    def add_(self'), 'patched');
    // a decorator on a line of its own moves the statements below: rebuilt
    assert.equal(edit('def helper(', '@cython.cfunc\ndef helper('), 'built');
    assert.equal(edit('@cython.cfunc\ndef helper(', 'def helper('), 'built');
    // a C function's parameters are its signature
    assert.equal(edit('    cpdef double get(self):', '    cpdef double get(self, int k=0):'), 'patched');
  });

  it('a statement is not collected again alone where other statements saw what it declares or declare what it reads', () => {
    assert.equal(edit('def api(double x):', [
      "__all__ = ['norm', 'api']",
      '',
      'cdef later_t uses_later(later_t v):',
      '    return v',
      '',
      'ctypedef double later_t',
      '',
      'cdef class Sub(Acc):',
      '    cpdef double twice(self):',
      '        return 2 * self.get()',
      '',
      'def api(double x):',
    ].join('\n')), 'built');
    // `norm` is named by another statement (__all__)
    assert.equal(edit('cdef double norm(double x, double y)', 'cdef double norm(double x, double y=1)'), 'built');
    // `later_t` is declared after the function: where the function is, it is not declared yet
    assert.equal(edit('uses_later(later_t v)', 'uses_later(later_t v, int k)'), 'built');
    // a derived class copied Acc's methods when it was collected: it is collected again after Acc
    assert.equal(edit('    cpdef double get(self, int k=0):', '    cpdef double get(self, int k=1):'), 'patched');
    assert.equal(edit('def user():', 'cdef void sub_user(Sub s) noexcept nogil:\n    s.get()\n\ndef user():'), 'built');
    const calls = (): number => engine.analyze(uri, defaultSettings())!.diagnostics.filter((d) => d.range.start.line
      === doc.text.split('\n').indexOf('    s.get()')).length;
    const before = calls();
    // Sub's copy of `get` is nogil now (compared with a fresh analysis, which collects Sub after Acc)
    assert.ok(before > 0, 'a gil-requiring method called without the gil');
    assert.equal(edit('    cpdef double get(self, int k=1):', '    cpdef double get(self, int k=1) noexcept nogil:'), 'patched');
    assert.equal(calls(), 0, 'the call through the derived class sees the new signature');
    assert.equal(edit('    cpdef double get(self, int k=1) noexcept nogil:', '    cpdef double get(self, int k=1):'), 'patched');
    assert.equal(calls(), before);
    assert.equal(edit('cdef void sub_user(Sub s) noexcept nogil:\n    s.get()\n\ndef user():', 'def user():'), 'built');
    // nothing else names Sub
    assert.equal(edit('    cpdef double twice(self):', '    cpdef double twice(self, int n=2):'), 'patched');
    // a function renamed to a name another statement uses
    assert.equal(edit('cdef later_t uses_later(', 'cdef later_t api('), 'built');
    // a class renamed: a new class under the new name when nothing else names the old or the new one
    assert.equal(edit('cdef class Sub(Acc):', 'cdef class Sub2(Acc):'), 'patched');
    assert.equal(edit('cdef class Sub2(Acc):', 'cdef class Sub(Acc):'), 'patched');
    // typing in the bases of a class nothing derives from: collected again in place
    assert.equal(edit('cdef class Sub(Acc):', 'cdef class Sub(Acc, x):'), 'patched');
    assert.equal(edit('cdef class Sub(Acc, x):', 'cdef class Sub(Acc):'), 'patched');
    // Acc is named by other statements (a def calls it, Sub derives from it)
    assert.equal(edit('cdef class Acc:', 'cdef class Acc2:'), 'built');
    assert.equal(edit('cdef class Acc2:', 'cdef class Acc:'), 'built');
  });

  it('a reused model is a new view of the new tree (no node of an old tree is handed out for it)', () => {
    const opened = engine.document(uri);
    assert.ok(opened?.tree);
    const model = documentModel(engine.session, opened as { uri: string; version: number; tree: NonNullable<typeof opened.tree> });
    const fn = opened.tree.rootNode.namedChildren.find((n) => n?.type === 'function_definition');
    assert.ok(fn);
    const info = model.functionInfo(fn, model.declarations.scope, undefined);
    assert.equal(info.node, fn);
  });
});

describe('document model patches across a repeated cimport', () => {
  let engine: Engine;
  let fresh: Engine;
  let dir: string;
  let doc: EditedDocument;
  const settings = defaultSettings();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-reuse-'));
    fs.writeFileSync(path.join(dir, 'stypes.pxd'), 'ctypedef long long int64_t\nctypedef int int32_t\n');
    settings.includeDirs = [dir];
    engine = await Engine.create({ ...analyses, log: () => undefined });
    fresh = await Engine.create({ ...analyses, log: () => undefined });
    doc = new EditedDocument(engine, fresh, pathToFileURL(path.join(dir, 'm.pyx')).href,
      pathToFileURL(path.join(dir, 'fresh.pyx')).href, settings, '');
  });
  after(() => {
    engine.dispose();
    fresh.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const edit = (from: string, to: string): How => doc.edit(from, to);
  /** the module as `block` (in place of the previous one) */
  const append = (block: string[]): void => doc.set(['', ...block, ''].join('\n'));

  it('a cimport repeated further down (the same .pxd declaration again) does not stop a header edit from patching', () => {
    append([
      'from stypes cimport int64_t',
      '',
      'cdef int64_t widen(int64_t a):',
      '    return a',
      '',
      'from stypes cimport int32_t, int64_t',
      '',
      'def wide_user():',
      '    return widen(3)',
    ]);
    assert.equal(edit('cdef int64_t widen(int64_t a):', 'cdef int64_t widen(int64_t a, int k=0):'), 'patched');
    assert.equal(edit('cdef int64_t widen(int64_t a, int k=0):', 'cdef int64_t widen(int64_t a, int64_t k=0):'), 'patched');
    // further down the name is bound to another declaration: where the function is, it is not that one
    append([
      'from stypes cimport int64_t',
      '',
      'cdef int64_t widen(int64_t a):',
      '    return a',
      '',
      'from stypes cimport int32_t as int64_t',
      '',
      'def wide_user():',
      '    return widen(3)',
    ]);
    assert.equal(edit('cdef int64_t widen(int64_t a):', 'cdef int64_t widen(int64_t a, int k=0):'), 'built');
    // cimported only further down: not declared yet where the function is
    append([
      'cdef int64_t widen(int64_t a):',
      '    return a',
      '',
      'from stypes cimport int64_t',
    ]);
    assert.equal(edit('cdef int64_t widen(int64_t a):', 'cdef int64_t widen(int64_t a, int k=0):'), 'built');
    // an unresolved name cimported twice: each binding has the location of its own statement
    append([
      'from nowhere.at.all cimport thing_t',
      '',
      'cdef thing_t widen(thing_t a):',
      '    return a',
      '',
      'from nowhere.at.all cimport thing_t',
    ]);
    assert.equal(edit('cdef thing_t widen(thing_t a):', 'cdef thing_t widen(thing_t a, int k=0):'), 'built');
  });

  it('structs, enums, typedefs and extern blocks further down declare their names, not the types they read', () => {
    const later = [
      'ctypedef packed struct edge_t:',
      '    int64_t node',
      '    double weight',
      '',
      'cdef struct info_t:',
      '    int64_t count',
      '',
      'cdef enum kind_t:',
      '    KIND_A',
      '    KIND_B = 2',
      '',
      'ctypedef int64_t index_t',
      '',
      'ctypedef fused number_t:',
      '    int64_t',
      '    double',
      '',
      'cdef extern from "helpers.h":',
      '    """',
      '    static long long twice(long long v) { return 2 * v; }',
      '    """',
      '    int64_t twice(int64_t v) nogil',
      '    int64_t counter, *counters',
      '    ctypedef struct pair_t:',
      '        int64_t first',
      '    enum: FLAG_X, FLAG_Y',
    ];
    append([
      'from stypes cimport int64_t',
      '',
      'cdef int64_t widen(int64_t a):',
      '    return a',
      '',
      ...later,
      '',
      'def wide_user():',
      '    return widen(3)',
    ]);
    assert.equal(edit('cdef int64_t widen(int64_t a):', 'cdef int64_t widen(int64_t a, int k=0):'), 'patched');
    assert.equal(edit('cdef int64_t widen(int64_t a, int k=0):', 'cdef int64_t widen(int64_t a, int64_t k=0):'), 'patched');
    // each type these statements declare, read by the function's header, is declared after it: rebuilt (a value,
    // read only by a default, is not read when the header is collected: patched)
    for (const [name, how] of [['edge_t', 'built'], ['info_t', 'built'], ['kind_t', 'built'], ['index_t', 'built'],
      ['number_t', 'built'], ['pair_t', 'built'], ['KIND_B', 'patched'], ['counter', 'patched'], ['FLAG_Y', 'patched']] as const) {
      const param = /_t$/.test(name) ? `${name} b` : `int64_t b=${name}`;
      append([
        'from stypes cimport int64_t',
        '',
        `cdef int64_t widen(int64_t a, ${param}):`,
        '    return a',
        '',
        ...later,
      ]);
      assert.equal(edit('cdef int64_t widen(int64_t a,', 'cdef int64_t widen(int64_t a, int k,'), how, name);
    }
    // a statement this reader does not know (a C++ class in an extern block) may declare any word it spells
    append([
      'from stypes cimport int64_t',
      '',
      'cdef int64_t widen(int64_t a):',
      '    return a',
      '',
      'cdef extern from "helpers.h":',
      '    cppclass Holder:',
      '        int64_t value',
    ]);
    assert.equal(edit('cdef int64_t widen(int64_t a):', 'cdef int64_t widen(int64_t a, int k=0):'), 'built');
  });

});
