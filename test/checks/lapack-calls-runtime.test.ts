/**
 * The LAPACK call contract checks against real runs (issue 16): each program of test/checks/lapack-runtime/ holds a
 * call one rule flags and its corrected form. Our engine must flag the first and not the second; then the program is
 * built with the pinned Cython and the machine's C compiler, linked against nothing (SciPy's cython_lapack is reached
 * through its capsules), and run with the pinned SciPy: the flagged call goes wrong as the warning says (a transposed
 * solve, INFO < 0, a crash), the corrected one gives the right answer.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../server/src/engine';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { analyses } from '../../server/src/checks';
import { REPO_ROOT } from '../support/paths';
import { VENV_PYTHON } from '../support/compiler';

const PROGRAMS = path.join(REPO_ROOT, 'test', 'checks', 'lapack-runtime');

interface Run {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd?: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

/** Builds PROGRAMS/<name>.pyx into an extension module in `dir` (cython -3, then cc -shared). */
async function build(name: string, dir: string): Promise<void> {
  const c = path.join(dir, `${name}.c`);
  const cy = await run(VENV_PYTHON, ['-m', 'cython', '-3', path.join(PROGRAMS, `${name}.pyx`), '-o', c]);
  assert.equal(cy.code, 0, cy.stderr);
  const conf = await run(VENV_PYTHON, ['-c',
    "import sysconfig; print(sysconfig.get_paths()['include']); print(sysconfig.get_config_var('EXT_SUFFIX'))"]);
  const [include, suffix] = conf.stdout.trim().split('\n');
  const cc = await run('cc', ['-shared', '-fPIC', '-O1', `-I${include}`, c, '-o', path.join(dir, `${name}${suffix}`)]);
  assert.equal(cc.code, 0, cc.stderr);
}

describe('LAPACK call checks: the flagged calls go wrong when run, the corrected ones do not', () => {
  let engine: Engine;
  let dir: string;
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000 });
    await engine.session.discover(VENV_PYTHON);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-lapack-run-'));
  });
  after(() => {
    engine?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Our codes by the function (def name) they are in. */
  function flagged(name: string): Map<string, string[]> {
    const file = path.join(PROGRAMS, `${name}.pyx`);
    const text = fs.readFileSync(file, 'utf8');
    const uri = pathToFileURL(file).toString();
    engine.open(uri, text, 1);
    const report = engine.analyze(uri, defaultSettings());
    engine.close(uri);
    assert.ok(report);
    const lines = text.split('\n');
    const out = new Map<string, string[]>();
    for (const d of report.diagnostics) {
      let fn = '';
      for (let l = d.range.start.line; l >= 0; l--) {
        const m = /^def (\w+)/.exec(lines[l] ?? '');
        if (m) {
          fn = m[1];
          break;
        }
      }
      out.set(fn, [...(out.get(fn) ?? []), String(d.code)]);
    }
    return out;
  }

  const python = (args: string[]): Promise<Run> => run(VENV_PYTHON, [path.join(PROGRAMS, 'run_calls.py'), dir, ...args]);

  it('memory order: dgesv on a double[:, ::1] solves the transposed system, on a double[::1, :] the right one', async () => {
    assert.deepEqual(Object.fromEntries(flagged('memory_order_run')), { solve_c_order: ['lapack-memory-order'] });
    await build('memory_order_run', dir);
    const r = await python(['memory_order']);
    assert.equal(r.code, 0, r.stderr);
    // "function info right-answer"
    assert.deepEqual(r.stdout.trim().split('\n'), ['solve_c_order 0 False', 'solve_fortran_order 0 True']);
  });

  it('buffer size: dgelss writes past the first n elements of a WORK of LWORK elements; the workspace query runs', async () => {
    assert.deepEqual(Object.fromEntries(flagged('buffer_size_run')), { lstsq_short_work: ['lapack-buffer-size'] });
    await build('buffer_size_run', dir);
    const good = await python(['buffer_size', 'lstsq_query']);
    assert.equal(good.code, 0, good.stderr);
    assert.equal(good.stdout.trim(), 'lstsq_query 0');
    // lstsq_short_work's WORK holds n = 40 elements: dgelss writes to elements past them (a heap overrun; run as it
    // is, the program crashes now and then), measured with markers in a WORK big enough
    const past = await python(['buffer_size', 'written_past']);
    assert.equal(past.code, 0, past.stderr);
    const m = /^written_past 0 (\d+)$/.exec(past.stdout.trim());
    assert.ok(m, past.stdout);
    assert.ok(Number(m[1]) > 0, 'dgelss wrote nothing past the first n elements of WORK');
  });

  it('overwritten input: after dgelss, a residual computed with A is wrong; with a copy passed to dgelss it is right', async () => {
    assert.deepEqual(Object.fromEntries(flagged('overwritten_input_run')), { residual_after: ['lapack-overwritten-input'] });
    await build('overwritten_input_run', dir);
    const r = await python(['overwritten_input']);
    assert.equal(r.code, 0, r.stderr);
    // "function info right-solution right-residual": the same solution, the residual wrong only when A was reused
    assert.deepEqual(r.stdout.trim().split('\n'), ['residual_after 0 True False', 'residual_copied 0 True True']);
  });

  it('info unchecked: dgesv on a singular matrix returns B as if solved when INFO is not read; reading it raises', async () => {
    assert.deepEqual(Object.fromEntries(flagged('info_unchecked_run')), { solve_unchecked: ['lapack-info-unchecked'] });
    await build('info_unchecked_run', dir);
    const r = await python(['info_unchecked']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['solve_unchecked returned False', 'solve_checked LinAlgError']);
  });

  it('leading dimension: LDA below max(1,N) gives INFO = -4 (dgesv) or XERBLA (dgemm); the right LDA solves', async () => {
    assert.deepEqual(Object.fromEntries(flagged('leading_dimension_run')),
      { lda_below_rows: ['lapack-leading-dimension'], gemm_lda_below: ['lapack-leading-dimension'] });
    await build('leading_dimension_run', dir);
    const r = await python(['leading_dimension']);
    assert.equal(r.code, 0, r.stderr);
    // LAPACK's XERBLA says it too
    assert.match(r.stdout, /On entry to +DGESV parameter number +4 had an illegal value/);
    // BLAS's dgemm with TRANSA = 'N' and LDA below max(1,m): XERBLA names parameter 8 and C is not computed
    assert.match(r.stdout, /On entry to +DGEMM +parameter number +8 had an illegal value/);
    assert.deepEqual(r.stdout.trim().split('\n').filter((l) => !l.includes('**')),
      ['lda_below_rows -4 False', 'lda_right 0 True', 'gemm_lda_below False', 'gemm_lda_right True']);
  });
});
