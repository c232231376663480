/**
 * Spreading a command's files over worker threads (`--jobs N`): each worker runs main.ts's script with its own
 * engine (so the .pxd files it parsed stay cached for its next files), takes the next file when it is done with one
 * (largest first), and sends back the file's outcome; the caller gets the outcomes in the order of `files`, so the
 * output is the same whatever the number of workers. The Python environment is discovered once, by this thread: its
 * probe (a process) is started before anything else when a file of the run may need it, so it runs while the engine
 * loads and the first file is read and parsed. With one job (or one file, or no worker script) the files are analysed
 * here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { discoverPythonEnvironment, type PythonEnvironment } from '../model/python-environment';
import type { CheckArgs, ReportArgs } from './args';
import { type FileOutcome, type FileStep, mayNeedPython } from './cli-host';
import { readSource } from './read-source';

/** What a worker is asked to do (its workerData, under JOB_KEY). */
export type FileJob = { command: 'check'; args: CheckArgs } | { command: 'report'; args: ReportArgs };

/** The key of main.ts's workerData that makes a thread a file worker. */
export const JOB_KEY = 'cythonLensFileJob';
/** The argument a file worker is started with (main.ts looks at worker_threads only then). */
export const JOB_ARG = '--cython-lens-file-job';

/** Messages between the main thread and a worker. */
export type ToWorker =
  | { type: 'file'; index: number; file: string }
  | { type: 'python'; env: PythonEnvironment }
  | { type: 'end' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; index: number; outcome: FileOutcome<unknown> }
  | { type: 'python'; python: string }
  | { type: 'log'; line: string };

/**
 * Below this many bytes of source per worker, the default number of jobs is lowered: a worker costs a start-up
 * (loading the bundle and the grammar) that a few small files do not repay.
 */
const BYTES_PER_DEFAULT_WORKER = 64 * 1024;

export interface FileStepsOptions<T> {
  files: string[];
  /** `--jobs N`; undefined: the machine's cores, fewer for a small amount of source. */
  jobs: number | undefined;
  workerScript: string | undefined;
  job: FileJob;
  /**
   * The step in this thread (one of the jobs); `discoverPython`: how its engine gets the environment (maybe started
   * early); `sayPython`: whether the step says a Python that cannot help (false: said here, for every job).
   */
  step: (discoverPython: (python: string) => Promise<PythonEnvironment>, sayPython: boolean) => Promise<FileStep<T>>;
  /** The interpreter whose environment the steps get. */
  python: string;
  /** Whether the probe may start before a file asks for it (false: the caller's engine discovers on its own). */
  early: boolean;
  /** How the environment is discovered (tests count the probes); default: running the interpreter's probe. */
  discoverPython?: (python: string) => Promise<PythonEnvironment>;
  log: (s: string) => void;
}

export async function runFileSteps<T>(o: FileStepsOptions<T>): Promise<FileOutcome<T>[]> {
  // the probe of the run's interpreter, started now when some file may need it (the first such file decides)
  const probe = o.discoverPython ?? discoverPythonEnvironment;
  const early = o.early && o.files.some(fileMayNeedPython) ? probe(o.python) : undefined;
  const discover = (python: string): Promise<PythonEnvironment> => (early && python === o.python ? early : probe(python));
  const sizes = o.files.map((f) => {
    try {
      return fs.statSync(f).size;
    } catch {
      return 0;
    }
  });
  let jobs = o.jobs ?? Math.min(os.availableParallelism(),
    Math.max(1, Math.floor(sizes.reduce((a, b) => a + b, 0) / BYTES_PER_DEFAULT_WORKER)));
  jobs = Math.min(jobs, o.files.length);
  if (jobs <= 1 || !o.workerScript) {
    const step = await o.step(discover, true);
    const out: FileOutcome<T>[] = [];
    try {
      for (const file of o.files) out.push(await step.run(file));
    } finally {
      step.dispose();
    }
    return out;
  }
  const { Worker } = await import('node:worker_threads');
  return inWorkers<T>(o, jobs, o.workerScript, sizes, Worker, discover, early !== undefined);
}

