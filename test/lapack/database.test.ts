import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { LapackDatabase, findDatabaseFile, lookup, openDatabase } from '../../server/src/lapack/database';

const file = findDatabaseFile(__dirname);

test('the database file is found from the compiled test folder', () => {
  assert.ok(file !== undefined, 'data/lapack/routines.json.gz not found');
});

test('loads lazily, on first lookup, and caches', () => {
  const db = new LapackDatabase(file as string);
  assert.equal(db.loaded, false);
  const first = db.lookup('dgelss');
  assert.equal(db.loaded, true);
  assert.equal(db.lookup('DGELSS'), first);
  assert.equal(db.lookup('scipy.linalg.cython_lapack.dgelss'), first);
  assert.equal(db.lookup('no_such_routine'), undefined);
  assert.equal(db.lookup('dgelss', 'cython_lapack'), first);
  assert.equal(db.lookup('dgelss', 'cython_blas'), undefined);
  assert.equal(db.lookup('ddot', 'cython_blas')?.module, 'cython_blas');
  assert.equal(db.lookup('constructor'), undefined);
  assert.equal(openDatabase(file), openDatabase(file));
});

test('loadAsync warms the same cache', async () => {
  const db = new LapackDatabase(file as string);
  const [a, b] = await Promise.all([db.loadAsync(), db.loadAsync()]);
  assert.equal(a, b);
  assert.equal(db.loaded, true);
  assert.equal(db.load(), a);
  await assert.rejects(new LapackDatabase(`${file as string}.missing`).loadAsync(), /cannot read/);
});

test('all of scipy\'s routines: 1,496 LAPACK + 148 BLAS', () => {
  const db = openDatabase(file);
  assert.equal(db.routines('cython_lapack').length, 1496);
  assert.equal(db.routines('cython_blas').length, 148);
  assert.equal(db.routines().length, 1644);
  assert.equal(db.typedefs.d, 'double');
  assert.equal(db.typedefs.z, 'double complex');
});

test('key routines are present with their purpose', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['dgesv', 'cython_lapack', /solution to (a )?system of linear equations/i],
    ['dsyev', 'cython_lapack', /eigenvalues/i],
    ['zheev', 'cython_lapack', /eigenvalues/i],
    ['ddot', 'cython_blas', /dot product/i],
    ['dnrm2', 'cython_blas', /euclidean norm/i],
    ['drotg', 'cython_blas', /plane rotation/i],
  ];
  for (const [name, module, purpose] of cases) {
    const r = lookup(name);
    assert.ok(r !== undefined, name);
    assert.equal(r.module, module, name);
    assert.match(r.summary, purpose, name);
    assert.ok(r.purpose.length > 20, `${name} purpose`);
    assert.match(r.decl, new RegExp(`\\b${name}\\(.*\\) noexcept nogil$`), name);
  }
  // the .f90 routines have their own doc layout
  assert.equal(lookup('dnrm2')?.source, 'BLAS/SRC/dnrm2.f90');
  assert.equal(lookup('drotg')?.source, 'BLAS/SRC/drotg.f90');
  assert.deepEqual(lookup('drotg')?.params.map((p) => [p.name, p.intent]),
    [['da', 'in,out'], ['db', 'in,out'], ['c', 'out'], ['s', 'out']]);
  assert.deepEqual(lookup('dlartg')?.params.map((p) => p.intent), ['in', 'in', 'out', 'out', 'out']);
  assert.match(lookup('dnrm2')?.url ?? '', /^https:\/\/www\.netlib\.org\/lapack\/explore-html\/d[0-9a-f]\/d[0-9a-f]{2}\/dnrm2_8f90\.html$/);
});

test('scipy\'s renamed parameters are matched to LAPACK\'s names', () => {
  const renamed = openDatabase(file).routines().flatMap((r) => r.params)
    .filter((p) => /_$|_bn$/.test(p.name));
  assert.ok(renamed.length > 0);
  for (const p of renamed) assert.ok(p.intent !== undefined, `${p.name} has an intent`);
  // ldwork is a leading dimension, documented as such
  const dlarfb = lookup('dlarfb');
  assert.match(dlarfb?.params.find((p) => p.name === 'ldwork')?.doc ?? '', /leading dimension/i);
});

test('coverage reaches the targets and matches PROVENANCE.json', () => {
  const db = openDatabase(file);
  const all = db.routines();
  const documented = all.filter((r) => r.summary !== '' && r.purpose !== '').length;
  const params = all.flatMap((r) => r.params);
  const withIntent = params.filter((p) => p.intent !== undefined).length;
  const hints = all.filter((r) => r.workspace !== undefined &&
    (r.workspace.rules.length > 0 || r.workspace.query.length > 0)).length;
  assert.equal(documented, 1644);
  assert.equal(params.length, 17929);
  assert.ok(withIntent >= 17924, `intent for ${withIntent}`);
  assert.ok(hints >= 324, `workspace hints for ${hints}`);
  const provenance = JSON.parse(fs.readFileSync(path.join(path.dirname(file as string), 'PROVENANCE.json'), 'utf8')) as {
    counts: Record<string, number>; scipy: { version: string }; lapack: { version: string; origTarballSha256: string };
  };
  assert.equal(provenance.counts.documented, documented);
  assert.equal(provenance.counts.parametersWithIntent, withIntent);
  assert.equal(provenance.counts.workspaceHintRoutines, hints);
  assert.equal(provenance.scipy.version, db.scipyVersion);
  assert.equal(provenance.lapack.version, db.lapackVersion);
  assert.match(provenance.lapack.origTarballSha256, /^[0-9a-f]{64}$/);
  for (const lic of ['LAPACK-LICENSE.txt', 'scipy-LICENSE.txt']) {
    assert.ok(fs.statSync(path.join(path.dirname(file as string), 'licenses', lic)).size > 500, lic);
  }
});

test('an analysis reads the database only for a module that binds BLAS/LAPACK names', async () => {
  const { Engine } = await import('../../server/src/engine');
  const { analyses } = await import('../../server/src/checks');
  const { lapackDatabase } = await import('../../server/src/lapack/symbols');
  const { defaultSettings } = await import('../../server/src/settings/validate-settings');
  const engine = await Engine.create({ ...analyses });
  try {
    const settings = defaultSettings();
    engine.open('file:///plain.pyx', 'cdef int f(int n):\n    return n + 1\n\ndef g(x):\n    return f(x)\n');
    assert.ok(engine.analyze('file:///plain.pyx', settings));
    assert.equal(lapackDatabase(engine.session)?.loaded, false);
    engine.open('file:///solve.pyx', [
      'from scipy.linalg.cython_lapack cimport dgesv', '',
      'def solve(double[::1, :] a, double[::1] b, int[::1] ipiv):',
      '    cdef int n = a.shape[0], nrhs = 1, info',
      '    dgesv(&n, &nrhs, &a[0, 0], &n, &ipiv[0], &b[0], &n, &info)',
      '    return b', ''].join('\n'));
    const report = engine.analyze('file:///solve.pyx', settings);
    assert.equal(lapackDatabase(engine.session)?.loaded, true);
    assert.ok(report?.diagnostics.some((d) => d.code === 'lapack-info-unchecked'));
  } finally {
    engine.dispose();
  }
});
