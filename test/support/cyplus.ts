/**
 * Running the Cython+ compiler (cython-plus 0.3.0 in .venv-cyplus, made by scripts/setup-cyplus.sh) from tests: the
 * oracle of the cypclass model and checks. It translates only (`--cplus`, C++ output thrown away).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';
import { type CompilerMessage, parseCompilerOutput } from './compiler';

/**
 * The checkout's .venv-cyplus, or (in a git worktree without one) the main checkout's: the oracle only translates,
 * so one venv serves every worktree.
 */
function cyplusCython(): string {
  const own = path.join(REPO_ROOT, '.venv-cyplus', 'bin', 'cython');
  if (fs.existsSync(own)) return own;
  const common = spawnSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: REPO_ROOT, encoding: 'utf8' });
  const main = common.status === 0 ? path.join(path.dirname(common.stdout.trim()), '.venv-cyplus', 'bin', 'cython') : own;
  return fs.existsSync(main) ? main : own;
}

export const CYPLUS_CYTHON = cyplusCython();

export function requireCyplus(): void {
  if (!fs.existsSync(CYPLUS_CYTHON)) {
    throw new Error(`${CYPLUS_CYTHON} is missing: run scripts/setup-cyplus.sh (part of scripts/setup.sh)`);
  }
}

/** Compiles `file` with `cython --cplus` of Cython+ and returns every positioned message about that file. */
export function compileWithCyplus(file: string): CompilerMessage[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-cyplus-'));
  let run;
  try {
    run = spawnSync(CYPLUS_CYTHON, ['--cplus', '-o', path.join(dir, 'out.cpp'), file], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return parseCompilerOutput(`${run.stdout ?? ''}\n${run.stderr ?? ''}`, file);
}
