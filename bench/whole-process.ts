/**
 * Whole-process figures, as a user meets them: the bundled CLI (`cli.js`, built beside the bench bundle by
 * scripts/bench.mjs) and `cython -a` each run as their own process, one after the other in the same run.
 * - start-up: `check` of a one-line file next to a bare `node -e 0` (the difference is the CLI's own start-up and
 *   check; target: <= 100 ms);
 * - real files: the largest module of several projects of the broad conformance corpus, each with
 *   `check --annotate` and with `cython -a` (whole processes both sides), plus the first analysis of the file in a
 *   running engine (JIT warm, what a server does when the file is opened);
 * - a whole project: every corpus file of one project in one `check --annotate` process (default jobs and one job)
 *   next to `cython -a` on each file.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CorpusFile, venvPython } from './corpus';
import { median } from './stats';

/** The CLI bundle scripts/bench.mjs wrote beside this bench's bundle. */
export function benchCli(): string {
  const cli = path.join(path.dirname(process.argv[1] as string), 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`bench: ${cli} is missing (scripts/bench.mjs builds it)`);
  return cli;
}

/** `-X name=value` of a manifest's cython_args (the CLI takes the directives, not -3/-E). */
export function directivesOf(file: CorpusFile): string[] {
  const out: string[] = [];
  for (let i = 0; i < file.cythonArgs.length; i++) if (file.cythonArgs[i] === '-X') out.push(file.cythonArgs[i + 1] as string);
  return out;
}

export interface ProcessRun {
  ms: number;
  /** CPU time (user + system) of the process, on Linux (10 ms ticks); undefined elsewhere. */
  cpuMs: number | undefined;
  status: number;
  stdout: string;
}

/** CPU time of the waited-for children of this process so far (Linux: cutime + cstime of /proc/self/stat), ms. */
function childrenCpuMs(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields from the 3rd of stat(5): cutime is the 16th, cstime the 17th, in clock ticks (USER_HZ, 100 on Linux)
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

/** One whole process: wall time from spawn to exit, and its CPU time (robust to a loaded machine). */
export function timeProcess(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd?: string): ProcessRun {
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(argv[0] as string, argv.slice(1), { env, cwd, encoding: 'utf8', maxBuffer: 256 << 20, timeout: 900_000 });
  const ms = performance.now() - t0;
  const c1 = childrenCpuMs();
  if (r.error) throw r.error;
  return { ms, cpuMs: c0 === undefined || c1 === undefined ? undefined : c1 - c0, status: r.status ?? -1, stdout: r.stdout };
}

/**
 * The CLI's `check --annotate` over `files` (one process; jobs: default): the include dirs and directives of their
 * builds (in a project they are the same for every file; otherwise their union, in order).
 */
export function cliCheck(repo: string, files: readonly CorpusFile[], jobs?: number): ProcessRun {
  if (!files.length) throw new Error('cliCheck: no files');
  const union = (f: (file: CorpusFile) => string[]): string[] => [...new Set(files.flatMap(f))];
  const argv = [process.execPath, benchCli(), 'check', '--annotate', '--format', 'json',
    ...union((f) => f.includeDirs).flatMap((d) => ['-I', d]), ...union(directivesOf).flatMap((x) => ['-X', x]),
    ...(jobs ? ['--jobs', String(jobs)] : []), ...files.map((f) => f.path)];
  const r = timeProcess(argv, { ...process.env, CYTHON_LENS_PYTHON: venvPython(repo) });
  if (r.status === 2) throw new Error(`bench: cython-lens check failed (exit 2) on ${files.map((f) => f.id).join(', ').slice(0, 300)}`);
  const reports = JSON.parse(r.stdout) as unknown[];
  if (reports.length !== files.length) throw new Error(`bench: the CLI reported ${reports.length} of ${files.length} files`);
  return r;
}

export interface StartupResult {
  /** CPU time per run (mean) of the check and of bare Node; undefined off Linux */
  cliCpuMs: number | undefined;
  nodeCpuMs: number | undefined;
  /** `node cli.js check one-line.pyx`, median */
  cliMs: number;
  /** `node -e 0`, median */
  nodeMs: number;
  /** `node cli.js --help`, median */
  helpMs: number;
  runs: number;
}

/** Start-up: interleaved runs of a bare Node, `--help` and a one-line check (medians). */
export function startup(runs: number): StartupResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-bench-startup-'));
  try {
    const one = path.join(dir, 'one.pyx');
    fs.writeFileSync(one, 'x = 1\n');
    const cli = benchCli();
    const node: number[] = [];
    const help: number[] = [];
    const check: number[] = [];
    let nodeCpu: number | undefined = 0;
    let checkCpu: number | undefined = 0;
    for (let i = 0; i < runs + 2; i++) {
      const n = timeProcess([process.execPath, '-e', '0']);
      const h = timeProcess([process.execPath, cli, '--help']);
      const c = timeProcess([process.execPath, cli, 'check', one]);
      if (c.status !== 0 || !/1 file\(s\) checked/.test(c.stdout)) throw new Error(`bench: start-up check failed: ${c.stdout}`);
      if (i < 2) continue; // file cache warm-up
      node.push(n.ms);
      help.push(h.ms);
      check.push(c.ms);
      nodeCpu = nodeCpu === undefined || n.cpuMs === undefined ? undefined : nodeCpu + n.cpuMs;
      checkCpu = checkCpu === undefined || c.cpuMs === undefined ? undefined : checkCpu + c.cpuMs;
    }
    return { cliMs: median(check), nodeMs: median(node), helpMs: median(help), runs,
      cliCpuMs: checkCpu === undefined ? undefined : checkCpu / runs, nodeCpuMs: nodeCpu === undefined ? undefined : nodeCpu / runs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function lineCount(file: string): number {
  return fs.readFileSync(file, 'utf8').split('\n').length;
}

/**
 * `cython -a FILE` as a whole process (the include dirs, directives and options of its build; the C file and the
 * HTML written to a temporary folder), with its CPU time.
 */
export function cythonProcess(repo: string, file: CorpusFile): ProcessRun {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-bench-c-'));
  try {
    const out = path.join(tmp, `${file.module.replace(/\./g, '_')}.${file.cplus ? 'cpp' : 'c'}`);
    const argv = [path.join(repo, '.venv', 'bin', 'cython'), ...file.cythonArgs, ...(file.cplus ? ['--cplus'] : []), '-a',
      ...file.includeDirs.flatMap((d) => ['-I', d]), file.path, '-o', out];
    const r = timeProcess(argv, process.env, path.dirname(file.path));
    if (r.status === 0 && !fs.existsSync(out.replace(/\.(c|cpp)$/, '.html'))) throw new Error(`bench: cython -a made no HTML for ${file.id}`);
    return r;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
