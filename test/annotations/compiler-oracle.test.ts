/**
 * The estimate against the real compiler (the pinned Cython in .venv): on a fixture mixing nogil helpers, directives,
 * exceptions, Python calls, containers and an extension type, "score > 0" agrees on nearly every line and the
 * lines the compiler leaves at 0 inside nogil code stay at 0.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseAnnotationHtml } from '../../server/src/annotations/cython-html';
import { VENV_PYTHON } from '../support/compiler';
import { REPO_ROOT } from '../support/paths';
import { estimate } from './estimate-helpers';

describe('estimate vs cython -a', () => {
  it('agrees with the compiler on which lines interact with Python', async () => {
    const fixture = path.join(REPO_ROOT, 'test', 'annotations', 'fixtures', 'oracle_mix.pyx');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-oracle-'));
    try {
      const file = path.join(dir, 'oracle_mix.pyx');
      fs.copyFileSync(fixture, file);
      execFileSync(VENV_PYTHON, ['-m', 'cython', '-a', '-3', file, '-o', path.join(dir, 'oracle_mix.c')],
        { stdio: 'ignore' });
      const real = new Map(parseAnnotationHtml(fs.readFileSync(path.join(dir, 'oracle_mix.html'), 'utf8'))
        .map((l) => [l.line, l.score]));
      const est = new Map((await estimate(fs.readFileSync(fixture, 'utf8'))).map((l) => [l.line, l.score]));
      let tp = 0;
      const disagreements: string[] = [];
      const src = fs.readFileSync(fixture, 'utf8').split('\n');
      for (const line of new Set([...real.keys(), ...est.keys()])) {
        const r = real.get(line) ?? 0;
        const e = est.get(line) ?? 0;
        if (r > 0 && e > 0) tp++;
        else if (r > 0 || e > 0) disagreements.push(`${line + 1}: real ${r} est ${e} | ${src[line]?.trim()}`);
      }
      const f1 = (2 * tp) / (2 * tp + disagreements.length);
      assert.ok(f1 >= 0.9, `F1 ${f1.toFixed(3)}; disagreements:\n${disagreements.join('\n')}`);
      for (const l of [6, 7, 9, 10, 11, 17, 18]) {
        assert.equal(est.get(l) ?? 0, real.get(l) ?? 0, `nogil line ${l + 1} (${src[l]?.trim()})`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
