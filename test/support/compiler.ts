/** Running the pinned real Cython (the project's .venv) from tests: the compiler is the ground truth. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';

export const VENV_PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');

export interface CompilerMessage {
  line: number;
  column: number;
  kind: 'error' | 'warning' | 'performance hint';
  /** First line of the message. */
  message: string;
}

/** Compiles `file` with `cython -3` and returns every positioned message about that file. */
export function compileWithCython(file: string, extraArgs: string[] = []): CompilerMessage[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-cython-'));
  const out = path.join(dir, 'out.c');
  // warnings go to stderr also when the compilation succeeds
  let run;
  try {
    run = spawnSync(VENV_PYTHON, ['-m', 'cython', '-3', ...extraArgs, '-o', out, file], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const text = `${run.stdout ?? ''}\n${run.stderr ?? ''}`;
  const messages: CompilerMessage[] = [];
  const re = /^(warning: |performance hint: )?(.+?):(\d+):(\d+): (.*)$/;
  for (const raw of text.split('\n')) {
    const m = re.exec(raw);
    if (!m || path.resolve(m[2]) !== path.resolve(file)) continue;
    const kind = m[1] === 'warning: ' ? 'warning' : m[1] === 'performance hint: ' ? 'performance hint' : 'error';
    messages.push({ line: Number(m[3]), column: Number(m[4]), kind, message: m[5].trim() });
  }
  return messages;
}

/** Expected errors of a Cython error test (`_ERRORS = """ L:C: message ... """`). */
export function expectedErrors(source: string): { line: number; message: string }[] {
  const m = /_ERRORS\s*=\s*u?("""|''')([\s\S]*?)\1/.exec(source);
  if (!m) return [];
  return m[2].split('\n').map((l) => /^\s*(\d+):(\d+):\s*(.*)$/.exec(l)).filter((x): x is RegExpExecArray => !!x)
    .map((x) => ({ line: Number(x[1]), message: x[3].trim() }));
}
