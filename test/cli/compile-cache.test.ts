/**
 * dist/cli.js (server/src/cli/launcher.ts) loads the CLI's bundle through V8's code cache: the cache is written
 * after a run, used by the next (same output), rewritten when it is damaged, stale or written by a run that compiled
 * less of the CLI, never written with CYTHON_LENS_COMPILE_CACHE=0, and a folder that cannot be written costs nothing
 * but the cache. Worker threads of `--jobs` start through the launcher too.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { coverageOf } from '../../server/src/cli/launcher';
import { REPO_ROOT } from '../support/paths';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function run(args: string[], cacheDir: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, CYTHON_LENS_COMPILE_CACHE: cacheDir } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }));
  });
}

function cacheFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.bin')).map((n) => path.join(dir, n)) : [];
}

describe('the CLI launcher and its compile cache', () => {
  let dir: string;
  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js missing: run `npm run build` first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-compile-cache-'));
    fs.writeFileSync(path.join(dir, 'a.pyx'), 'from libc.math cimport sqrt\n\ndef f(double x, y):\n    with nogil:\n        x = sqrt(x)\n        print(y)\n    return x\n');
    fs.writeFileSync(path.join(dir, 'b.pyx'), 'def g(a):\n    return a + 1\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('how much of the CLI a command compiles orders the caches', () => {
    assert.equal(coverageOf(['--help']), 0);
    assert.equal(coverageOf(['parse', 'x.pyx']), 1);
    assert.equal(coverageOf(['check', 'x.pyx']), 2);
    assert.equal(coverageOf(['check', '--annotate', 'x.pyx']), 3);
    assert.equal(coverageOf(['-v', 'report', 'x.pyx']), 3);
  });

  it('writes the cache after a run, gives the same output with it, and rewrites it only when a run compiles more', async () => {
    const cache = path.join(dir, 'cache1');
    const first = await run(['check', '--format', 'json', 'a.pyx', 'b.pyx'], cache, dir);
    assert.equal(first.code, 1, first.stderr);
    const files = cacheFiles(cache);
    assert.equal(files.length, 1, 'one cache file');
    const file = files[0] as string;
    const header = fs.readFileSync(file).subarray(0, 400).toString('latin1').split('\n')[0] ?? '';
    assert.match(header, /"coverage":2/);
    const stamp = fs.statSync(file).mtimeMs;

    const again = await run(['check', '--format', 'json', 'a.pyx', 'b.pyx'], cache, dir);
    assert.deepEqual(again, first, 'the same output with the cache');
    const help = await run(['--help'], cache, dir);
    assert.equal(help.code, 0);
    assert.equal(fs.statSync(file).mtimeMs, stamp, 'a run that compiles less keeps the cache');

    const annotated = await run(['check', '--annotate', '--format', 'json', 'a.pyx', 'b.pyx'], cache, dir);
    assert.equal(annotated.code, 1, annotated.stderr);
    assert.match(fs.readFileSync(file).subarray(0, 400).toString('latin1').split('\n')[0] ?? '', /"coverage":3/);
    assert.deepEqual(await run(['check', '--annotate', '--format', 'json', 'a.pyx', 'b.pyx'], cache, dir), annotated);
  });

  it('a damaged or stale cache is replaced, and the output does not change', async () => {
    const cache = path.join(dir, 'cache2');
    const clean = await run(['check', 'a.pyx'], cache, dir);
    const file = cacheFiles(cache)[0] as string;
    const bytes = fs.readFileSync(file);
    const eol = bytes.indexOf(10);
    // V8's data garbled (V8 would crash on it: the header's hash keeps it out)
    const garbled = Buffer.from(bytes);
    for (let i = eol + 1; i < garbled.length; i += 7) garbled[i] = (garbled[i] as number) ^ 0x5a;
    fs.writeFileSync(file, garbled);
    assert.deepEqual(await run(['check', 'a.pyx'], cache, dir), clean);
    assert.notDeepEqual(fs.readFileSync(file).subarray(eol + 1, eol + 4000), garbled.subarray(eol + 1, eol + 4000), 'the garbled data is replaced');
    // truncated
    fs.writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
    assert.deepEqual(await run(['check', 'a.pyx'], cache, dir), clean);
    // another bundle's stamp: not used, rewritten
    const header = JSON.parse(bytes.subarray(0, eol).toString('utf8')) as Record<string, unknown>;
    fs.writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify({ ...header, bundle: 'other', coverage: 3 })}\n`), bytes.subarray(eol + 1)]));
    assert.deepEqual(await run(['check', 'a.pyx'], cache, dir), clean);
    assert.match(fs.readFileSync(file).subarray(0, eol + 1).toString('latin1'), /"coverage":2/);
    // no header at all
    fs.writeFileSync(file, 'nonsense');
    assert.deepEqual(await run(['check', 'a.pyx'], cache, dir), clean);
    assert.match(fs.readFileSync(file).subarray(0, eol + 1).toString('latin1'), /"coverage":2/);
  });

  it('CYTHON_LENS_COMPILE_CACHE=0 writes nothing; a folder that cannot be made costs only the cache', async () => {
    const off = await run(['check', 'b.pyx'], '0', dir);
    assert.equal(off.code, 0, off.stderr);
    assert.ok(!fs.existsSync(path.join(dir, '0')), 'no folder named 0');
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, '');
    const blocked = await run(['check', 'b.pyx'], path.join(blocker, 'cache'), dir);
    assert.deepEqual(blocked, off);
    assert.equal(fs.readFileSync(blocker, 'utf8'), '');
  });

  it('worker threads of --jobs start through the launcher (same output as one job)', async () => {
    const cache = path.join(dir, 'cache3');
    const one = await run(['check', '--annotate', '--format', 'json', '--jobs', '1', 'a.pyx', 'b.pyx'], cache, dir);
    const two = await run(['check', '--annotate', '--format', 'json', '--jobs', '2', 'a.pyx', 'b.pyx'], cache, dir);
    assert.equal(one.code, 1, one.stderr);
    assert.deepEqual(two, one);
    assert.equal(cacheFiles(cache).length, 1);
  });
});
