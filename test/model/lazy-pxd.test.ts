/**
 * .pxd declarations collected on demand (lazy-declarations.ts) are the declarations the whole-file collection
 * finds: for every .pxd bundled with Cython, NumPy and scipy.linalg in the project's .venv, and for a fixture of tricky
 * constructs, each name looked up alone (in reverse order, in a fresh resolver) equals the eager result.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Parser, type Language } from 'web-tree-sitter';
import type { CType, FunctionSignature } from '../../server/src/model/c-types';
import type { CimportRequest } from '../../server/src/model/declaration-types';
import { PxdResolver, type SearchPaths } from '../../server/src/model/pxd-resolver';
import { signaturePending } from '../../server/src/model/lazy-signatures';
import { splitPxdUnits } from '../../server/src/model/pxd-units';
import type { Symbol } from '../../server/src/model/symbols';
import { loadGrammar } from '../../server/src/tree/language';
import { REPO_ROOT } from '../support/paths';

/** A canonical description of a symbol (types followed to a bounded depth, cycles cut). */
function describeSymbol(sym: Symbol | undefined): string {
  if (!sym) return 'undefined';
  const seen = new Set<object>();
  const loc = (l: { uri: string; line: number; character: number } | undefined): string =>
    (l ? `${path.basename(l.uri)}:${l.line}:${l.character}` : '-');
  const sig = (s: FunctionSignature, depth: number): string => `${s.name}(${s.params.map((p) => `${p.name}:${type(p.type, depth)}${p.hasDefault ? '=' : ''}`).join(',')}${s.varargs ? ',...' : ''})->${type(s.returnType, depth)} ${s.nogil ? 'nogil' : ''}${s.withGil ? 'withgil' : ''} ${JSON.stringify(s.exception)} ${s.origin} ${s.inPxd} ${loc(s.location)}`;
  const type = (t: CType, depth: number): string => {
    if (depth > 4) return `${t.kind}…`;
    if (seen.has(t)) return `${t.kind}↺`;
    seen.add(t);
    try {
      const rec = t as unknown as Record<string, unknown>;
      const parts: string[] = [t.kind];
      for (const [k, v] of Object.entries(rec).sort(([a], [b]) => a.localeCompare(b))) {
        if (k === 'kind') continue;
        if (v && typeof v === 'object' && 'kind' in v) parts.push(`${k}=${type(v as CType, depth + 1)}`);
        else if (k === 'sig') parts.push(`sig=${sig(v as FunctionSignature, depth + 1)}`);
        else if (k === 'members' || k === 'args') parts.push(`${k}=[${(v as CType[]).map((m) => type(m, depth + 1)).join(',')}]`);
        else if (k === 'info' || k === 'cls') {
          const info = v as { name: string; fields?: Map<string, CType>; attributes?: Map<string, CType>;
            methods?: Map<string, FunctionSignature>; base?: string; location?: { uri: string; line: number; character: number } };
          const maps = [...(info.fields ?? []), ...(info.attributes ?? [])].map(([n, ft]) => `${n}:${type(ft, depth + 1)}`);
          const methods = [...(info.methods ?? [])].map(([n, s]) => `${n}=${sig(s, depth + 1)}`);
          parts.push(`${k}={${info.name} base=${info.base ?? ''} ${maps.join(';')} | ${methods.join(';')} ${loc(info.location)}}`);
        } else parts.push(`${k}=${JSON.stringify(v)}`);
      }
      return parts.join(' ');
    } finally {
      seen.delete(t);
    }
  };
  return [sym.name, sym.kind, sym.binding, type(sym.type, 0), sym.signature ? sig(sym.signature, 0) : '', loc(sym.location),
    sym.alsoPython ? 'alsoPython' : '', sym.origin ?? '', sym.module ? `module ${sym.module.name} ${path.basename(sym.module.uri)}` : ''].join(' | ');
}

