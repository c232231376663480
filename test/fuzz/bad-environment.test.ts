/**
 * Bad settings and environment: a wrong interpreter path, a Python without Cython, an unreadable or oversized .pxd,
 * a cimport cycle, a workspace of 10,000 files. Each gives a clear message, and what can still work keeps working
 * (the GIL checks on the file's own code, the other files).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { runCheck } from '../../server/src/cli/check-command';
import { gilCacheStats } from '../../server/src/checks/gil-check';
import { Engine } from '../../server/src/engine';
import { discoverPythonEnvironment } from '../../server/src/model/python-environment';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { analyses } from '../../server/src/checks';

/** A file whose own code has a GIL error the checks find without any .pxd. */
const OWN_ERROR = 'cdef void f() noexcept nogil:\n    print(1)\n';

describe('bad settings and environment', { timeout: 120_000 }, () => {
  let dir: string;
  let engine: Engine;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-env-'));
    engine = await Engine.create({ ...analyses, log: () => undefined });
  });
  after(() => {
    engine.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const analyse = (file: string, text: string) => {
    const uri = pathToFileURL(file).href;
    engine.open(uri, text, 1);
    const report = engine.analyze(uri, defaultSettings());
    engine.close(uri);
    assert.ok(report);
    assert.equal(report.status.state, 'ok');
    return report;
  };

  it('a wrong interpreter path: a clear message; unresolved cimports say why; GIL checks of the file still work', async () => {
    const env = await engine.session.discover(path.join(dir, 'no-such-python'));
    assert.match(env.error ?? '', /^could not run .*no-such-python: /);
    const report = analyse(path.join(dir, 'a.pyx'), `from libc.math cimport sqrt\n${OWN_ERROR}`);
    const unresolved = report.diagnostics.find((d) => d.code === 'unresolved-cimport');
    assert.match(unresolved?.message ?? '', /Cannot find the \.pxd for `libc\.math` \(could not run .*no-such-python/);
    assert.ok(report.diagnostics.some((d) => d.severity === 1 && /without gil/i.test(d.message)), 'the GIL error in the file itself');
  });

  it('a Python without Cython: "Cython is not installed for …"', async () => {
    const python = path.join(dir, 'python-without-cython');
    // a real interpreter that cannot import Cython: isolated mode, no site-packages, nothing on the path
    fs.writeFileSync(python, '#!/bin/sh\nexec python3 -I -S "$@"\n', { mode: 0o755 });
    const env = await discoverPythonEnvironment(python);
    assert.equal(env.cythonIncludes, undefined);
    assert.equal(env.error, `Cython is not installed for ${python} (pip install cython)`);
  });

  it('an unreadable and an oversized .pxd: the cimport is unresolved with the reason recorded, the rest is analysed', () => {
    const pkg = path.join(dir, 'unreadable');
    fs.mkdirSync(pkg);
    fs.writeFileSync(path.join(pkg, 'locked.pxd'), 'cdef int locked_value\n');
    fs.chmodSync(path.join(pkg, 'locked.pxd'), 0o000);
    const huge = path.join(pkg, 'huge.pxd');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, 9 * 1024 * 1024); // sparse, over the 8 MB .pxd limit
    const canRead = (() => {
      try {
        fs.readFileSync(path.join(pkg, 'locked.pxd'));
        return true; // root ignores permissions: then only the oversized file is unreadable
      } catch {
        return false;
      }
    })();
    const report = analyse(path.join(pkg, 'user.pyx'), `from locked cimport locked_value\nfrom huge cimport something\n${OWN_ERROR}`);
    const unresolved = report.diagnostics.filter((d) => d.code === 'unresolved-cimport').map((d) => d.message);
    assert.ok(unresolved.some((m) => m.includes('`huge`')), unresolved.join('\n'));
    if (!canRead) assert.ok(unresolved.some((m) => m.includes('`locked`')), unresolved.join('\n'));
    const resolver = engine.session.resolver((engine.open('file:///probe.pyx', 'x = 1\n').tree ?? assert.fail('tree')).language);
    engine.close('file:///probe.pyx');
    assert.match(resolver.failures.get(huge) ?? '', /larger than 8388608 bytes/);
    assert.ok(report.diagnostics.some((d) => d.severity === 1 && /without gil/i.test(d.message)));
  });

  it('a cimport cycle (a.pxd ↔ b.pxd, and a module cimporting itself) terminates and resolves both sides', () => {
    const pkg = path.join(dir, 'cycle');
    fs.mkdirSync(pkg);
    fs.writeFileSync(path.join(pkg, 'a.pxd'), 'from b cimport b_func\ncdef double a_func(double x) noexcept nogil\n');
    fs.writeFileSync(path.join(pkg, 'b.pxd'), 'from a cimport a_func\ncdef double b_func(double x) noexcept nogil\n');
    const text = 'from a cimport a_func\nfrom b cimport b_func\ncimport a\n'
      + 'cdef double g(double x) noexcept nogil:\n    return a_func(b_func(x))\n'
      + 'def h():\n    with nogil:\n        print(1)\n';
    const report = analyse(path.join(pkg, 'a.pyx'), text);
    assert.deepEqual(report.diagnostics.filter((d) => d.code === 'unresolved-cimport'), []);
    // the nogil calls through the cycle are fine; the print in `with nogil` is the only GIL error
    const errors = report.diagnostics.filter((d) => d.severity === 1);
    assert.ok(errors.length > 0 && errors.every((d) => d.range.start.line === 7), JSON.stringify(errors));
  });

  it('a workspace of 10,000 files: every file is checked, and nothing cached per closed file is kept', async () => {
    const ws = path.join(dir, 'ws10k', 'pkg');
    fs.mkdirSync(ws, { recursive: true });
    for (let i = 0; i < 10_000; i++) {
      fs.writeFileSync(path.join(ws, `m${i}.pyx`), i === 4242 ? OWN_ERROR : `cdef int x${i} = ${i}\n`);
    }
    let out = '';
    const logs: string[] = [];
    const cli = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000 });
    let status: number;
    try {
      status = await runCheck({ command: 'check', format: 'json', annotate: false, includeDirs: [], directives: [], paths: [path.dirname(ws)] },
        (s) => { out += s; }, (s) => logs.push(s), 'test', cli);
      // every file was analysed in that session and closed after: nothing of a closed file is left in its caches
      assert.equal(gilCacheStats(cli.session, pathToFileURL(path.join(ws, 'm4242.pyx')).href), undefined, 'per-file caches dropped on close');
      assert.equal(cli.openUris().length, 0);
    } finally {
      cli.dispose();
    }
    const reports = JSON.parse(out) as { file: string; diagnostics: { severity: string }[] }[];
    assert.equal(reports.length, 10_000);
    assert.equal(status, 1, 'one file has an error');
    assert.deepEqual(reports.filter((r) => r.diagnostics.some((d) => d.severity === 'error')).map((r) => path.basename(r.file)), ['m4242.pyx']);
  });
});
