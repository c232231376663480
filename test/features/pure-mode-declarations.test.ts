/**
 * Pure Python mode declarations (`x = cython.declare(T)`, `cython.declare(x=T)`, `cython.typedef`, `cython.struct`)
 * seen through the features: the hover of a declared local shows its C type, the GIL state inside `with
 * cython.nogil:` is released, and the yellow lines of fixtures/pure-mode/declarations.py agree with `cython -3 -a`
 * (scores there: 0 on every declaration-only line, 7 on `b = cython.declare(cython.int, n)` and `a = n`, the unboxing
 * of n; 0 on the C statements of the nogil block).
 */
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { GIL_STATE_REQUEST, type GilStateResult } from '../../shared/src/protocol';
import { gilStateRequestFeature } from '../../server/src/features/gil-state-request';
import { hoverFeature } from '../../server/src/features/hover';
import { Engine } from '../../server/src/engine';
import { analyses } from '../../server/src/checks';
import { LspPair } from '../support/lsp-pair';
import { fixture, fixturePath } from '../support/paths';

const FILE = 'pure-mode/declarations.py';

function lineOf(text: string, needle: string): number {
  const k = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(k >= 0, needle);
  return k;
}

describe('pure Python mode declarations: hover, GIL state, yellow lines', () => {
  let pair: LspPair | undefined;
  afterEach(() => pair?.dispose());

  it('hovers a cython.declare local with its C type and tells the GIL state in with cython.nogil', async () => {
    const text = fixture(FILE);
    const uri = pathToFileURL(fixturePath(FILE)).href;
    pair = new LspPair({ debounceMs: 5, features: [hoverFeature, gilStateRequestFeature] });
    await pair.client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {},
      initializationOptions: { trusted: false } });
    await pair.client.sendNotification('initialized', {});
    await pair.open(uri, text, 1);
    await pair.diagnostics(uri, 1);
    const hover = async (needle: string, name: string): Promise<string> => {
      const line = lineOf(text, needle);
      const h: Hover | null = await pair!.client.sendRequest('textDocument/hover',
        { textDocument: { uri }, position: { line, character: text.split('\n')[line]!.indexOf(name) } });
      assert.ok(h, `hover on ${name}`);
      return (h.contents as MarkupContent).value;
    };
    assert.match(await hover('b = cython.declare(cython.int, n)', 'b'), /^`b`: `cython\.int` \(C variable, local\)/);
    assert.match(await hover('c = a * 2.0', 'c'), /^`c`: `cython\.double` \(C variable, local\)/);
    assert.match(await hover('e = cython.declare(MyInt, 3)', 'e'), /^`e`: `MyInt` \(C variable, local\)/);
    const nogil = lineOf(text, 'a = b + e');
    const state: GilStateResult = await pair.client.sendRequest(GIL_STATE_REQUEST,
      { textDocument: { uri }, position: { line: nogil, character: 8 } });
    assert.equal(state.state, 'released');
  });

  it('scores declarations like cython -3 -a and finds no GIL error in the nogil block of C locals', async () => {
    const engine = await Engine.create({ ...analyses, log: () => undefined });
    try {
      const text = fixture(FILE);
      const uri = pathToFileURL(fixturePath(FILE)).href;
      engine.open(uri, text, 1, 'python');
      const report = engine.analyze(uri);
      assert.ok(report);
      assert.deepEqual(report.diagnostics.filter((d) => d.severity === 1), []);
      const score = (needle: string): number => report.annotations.find((a) => a.line === lineOf(text, needle))?.score ?? 0;
      for (const zero of ['g = cython.declare(cython.int)', 'h = cython.declare(cython.double, 2.5)',
        'cython.declare(k=cython.int, m=cython.double)', 'MyInt = cython.typedef', 'Point = cython.struct',
        'a = cython.declare(cython.int)', 'cython.declare(c=cython.double', 'p = cython.declare(Point)',
        'e = cython.declare(MyInt, 3)', 'o = cython.declare(object)', 'a = b + e', 'c = a * 2.0', 'p.x = c',
        'd = p.x + g + h', 'k = a', 'y = cython.declare(cython.int, x * 2)', 'return y']) {
        assert.equal(score(zero), 0, zero);
      }
      assert.equal(score('b = cython.declare(cython.int, n)'), 7);
      assert.equal(score('a = n'), 7);
      engine.close(uri);
    } finally {
      engine.dispose();
    }
  });
});

