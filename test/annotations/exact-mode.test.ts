/**
 * Exact mode: the real compiler's HTML report parsed per line (checked against the pinned Cython), background runs
 * where a newer save aborts the older one, "Cython is not installed" said once, and the publisher preferring exact
 * scores only for the version that was compiled.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { countedCalls, parseAnnotationHtml } from '../../server/src/annotations/cython-html';
import { ExactAnnotations } from '../../server/src/features/exact-annotations';
import { AnnotationsPublisher } from '../../server/src/features/annotations-publisher';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import type { AnnotationsParams } from '../../shared/src/protocol';
import { VENV_PYTHON } from '../support/compiler';

const SOURCE = 'import math\n\ndef f(double x):\n    cdef double y = x * 2\n    return math.sqrt(y)\n';

describe('exact mode', () => {
  it('parses the scores and the generated C of `cython -a` (pinned compiler)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-exact-'));
    try {
      const file = path.join(dir, 'm.pyx');
      fs.writeFileSync(file, SOURCE);
      execFileSync(VENV_PYTHON, ['-m', 'cython', '-a', '-3', file, '-o', path.join(dir, 'm.c')], { stdio: 'ignore' });
      const lines = parseAnnotationHtml(fs.readFileSync(path.join(dir, 'm.html'), 'utf8'));
      assert.equal(lines.length, SOURCE.split('\n').length - 1);
      const byLine = new Map(lines.map((l) => [l.line, l]));
      assert.equal(byLine.get(3)?.score, 0, 'pure C line');
      assert.ok((byLine.get(4)?.score ?? 0) > 0, 'math.sqrt through Python');
      assert.match(byLine.get(4)?.code ?? '', /__Pyx_GetModuleGlobalName|__Pyx_PyObject_GetAttrStr/);
      assert.match(byLine.get(2)?.code ?? '', /__pyx_pw_|PyObject \*/, 'def line has the wrapper code');
      assert.doesNotMatch(byLine.get(4)?.code ?? '', /<span|&lt;/, 'HTML removed');
      // the calls Annotate.py counts reproduce its score: 5 per Py*_* call, 2 per __Pyx_* call, 1 per macro
      for (const l of lines) {
        const calls = countedCalls(l.code, 1000);
        const score = calls.reduce((sum, c) => {
          const m = /^`([^`]+)`(?: ×(\d+))?$/.exec(c)!;
          const n = Number(m[2] ?? 1);
          const name = m[1]!;
          const each = /^__Pyx_[A-Z][A-Z_]+$|^Py[A-Z][a-z]+_[A-Z][A-Z_]+$/.test(name) ? 1 : name.startsWith('Py') ? 5 : 2;
          return sum + n * each;
        }, 0);
        assert.equal(score, l.score, `line ${l.line + 1}: ${calls.join(', ')}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs in the background, a newer save aborts the older run, and results apply to their version only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-exact-run-'));
    const file = path.join(dir, 'm.pyx');
    fs.writeFileSync(file, SOURCE);
    const uri = pathToFileURL(file).href;
    const settings = { ...defaultSettings(), annotations: { enabled: true, intensity: 1, exactMode: true } };
    const results: number[] = [];
    let started = 0;
    const exact = new ExactAnnotations({
      log: () => {}, warn: () => {}, onResult: (_u, v) => results.push(v),
      run: async (_file, args, options) => {
        started++;
        const out = args[args.indexOf('-o') + 1]!;
        // a slow first run: it is aborted by the second save
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, started === 1 ? 200 : 5);
          options.signal.addEventListener('abort', () => { clearTimeout(t); reject(new Error('aborted')); });
        });
        fs.writeFileSync(out.replace(/\.c$/, '.html'),
          '<pre class="cython line score-7" onclick="x">+<span class="">1</span>: import math</pre>\n'
          + "<pre class='cython code score-7 '>__Pyx_Import(x);</pre>");
        return { stdout: '', stderr: '' };
      },
    });
    try {
      const first = exact.onSaved(uri, 1, settings);
      const second = exact.onSaved(uri, 2, settings);
      await Promise.all([first, second]);
      assert.equal(started, 2);
      assert.deepEqual(results, [2], 'only the newer run reports');
      assert.equal(exact.scoresFor(uri, 1), undefined);
      assert.deepEqual(exact.scoresFor(uri, 2)?.map((l) => [l.line, l.score]), [[0, 7]]);
      const c = exact.generatedC({ uri, line: 0 });
      assert.ok(c.available && c.code === '__Pyx_Import(x);');

      const sent: AnnotationsParams[] = [];
      const publisher = new AnnotationsPublisher({ sendNotification: async (_t: unknown, p: unknown) => { sent.push(p as AnnotationsParams); } } as never,
        (u, v) => exact.scoresFor(u, v));
      const estimate = [{ line: 0, score: 3, reasons: ['estimate'] }];
      await publisher.publish({ uri, version: 2, annotations: estimate }, settings);
      await publisher.publish({ uri, version: 3, annotations: estimate }, settings);
      assert.deepEqual(sent.map((p) => [p.version, p.lines[0]?.score]), [[2, 7], [3, 3]]);
      await publisher.clear(uri);
      assert.deepEqual(sent[2], { uri, version: 0, lines: [] });

      exact.setTrusted(false);
      await exact.onSaved(uri, 4, settings);
      assert.equal(started, 2, 'untrusted workspace: no compiler run');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says once that Cython is missing, with how to install it', async () => {
    const warnings: string[] = [];
    const exact = new ExactAnnotations({
      log: () => {}, warn: (m) => warnings.push(m), onResult: () => {},
      run: async () => { throw Object.assign(new Error('exit 1'), { stderr: '/usr/bin/python3: No module named cython' }); },
    });
    const settings = { ...defaultSettings(), annotations: { enabled: true, intensity: 1, exactMode: true } };
    const uri = pathToFileURL(path.join(os.tmpdir(), 'cl-missing.pyx')).href;
    await exact.onSaved(uri, 1, settings);
    await exact.onSaved(uri, 2, settings);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /Cython is not installed.*pip install cython/);
  });
});
