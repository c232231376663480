import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { openDatabase } from '../../server/src/lapack/database';
import { renderRoutineHover, renderRoutineHoverContent } from '../../server/src/lapack/render-hover';

const db = openDatabase();

function routine(name: string) {
  const r = db.lookup(name);
  assert.ok(r !== undefined, name);
  return r;
}

function intentColumn(markdown: string, param: string): string {
  const row = markdown.split('\n').find((l) => l.startsWith(`| \`${param}\` |`));
  assert.ok(row !== undefined, `row for ${param}`);
  return row.split(' | ')[2];
}

test('dgelss hover: signature, purpose, intents, LWORK rule, workspace query, reference', () => {
  const md = renderRoutineHover(routine('dgelss'), { typedefs: db.typedefs, lapackVersion: db.lapackVersion });
  assert.ok(md.includes('cdef void dgelss(int *m, int *n, int *nrhs, d *a, int *lda, d *b, int *ldb, d *s, d *rcond, ' +
    'int *rank, d *work, int *lwork, int *info) noexcept nogil'));
  assert.match(md, /minimum norm solution to a real linear least\s+squares problem/);
  assert.equal(intentColumn(md, 'a'), 'in,out — overwritten');
  assert.equal(intentColumn(md, 'b'), 'in,out — overwritten');
  assert.equal(intentColumn(md, 's'), 'out');
  assert.equal(intentColumn(md, 'rank'), 'out');
  assert.equal(intentColumn(md, 'work'), 'out');
  assert.equal(intentColumn(md, 'info'), 'out');
  assert.equal(intentColumn(md, 'm'), 'in');
  assert.ok(md.includes('| `a` | `d *` (`double *`) |'));
  assert.ok(md.includes('`LWORK >= 3*min(M,N) + max( 2*min(M,N), max(M,N), NRHS )`'));
  assert.ok(md.includes('`lwork = -1` is a workspace query'));
  for (const line of ['cdef int lwork = -1', 'cdef double wkopt',
    'dgelss(&m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, &rank, &wkopt, &lwork, &info)',
    'lwork = <int>wkopt', 'cdef double *work = <double*>malloc(lwork * sizeof(double))',
    'dgelss(&m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, &rank, work, &lwork, &info)', 'free(work)']) {
    assert.ok(md.includes(line), line);
  }
  assert.match(md, /\(https:\/\/www\.netlib\.org\/lapack\/explore-html\/d9\/d4e\/dgelss_8f\.html\)/);
  assert.equal(renderRoutineHoverContent(routine('dgelss')).kind, 'markdown');
});

test('complex routines query into a complex scratch value', () => {
  const md = renderRoutineHover(routine('zheev'), { typedefs: db.typedefs });
  assert.ok(md.includes('cdef double complex wkopt'));
  assert.ok(md.includes('lwork = <int>wkopt.real'));
  assert.ok(md.includes('`LWORK >= max(1,2*N-1).`'));
});

test('two workspace queries (dsyevd: LWORK and LIWORK)', () => {
  const md = renderRoutineHover(routine('dsyevd'), { typedefs: db.typedefs });
  assert.ok(md.includes('cdef int lwork = -1, liwork = -1'));
  assert.ok(md.includes('&wkopt, &lwork, &iwkopt, &liwork'));
  assert.ok(md.includes('liwork = iwkopt'));
});

test('BLAS functions show their return type; f90 routines render', () => {
  const ddot = renderRoutineHover(routine('ddot'), { typedefs: db.typedefs });
  assert.ok(ddot.includes('cdef d ddot(int *n, d *dx, int *incx, d *dy, int *incy) noexcept nogil'));
  assert.ok(ddot.includes('Returns `d` (`double`).'));
  assert.ok(!ddot.includes('**Workspace**'));
  const dnrm2 = renderRoutineHover(routine('dnrm2'), { typedefs: db.typedefs });
  assert.ok(dnrm2.includes('euclidean norm'));
  const drotg = renderRoutineHover(routine('drotg'), { typedefs: db.typedefs });
  assert.equal(intentColumn(drotg, 'da'), 'in,out — overwritten');
  assert.equal(intentColumn(drotg, 'c'), 'out');
});

test('every routine renders without throwing, with a table row per parameter', () => {
  for (const r of db.routines()) {
    const md = renderRoutineHover(r, { typedefs: db.typedefs });
    const rows = md.split('\n').filter((l) => /^\| `[^`]+` \|/.test(l));
    assert.equal(rows.length, r.params.length, r.name);
  }
});
