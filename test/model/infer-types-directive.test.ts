/**
 * The `infer_types` directive from the build (`-X infer_types=True`, `cythonLens.directives`): with it, an untyped
 * local that is only assigned C values (in-place operations included) is a C variable, as `cython -X
 * infer_types=True` infers; without it (the default safe inference) `x += 1` may overflow, so x is a Python object.
 * Also: pointers to a ctypedef'd function type check exceptions as the compiler does (no false assignment error).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../server/src/engine';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { REPO_ROOT } from '../support/paths';
import { VENV_PYTHON, compileWithCython } from '../support/compiler';
import { analyses } from '../../server/src/checks';

const SOURCE = `cdef int bump(int a) noexcept nogil:
    x = a
    x += 1
    return x
`;

describe('infer_types build directive', () => {
  let engine: Engine;
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined });
    await engine.session.discover(VENV_PYTHON);
  });
  after(() => engine.dispose());

  const errors = (directives: Record<string, string>, uri: string, source = SOURCE): string[] => {
    engine.open(uri, source, 1);
    const report = engine.analyze(uri, { ...defaultSettings(), directives });
    engine.close(uri);
    assert.ok(report);
    return report.diagnostics.filter((d) => d.severity === 1).map((d) => `${d.range.start.line + 1}: ${d.message}`);
  };

  it('keeps an in-place updated local an object under the default safe inference', () => {
    const got = errors({}, 'file:///tmp/infer-types-safe.pyx');
    assert.ok(got.includes('1: Function declared nogil has Python locals or temporaries'), got.join('\n'));
  });

  it('infers a C int with -X infer_types=True', () => {
    assert.deepEqual(errors({ infer_types: 'True' }, 'file:///tmp/infer-types-true.pyx'), []);
  });

  it('makes every untyped local an object with -X infer_types=False', () => {
    const got = errors({ infer_types: 'False' }, 'file:///tmp/infer-types-false.pyx');
    assert.ok(got.includes('2: Assignment of Python object not allowed without gil'), got.join('\n'));
  });

  // Not a directive, but the same kind of false error on real code: checks/gil/fixtures/semantics/function_typedef_pointer.pyx.
  it('lets pointers to a ctypedef function type take the functions the compiler accepts', () => {
    const file = path.join(REPO_ROOT, 'server', 'src', 'checks', 'gil', 'fixtures', 'semantics', 'function_typedef_pointer.pyx');
    assert.deepEqual(compileWithCython(file).filter((m) => m.kind === 'error'), []);
    assert.deepEqual(errors({}, pathToFileURL(file).toString(), fs.readFileSync(file, 'utf8')), []);
  });
});