const TRICKY = `
from libc.stdio cimport FILE as CFile, fopen
cimport libc.math as cmath
cimport numpy as cnp
DEF SIZE = 3

ctypedef cnp.float64_t float64_t
cdef struct Later
ctypedef Later* LaterPtr
cdef struct Later:
    int x
    LaterPtr next

cdef enum Color:
    RED = 1, GREEN
    BLUE
cpdef enum Flags:
    A
    B
cdef enum:
    ANON_ONE
ctypedef enum Typed: TA, TB

ctypedef void (*callback_t)(int, void*) noexcept nogil
ctypedef int (*cmp_t "compare")(const void*, const void*)
cdef double a, *b, c[SIZE]
cdef (int, double) pair_of(int x) noexcept
cdef public api int exported

ctypedef fused floating:
    float
    double

cdef extern from "thing.h" nogil:
    """
    /* verbatim C */
    """
    ctypedef struct thing_t:
        int n
        double* data
    thing_t* thing_new(size_t n) except NULL
    int thing_fill(thing_t* t, double v,
                   int flags) except -1
    void (*thing_hook)(thing_t*)
    int THING_MAX "THING_MAX_C"

cdef extern from "vec.h" namespace "ns":
    cdef cppclass Vec[T, A=*]:
        Vec() except +
        T& at(size_t) except +
        void push_back(T&) except +
    void sort[Iter](Iter first, Iter last) except +

cdef class Base:
    cdef int n
    cdef int get(self) noexcept nogil

cdef class Derived(Base):
    cdef public double scale
    cdef inline double scaled(self, double v) noexcept nogil:
        return v * self.scale

cdef inline floating twice(floating x) noexcept nogil:
    return 2 * x

cdef:
    int block_a
    double block_b(double) noexcept

ctypedef Derived DerivedAlias
cdef Color default_color
`;

