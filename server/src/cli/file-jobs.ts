/**
 * Spreading a command's files over worker threads (`--jobs N`): each worker runs main.ts's script with its own
 * engine (so the .pxd files it parsed stay cached for its next files), takes the next file when it is done with one
 * (largest first), and sends back the file's outcome; the caller gets the outcomes in the order of `files`, so the
 * output is the same whatever the number of workers. The Python environment is discovered once, by this thread,
 * when a worker first needs it. With one job (or one file, or no worker script) the files are analysed here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { discoverPythonEnvironment, type PythonEnvironment } from '../model/python-environment';
import type { CheckArgs, ReportArgs } from './args';
import type { FileOutcome, FileStep } from './cli-host';

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
  /** The step in this thread (one job). */
  step: () => Promise<FileStep<T>>;
  /** The interpreter whose environment workers get. */
  python: string;
  log: (s: string) => void;
}

export async function runFileSteps<T>(o: FileStepsOptions<T>): Promise<FileOutcome<T>[]> {
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
    const step = await o.step();
    const out: FileOutcome<T>[] = [];
    try {
      for (const file of o.files) out.push(await step.run(file));
    } finally {
      step.dispose();
    }
    return out;
  }
  const { Worker } = await import('node:worker_threads');
  return inWorkers<T>(o, jobs, o.workerScript, sizes, Worker);
}

function inWorkers<T>(o: FileStepsOptions<T>, jobs: number, script: string, sizes: number[],
  Worker: typeof import('node:worker_threads').Worker): Promise<FileOutcome<T>[]> {
  const outcomes: (FileOutcome<T> | undefined)[] = new Array(o.files.length);
  // largest first: the last files handed out are small, so the workers finish close together
  const order = o.files.map((_, i) => i).sort((a, b) => (sizes[b] ?? 0) - (sizes[a] ?? 0) || a - b);
  let next = 0;
  let python: Promise<PythonEnvironment> | undefined;
  const failures: string[] = [];
  return new Promise((resolve, reject) => {
    let live = jobs;
    for (let k = 0; k < jobs; k++) {
      const worker = new Worker(script, { argv: [JOB_ARG], workerData: { [JOB_KEY]: o.job } });
      const send = (m: ToWorker): void => worker.postMessage(m);
      const giveNext = (): void => {
        const index = order[next++];
        if (index === undefined) send({ type: 'end' });
        else send({ type: 'file', index, file: o.files[index] as string });
      };
      worker.on('message', (m: FromWorker) => {
        switch (m.type) {
          case 'ready':
            giveNext();
            break;
          case 'done':
            outcomes[m.index] = m.outcome as FileOutcome<T>;
            giveNext();
            break;
          case 'python':
            python ??= discoverPythonEnvironment(m.python).then((env) => {
              if (env.error) o.log(`cython-lens: ${env.error}`);
              return env;
            });
            void python.then((env) => send({ type: 'python', env }));
            break;
          case 'log':
            o.log(m.line);
            break;
        }
      });
      worker.on('error', (err) => failures.push(err instanceof Error ? (err.stack ?? err.message) : String(err)));
      worker.on('exit', () => {
        if (--live > 0) return;
        const missing = outcomes.findIndex((x) => x === undefined);
        if (failures.length || missing >= 0) {
          reject(new Error(`a worker failed${missing >= 0 ? ` before ${o.files[missing]} was analysed` : ''}: ${failures.join('\n') || 'it exited early'}`));
        } else {
          resolve(outcomes as FileOutcome<T>[]);
        }
      });
    }
  });
}
