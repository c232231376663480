/**
 * `match`/`case` (Cython 3's MatchCaseNodes.py): the estimate of each case's pattern test, the subject's temp and its
 * release, against the scores `cython -a` (Cython 3.3.1) gives the fixture test/annotations/fixtures/match_case.pyx
 * (in the comments), and against the pinned compiler itself on the same fixture.
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
import { estimate, reasonsAt, scoreAt } from './estimate-helpers';

const FIXTURE = path.join(REPO_ROOT, 'test', 'annotations', 'fixtures', 'match_case.pyx');

describe('match/case statements', () => {
  it('value cases are an if/elif chain of comparisons; the subject temp is released at each return', async () => {
    const lines = await estimate(fs.readFileSync(FIXTURE, 'utf8'));
    assert.equal(scoreAt(lines, 8), 1, 'match x: the subject copied into a temp');     // compiler: 1
    assert.equal(scoreAt(lines, 9), 2, 'case 1: __Pyx_PyLong_BoolEqObjC');            // compiler: 2
    assert.equal(scoreAt(lines, 10), 3, 'return 1 releases the subject temp');         // compiler: 3
    assert.equal(scoreAt(lines, 15), 0, 'case None: an identity test');                // compiler: 0
    assert.equal(scoreAt(lines, 17), 0, 'case _: no test');                            // compiler: 0
    assert.equal(scoreAt(lines, 18), 4, 'the last return: the temp released twice');   // compiler: 4
    // a string comparison of an elif is generated before the clause marks its line: it shows on the previous case
    assert.equal(scoreAt(lines, 13), 0);                                               // compiler: 0
    assert.equal(scoreAt(lines, 11), 6);                                               // compiler: 6
    assert.ok(reasonsAt(lines, 9).some((r) => r.startsWith('case pattern `1`')), reasonsAt(lines, 9).join('|'));
  });

  it('structural patterns: sequence, mapping and class tests by their helpers', async () => {
    const lines = await estimate(fs.readFileSync(FIXTURE, 'utf8'));
    assert.equal(scoreAt(lines, 23), 21, '[a, b]: IsSequence, PyObject_Length, two __Pyx_GetItemInt');  // compiler: 21
    assert.equal(scoreAt(lines, 27), 9, '{"k": v}: IsMapping, Mapping_Extract');                     // compiler: 9
    assert.equal(scoreAt(lines, 31), 6, 'int(): PyLong_Check');                                      // compiler: 6
    assert.equal(scoreAt(lines, 37), 25, '[1, 2, *_]: two item comparisons');                        // compiler: 25
    assert.equal(scoreAt(lines, 39), 12, 'list() | tuple(): two type checks');                       // compiler: 12
    assert.ok(scoreAt(lines, 35) >= 40, `Point(x=0, y=yy): lookup, isinstance, attributes (${scoreAt(lines, 35)})`); // compiler: 45
    assert.equal(scoreAt(lines, 41), 2, 'case y if y > 10: the guard');                              // compiler: 2
    assert.equal(scoreAt(lines, 24), 3, 'return a: the captured local is a Python local');           // compiler: 3
  });

  it('a C subject compares in C: no cost on the match and case lines', async () => {
    const lines = await estimate(fs.readFileSync(FIXTURE, 'utf8'));
    for (const l of [46, 47, 49, 51]) assert.equal(scoreAt(lines, l), 0, `line ${l}`);           // compiler: 0
    assert.equal(scoreAt(lines, 48), 2);                                                         // compiler: 2
  });

  it('agrees with the compiler on the fixture (every match/case line within 4 points, same zero lines)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-match-'));
    let real: Map<number, number>;
    try {
      const file = path.join(dir, 'match_case.pyx');
      fs.copyFileSync(FIXTURE, file);
      execFileSync(VENV_PYTHON, ['-m', 'cython', '-a', '-3', file, '-o', path.join(dir, 'match_case.c')], { stdio: 'ignore' });
      real = new Map(parseAnnotationHtml(fs.readFileSync(path.join(dir, 'match_case.html'), 'utf8'))
        .map((l) => [l.line, l.score]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const lines = await estimate(fs.readFileSync(FIXTURE, 'utf8'));
    const src = fs.readFileSync(FIXTURE, 'utf8').split('\n');
    const bad: string[] = [];
    let checked = 0;
    src.forEach((text, i) => {
      if (!/^\s*(match|case)\b/.test(text)) return;
      checked++;
      const r = real.get(i) ?? 0;
      const e = scoreAt(lines, i + 1);
      if ((r > 0) !== (e > 0) || Math.abs(r - e) > 4) bad.push(`${i + 1}: real ${r} est ${e} | ${text.trim()}`);
    });
    assert.ok(checked >= 24, `${checked} match/case lines`);
    assert.deepEqual(bad, []);
  });
});
