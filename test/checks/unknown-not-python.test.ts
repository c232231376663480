/**
 * "Unknown is not Python": real code that compiles (each fixture in server/src/checks/fixtures/unknown/ compiles with
 * the pinned Cython beside the piece it needs: a .pxd, a .pxi, the module's own .pxd) analysed WITHOUT that piece
 * gives no error and no warning: names, types and class members we cannot see are unknown, never Python objects.
 * And a definition holding a syntax error gives no GIL or type error from its broken part.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { Engine } from '../../server/src/engine';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { REPO_ROOT } from '../support/paths';
import { VENV_PYTHON, compileWithCython } from '../support/compiler';
import { analyses } from '../../server/src/checks';

const FIXTURES = path.join(REPO_ROOT, 'server', 'src', 'checks', 'fixtures', 'unknown');
const cases = fs.readdirSync(FIXTURES).filter((d) => fs.existsSync(path.join(FIXTURES, d, `${d}.pyx`)));

const describeAll = (ds: Diagnostic[]): string =>
  ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}: ${d.message.split('\n')[0]}`)
    .join('\n');

describe('unknown is not Python', () => {
  let engine: Engine;
  let alone: string;
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined });
    await engine.session.discover(VENV_PYTHON);
    alone = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-unknown-'));
  });
  after(() => {
    engine.dispose();
    fs.rmSync(alone, { recursive: true, force: true });
  });

  let version = 0;
  const analyse = (file: string, text = fs.readFileSync(file, 'utf8')): Diagnostic[] => {
    const uri = pathToFileURL(file).toString();
    engine.open(uri, text, ++version);
    const report = engine.analyze(uri, defaultSettings());
    engine.close(uri);
    assert.ok(report);
    return report.diagnostics;
  };
  const serious = (ds: Diagnostic[]): Diagnostic[] =>
    ds.filter((d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning);

  it('has fixtures', () => assert.ok(cases.length >= 4, cases.join(', ')));

  for (const name of cases) {
    const file = path.join(FIXTURES, name, `${name}.pyx`);

    it(`${name}: compiles with the pinned Cython, the missing piece present`, () => {
      const errors = compileWithCython(file).filter((m) => m.kind === 'error');
      assert.deepEqual(errors, []);
    });

    it(`${name}: no error with the piece present either`, () => {
      assert.equal(describeAll(serious(analyse(file))), '');
    });

    it(`${name}: no error and at most one note per unresolved piece when it is missing`, () => {
      const copy = path.join(alone, `${name}.pyx`);
      fs.copyFileSync(file, copy);
      const ds = analyse(copy);
      assert.equal(describeAll(serious(ds)), '');
      // at most one note saying why: for the missing piece, and for each class whose layout it hides
      const notes = ds.filter((d) => d.severity === DiagnosticSeverity.Information && d.code !== 'boundscheck-hint');
      assert.ok(notes.every((d) => d.code === 'unresolved-cimport' || d.code === 'incomplete-class-layout'),
        describeAll(notes));
      assert.ok(notes.filter((d) => d.code === 'unresolved-cimport').length <= 1, describeAll(notes));
      const classNotes = notes.filter((d) => d.code === 'incomplete-class-layout').map((d) => d.range.start.line);
      assert.equal(new Set(classNotes).size, classNotes.length, describeAll(notes));
    });

    it(`${name}: a syntax error in a definition gives no GIL or type error from it`, () => {
      const text = fs.readFileSync(file, 'utf8');
      const lines = text.split('\n');
      // every nogil definition in turn: its header without the colon, or an unclosed call in its first statement
      const headers = lines.map((l, i) => (/^\s*cdef .*nogil:\s*$/.test(l) ? i : -1)).filter((i) => i >= 0);
      assert.ok(headers.length > 0);
      for (const h of headers) {
        for (const [broken, mustBeSyntaxError] of [
          // (the grammar reads an indented block after a colon-less header as statements of the enclosing body)
          [lines.map((l, i) => (i === h ? l.replace(/:\s*$/, '') : l)), false],
          [lines.map((l, i) => (i === h + 1 ? `${l.replace(/\s+$/, '')} + f(` : l)), true],
        ] as const) {
          const ds = serious(analyse(file, broken.join('\n')));
          if (mustBeSyntaxError) assert.ok(ds.some((d) => d.code === 'syntax'), `line ${h + 1}: a syntax error`);
          assert.equal(describeAll(ds.filter((d) => d.code !== 'syntax')), '', `line ${h + 1} broken`);
        }
      }
    });
  }

  it('a .pxi on its own: names its includer declares are unknown, not Python globals (no error)', () => {
    const pxi = path.join(FIXTURES, 'pxi_alone', 'tree_body.pxi');
    assert.equal(describeAll(serious(analyse(pxi))), '');
    // the same code as a module of its own is complete: the undeclared names are Python globals there
    const copy = path.join(alone, 'tree_body_as_module.pyx');
    fs.copyFileSync(pxi, copy);
    assert.ok(serious(analyse(copy)).some((d) => d.code === 'nogil-python-global'), 'a .pyx with undeclared names');
  });

  it('a cdef class whose attributes are all in the .pyx is complete: an undeclared attribute is a Python one', () => {
    const copy = path.join(alone, 'complete_class.pyx');
    fs.writeFileSync(copy, [
      'cdef class K:',
      '    cdef int n',
      '    cdef void f(self) noexcept nogil:',
      '        self.n += 1',
      '        self.missing = 2',
      '',
    ].join('\n'));
    const ds = serious(analyse(copy));
    assert.ok(ds.some((d) => d.range.start.line === 4 && /Python attribute/.test(d.message)), describeAll(ds));
    assert.ok(!ds.some((d) => d.range.start.line === 3), describeAll(ds));
  });

  it('statements after return/raise/break/continue are not checked (the compiler removes them)', () => {
    const copy = path.join(alone, 'unreachable.pyx');
    fs.writeFileSync(copy, [
      'cdef int f(int n) noexcept nogil:',
      '    while n > 0:',
      '        if n == 3:',
      '            break',
      '            print(n)',
      '        n -= 1',
      '        continue',
      '        x = [n]',
      '    if n:',
      '        return 1',
      '    else:',
      '        return 2',
      '    return len([n])',
      '',
      'cdef int g(int n) noexcept nogil:',
      '    if n:',
      '        return 1',
      '    l = [n]',
      '    return 0',
      '',
    ].join('\n'));
    const ds = serious(analyse(copy));
    assert.ok(ds.every((d) => d.range.start.line === 17 || d.range.start.line === 14), describeAll(ds));
    assert.ok(ds.some((d) => d.range.start.line === 17), describeAll(ds));
  });
});
