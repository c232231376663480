/**
 * A dist/ installed without data/ (the BLAS/LAPACK routine database missing): the CLI says so once on stderr, with
 * `--jobs` too, and still reports everything else; with the database the lapack-* finding is there and nothing is
 * said.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cli: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: { ...process.env, CYTHON_LENS_COMPILE_CACHE: '0' } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }));
  });
}

const SOLVE = [
  'from scipy.linalg.cython_lapack cimport dgesv', '', '',
  'def solve_unchecked(double[::1, :] a, double[::1] b, int[::1] ipiv):',
  '    cdef int n = a.shape[0], nrhs = 1, info',
  '    dgesv(&n, &nrhs, &a[0, 0], &n, &ipiv[0], &b[0], &n, &info)',
  '    return b', '',
].join('\n');

describe('a dist/ without data/', () => {
  let dir: string;
  let bare: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-nodata-'));
    bare = path.join(dir, 'install', 'dist');
    fs.mkdirSync(bare, { recursive: true });
    for (const f of ['cli.js', 'cli-main.js', 'tree-sitter.wasm', 'tree-sitter-cython.wasm']) {
      fs.copyFileSync(path.join(REPO_ROOT, 'dist', f), path.join(bare, f));
    }
    for (const f of ['a.pyx', 'b.pyx']) fs.writeFileSync(path.join(dir, f), SOLVE);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const said = (stderr: string): string[] => stderr.split('\n').filter((l) => l.includes('routine database'));

  it('says once on stderr that the lapack-* diagnostics are off, and reports the rest', async () => {
    const full = await run(path.join(REPO_ROOT, 'dist', 'cli.js'), ['check', 'a.pyx', 'b.pyx'], dir);
    assert.deepEqual(said(full.stderr), []);
    const lapack = full.stdout.split('\n').filter((l) => l.includes('[lapack-'));
    assert.deepEqual(lapack.map((l) => l.replace(/:.*\[/, ' [')), ['a.pyx [lapack-info-unchecked]', 'b.pyx [lapack-info-unchecked]']);
    for (const jobs of ['1', '2']) {
      const r = await run(path.join(bare, 'cli.js'), ['check', '--jobs', jobs, 'a.pyx', 'b.pyx'], dir);
      assert.equal(r.code, full.code);
      assert.deepEqual(said(r.stderr), [`cython-lens: the BLAS/LAPACK routine database (${path.join('data', 'lapack', 'routines.json.gz')}) `
        + `was not found in ${bare} or a folder above it: lapack-* diagnostics and BLAS/LAPACK hovers are off `
        + '(install data/ beside dist/, or reinstall Cython Lens).'], `--jobs ${jobs}: ${r.stderr}`);
      // everything else is reported as with the database
      // (the summary line alone when the interpreter resolves every cimport: CYTHON_LENS_PYTHON with scipy)
      assert.equal(r.stdout.replace(/(^|\n)2 file.*\n$/, ''), full.stdout.split('\n').filter((l) => !l.includes('[lapack-'))
        .join('\n').replace(/(^|\n)2 file.*\n?$/, ''));
    }
  });
});
