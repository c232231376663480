/**
 * cimports resolve relative to each importing file: the same module name in two folders is two different .pxd. A
 * relative cimport (`from ..util.helpers cimport twice`) names a module of the importing file's package, which the
 * compiler looks for in the package root and in the include dirs (another tree holding the package's .pxd files).
 * A .pyx's own members (its `def` methods and properties) belong to that module only: a module that cimports the
 * .pxd sees the .pxd alone, whichever modules were analysed before it. Likewise a name of the .pxd that the .pyx
 * also binds as a Python name (`import helpers` beside the .pxd's `cimport helpers`, a `def` or an assignment of a
 * C function's name) is a Python name in that .pyx only, and only while the .pyx binds it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Parser } from 'web-tree-sitter';
import { Engine } from '../../server/src/engine';
import { buildModuleBase } from '../../server/src/model/module-model';
import { PxdResolver } from '../../server/src/model/pxd-resolver';
import { loadGrammar } from '../../server/src/tree/language';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { analyses } from '../../server/src/checks';

describe('.pxd resolution', () => {
  let engine: Engine;
  let dir: string;
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 60_000 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-pxd-'));
    for (const [sub, spec] of [['a', 'noexcept nogil'], ['b', '']] as const) {
      fs.mkdirSync(path.join(dir, sub));
      fs.writeFileSync(path.join(dir, sub, 'helpers.pxd'), `cdef double twice(double x) ${spec}\n`);
      fs.writeFileSync(path.join(dir, sub, 'user.pyx'), [
        'from helpers cimport twice', '', 'def run(double v):', '    cdef double r', '    with nogil:',
        '        r = twice(v)', '    return r', ''].join('\n'));
    }
  });
  after(() => {
    engine.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const gilErrors = (sub: string, includeDirs: string[] = []): string[] => {
    const file = path.join(dir, sub, 'user.pyx');
    const uri = pathToFileURL(file).toString();
    engine.open(uri, fs.readFileSync(file, 'utf8'), 1);
    const report = engine.analyze(uri, { ...defaultSettings(), includeDirs });
    engine.close(uri);
    return (report?.diagnostics ?? []).filter((d) => d.severity === 1).map((d) => `${d.range.start.line + 1}: ${d.message}`);
  };

  it("reports a cimporting module the same before and after the cimported .pyx was analysed", () => {
    const sub = path.join(dir, 'order');
    fs.mkdirSync(sub);
    const files: Record<string, string> = {
      'provider.pxd': 'cdef class Op:\n    cdef readonly list _grids\n    cdef int n\n',
      'provider.pyx': 'cdef class Op:\n    @property\n    def grids(self):\n        return self._grids\n\n'
        + '    def count(self):\n        return self.n\n',
      'consumer.pyx': 'from provider cimport Op\n\ndef f(Op op):\n    return f"{op.grids[0]!r}"\n\n'
        + 'def g(Op op):\n    return op.count()\n',
    };
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(sub, name), text);
    const report = (name: string): string => {
      const uri = pathToFileURL(path.join(sub, name)).toString();
      engine.open(uri, files[name]!, 1);
      const r = engine.analyze(uri, defaultSettings());
      engine.close(uri);
      assert.ok(r, `no report for ${name}`);
      return JSON.stringify({ diagnostics: r.diagnostics, annotations: r.annotations });
    };
    const alone = report('consumer.pyx');
    assert.match(alone, /"line":3/, 'the f-string line has a score'); // a report with content, not an empty one
    report('provider.pyx');
    assert.equal(report('consumer.pyx'), alone);
  });

  it("binds a companion .pxd's names as Python names in its .pyx only, and only while the .pyx binds them", async () => {
    const sub = path.join(dir, 'also-python');
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, 'helpers.pxd'), 'cdef int twice(int x) nogil\n');
    fs.writeFileSync(path.join(sub, 'mod.pxd'), 'cimport helpers\n\ncdef int f(int x)\ncdef int g(int x)\n');
    const pyx = 'import helpers\n\ncdef int f(int x):\n    return x\n\ndef g():\n    pass\n\nh = 1\n';
    fs.writeFileSync(path.join(sub, 'mod.pyx'), pyx);
    // the model: the .pyx's scope flags them, the .pxd's symbols (shared by every module that cimports it) stay as
    // the .pxd declares them
    const parser = new Parser();
    parser.setLanguage((await loadGrammar()).language);
    const resolver = new PxdResolver((t) => parser.parse(t)!, { includeDirs: [], systemDirs: [] }, Date.now);
    const uri = pathToFileURL(path.join(sub, 'mod.pyx')).toString();
    const tree = parser.parse(pyx)!;
    try {
      const base = buildModuleBase(tree, uri, resolver);
      const own = base.declarations.symbols;
      assert.deepEqual(['helpers', 'g'].map((n) => [n, own.get(n)?.alsoPython]), [['helpers', true], ['g', true]]);
      const pxd = resolver.companionOf(uri)!.symbols;
      assert.deepEqual(['helpers', 'f', 'g'].map((n) => [n, pxd.get(n)?.kind, pxd.get(n)?.alsoPython ?? false]),
        [['helpers', 'cimported-module', false], ['f', 'c-function', false], ['g', 'c-function', false]]);
    } finally {
      tree.delete();
    }
    // through the engine: `helpers.version` in a nogil block is a Python global's attribute while the .pyx imports
    // helpers; once the import is deleted, the report is a fresh engine's (helpers is the .pxd's cimport alone)
    const body = '\ncdef int k() noexcept nogil:\n    helpers.version\n    return 0\n';
    const errors = (e: Engine, text: string, version: number): string[] => {
      e.open(uri, text, version);
      const r = e.analyze(uri, defaultSettings());
      return (r?.diagnostics ?? []).map((d) => `${d.range.start.line + 1}: ${d.message}`);
    };
    assert.ok(errors(engine, `import helpers\n${body}`, 1).includes('4: Accessing Python global or builtin not allowed without gil'));
    const edited = errors(engine, `# import helpers\n${body}`, 2);
    engine.close(uri);
    const fresh = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 60_000 });
    try {
      assert.deepEqual(edited, errors(fresh, `# import helpers\n${body}`, 1));
    } finally {
      fresh.dispose();
    }
    assert.ok(!edited.some((d) => d.includes('Accessing Python global')), edited.join('\n'));
  });

  it('uses the sibling .pxd of each importing file', () => {
    assert.deepEqual(gilErrors('a'), []); // a/helpers.pxd: twice is nogil
    assert.deepEqual(gilErrors('b'), ['6: Calling gil-requiring function not allowed without gil']); // b/helpers.pxd: not
  });

  it('finds a relative cimport of the package in an include dir', () => {
    // copy/pkg/sub/user.pyx (module pkg.sub.user) cimports ..util.helpers = pkg.util.helpers, which only the
    // original tree src/pkg/util/helpers.pxd has: the compiler finds it through the include dir src/.
    const write = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    for (const tree of ['src', 'copy']) {
      write(`${tree}/pkg/__init__.py`, '');
      write(`${tree}/pkg/sub/__init__.py`, '');
    }
    write('src/pkg/util/__init__.py', '');
    write('src/pkg/util/helpers.pxd', 'cdef void twice(int x) nogil\n');
    write('copy/pkg/sub/user.pyx', ['from ..util.helpers cimport twice', '', 'cdef void run(int v) noexcept nogil:',
      '    twice(v)', ''].join('\n'));
    const hints = (includeDirs: string[]): string[] => {
      const file = path.join(dir, 'copy', 'pkg', 'sub', 'user.pyx');
      const uri = pathToFileURL(file).toString();
      engine.open(uri, fs.readFileSync(file, 'utf8'), 1);
      const report = engine.analyze(uri, { ...defaultSettings(), includeDirs });
      engine.close(uri);
      return (report?.diagnostics ?? []).filter((d) => /Exception check after calling/.test(d.message))
        .map((d) => `${d.range.start.line + 1}: ${d.message.split('\n')[0]}`);
    };
    // cython -3 -I src copy/pkg/sub/user.pyx: "4:9: Exception check after calling 'twice' will always require
    // the GIL to be acquired."
    assert.deepEqual(hints([path.join(dir, 'src')]),
      ["4: Exception check after calling 'twice' will always require the GIL to be acquired."]);
    assert.deepEqual(hints([]), []); // not found: unknown, nothing said
  });
});
