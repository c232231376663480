/**
 * Cython's own .pxd files shared by every resolver of a session (model/shared-includes.ts): each file of the pinned
 * Cython's Includes loads through the shared resolver without a cimport it cannot resolve (the exception that would
 * break the sharing); documents with different include dirs get the reports of a session that shares nothing, the
 * second parsing no file of Includes itself; a file of Includes whose cimports leave Includes is not shared; a miss
 * in the shared resolver breaks the sharing and moves every resolver's generation.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { analyses } from '../../server/src/checks';
import { Engine } from '../../server/src/engine';
import type { PythonEnvironment } from '../../server/src/model/python-environment';
import { SharedIncludes } from '../../server/src/model/shared-includes';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { loadGrammar } from '../../server/src/tree/language';
import { REPO_ROOT } from '../support/paths';

function cythonIncludes(): string {
  const lib = path.join(REPO_ROOT, '.venv', 'lib');
  const py = fs.readdirSync(lib).find((d) => d.startsWith('python'))!;
  return path.join(lib, py, 'site-packages', 'Cython', 'Includes');
}

function pxdUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...pxdUnder(p));
    else if (e.name.endsWith('.pxd')) out.push(p);
  }
  return out.sort();
}

const environment = (includes: string) => (python: string): Promise<PythonEnvironment> =>
  Promise.resolve({ python, cythonIncludes: includes, cythonVersion: '3', sitePackages: [] });

async function engineWith(includes: string, shareIncludes: boolean): Promise<Engine> {
  const engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000,
    session: { discoverPython: environment(includes), shareIncludes } });
  await engine.session.discover('python3');
  return engine;
}

describe('Cython\'s includes shared across resolvers', () => {
  it('loads every file of the pinned Includes it covers without a cimport it cannot resolve', async () => {
    const { language } = await loadGrammar();
    const { Parser } = await import('web-tree-sitter');
    const parser = new Parser();
    parser.setLanguage(language);
    const shared = new SharedIncludes(cythonIncludes(), (t) => parser.parse(t)!);
    try {
      const files = pxdUnder(cythonIncludes());
      const covered = files.filter((f) => shared.covers(f));
      for (const f of covered) {
        const mod = shared.resolver.load(f);
        assert.ok(mod, f);
        for (const sym of mod.symbols.values()) {
          void sym.type;
          void sym.signature;
        }
      }
      assert.equal(shared.resolver.misses, 0, 'no cimport of a covered file went unresolved');
      assert.equal(shared.broken, false);
      const rel = (f: string): string => path.relative(cythonIncludes(), f);
      const notCovered = files.filter((f) => !shared.covers(f)).map(rel);
      // libc, cpython, posix and libcpp are all shared (their cimports stay inside Includes)
      for (const dir of ['libc', 'cpython', 'posix', 'libcpp']) {
        assert.ok(covered.some((f) => rel(f).startsWith(dir + path.sep)), dir);
        assert.deepEqual(notCovered.filter((f) => f.startsWith(dir + path.sep)), [], dir);
      }
    } finally {
      shared.dispose();
      parser.delete();
    }
  });

  describe('documents with different include dirs', () => {
    let dir: string;
    let fakeIncludes: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-shared-inc-'));
      for (const p of ['one', 'two', 'extra']) fs.mkdirSync(path.join(dir, p));
      const body = [
        'from libc.math cimport sqrt, exp',
        'from libc.stdlib cimport malloc, free',
        'from cpython.ref cimport PyObject, Py_INCREF',
        'from cpython.unicode cimport PyUnicode_GET_LENGTH',
        'from libcpp.vector cimport vector',
        'cimport libc.string',
        '',
        'def run(double x, list items, unicode s):',
        '    cdef double* buf = <double*> malloc(8 * sizeof(double))',
        '    cdef vector[int] v',
        '    with nogil:',
        '        buf[0] = exp(x) + sqrt(x)',
        '        items.append(x)',
        '    v.push_back(<int> PyUnicode_GET_LENGTH(s))',
        '    Py_INCREF(items)',
        '    libc.string.memset(buf, 0, 8)',
        '    free(buf)',
        '    return v.size()',
      ].join('\n') + '\n';
      fs.writeFileSync(path.join(dir, 'one', 'a.pyx'), body);
      fs.writeFileSync(path.join(dir, 'two', 'b.pyx'), body.replace('def run', 'def other'));
      // an Includes of our own: libc/own.pxd cimports a module that only an include dir has
      fakeIncludes = path.join(dir, 'Includes');
      fs.mkdirSync(path.join(fakeIncludes, 'libc'), { recursive: true });
      fs.writeFileSync(path.join(fakeIncludes, 'libc', '__init__.pxd'), '');
      fs.writeFileSync(path.join(fakeIncludes, 'libc', 'base.pxd'), 'ctypedef double base_t\n');
      fs.writeFileSync(path.join(fakeIncludes, 'libc', 'inside.pxd'), 'from libc.base cimport base_t\ncdef base_t inside(base_t x) nogil\n');
      fs.writeFileSync(path.join(fakeIncludes, 'libc', 'own.pxd'), 'from extra_defs cimport extra_t\ncdef extra_t own(extra_t x) nogil\n');
      fs.writeFileSync(path.join(dir, 'extra', 'extra_defs.pxd'), 'ctypedef int extra_t\n');
      fs.writeFileSync(path.join(dir, 'one', 'c.pyx'), [
        'from libc.own cimport own',
        'from libc.inside cimport inside',
        'def f(x):',
        '    with nogil:',
        '        own(x)',
        '        inside(x)',
        '',
      ].join('\n'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function reports(engine: Engine, files: [string, string[]][]): Promise<unknown[]> {
      const out: unknown[] = [];
      for (const [file, includeDirs] of files) {
        const uri = pathToFileURL(file).toString();
        engine.open(uri, fs.readFileSync(file, 'utf8'), 1);
        const r = engine.analyze(uri, { ...defaultSettings(), includeDirs });
        assert.ok(r);
        out.push({ diagnostics: r.diagnostics, annotations: r.annotations });
        engine.close(uri);
      }
      return out;
    }

    it('get the reports of a session that shares nothing; the second resolver parses no file of Includes', async () => {
      const { language } = await loadGrammar();
      const files: [string, string[]][] = [[path.join(dir, 'one', 'a.pyx'), [path.join(dir, 'one')]],
        [path.join(dir, 'two', 'b.pyx'), [path.join(dir, 'two')]]];
      const sharing = await engineWith(cythonIncludes(), true);
      const alone = await engineWith(cythonIncludes(), false);
      try {
        const a = await reports(sharing, files);
        const b = await reports(alone, files);
        assert.deepEqual(a, b);
        assert.ok((b[0] as { annotations: unknown[] }).annotations.length > 0);
        assert.equal(sharing.session.resolverCount(), 2);
        for (const [, dirs] of files) {
          assert.equal(sharing.session.resolver(language, dirs).size, 0, 'Cython\'s .pxd are not loaded per resolver');
          assert.ok(alone.session.resolver(language, dirs).size >= 6);
        }
      } finally {
        sharing.dispose();
        alone.dispose();
      }
    });

    it('does not share a file whose cimports leave Includes', async () => {
      const { language } = await loadGrammar();
      const c = path.join(dir, 'one', 'c.pyx');
      const files: [string, string[]][] = [[c, [path.join(dir, 'extra')]], [c, [path.join(dir, 'one')]]];
      const sharing = await engineWith(fakeIncludes, true);
      const alone = await engineWith(fakeIncludes, false);
      try {
        const a = await reports(sharing, files);
        const b = await reports(alone, files);
        assert.deepEqual(a, b);
        assert.notDeepEqual(b[0], b[1], 'extra_t is found with the first include dirs only');
        const own = path.join(fakeIncludes, 'libc', 'own.pxd');
        const inside = path.join(fakeIncludes, 'libc', 'inside.pxd');
        const first = sharing.session.resolver(language, files[0]![1]);
        assert.equal(first.isLoaded(own), true);
        assert.equal(first.size, 2, 'own.pxd and extra_defs.pxd loaded by the resolver itself; inside.pxd shared');
        assert.equal(first.isLoaded(inside), true);
      } finally {
        sharing.dispose();
        alone.dispose();
      }
    });

    it('breaks the sharing at a cimport the shared resolver cannot resolve, and analyses are made again', async () => {
      const { language } = await loadGrammar();
      // `from libc cimport nowhere`: not declared in libc/__init__.pxd, so looked for as the module libc.nowhere
      fs.writeFileSync(path.join(fakeIncludes, 'libc', 'odd.pxd'), 'from libc cimport nowhere\nctypedef int odd_t\n');
      const file = path.join(dir, 'one', 'd.pyx');
      fs.writeFileSync(file, 'from libc.odd cimport *\nfrom libc.inside cimport inside\ncdef odd_t y = 1\n');
      const sharing = await engineWith(fakeIncludes, true);
      const alone = await engineWith(fakeIncludes, false);
      try {
        const dirs = [path.join(dir, 'one')];
        const resolver = sharing.session.resolver(language, dirs);
        const before = resolver.generation;
        const a = await reports(sharing, [[file, dirs]]);
        assert.ok(resolver.generation > before, 'the generation moved when the sharing broke');
        const b = await reports(alone, [[file, dirs]]);
        assert.deepEqual(a, b);
        const again = await reports(sharing, [[file, dirs]]);
        assert.deepEqual(again, b);
        assert.ok(resolver.isLoaded(path.join(fakeIncludes, 'libc', 'odd.pxd')));
        assert.ok(resolver.size >= 2, 'the resolver loads its own copies after the sharing broke');
      } finally {
        sharing.dispose();
        alone.dispose();
      }
    });
  });
});
