/**
 * The CLI runs Python only once a file needs it (cli-host.ts): files that cimport and include nothing are checked
 * without the interpreter's probe; the first file that cimports starts it, once per run.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCheck } from '../../server/src/cli/check-command';
import { mayNeedPython } from '../../server/src/cli/cli-host';
import { analyses } from '../../server/src/checks';
import { Engine } from '../../server/src/engine';
import type { PythonEnvironment } from '../../server/src/model/python-environment';

describe('CLI: Python discovered on demand', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-python-demand-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('mayNeedPython: cimports, includes and a .pxd beside the .pyx need it; plain code does not', () => {
    const plain = path.join(dir, 'plain.pyx');
    assert.equal(mayNeedPython(plain, 'cdef int x = 1\ndef f(a):\n    return a\n'), false);
    assert.equal(mayNeedPython(plain, 'from libc.math cimport sqrt\n'), true);
    assert.equal(mayNeedPython(plain, 'cimport numpy as cnp\n'), true);
    assert.equal(mayNeedPython(plain, 'x = 1\n    include "defs.pxi"\n'), true);
    assert.equal(mayNeedPython(plain, 'included = 1\n'), false);
    fs.writeFileSync(path.join(dir, 'paired.pxd'), 'cdef int x\n');
    assert.equal(mayNeedPython(path.join(dir, 'paired.pyx'), 'x = 1\n'), true);
  });

  it('runs the probe only for the first file that cimports, once', async () => {
    const calls: string[] = [];
    const discoverPython = (python: string): Promise<PythonEnvironment> => {
      calls.push(python);
      return Promise.resolve({ python, cythonIncludes: undefined, cythonVersion: undefined, sitePackages: [],
        error: 'Cython is not installed for the test Python' });
    };
    const run = async (files: Record<string, string>): Promise<{ status: number; logs: string[]; out: string }> => {
      const sub = fs.mkdtempSync(path.join(dir, 'run-'));
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(sub, name), text);
      const engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000, session: { discoverPython } });
      const logs: string[] = [];
      let out = '';
      try {
        const status = await runCheck({ command: 'check', format: 'json', annotate: true, includeDirs: [], directives: [], paths: [sub] },
          (s) => { out += s; }, (s) => logs.push(s), 'test', engine);
        return { status, logs, out };
      } finally {
        engine.dispose();
      }
    };
    const plain = await run({ 'a.pyx': 'def f(a):\n    return a + 1\n', 'b.pyx': 'cdef double g(double x) nogil:\n    return x * 2\n' });
    assert.equal(plain.status, 0);
    assert.deepEqual(calls, [], 'no Python for files that cimport nothing');
    assert.deepEqual(plain.logs, []);
    assert.equal((JSON.parse(plain.out) as unknown[]).length, 2);

    const mixed = await run({ 'a.pyx': 'x = 1\n', 'b.pyx': 'from libc.math cimport sqrt\n', 'c.pyx': 'from libc.stdlib cimport malloc\n' });
    assert.equal(mixed.status, 0);
    assert.equal(calls.length, 1, 'one probe for the run');
    assert.equal(mixed.logs.filter((l) => l.includes('Cython is not installed')).length, 1, mixed.logs.join('\n'));
  });
});
