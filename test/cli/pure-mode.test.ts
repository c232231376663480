/** The CLI and pure Python mode: folder walks take the .py files that Cython compiles, and only them. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, fixturePath } from '../support/paths';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

interface FileReport { file: string; diagnostics: { line: number; code: string; message: string }[] }

describe('cython-lens CLI: pure Python mode', () => {
  const dir = fixturePath('pure-mode');

  it('a folder walk takes .py files that import cython or have a .pxd beside them, not plain Python', async () => {
    const r = await run(['check', '--format', 'json', dir]);
    const out = JSON.parse(r.stdout) as FileReport[];
    assert.deepEqual(out.map((f) => path.relative(dir, f.file)),
      ['aliases.py', 'cclass.py', 'cython_not_imported.py', 'declarations.py', 'kernels.py', 'nogil_kernels.py',
        path.join('pkg', 'augmented.pxd'), path.join('pkg', 'augmented.py'),
        'python_with_nogil.py']);
  });

  it('a plain .py file named on the command line gets nothing', async () => {
    const r = await run(['check', '--format', 'json', '--annotate', path.join(dir, 'plain.py')]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as (FileReport & { annotations: unknown[] })[];
    assert.deepEqual(out[0]?.diagnostics, []);
    assert.deepEqual(out[0]?.annotations, []);
  });

  it('checks a pure-mode file as the compiler does: cfunc signatures, cimports, nogil bodies (no false error)', async () => {
    const r = await run(['check', '--format', 'json', path.join(dir, 'nogil_kernels.py'), path.join(dir, 'kernels.py')]);
    const out = JSON.parse(r.stdout) as FileReport[];
    const errors = (f: FileReport | undefined): [number, string][] =>
      (f?.diagnostics ?? []).filter((d) => d.code !== 'unresolved-cimport' && !/boundscheck/.test(d.message))
        .map((d) => [d.line, d.message]);
    // `cython -3 nogil_kernels.py` compiles (3 boundscheck hints only); kernels.py calls a GIL-requiring cfunc
    assert.deepEqual(errors(out[0]), []);
    assert.deepEqual(errors(out[1]), [[14, 'Calling gil-requiring function not allowed without gil']]);
  });
});
