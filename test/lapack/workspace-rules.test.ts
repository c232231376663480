import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { openDatabase } from '../../server/src/lapack/database';
import {
  FormulaError, checkWorkspaceArgs, describeBelow, evaluateCondition, evaluateFormula, judgeWorkspaceArg, parseFormula,
} from '../../server/src/lapack/workspace-rules';

const db = openDatabase();

function routine(name: string) {
  const r = db.lookup(name);
  assert.ok(r !== undefined, name);
  return r;
}

test('formulas: max/min/+/-/*/** and names', () => {
  const env = (vals: Record<string, number>) => (n: string) => vals[n];
  const f = parseFormula('3*min(M,N) + max( 2*min(M,N), max(M,N), NRHS )');
  assert.equal(evaluateFormula(f, env({ m: 10, n: 10, nrhs: 1 })), 50);
  assert.equal(evaluateFormula(f, env({ m: 3, n: 2, nrhs: 1 })), 10);
  assert.equal(evaluateFormula(f, env({ m: 3 })), undefined);
  assert.equal(evaluateFormula(parseFormula('1 + 6*N + 2*N**2'), env({ n: 10 })), 261);
  assert.equal(evaluateFormula(parseFormula('N*(N+1)/2'), env({ n: 5 })), 15);
  assert.equal(evaluateFormula(parseFormula('max(1,3*N-1)'), env({ n: 0 })), 1);
  assert.throws(() => parseFormula('ilaenv(1)'), FormulaError);
  assert.throws(() => parseFormula('max(1,'), FormulaError);
});

test('every exact formula in the database parses', () => {
  let parsed = 0;
  for (const r of db.routines()) {
    for (const rule of r.workspace?.rules ?? []) {
      if (!rule.exact) continue;
      assert.doesNotThrow(() => parseFormula(rule.expr), `${r.name}: ${rule.expr}`);
      parsed++;
    }
    for (const d of r.workspace?.definitions ?? []) parseFormula(d.expr);
  }
  assert.ok(parsed > 400, `${parsed} formulas`);
});

test('dgelss: lwork=1 is flagged for m=n=10, a large one and the -1 query are accepted', () => {
  const dgelss = routine('dgelss');
  const below = checkWorkspaceArgs(dgelss, { m: 10, n: 10, nrhs: 1, lwork: 1 });
  assert.equal(below.length, 1);
  assert.equal(below[0].param, 'lwork');
  assert.equal(below[0].minimum, 50);
  assert.match(describeBelow(dgelss, below[0]), /lwork = 1 is below the documented minimum 50 for DGELSS .*lwork = -1/);
  assert.deepEqual(checkWorkspaceArgs(dgelss, { m: 10, n: 10, nrhs: 1, lwork: 10000 }), []);
  assert.equal(judgeWorkspaceArg(dgelss, 'lwork', { m: 10, n: 10, nrhs: 1, lwork: 50 })?.status, 'ok');
  assert.equal(judgeWorkspaceArg(dgelss, 'lwork', { m: 10, n: 10, nrhs: 1, lwork: 49 })?.status, 'below');
  assert.equal(judgeWorkspaceArg(dgelss, 'lwork', { m: 10, n: 10, nrhs: 1, lwork: -1 })?.status, 'query');
  // only LWORK >= 1 can be evaluated without m, n, nrhs
  assert.equal(judgeWorkspaceArg(dgelss, 'lwork', { lwork: 1 })?.status, 'ok');
  assert.equal(judgeWorkspaceArg(dgelss, 'lwork', { lwork: 0 })?.status, 'below');
  assert.equal(judgeWorkspaceArg(dgelss, 'lwork', { m: 10 }), undefined);
});

test('conditional rules count only when their condition is known to hold', () => {
  const dsyevd = routine('dsyevd');
  assert.deepEqual(checkWorkspaceArgs(dsyevd, { n: 10, lwork: 5, liwork: 1 }), []);
  const v = checkWorkspaceArgs(dsyevd, { n: 10, jobz: 'V', lwork: 100, liwork: 1 });
  assert.deepEqual(v.map((x) => [x.param, x.minimum]), [['lwork', 261], ['liwork', 53]]);
  assert.deepEqual(checkWorkspaceArgs(dsyevd, { n: 10, jobz: 'n', lwork: 21, liwork: 1 }), []);
  assert.deepEqual(checkWorkspaceArgs(dsyevd, { n: 10, jobz: 'N', lwork: 20, liwork: 1 }).map((x) => x.minimum), [21]);
  // dgesdd: "Let mx = max(M,N) and mn = min(M,N)." then per-JOBZ minima
  const dgesdd = routine('dgesdd');
  assert.equal(judgeWorkspaceArg(dgesdd, 'lwork', { m: 10, n: 10, jobz: 'N', lwork: 99 })?.status, 'below');
  assert.equal(judgeWorkspaceArg(dgesdd, 'lwork', { m: 10, n: 10, jobz: 'N', lwork: 100 })?.status, 'ok');
  assert.equal(judgeWorkspaceArg(dgesdd, 'lwork', { m: 10, n: 10, lwork: 99 })?.status, 'ok');
  // ctgsna: "If JOB = 'V' or 'B', LWORK >= max(1,2*N*N)" only applies when JOB is known
  const ctgsna = routine('ctgsna');
  assert.equal(judgeWorkspaceArg(ctgsna, 'lwork', { n: 4, lwork: 4 })?.status, 'ok');
  assert.equal(judgeWorkspaceArg(ctgsna, 'lwork', { n: 4, job: 'B', lwork: 4 })?.status, 'below');
});

test('conditions: three-valued, with Fortran spellings', () => {
  const vals: Record<string, number | string> = { compz: 'I', n: 5 };
  const get = (n: string) => vals[n];
  assert.equal(evaluateCondition("COMPZ = 'N' or 'I', or N <= 1", get), true);
  assert.equal(evaluateCondition("COMPZ = 'V' and N > 1", get), false);
  assert.equal(evaluateCondition("JOBZ = 'V' and N > 1", get), undefined);
  assert.equal(evaluateCondition("JOBZ = 'V' and N <= 1", get), false);
  assert.equal(evaluateCondition('N .GT. 1', get), true);
  assert.equal(evaluateCondition('the matrix is square', get), undefined);
  assert.equal(evaluateCondition("COMPZ = 'E', 'V', or 'I'", get), true);
  assert.equal(evaluateCondition("COMPZ = 'E', 'V', or 'B'", get), false);
  assert.equal(evaluateCondition('N = 1, 2 or 5', get), true);
  assert.equal(evaluateCondition('N = 1, 2 or 4 and COMPZ = \'I\'', get), false);
  assert.equal(evaluateCondition('N = 0 or N = 5', get), true);
});
