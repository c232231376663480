/**
 * Idle-time warming of the .pxd files a workspace cimports (model/pxd-warmup.ts): the cimports guessed from a text,
 * and a document analysed after its cimports were warmed gets the report of a cold analysis while collecting nothing
 * more itself.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Engine } from '../../server/src/engine';
import { analyses } from '../../server/src/checks';
import { signaturePending } from '../../server/src/model/lazy-signatures';
import { guessCimports, PxdWarmup } from '../../server/src/model/pxd-warmup';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { loadGrammar } from '../../server/src/tree/language';
import { REPO_ROOT } from '../support/paths';

function cythonIncludes(): string {
  const lib = path.join(REPO_ROOT, '.venv', 'lib');
  const py = fs.readdirSync(lib).find((d) => d.startsWith('python'))!;
  return path.join(lib, py, 'site-packages', 'Cython', 'Includes');
}

describe('.pxd warm-up', () => {
  it('guesses the cimports of a text', () => {
    const text = [
      'from libc.math cimport sqrt, exp as e',
      'from libc.stdlib cimport (malloc,',
      '    free,  # comment',
      '    calloc)',
      'from .defs cimport *',
      'from ..up.defs cimport thing',
      'cimport numpy as cnp, libc.string',
      'cdef cnp.float64_t x = cnp.NAN',
      'cdef size_t n = libc.string.strlen(s)',
      'import numpy as np',
    ].join('\n');
    assert.deepEqual(guessCimports(text), [
      { module: 'libc.math', level: 0, names: ['sqrt', 'exp'] },
      { module: 'libc.stdlib', level: 0, names: ['malloc', 'free', 'calloc'] },
      { module: 'defs', level: 1, names: 'all' },
      { module: 'up.defs', level: 2, names: ['thing'] },
      { module: 'numpy', level: 0, names: ['float64_t', 'NAN'] },
      { module: 'libc.string', level: 0, names: ['strlen'] },
    ]);
    assert.deepEqual(guessCimports('x = "from"\ncimport\n'), []);
  });

  describe('a warmed cache', () => {
    let dir: string;
    let warmed: Engine;
    let cold: Engine;
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-warm-'));
      fs.writeFileSync(path.join(dir, 'defs.pxd'), [
        'from libc.stdint cimport int64_t',
        'ctypedef double real_t',
        'cdef struct pair_t:',
        '    real_t a',
        '    int64_t b',
        'cdef extern from "defs.h" nogil:',
        '    real_t combine(pair_t p)',
        '    int64_t count(const char* s)',
        'cdef inline real_t twice(real_t x) noexcept nogil:',
        '    return 2 * x',
      ].join('\n') + '\n');
      fs.writeFileSync(path.join(dir, 'mod.pxd'), 'from defs cimport *\ncdef class Box:\n    cdef pair_t p\n    cdef real_t total(self) nogil\n');
      fs.writeFileSync(path.join(dir, 'mod.pyx'), [
        'from libc.math cimport sqrt, exp',
        'from libc.stdlib cimport malloc, free',
        'from cpython.ref cimport PyObject, Py_INCREF',
        'cimport cython',
        '',
        'cdef class Box:',
        '    cdef real_t total(self) nogil:',
        '        return combine(self.p) + sqrt(self.p.a)',
        '',
        'def run(double x, list items):',
        '    cdef double* buf = <double*> malloc(8 * sizeof(double))',
        '    cdef Py_ssize_t i',
        '    with nogil:',
        '        buf[0] = exp(x) + twice(x)',
        '        items.append(x)',
        '    for i in range(len(items)):',
        '        buf[0] += items[i]',
        '    Py_INCREF(items)',
        '    free(buf)',
        '    return count(b"abc")',
      ].join('\n') + '\n');
      warmed = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000 });
      cold = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000 });
    });
    after(() => {
      warmed.dispose();
      cold.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('gives the cold report, the analysis collecting nothing more', async () => {
      const { language } = await loadGrammar();
      const settings = { ...defaultSettings(), includeDirs: [dir, cythonIncludes()] };
      const file = path.join(dir, 'mod.pyx');
      const text = fs.readFileSync(file, 'utf8');
      const uri = pathToFileURL(file).toString();

      const resolver = warmed.session.resolver(language, settings.includeDirs);
      const warmup = new PxdWarmup();
      warmup.add({ file, text, resolver });
      let steps = 0;
      while (warmup.step()) steps++;
      assert.ok(steps >= 5, 'the own .pxd, four cimports and the reads of their symbols');
      assert.deepEqual([...warmup.done.modules].map((u) => path.basename(u)).sort(),
        ['defs.pxd', 'math.pxd', 'mod.pxd', 'object.pxd', 'ref.pxd', 'stdint.pxd', 'stdio.pxd', 'stdlib.pxd', 'string.pxd',
          'type.pxd'], 'what the .pxd files cimport, warmed first; cython (no .pxd) is not a module to load');
      const order = [...warmup.done.modules].map((u) => path.basename(u));
      assert.ok(order.indexOf('stdint.pxd') < order.indexOf('defs.pxd') && order.indexOf('defs.pxd') < order.indexOf('mod.pxd'),
        `a .pxd's cimports are warmed in steps before it: ${order.join(' ')}`);
      const defs = resolver.load(path.join(dir, 'defs.pxd'))!;
      assert.ok(defs.symbols.has('combine'));
      const pending = [...defs.symbols.values()].filter((s) => signaturePending(s)).map((s) => s.name);
      assert.deepEqual(pending, [], 'the signatures of a module enumerated in one pass are read');
      const units = resolver.lazyStats.unitsParsed;
      const loaded = resolver.size;
      assert.ok(units > 0 && loaded >= 6, `${units} units, ${loaded} files`); // + defs.pxd, stdint.pxd

      warmed.open(uri, text, 1);
      const a = warmed.analyze(uri, settings);
      assert.equal(resolver.lazyStats.unitsParsed, units, 'every unit the analysis needed was warmed');
      assert.equal(resolver.size, loaded, 'every .pxd the analysis needed was warmed');
      cold.open(uri, text, 1);
      const b = cold.analyze(uri, settings);
      assert.ok(a && b);
      assert.ok(b.diagnostics.length > 0 && b.annotations.length > 0);
      assert.deepEqual(a.diagnostics, b.diagnostics);
      assert.deepEqual(a.annotations, b.annotations);
    });

    it('warms a sibling module cimported from its package (`from . cimport sib`), as the analysis binds it', async () => {
      const { language } = await loadGrammar();
      const pkg = path.join(dir, 'pkg');
      fs.mkdirSync(pkg, { recursive: true });
      fs.writeFileSync(path.join(pkg, '__init__.py'), '');
      fs.writeFileSync(path.join(pkg, 'sib.pxd'), 'ctypedef double real_t\ncdef real_t half(real_t x) nogil\ncdef int other(int y)\n');
      const file = path.join(pkg, 'user.pyx');
      const text = 'from . cimport sib\n\ndef f(double x):\n    with nogil:\n        return sib.half(x)\n';
      fs.writeFileSync(file, text);
      const settings = { ...defaultSettings(), includeDirs: [pkg] };
      const engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000 });
      try {
        const resolver = engine.session.resolver(language, settings.includeDirs);
        const warmup = new PxdWarmup();
        warmup.add({ file, text, resolver });
        while (warmup.step()) { /* every step */ }
        const sib = path.join(pkg, 'sib.pxd');
        assert.equal(resolver.isLoaded(sib), true, 'the sibling .pxd is warmed');
        const mod = resolver.load(sib)!;
        assert.deepEqual([...warmup.done.modules].map((u) => path.basename(u)), ['sib.pxd']);
        const units = resolver.lazyStats.unitsParsed;
        assert.ok(units >= 1, 'sib.half looked up');
        const uri = pathToFileURL(file).toString();
        engine.open(uri, text, 1);
        const a = engine.analyze(uri, settings);
        assert.equal(resolver.lazyStats.unitsParsed, units, 'the analysis needed no unit more');
        assert.ok(mod.symbols.has('half'));
        const cold = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000 });
        try {
          cold.open(uri, text, 1);
          const b = cold.analyze(uri, settings);
          assert.ok(a && b);
          assert.deepEqual(a.diagnostics, b.diagnostics);
          assert.deepEqual(a.annotations, b.annotations);
        } finally {
          cold.dispose();
        }
      } finally {
        engine.dispose();
      }
    });

    it('skips a step that fails', () => {
      const warmup = new PxdWarmup();
      const broken = { locate: () => { throw new Error('boom'); } } as unknown as Parameters<PxdWarmup['add']>[0]['resolver'];
      warmup.add({ file: path.join(dir, 'x.pxd'), text: 'from a cimport b\nfrom c cimport d\n', resolver: broken });
      assert.equal(warmup.step(), true);
      assert.equal(warmup.step(), true);
      assert.equal(warmup.step(), false);
    });
  });
});
