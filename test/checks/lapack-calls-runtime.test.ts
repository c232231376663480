/**
 * The LAPACK call contract checks against real runs (issue 16): each program of test/checks/lapack-runtime/ holds a
 * call one rule flags and its corrected form. Our engine must flag the first and not the second; then the programs
 * are built with `cythonize` (the pinned Cython, setuptools and the machine's C compiler), linked against nothing
 * (SciPy's cython_lapack is reached through its capsules), and run with the pinned SciPy: the flagged call goes wrong
 * as the warning says (a transposed solve, INFO < 0 with XERBLA's message, a heap overrun that AddressSanitizer
 * reports), the corrected one gives the right answer.
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

function run(cmd: string, args: string[], cwd?: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

/**
 * Builds every program of PROGRAMS into extension modules in `dir` with `cythonize -i` (setuptools runs the machine's
 * C compiler, at -O1 to build quicker, with CFLAGS/LDFLAGS from `env`).
 */
async function build(dir: string, names: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  for (const name of names) fs.copyFileSync(path.join(PROGRAMS, `${name}.pyx`), path.join(dir, `${name}.pyx`));
  const r = await run(VENV_PYTHON, ['-m', 'Cython.Build.Cythonize', '-i', '-3', '-j', '2',
    ...names.map((n) => `${n}.pyx`)], dir, { ...env, CFLAGS: `-O1 ${env.CFLAGS ?? ''}` });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  for (const name of names) {
    assert.ok(fs.readdirSync(dir).some((f) => f.startsWith(`${name}.`) && f.endsWith('.so')), `${name} was not built`);
  }
}

/** The machine's C compiler's AddressSanitizer runtime, to preload into the (uninstrumented) Python. */
async function asanRuntime(): Promise<string> {
  const r = await run('cc', ['-print-file-name=libasan.so']);
  const lib = r.stdout.trim();
  assert.ok(r.code === 0 && path.isAbsolute(lib) && fs.existsSync(lib), `cc has no AddressSanitizer runtime: ${lib}`);
  return lib;
}

describe('LAPACK call checks: the flagged calls go wrong when run, the corrected ones do not', () => {
  let engine: Engine;
  let dir: string;
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000 });
    await engine.session.discover(VENV_PYTHON);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-lapack-run-'));
    await build(dir, fs.readdirSync(PROGRAMS).filter((f) => f.endsWith('.pyx')).map((f) => path.basename(f, '.pyx')));
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

  const python = (args: string[], where = dir, env: NodeJS.ProcessEnv = {}): Promise<Run> =>
    run(VENV_PYTHON, [path.join(PROGRAMS, 'run_calls.py'), where, ...args], undefined, env);

  it('memory order: dgesv on a double[:, ::1] solves the transposed system, on a double[::1, :] the right one', async () => {
    assert.deepEqual(Object.fromEntries(flagged('memory_order_run')), { solve_c_order: ['lapack-memory-order'] });
    const r = await python(['memory_order']);
    assert.equal(r.code, 0, r.stderr);
    // "function info right-answer"
    assert.deepEqual(r.stdout.trim().split('\n'), ['solve_c_order 0 False', 'solve_fortran_order 0 True']);
  });

  it('buffer size: dgelss writes past the first n elements of a WORK of LWORK elements; the workspace query runs', async () => {
    assert.deepEqual(Object.fromEntries(flagged('buffer_size_run')), { lstsq_short_work: ['lapack-buffer-size'] });
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

  it('buffer size, under AddressSanitizer: the short WORK is a heap-buffer-overflow, the workspace query is clean', async () => {
    // the program built with -fsanitize=address, run in a Python with the sanitizer's runtime preloaded. LAPACK itself
    // is not instrumented: the overrun is seen where OpenBLAS's dscal zeroes WORK through memset, which the sanitizer
    // intercepts (the SSE/AVX2/AVX-512 kernels of x86-64 do; a generic build's loop would go unseen)
    const asan = path.join(dir, 'asan');
    await build(asan, ['buffer_size_run'], { CFLAGS: '-fsanitize=address -fno-omit-frame-pointer',
      LDFLAGS: '-fsanitize=address' });
    const env = { LD_PRELOAD: await asanRuntime(), ASAN_OPTIONS: 'detect_leaks=0' };
    const bad = await python(['buffer_size', 'lstsq_short_work', '1'], asan, env);
    assert.notEqual(bad.code, 0, bad.stdout);
    assert.match(bad.stderr, /ERROR: AddressSanitizer: heap-buffer-overflow/);
    // the region overrun is lstsq_short_work's malloc of n = 40 doubles
    assert.match(bad.stderr, /located \d+ bytes to the right of 320-byte region/);
    assert.match(bad.stderr, /allocated by thread T0 here:\n(?:.*\n){0,3}.*lstsq_short_work/);
    assert.match(bad.stderr, /scipy_dgelss_/);
    const good = await python(['buffer_size', 'lstsq_query', '1'], asan, env);
    assert.equal(good.code, 0, good.stderr);
    assert.doesNotMatch(good.stderr, /AddressSanitizer/);
    assert.equal(good.stdout.trim(), 'lstsq_query 0');
  });

  it('workspace: LWORK below the documented minimum, constant or N, gives INFO = -12 and XERBLA; the minimum solves', async () => {
    assert.deepEqual(Object.fromEntries(flagged('workspace_run')),
      { lwork_constant_below: ['lapack-workspace'], lwork_n: ['lapack-workspace'] });
    const r = await python(['workspace']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /On entry to +DGELSS +parameter number +12 had an illegal value/);
    assert.deepEqual(r.stdout.trim().split('\n').filter((l) => !l.includes('**')),
      ['lwork_constant_below -12 False', 'lwork_constant_right 0 True', 'lwork_n -12 False', 'lwork_minimum 0 True']);
  });

  it('overwritten input: after dgelss, a residual computed with A is wrong; with a copy passed to dgelss it is right', async () => {
    assert.deepEqual(Object.fromEntries(flagged('overwritten_input_run')), { residual_after: ['lapack-overwritten-input'] });
    const r = await python(['overwritten_input']);
    assert.equal(r.code, 0, r.stderr);
    // "function info right-solution right-residual": the same solution, the residual wrong only when A was reused
    assert.deepEqual(r.stdout.trim().split('\n'), ['residual_after 0 True False', 'residual_copied 0 True True']);
  });

  it('info unchecked: dgesv on a singular matrix returns B as if solved when INFO is not read; reading it raises', async () => {
    assert.deepEqual(Object.fromEntries(flagged('info_unchecked_run')), { solve_unchecked: ['lapack-info-unchecked'] });
    const r = await python(['info_unchecked']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['solve_unchecked returned False', 'solve_checked LinAlgError']);
  });

  it('leading dimension: LDA below max(1,N) gives INFO = -4 (dgesv) or XERBLA (dgemm); the right LDA solves', async () => {
    assert.deepEqual(Object.fromEntries(flagged('leading_dimension_run')),
      { lda_below_rows: ['lapack-leading-dimension'], gemm_lda_below: ['lapack-leading-dimension'] });
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
