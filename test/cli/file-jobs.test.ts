/**
 * file-jobs.ts, at the level of its protocol: the Python probe of a run starts before the first file's step is built
 * (so it runs while the engine loads and the file is parsed), once, and never for files that need no Python; with
 * `--jobs N` this thread is one of the N jobs (the smallest files), the workers the others, outcomes in file order.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseArgs } from '../../server/src/cli/args';
import type { FileOutcome, FileStep } from '../../server/src/cli/cli-host';
import { type FileJob, runFileSteps } from '../../server/src/cli/file-jobs';
import type { PythonEnvironment } from '../../server/src/model/python-environment';
import { REPO_ROOT } from '../support/paths';

/** What this thread's step did: which files it analysed, and how many probes had started when it was built. */
interface Seen {
  files: string[];
  probesAtStep: number[];
}

function fakeStep(seen: Seen, probes: string[],
  discover: (python: string) => Promise<PythonEnvironment>): Promise<FileStep<string>> {
  seen.probesAtStep.push(probes.length);
  return Promise.resolve({
    async run(file: string): Promise<FileOutcome<string>> {
      seen.files.push(path.basename(file));
      if (/cimport/.test(fs.readFileSync(file, 'utf8'))) await discover('python-of-the-run');
      return { result: `here:${path.basename(file)}`, logs: [], failed: false };
    },
    dispose(): void {},
  });
}

describe('file jobs', () => {
  let dir: string;
  const env = (python: string): PythonEnvironment => ({ python, cythonIncludes: undefined, cythonVersion: undefined, sitePackages: [] });
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-file-jobs-'));
    fs.writeFileSync(path.join(dir, 'plain.pyx'), 'x = 1\n');
    fs.writeFileSync(path.join(dir, 'cim.pyx'), 'from libc.math cimport sqrt\n\ny = sqrt(2.0)\n');
    // sizes decide who takes what: workers the largest, this thread the smallest
    for (const [name, lines] of [['big', 400], ['mid', 200], ['small', 2]] as const) {
      fs.writeFileSync(path.join(dir, `${name}.pyx`), Array.from({ length: lines }, (_, i) => `v${i} = ${i}\n`).join(''));
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts the probe before the step is built, once, when a file may need Python', async () => {
    const probes: string[] = [];
    const seen: Seen = { files: [], probesAtStep: [] };
    const files = [path.join(dir, 'plain.pyx'), path.join(dir, 'cim.pyx')];
    const out = await runFileSteps<string>({
      files, jobs: 1, workerScript: undefined, log: () => undefined, job: { command: 'check', args: parseArgs(['check', dir]) } as FileJob,
      python: 'python-of-the-run', early: true,
      discoverPython: (p) => {
        probes.push(p);
        return Promise.resolve(env(p));
      },
      step: (discover) => fakeStep(seen, probes, discover),
    });
    assert.deepEqual(out.map((o) => o.result), ['here:plain.pyx', 'here:cim.pyx']);
    assert.deepEqual(seen.probesAtStep, [1]);
    assert.deepEqual(probes, ['python-of-the-run']);
  });

  it('runs no probe for files that need no Python, nor before the step when told not to', async () => {
    for (const [files, early] of [[['plain.pyx', 'small.pyx'], true], [['cim.pyx'], false]] as const) {
      const probes: string[] = [];
      const seen: Seen = { files: [], probesAtStep: [] };
      await runFileSteps<string>({
        files: files.map((f) => path.join(dir, f)), jobs: 1, workerScript: undefined, log: () => undefined,
        job: { command: 'check', args: parseArgs(['check', dir]) } as FileJob, python: 'python-of-the-run', early,
        discoverPython: (p) => {
          probes.push(p);
          return Promise.resolve(env(p));
        },
        step: (discover) => fakeStep(seen, probes, discover),
      });
      assert.deepEqual(seen.probesAtStep, [0]);
      assert.equal(probes.length, early ? 0 : 1, files.join(' '));
    }
  });

  it('with --jobs 2 this thread is one job (the smallest files), one worker the other; outcomes in file order', async () => {
    const seen: Seen = { files: [], probesAtStep: [] };
    const files = ['big.pyx', 'small.pyx', 'mid.pyx', 'plain.pyx'].map((f) => path.join(dir, f));
    const args = parseArgs(['check', ...files]);
    assert.equal(args.command, 'check');
    const out = await runFileSteps<unknown>({
      files, jobs: 2, workerScript: path.join(REPO_ROOT, 'out', 'server', 'src', 'cli', 'main.js'), log: () => undefined,
      job: { command: 'check', args } as FileJob, python: 'python-of-the-run', early: true,
      discoverPython: (p) => Promise.resolve(env(p)),
      step: (discover) => fakeStep(seen, [], discover) as Promise<FileStep<unknown>>,
    });
    // the worker (a real one, the CLI's) analysed the largest file; this thread the smallest, before any other
    const byWorker = out.map((o) => (typeof o.result === 'string' ? 'here' : (o.result as { file: string }).file));
    assert.equal(byWorker[0], files[0]);
    assert.equal(seen.files[0], 'plain.pyx');
    assert.ok(seen.files.length >= 1 && seen.files.length <= 3, seen.files.join(' '));
    assert.equal(out.filter((o) => o.result === undefined).length, 0);
    for (const [i, f] of files.entries()) {
      const r = out[i]?.result;
      assert.ok(r === `here:${path.basename(f)}` || (r as { file: string }).file === f, `${f}: ${JSON.stringify(r)}`);
    }
    assert.equal(seen.files.length + byWorker.filter((b) => b !== 'here').length, files.length);
  });
});
