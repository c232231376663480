/** Running the pinned real Cython (the project's .venv) from tests: the compiler is the ground truth. */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
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
  return parseCompilerOutput(`${run.stdout ?? ''}\n${run.stderr ?? ''}`, file);
}

/** Expected errors of a Cython error test (`_ERRORS = """ L:C: message ... """`). */
export function expectedErrors(source: string): { line: number; message: string }[] {
  const m = /_ERRORS\s*=\s*u?("""|''')([\s\S]*?)\1/.exec(source);
  if (!m) return [];
  return m[2].split('\n').map((l) => /^\s*(\d+):(\d+):\s*(.*)$/.exec(l)).filter((x): x is RegExpExecArray => !!x)
    .map((x) => ({ line: Number(x[1]), message: x[3].trim() }));
}

/** The message blocks of a fixture in Cython's test style, each line `LINE:COL: message` (first line of a message). */
export interface FixtureBlocks {
  /** `_ERRORS`, `_WARNINGS`, `_PERFORMANCE_HINTS`: what the pinned compiler reports, by kind. */
  compiler: Record<CompilerMessage['kind'], BlockEntry[]>;
  /** `_CYTHON_LENS_ONLY`: what our engine reports under codes the compiler has no message for (ours alone). */
  oursOnly: BlockEntry[];
  /** `_COMPILER_ONLY`: entries of the compiler blocks our engine does not reproduce (outside our rules, or on purpose). */
  compilerOnly: BlockEntry[];
}

export interface BlockEntry {
  line: number;
  column: number;
  message: string;
}

const BLOCK_NAMES = {
  _ERRORS: 'error', _WARNINGS: 'warning', _PERFORMANCE_HINTS: 'performance hint',
} as const satisfies Record<string, CompilerMessage['kind']>;

function blockEntries(source: string, name: string): BlockEntry[] {
  const m = new RegExp(`^${name}\\s*=\\s*u?("""|''')([\\s\\S]*?)\\1`, 'm').exec(source);
  if (!m) return [];
  return m[2].split('\n').map((l) => /^\s*(\d+):(\d+):\s*(.*)$/.exec(l)).filter((x): x is RegExpExecArray => !!x)
    .map((x) => ({ line: Number(x[1]), column: Number(x[2]), message: x[3].trim() }));
}

export function fixtureBlocks(source: string): FixtureBlocks {
  const compiler = { error: [], warning: [], 'performance hint': [] } as FixtureBlocks['compiler'];
  for (const [name, kind] of Object.entries(BLOCK_NAMES)) compiler[kind] = blockEntries(source, name);
  return { compiler, oursOnly: blockEntries(source, '_CYTHON_LENS_ONLY'), compilerOnly: blockEntries(source, '_COMPILER_ONLY') };
}

/** The directory where compiler outputs of unchanged fixtures are kept (keyed by content and compiler version). */
const COMPILE_CACHE = path.join(process.env['CYTHON_LENS_CACHE'] ?? path.join(os.homedir(), '.cache', 'cython-lens'),
  'fixture-compiles');

let cythonVersion: Promise<string> | undefined;

function run(file: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 300_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') reject(new Error(`${file} not found: run scripts/setup-python.sh`));
      else resolve({ stdout, stderr });
    });
  });
}

/**
 * Compiles each file with `cython -3` and returns its messages. The files are compiled several to a compiler run
 * (copies of them, with the .pxd/.pxi files of their folder, in a temporary folder: starting the compiler costs
 * more than compiling a small file), `concurrency` runs at a time, asynchronously. Outputs are cached by the
 * content of the file and of the .pxd/.pxi files beside it, the arguments and the compiler's version, so only new
 * or changed files are compiled again (`CYTHON_LENS_FIXTURE_CACHE=off` compiles all).
 */
export async function compileAll(files: readonly string[], concurrency: number, extraArgs: string[] = []):
  Promise<Map<string, CompilerMessage[]>> {
  cythonVersion ??= run(VENV_PYTHON, ['-m', 'cython', '--version']).then((r) => `${r.stdout}${r.stderr}`.trim());
  const version = await cythonVersion;
  const useCache = process.env['CYTHON_LENS_FIXTURE_CACHE'] !== 'off';
  const out = new Map<string, CompilerMessage[]>();
  const cacheFile = new Map<string, string>();
  const todo = new Map<string, string[]>(); // folder -> files to compile
  for (const file of files) {
    const dir = path.dirname(file);
    const hash = createHash('sha256').update(version).update('\0').update(extraArgs.join('\0')).update('\0')
      .update(fs.readFileSync(file));
    for (const f of companions(dir)) hash.update(`\0${f}\0`).update(fs.readFileSync(path.join(dir, f)));
    const cached = path.join(COMPILE_CACHE, `${hash.digest('hex')}.json`);
    cacheFile.set(file, cached);
    if (useCache && fs.existsSync(cached)) {
      out.set(file, JSON.parse(fs.readFileSync(cached, 'utf8')) as CompilerMessage[]);
    } else {
      todo.set(dir, [...(todo.get(dir) ?? []), file]);
    }
  }
  // one batch per worker and folder, of similar sizes
  const batches: string[][] = [];
  for (const group of todo.values()) {
    const n = Math.min(group.length, Math.max(1, concurrency));
    for (let i = 0; i < n; i++) batches.push(group.filter((_, j) => j % n === i));
  }
  const worker = async (): Promise<void> => {
    for (let batch = batches.shift(); batch !== undefined; batch = batches.shift()) {
      const dir = path.dirname(batch[0]!);
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-cython-'));
      try {
        for (const f of companions(dir)) fs.copyFileSync(path.join(dir, f), path.join(tmp, f));
        const copies = batch.map((f) => path.join(tmp, path.basename(f)));
        batch.forEach((f, i) => fs.copyFileSync(f, copies[i]!));
        const r = await run(VENV_PYTHON, ['-m', 'cython', '-3', ...extraArgs, ...copies]);
        batch.forEach((file, i) => {
          const messages = parseCompilerOutput(`${r.stdout}\n${r.stderr}`, copies[i]!);
          out.set(file, messages);
          fs.mkdirSync(COMPILE_CACHE, { recursive: true });
          fs.writeFileSync(cacheFile.get(file)!, JSON.stringify(messages));
        });
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return out;
}

/** The .pxd/.pxi files of a folder (a fixture may cimport or include them), sorted. */
function companions(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => /\.(pxd|pxi)$/.test(n)).sort();
}

export function parseCompilerOutput(text: string, file: string): CompilerMessage[] {
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