describe('lazy .pxd declarations', () => {
  let language: Language;
  let parser: Parser;
  let dir: string;
  let paths: SearchPaths;
  const sitePackages = (): string | undefined => {
    const lib = path.join(REPO_ROOT, '.venv', 'lib');
    if (!fs.existsSync(lib)) return undefined;
    const py = fs.readdirSync(lib).find((d) => d.startsWith('python'));
    return py ? path.join(lib, py, 'site-packages') : undefined;
  };
  before(async () => {
    language = (await loadGrammar()).language;
    parser = new Parser();
    parser.setLanguage(language);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-lazy-pxd-'));
    fs.writeFileSync(path.join(dir, 'tricky.pxd'), TRICKY);
    const site = sitePackages();
    paths = { includeDirs: [dir], systemDirs: site ? [path.join(site, 'Cython', 'Includes'), site] : [] };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const resolver = (lazy: boolean): PxdResolver => new PxdResolver((t) => parser.parse(t)!, paths, Date.now, { lazy });

  /**
   * Every name of `file`, looked up alone in a fresh lazy resolver (in reverse order), against the eager result.
   * The one accepted difference: a cimport cycle between .pxd files (libcpp.string ↔ libcpp.string_view) leaves
   * the names of the file loaded second unresolved in the whole-file collection (its outer load is not done yet);
   * collected on demand they resolve.
   */
  const cycleResolved: string[] = [];
  /** Names a unit declared without listing them, over the lazy resolvers of `compare` (must stay empty). */
  const unlisted: string[] = [];
  const compare = (file: string): number => {
    const eager = resolver(false);
    const lazy = resolver(true);
    const enumerated = resolver(true);
    try {
      const whole = eager.load(file);
      assert.ok(whole, `eager load of ${file}`);
      const names = [...whole.symbols.keys()].reverse();
      const mod = lazy.load(file)!;
      for (const name of names) {
        const got = describeSymbol(mod.symbols.get(name));
        const want = describeSymbol(whole.symbols.get(name));
        if (got !== want && eager.cimportCycles > 0 && /unknown reason="type |\| unresolved \|/.test(want)) {
          cycleResolved.push(`${path.basename(file)}: ${name}`);
          continue;
        }
        assert.equal(got, want, `${file}: ${name}`);
      }
      // enumerating the module gives the same names in the same order
      assert.deepEqual([...lazy.load(file)!.symbols.keys()].sort(), [...whole.symbols.keys()].sort(), file);
      // enumerated before any lookup (a star cimport, a .pyx's own .pxd): collected from one parse of the whole file
      const all = enumerated.load(file)!;
      assert.deepEqual([...all.symbols.keys()].sort(), [...whole.symbols.keys()].sort(), file);
      for (const name of names) {
        const got = describeSymbol(all.symbols.get(name));
        const want = describeSymbol(whole.symbols.get(name));
        if (got !== want && eager.cimportCycles > 0 && /unknown reason="type |\| unresolved \|/.test(want)) continue;
        assert.equal(got, want, `${file}: ${name} (enumerated first)`);
      }
      return names.length;
    } finally {
      unlisted.push(...lazy.lazyStats.unlisted);
      eager.dispose();
      lazy.dispose();
      enumerated.dispose();
    }
  };

  it('splits a .pxd into units that list the names they declare', () => {
    const units = splitPxdUnits(TRICKY)!;
    const declares = (name: string): number => units.filter((u) => u.names.includes(name)).length;
    for (const name of ['CFile', 'fopen', 'cmath', 'cnp', 'SIZE', 'float64_t', 'Later', 'LaterPtr', 'Color', 'RED', 'GREEN',
      'BLUE', 'A', 'B', 'ANON_ONE', 'TA', 'TB', 'callback_t', 'cmp_t', 'a', 'b', 'c', 'pair_of', 'exported', 'floating',
      'thing_t', 'thing_new', 'thing_fill', 'thing_hook', 'THING_MAX', 'Vec', 'sort', 'Base', 'Derived', 'twice',
      'block_a', 'block_b', 'DerivedAlias', 'default_color']) {
      assert.ok(declares(name) > 0, `a unit declares ${name}`);
    }
    // a parameter or return type is not a declaration of the function's unit
    assert.ok(!units.find((u) => u.names.includes('thing_new'))!.names.includes('size_t'));
    assert.ok(!units.find((u) => u.names.includes('thing_fill'))!.names.includes('thing_t'));
  });

  it('gives up on what it cannot split (the file is then collected whole)', () => {
    assert.equal(splitPxdUnits('include "x.pxi"\n'), undefined);
    assert.equal(splitPxdUnits('from libc.math cimport *\n'), undefined);
    assert.equal(splitPxdUnits('IF UNAME_SYSNAME == "Linux":\n    cdef int x\n'), undefined);
    assert.equal(splitPxdUnits('cdef int f(int x\n'), undefined);
    assert.equal(splitPxdUnits('cdef extern from "h":\n\tint x\n'), undefined);
  });

  it('collects the fixture name by name exactly as the whole file', () => {
    unlisted.length = 0;
    assert.ok(compare(path.join(dir, 'tricky.pxd')) > 30);
    assert.deepEqual(unlisted, []);
  });

  it('reads the signatures of a .pxd enumerated first on use, against its scope as it was at the declaration', () => {
    // a type defined or redefined below a declaration is not the one it names (the eager collection, in file order)
    const body = 'ctypedef int redefined_t\ncdef redefined_t before_redefinition(redefined_t x, Later* p)\n'
      + 'ctypedef double redefined_t\ncdef later_t before_later(later_t x)\nctypedef int later_t\n'
      + 'cdef struct Later:\n    int n\ncpdef int python_too(int x)\ncdef extern int extern_int(int)\n'
      + 'cdef redefined_t after(redefined_t x) noexcept nogil\n';
    // split into units (enumerated whole: lazy-declarations.ts) and not split (a star cimport: pxd-resolver.ts)
    for (const [name, text] of [['order_split.pxd', body], ['order_whole.pxd', `from libc.math cimport *\n${body}`]] as const) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      assert.equal(splitPxdUnits(text) === undefined, name === 'order_whole.pxd');
      const eager = resolver(false);
      const lazy = resolver(true);
      try {
        const whole = eager.load(file)!;
        const all = lazy.load(file)!;
        assert.deepEqual([...all.symbols.keys()], [...whole.symbols.keys()], name);
        const functions = ['before_redefinition', 'before_later', 'python_too', 'extern_int', 'after'];
        for (const f of functions) assert.ok(signaturePending(all.symbols.get(f)!), `${name}: ${f} not read yet`);
        assert.equal(all.symbols.get('python_too')!.alsoPython, true);
        for (const n of [...whole.symbols.keys()].reverse()) {
          assert.equal(describeSymbol(all.symbols.get(n)), describeSymbol(whole.symbols.get(n)), `${name}: ${n}`);
        }
        const sig = all.symbols.get('before_redefinition')!.signature!;
        assert.equal(sig.params[0]!.type.kind === 'scalar' && sig.params[0]!.type.underlying, 'int');
        assert.equal(all.symbols.get('before_later')!.signature!.params[0]!.type.kind, 'unknown');
        assert.ok(!signaturePending(all.symbols.get('after')!));
      } finally {
        eager.dispose();
        lazy.dispose();
      }
    }
  });

  it('parses only the units a lookup needs: cnp.float64_t does not collect numpy', () => {
    if (!paths.systemDirs.length) assert.fail('the project .venv (scripts/setup-python.sh) is needed');
    const lazy = resolver(true);
    try {
      const from = pathToFileURL(path.join(dir, 'user.pyx')).toString();
      const np = lazy.resolve({ module: 'numpy', level: 0 } as CimportRequest, from)!;
      const before = lazy.lazyStats.unitsParsed;
      const f64 = np.symbols.get('float64_t');
      assert.equal(f64?.kind, 'c-type');
      assert.equal(f64?.type.kind, 'scalar');
      assert.ok(lazy.lazyStats.unitsParsed - before <= 4, `${lazy.lazyStats.unitsParsed - before} units parsed`);
      assert.equal(np.symbols.get('no_such_name'), undefined);
    } finally {
      lazy.dispose();
    }
  });

  it('collects every .pxd bundled with Cython, NumPy and scipy.linalg name by name exactly as the whole file', () => {
    const site = sitePackages();
    if (!site) assert.fail('the project .venv (scripts/setup-python.sh) is needed');
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.pxd')) files.push(p);
      }
    };
    for (const d of [path.join(site, 'Cython', 'Includes'), path.join(site, 'numpy'), path.join(site, 'scipy', 'linalg')]) {
      if (fs.existsSync(d)) walk(d);
    }
    assert.ok(files.length > 100, `${files.length} .pxd files`);
    unlisted.length = 0;
    let names = 0;
    let split = 0;
    for (const f of files) {
      names += compare(f);
      if (splitPxdUnits(fs.readFileSync(f, 'utf8'))) split++;
    }
    assert.deepEqual(unlisted, []);
    assert.ok(cycleResolved.length < 20, cycleResolved.join('\n'));
    assert.ok(split > files.length * 0.9, `${split} of ${files.length} files split into units`);
    assert.ok(names > 5000, `${names} names compared`);
  });
});

