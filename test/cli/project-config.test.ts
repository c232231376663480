/**
 * The bundled CLI (dist/cli.js) reads each file's project configuration: [tool.cython-lens] and setup.py's
 * cythonize() options in a temporary project, scikit-learn's own meson.build files in the real sdist; `-v` says
 * where each value came from; `-X` wins; excluded files are not checked; wrong keys are said once.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { corpusDir } from '../fuzz/real-files';
import { REPO_ROOT } from '../support/paths';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

const MEMORYVIEW_IN_NOGIL = `def run(double[::1] xs):
    cdef double s = 0
    with nogil:
        s = xs[0]
`;

describe('cython-lens CLI: the project configuration', () => {
  let dir: string;
  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js missing: run `npm run build` first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-cli-project-'));
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), `[tool.cython-lens]
exclude = ["generated/**"]
colour = "blue"
[tool.cython-lens.severity-overrides]
boundscheck-hint = "warning"
`);
    fs.writeFileSync(path.join(dir, 'setup.py'), `from setuptools import setup
from Cython.Build import cythonize
setup(ext_modules=cythonize("pkg/*.pyx", compiler_directives={"boundscheck": False, "wraparound": False}))
`);
    fs.mkdirSync(path.join(dir, 'pkg'));
    fs.mkdirSync(path.join(dir, 'generated'));
    fs.writeFileSync(path.join(dir, 'pkg', 'a.pyx'), MEMORYVIEW_IN_NOGIL);
    fs.writeFileSync(path.join(dir, 'generated', 'g.pyx'), 'x = (\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("setup.py's directives apply, -v says where they came from, excluded files are skipped, wrong keys are said", async () => {
    const r = await run(['check', '-v', '--format', 'json', dir]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { file: string; diagnostics: { code: string }[] }[];
    assert.deepEqual(out.map((f) => path.relative(dir, f.file)), [path.join('pkg', 'a.pyx')], 'generated/ is excluded');
    assert.deepEqual(out[0]?.diagnostics, [], 'boundscheck=False from setup.py: no hint');
    assert.match(r.stderr, /directive boundscheck=False {2}\(setup\.py:3: compiler_directives of cythonize\(\)\)/);
    assert.match(r.stderr, /generated\/g\.pyx: not analysed, excluded by "generated\/\*\*" in pyproject\.toml/);
    assert.equal(r.stderr.match(/unknown key "colour"/g)?.length, 1, r.stderr);
  });

  it('-X wins over the project; the table\'s severity override applies', async () => {
    const r = await run(['check', '--format', 'json', '-X', 'boundscheck=True', path.join(dir, 'pkg', 'a.pyx')]);
    const out = JSON.parse(r.stdout) as { diagnostics: { code: string; severity: string }[] }[];
    assert.deepEqual(out[0]?.diagnostics.map((d) => [d.code, d.severity]), [['boundscheck-hint', 'warning']]);
  });

  it("scikit-learn's meson.build gives the directives of a real module (-v)", async () => {
    const file = path.join(corpusDir(), 'scikit-learn-1.9.1', 'sklearn', 'utils', '_fast_dict.pyx');
    const r = await run(['check', '-v', file]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    for (const d of ['wraparound=False', 'initializedcheck=False', 'nonecheck=False', 'cdivision=True', 'freethreading_compatible=True']) {
      assert.match(r.stderr, new RegExp(`directive ${d} {2}\\(sklearn/meson\\.build:\\d+: -X ?${d} in cython_args\\)`), r.stderr);
    }
    assert.match(r.stderr, /note: sklearn\/meson\.build:\d+: the option `'-X boundscheck=' \+ boundscheck` is computed by the build/);
  });

  it('the project root is an include root for cimports (no __init__.py on the way), as on the build\'s include path', async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-cli-root-'));
    try {
      fs.mkdirSync(path.join(project, 'vendored', 'linalg'), { recursive: true });
      fs.mkdirSync(path.join(project, 'app', 'sub'), { recursive: true });
      fs.writeFileSync(path.join(project, 'vendored', 'linalg', 'lapack.pxd'), 'cdef void dcopy_like(int n) noexcept nogil\n');
      const user = path.join(project, 'app', 'sub', 'user.pyx');
      fs.writeFileSync(user, 'from vendored.linalg.lapack cimport dcopy_like\n\n\ndef f():\n    with nogil:\n        dcopy_like(1)\n');
      const codes = async (): Promise<string[]> => {
        const r = await run(['check', '--format', 'json', user]);
        return (JSON.parse(r.stdout) as { diagnostics: { code: string }[] }[])[0]?.diagnostics.map((d) => d.code) ?? [];
      };
      assert.deepEqual(await codes(), ['unresolved-cimport'], 'no project: nothing says where the root is');
      fs.writeFileSync(path.join(project, 'pyproject.toml'), '[project]\nname = "demo"\n');
      assert.deepEqual(await codes(), [], 'the folder of pyproject.toml is an include root');
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
