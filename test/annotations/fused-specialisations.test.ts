/**
 * Fused functions against the real `cython -a` (the pinned Cython in .venv): the dispatcher and per-specialisation
 * wrappers on a fused def's first line (hundreds to thousands of points), and the object specialisation's Python
 * operations in the body of a function whose fused type includes `object`.
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

describe('fused specialisations vs cython -a', () => {
  it('scores dispatchers within 10% and colours the lines of the object specialisation', async () => {
    const fixture = path.join(REPO_ROOT, 'test', 'annotations', 'fixtures', 'fused_specialisations.pyx');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-fused-'));
    try {
      const file = path.join(dir, 'fused_specialisations.pyx');
      fs.copyFileSync(fixture, file);
      execFileSync(VENV_PYTHON, ['-m', 'cython', '-a', '-3', file, '-o', path.join(dir, 'fused_specialisations.c')],
        { stdio: 'ignore' });
      const real = new Map(parseAnnotationHtml(fs.readFileSync(path.join(dir, 'fused_specialisations.html'), 'utf8'))
        .map((l) => [l.line, l.score]));
      const est = new Map((await estimate(fs.readFileSync(fixture, 'utf8'))).map((l) => [l.line, l.score]));
      const src = fs.readFileSync(fixture, 'utf8').split('\n');
      const show = (l: number): string => `${l + 1}: real ${real.get(l) ?? 0} est ${est.get(l) ?? 0} | ${src[l]?.trim()}`;
      const disagreements = [...new Set([...real.keys(), ...est.keys()])]
        .filter((l) => ((real.get(l) ?? 0) > 0) !== ((est.get(l) ?? 0) > 0)).map(show);
      assert.deepEqual(disagreements, [], 'lines where only one side is yellow');
      const dispatchers = [...real.entries()].filter(([, r]) => r >= 100);
      assert.ok(dispatchers.length >= 6, `fused def lines found: ${dispatchers.length}`);
      assert.ok(dispatchers.some(([, r]) => r >= 1000), 'a dispatcher in the thousands');
      for (const [l, r] of dispatchers) {
        assert.ok(Math.abs((est.get(l) ?? 0) - r) <= 0.1 * r, show(l));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