describe('.pxd resolver generation', () => {
  let parser: Parser;
  let dir: string;
  before(async () => {
    parser = new Parser();
    parser.setLanguage((await loadGrammar()).language);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-pxd-gen-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('changes when a missing .pxd appears or a loaded one changes, not when one is first loaded', () => {
    let now = 0;
    const r = new PxdResolver((t) => parser.parse(t)!, { includeDirs: [], systemDirs: [] }, () => now);
    const from = pathToFileURL(path.join(dir, 'user.pyx')).toString();
    const request = { module: 'helpers', level: 0 } as CimportRequest;
    assert.equal(r.resolve(request, from), undefined);
    const g0 = r.generation;
    fs.writeFileSync(path.join(dir, 'helpers.pxd'), 'cdef double twice(double x)\n');
    now += 1000;
    assert.equal(r.resolve(request, from), undefined, 'a negative lookup is cached for a few seconds');
    now += 5000;
    const mod = r.resolve(request, from);
    assert.equal(mod?.symbols.get('twice')?.kind, 'c-function');
    assert.ok(r.generation > g0, 'the lookup found a file it had not found before');
    const g1 = r.generation;
    r.resolve({ module: 'libc.math', level: 0 } as CimportRequest, from); // not found, nothing loaded
    fs.writeFileSync(path.join(dir, 'other.pxd'), 'cdef int x\n');
    r.resolve({ module: 'other', level: 0 } as CimportRequest, from)?.symbols.get('x');
    assert.equal(r.generation, g1, 'loading a .pxd for the first time');
    fs.writeFileSync(path.join(dir, 'helpers.pxd'), 'cdef double twice(double x) noexcept nogil\n');
    fs.utimesSync(path.join(dir, 'helpers.pxd'), new Date(), new Date(Date.now() + 10_000));
    now += 5000;
    const reloaded = r.resolve(request, from);
    assert.ok(r.generation > g1, 'a loaded .pxd changed');
    assert.equal(reloaded?.symbols.get('twice')?.signature?.nogil, true);
    r.dispose();
  });
});