/** Whether a file of the run may need the Python environment (mayNeedPython on its text; unreadable: no). */
function fileMayNeedPython(file: string): boolean {
  try {
    return mayNeedPython(file, readSource(file).text);
  } catch {
    return false;
  }
}

/** Files a worker is given ahead of its current one (it never waits for this thread, busy with a file of its own). */
const WORKER_QUEUE = 2;

/**
 * `jobs` jobs: this thread is one of them (its engine is built while the workers start), `jobs - 1` workers the
 * others. Workers take the largest files first, this thread the smallest (it hands out files between its own, so
 * its own are short); each worker is kept WORKER_QUEUE files ahead.
 */
async function inWorkers<T>(o: FileStepsOptions<T>, jobs: number, script: string, sizes: number[],
  Worker: typeof import('node:worker_threads').Worker,
  discover: (python: string) => Promise<PythonEnvironment>, started: boolean): Promise<FileOutcome<T>[]> {
  const outcomes: (FileOutcome<T> | undefined)[] = new Array(o.files.length);
  // largest first: the last files handed out are small, so the workers finish close together
  const order = o.files.map((_, i) => i).sort((a, b) => (sizes[b] ?? 0) - (sizes[a] ?? 0) || a - b);
  let front = 0; // order[front, back) is not handed out yet
  let back = order.length;
  let python: Promise<PythonEnvironment> | undefined;
  // discovered once for every job; a Python that cannot help is said once, here
  const environment = (p: string): Promise<PythonEnvironment> => (python ??= discover(p).then((env) => {
    if (env.error) o.log(`cython-lens: ${env.error}`);
    return env;
  }));
  const failures: string[] = [];
  const workers: { send: (m: ToWorker) => void; queued: number; ended: boolean }[] = [];
  const topUp = (w: (typeof workers)[number]): void => {
    while (!w.ended && w.queued < WORKER_QUEUE && front < back) {
      const index = order[front++] as number;
      w.queued++;
      w.send({ type: 'file', index, file: o.files[index] as string });
    }
    if (!w.ended && w.queued === 0 && front >= back) {
      w.ended = true;
      w.send({ type: 'end' });
    }
  };
  const exited = new Promise<void>((resolve) => {
    let live = jobs - 1;
    for (let k = 0; k < jobs - 1; k++) {
      const worker = new Worker(script, { argv: [JOB_ARG], workerData: { [JOB_KEY]: o.job } });
      const w = { send: (m: ToWorker): void => worker.postMessage(m), queued: 0, ended: false };
      workers.push(w);
      worker.on('message', (m: FromWorker) => {
        switch (m.type) {
          case 'ready':
            break;
          case 'done':
            outcomes[m.index] = m.outcome as FileOutcome<T>;
            w.queued--;
            topUp(w);
            break;
          case 'python':
            void environment(m.python).then((env) => w.send({ type: 'python', env }));
            break;
          case 'log':
            o.log(m.line);
            break;
        }
      });
      worker.on('error', (err) => failures.push(err instanceof Error ? (err.stack ?? err.message) : String(err)));
      worker.on('exit', () => {
        if (--live === 0) resolve();
      });
      topUp(w);
    }
  });
  // a probe started early: its environment goes to every worker as soon as it is known (a worker asking for it while
  // this thread analyses a file would wait for that file)
  if (started) void environment(o.python).then((env) => workers.forEach((w) => w.send({ type: 'python', env })));
  // this thread's own files, smallest first, from the back of the order
  const step = await o.step(environment, false);
  try {
    while (front < back) {
      const index = order[--back] as number;
      outcomes[index] = await step.run(o.files[index] as string);
      for (const w of workers) topUp(w);
    }
  } finally {
    step.dispose();
    for (const w of workers) topUp(w);
  }
  await exited;
  const missing = outcomes.findIndex((x) => x === undefined);
  if (failures.length || missing >= 0) {
    throw new Error(`a worker failed${missing >= 0 ? ` before ${o.files[missing]} was analysed` : ''}: ${failures.join('\n') || 'it exited early'}`);
  }
  return outcomes as FileOutcome<T>[];
}
