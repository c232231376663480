/** The engine and pure Python mode: a plain .py file costs nothing; a .py file that imports cython is analysed. */
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../server/src/engine';
import { analyses } from '../../server/src/checks';
import { fixture, fixturePath } from '../support/paths';

describe('Engine: pure Python mode', () => {
  let engine: Engine;
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined });
  });
  after(() => engine.dispose());

  it('gives a plain 10k-line .py file nothing and parses nothing', () => {
    const body = Array.from({ length: 2500 }, (_, i) => `def f${i}(a):\n    print(a)\n    return a + ${i}\n\n`).join('');
    assert.ok(body.split('\n').length >= 10_000);
    const uri = 'file:///work/plain_big.py';
    const before = { ...engine.parseStats };
    engine.open(uri, body, 1, 'python');
    const report = engine.analyze(uri);
    assert.ok(report);
    assert.deepEqual(report.diagnostics, []);
    assert.deepEqual(report.annotations, []);
    assert.equal(engine.document(uri), undefined);
    assert.equal(engine.isAnalysed(uri), false);
    // an edit that is not an import of cython: still nothing
    assert.ok(engine.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# cython\n' }]));
    assert.deepEqual(engine.analyze(uri)?.diagnostics, []);
    assert.deepEqual(engine.parseStats, before, 'no parse for a plain Python file');
    // typing `import cython` makes it ours
    assert.ok(engine.change(uri, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'import cython\n' }]));
    assert.equal(engine.isAnalysed(uri), true);
    assert.ok(engine.document(uri));
    engine.close(uri);
  });

  it('analyses a .py file that imports cython', () => {
    const uri = pathToFileURL(fixturePath('pure-mode/kernels.py')).href;
    engine.open(uri, fixture('pure-mode/kernels.py'), 1, 'python');
    const report = engine.analyze(uri);
    assert.ok(report);
    assert.ok(engine.document(uri));
    assert.ok(report.annotations.length > 0, 'yellow lines');
    // `twice` is a @cython.cfunc (not nogil): calling it in `with cython.nogil:` is the compiler's error (line 14)
    assert.deepEqual(report.diagnostics.filter((d) => d.severity === 1).map((d) => [d.range.start.line + 1, d.message]),
      [[14, 'Calling gil-requiring function not allowed without gil']]);
    // the @cython.cfunc decorator line is a C function's: no Python wrapper, no function object (cython -a: 0)
    assert.equal(report.annotations.find((a) => a.line === 3)?.score ?? 0, 0);
    engine.close(uri);
  });

  it('@cython.locals types the arguments and locals of a def (cython -3 agrees: only the list is an error)', () => {
    const uri = 'file:///work/locals_def.py';
    engine.open(uri, ['import cython', '@cython.locals(a=cython.int, b=cython.int, q=cython.int)', 'def f(a, b):',
      '    with cython.nogil:', '        q = a + b', '        s = [1]', '    return q', ''].join('\n'), 1, 'python');
    const errors = engine.analyze(uri)?.diagnostics.filter((d) => d.severity === 1).map((d) => [d.range.start.line + 1, d.message]);
    assert.deepEqual(errors, [[6, 'Assignment of Python object not allowed without gil'],
      [6, 'Constructing Python list not allowed without gil']]);
    engine.close(uri);
  });

  it('analyses a .py file without cython when a .pxd is beside it', () => {
    const uri = pathToFileURL(fixturePath('pure-mode/pkg/augmented.py')).href;
    engine.open(uri, fixture('pure-mode/pkg/augmented.py'), 1, 'python');
    assert.equal(engine.isAnalysed(uri), true);
    assert.ok(engine.document(uri));
    engine.close(uri);
    const plain = pathToFileURL(fixturePath('pure-mode/plain.py')).href;
    engine.open(plain, fixture('pure-mode/plain.py'), 1, 'python');
    assert.equal(engine.isAnalysed(plain), false);
    assert.deepEqual(engine.analyze(plain)?.diagnostics, []);
    engine.close(plain);
  });
  it('reads cython through aliases: import cython as cy, from cython import nogil as ng, from cython.parallel import prange', () => {
    const uri = pathToFileURL(fixturePath('pure-mode/aliases.py')).href;
    engine.open(uri, fixture('pure-mode/aliases.py'), 1, 'python');
    const lines = [...new Set(engine.analyze(uri)?.diagnostics.filter((d) => d.severity === 1).map((d) => d.range.start.line + 1))];
    // cython -3 aliases.py: errors on these lines only (the print calls without the GIL)
    assert.deepEqual(lines, [18, 20, 23, 25]);
    engine.close(uri);
  });

  it('in a .py file, with nogil: without `from cython import nogil` is an ordinary with statement (cython -3: no error)', () => {
    const uri = pathToFileURL(fixturePath('pure-mode/python_with_nogil.py')).href;
    engine.open(uri, fixture('pure-mode/python_with_nogil.py'), 1, 'python');
    assert.deepEqual(engine.analyze(uri)?.diagnostics.filter((d) => d.severity === 1), []);
    engine.close(uri);
    // the same text as a .pyx: `with nogil:` is the parser's own statement, so print() is an error there
    const pyx = 'file:///work/python_with_nogil.pyx';
    engine.open(pyx, fixture('pure-mode/python_with_nogil.py'), 1, 'cython');
    const errors = engine.analyze(pyx)?.diagnostics.filter((d) => d.severity === 1).map((d) => d.range.start.line + 1);
    assert.ok(errors?.includes(9), JSON.stringify(errors));
    engine.close(pyx);
  });

  it("an edit of a @cython.cfunc def's parameter annotations gives its callers the new signature (as from scratch)", async () => {
    // the annotations are the C signature (a def's parameters are not part of its module interface otherwise)
    const text = (type: string): string => ['import cython', '', '', '@cython.cfunc', '@cython.nogil',
      '@cython.exceptval(check=False)', `def f(x: ${type}) -> cython.int:`, '    return 0', '', '',
      'def g(double d):', '    with cython.nogil:', '        f(1)', '        f(d)', '    return f(d)', ''].join('\n');
    const uri = 'file:///work/cfunc_params.py';
    const report = (e: Engine, t: string, version: number): string => {
      if (e.document(uri)) assert.ok(e.change(uri, version, [{ text: t }]));
      else e.open(uri, t, version, 'python');
      const r = e.analyze(uri);
      return JSON.stringify({ d: r?.diagnostics, a: r?.annotations });
    };
    const fresh = await Engine.create({ ...analyses, log: () => undefined });
    try {
      let version = 1;
      const seen = new Map<string, string>();
      for (const type of ['cython.int', 'cython.double', 'object', 'cython.int']) {
        const live = report(engine, text(type), version++);
        const scratch = report(fresh, text(type), 1);
        fresh.close(uri);
        assert.equal(live, scratch, type);
        seen.set(type, scratch);
      }
      // an object parameter: f(d) in the nogil block converts d to a Python object (cython -3: an error)
      assert.notEqual(seen.get('object'), seen.get('cython.int'));
    } finally {
      engine.close(uri);
      fresh.dispose();
    }
  });
});
