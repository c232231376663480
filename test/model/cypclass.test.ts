/**
 * Cython+ cypclasses in the model: a cypclass is a C++ class whose use needs no GIL (constructing, calling methods,
 * reading fields, `consume`, `with wlocked`), its methods are implicitly nogil (a Python object inside one is the
 * usual nogil error), its fields are named without `self.` and `this` is the object. Checked against the Cython+
 * compiler (.venv-cyplus, scripts/setup-cyplus.sh) on test/fixtures/cypclass/gil_free.pyx: the compiler reports
 * exactly the fixture's `_ERRORS`, and our engine reports errors on no other line.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { Engine } from '../../server/src/engine';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { REPO_ROOT } from '../support/paths';
import { expectedErrors } from '../support/compiler';
import { compileWithCyplus, requireCyplus } from '../support/cyplus';
import { analyses } from '../../server/src/checks';
import { Parser } from 'web-tree-sitter';
import { typeToString } from '../../server/src/model/c-types';
import { buildModuleModel } from '../../server/src/model/module-model';
import { PxdResolver } from '../../server/src/model/pxd-resolver';
import { loadGrammar } from '../../server/src/tree/language';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'cypclass', 'gil_free.pyx');

describe('cypclass model: GIL-free objects', () => {
  let engine: Engine;
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined });
  });
  after(() => engine.dispose());

  it('the Cython+ compiler reports exactly the fixture\'s _ERRORS', () => {
    requireCyplus();
    const source = fs.readFileSync(FIXTURE, 'utf8');
    const got = compileWithCyplus(FIXTURE).filter((m) => m.kind === 'error').map((m) => `${m.line}: ${m.message}`);
    assert.deepEqual(got.sort(), expectedErrors(source).map((e) => `${e.line}: ${e.message}`).sort());
  });

  it('our engine reports GIL errors only on the lines the compiler does, and the Python call in a cypclass method', () => {
    const source = fs.readFileSync(FIXTURE, 'utf8');
    const uri = pathToFileURL(FIXTURE).toString();
    engine.open(uri, source, 1);
    const report = engine.analyze(uri, defaultSettings());
    engine.close(uri);
    assert.ok(report);
    const expectedLines = new Set(expectedErrors(source).map((e) => e.line));
    const errors = report.diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
    const extra = errors.filter((d) => !expectedLines.has(d.range.start.line + 1))
      .map((d) => `${d.range.start.line + 1}: ${d.message} [${String(d.code)}]`);
    assert.deepEqual(extra, [], 'false errors on valid cypclass code');
    assert.ok(errors.some((d) => d.range.start.line + 1 === 56 && d.message === 'Calling gil-requiring function not allowed without gil'));
  });

  it('gives no Cython 3.3 exception-check hints in a Cython+ module (cython-plus is Cython 3.0a6: no exception check by default)', () => {
    requireCyplus();
    const source = [
      'cdef cypclass A:', '    int x', '',
      'cdef double first(double[:] v) nogil:', '    return v[0]', '',
      'cdef void scale(double[:] v, double k) nogil:', '    v[0] = v[0] * k', '',
      'def run(double[:] v):', '    with nogil:', '        scale(v, first(v))', '',
    ].join('\n');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-cyplus-hints-'));
    const file = path.join(dir, 'hints.pyx');
    fs.writeFileSync(file, source);
    // 3.0a6 warns where 3.3 gives the boundscheck performance hint; nothing about exception checks
    // (3.0a6 places it at the `[`, 3.3 and we at the subscript's start: compared by line)
    const compiler = compileWithCyplus(file).map((m) => `${m.line}: ${m.message}`).sort();
    assert.deepEqual(compiler, ['5: Use boundscheck(False) for faster access', '8: Use boundscheck(False) for faster access',
      '8: Use boundscheck(False) for faster access']);
    const uri = pathToFileURL(file).toString();
    engine.open(uri, source, 1);
    const report = engine.analyze(uri, defaultSettings());
    engine.close(uri);
    assert.deepEqual((report?.diagnostics ?? []).map((d) => `${d.range.start.line + 1}: ${d.message}`).sort(), compiler);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('types a cypclass reference with its capability, a method\'s self as the class, methods nogil', async () => {
    const parser = new Parser();
    parser.setLanguage((await loadGrammar()).language);
    const source = 'cdef cypclass A activable:\n    int x\n    int get(const self):\n        return x\n'
      + '    __init__(self, int v):\n        self.x = v\n'
      + 'cdef iso A a = consume A()\ncdef lock A b\ncdef A c\n';
    const tree = parser.parse(source)!;
    const resolver = new PxdResolver((t) => parser.parse(t)!, { includeDirs: [], systemDirs: [] }, Date.now);
    const model = buildModuleModel(tree, 'file:///tmp/cypclass-types.pyx', resolver);
    const scope = model.declarations.scope;
    const type = (name: string): string => typeToString(scope.lookup(name)!.type);
    assert.equal(type('a'), 'iso A');
    assert.equal(type('b'), 'lock A');
    assert.equal(type('c'), 'A');
    const cls = scope.lookup('A')!.type;
    assert.ok(cls.kind === 'cpp' && cls.cypclass && cls.cls?.cypclass?.activable);
    const get = cls.kind === 'cpp' ? cls.cls!.methods.get('get')! : undefined;
    assert.ok(get?.nogil);
    assert.equal(typeToString(get.params[0]!.type), 'const A');
    const init = cls.kind === 'cpp' ? cls.cls!.methods.get('__init__')! : undefined;
    assert.equal(init?.returnType.kind, 'void');
    tree.delete();
    parser.delete();
  });
});