/**
 * `@cython.cclass` classes are extension types (fixtures/pure-mode/cclass.py). `cython -3 -a` on the fixture gives 0
 * on the decorator and class lines, the annotated and `cython.declare(a=..)` attributes, the `@cython.cfunc` method
 * and the C statements of its methods, 2 on the type slots `__dealloc__` / `__len__` (no argument parsing); it scores the
 * `readonly`/`public` attributes (their Python properties: 11 and 41), the Python methods' wrappers (`def area`: 27)
 * and the `@cython.ccall` method (the override check: 69).
 */
describe('pure Python mode cclass: an extension type', () => {
  it('types its attributes and scores it like cython -3 -a', async () => {
    const engine = await Engine.create({ ...analyses, log: () => undefined });
    try {
      const file = 'pure-mode/cclass.py';
      const text = fixture(file);
      const uri = pathToFileURL(fixturePath(file)).href;
      engine.open(uri, text, 1, 'python');
      const report = engine.analyze(uri);
      assert.ok(report);
      assert.deepEqual(report.diagnostics.filter((d) => d.severity === 1), []);
      const score = (needle: string): number => report.annotations.find((a) => a.line === lineOf(text, needle))?.score ?? 0;
      for (const zero of ['class Shrubbery:', '    width: cython.int', 'cython.declare(a=cython.int, b=cython.double)',
        '@cython.cfunc', 'def c_area(self)', 'self.width = 0', 'class Sub(Shrubbery)',
        'extra: cython.double', 'self.extra = x * self.width', 'n = s.width * 2']) {
        assert.equal(score(zero), 0, zero);
      }
      for (const scored of ["name = cython.declare(object, visibility='readonly')",
        "depth = cython.declare(cython.double, visibility='public')", 'def __cinit__', 'def area(self)', '@cython.ccall',
        'def more(self']) {
        assert.ok(score(scored) > 0, scored);
      }
      // type slots: no argument parsing, only the error exit (2)
      assert.equal(score('def __dealloc__'), 2);
      assert.equal(score('def __len__'), 2);
      // the Python wrapper of a def method parses its arguments; the ccall method's override check costs more
      assert.ok(score('@cython.ccall') > score('def area(self)'));
      engine.close(uri);
    } finally {
      engine.dispose();
    }
  });
});

/**
 * In a `.py` file `cython` names the cython module only once imported (`import cython`; `from cython.parallel import
 * prange` does not bind it: InterpretCompilerDirectives). fixtures/pure-mode/cython_not_imported.py: `cython -3 -a`
 * warns "Unknown type declaration 'cython.int' in annotation, ignoring" and makes s a Python object: `s = s + i` is a
 * Python addition (3), where with `import cython` s is a C int (13: i converted both ways).
 */
describe('pure Python mode: cython not imported', () => {
  it('reads cython.int as no C type when the module does not import cython', async () => {
    const engine = await Engine.create({ ...analyses, log: () => undefined });
    try {
      const file = 'pure-mode/cython_not_imported.py';
      const text = fixture(file);
      const score = (source: string, uri: string): number => {
        engine.open(uri, source, 1, 'python');
        const report = engine.analyze(uri);
        engine.close(uri);
        assert.ok(report);
        return report.annotations.find((a) => a.line === lineOf(source, 's = s + i'))?.score ?? 0;
      };
      const without = score(text, pathToFileURL(fixturePath(file)).href);
      const withImport = score(text.replace(/^from cython.parallel import prange$/m, 'import cython'),
        'file:///work/cython_imported.py');
      assert.ok(withImport > without, `${withImport} > ${without}`);
      assert.ok(without <= 6, String(without));
    } finally {
      engine.dispose();
    }
  });
});

/**
 * A cclass body declares the class's layout: typing a member into it changes the module's declarations (the module
 * interface keeps a decorated class's members, and a `.py` module's classes: model/module-interface.ts).
 */
describe('pure Python mode cclass: editing its body', () => {
  it('sees an attribute typed into the class body', async () => {
    const engine = await Engine.create({ ...analyses, log: () => undefined });
    try {
      const uri = 'file:///work/cclass_edit.py';
      const text = ['import cython', '', '@cython.cclass', 'class Counter:', '    count: cython.int', '', '',
        'def f(c: Counter):', '    n: cython.int', '    with cython.nogil:', '        n = c.count + c.extra', '    return n', ''].join('\n');
      engine.open(uri, text, 1, 'python');
      const errors = (): string[] => (engine.analyze(uri)?.diagnostics ?? []).filter((d) => d.severity === 1).map((d) => d.message);
      // c.extra is no attribute of the extension type: a Python attribute lookup without the GIL
      assert.ok(errors().length > 0, 'c.extra is a Python attribute');
      assert.ok(engine.change(uri, 2, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } },
        text: '    extra: cython.int' }]));
      assert.deepEqual(errors(), []);
      engine.close(uri);
    } finally {
      engine.dispose();
    }
  });
});
