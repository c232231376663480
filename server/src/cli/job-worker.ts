/**
 * The worker side of file-jobs.ts: a thread started with JOB_KEY in its workerData builds the command's per-file
 * step with its own engine, analyses each file the main thread hands it and sends the outcome back. The Python
 * environment comes from the main thread (discovered there once, when a worker first needs it).
 */
import { parentPort } from 'node:worker_threads';
import type { PythonEnvironment } from '../model/python-environment';
import { checkStep } from './check-command';
import type { FileStep } from './cli-host';
import type { FileJob, FromWorker, ToWorker } from './file-jobs';
import { reportStep } from './report-command';

export async function runJobWorker(job: FileJob): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runJobWorker: not in a worker thread');
  const send = (m: FromWorker): void => port.postMessage(m);
  const log = (line: string): void => send({ type: 'log', line });
  const waiting: ((env: PythonEnvironment) => void)[] = [];
  let known: PythonEnvironment | undefined; // sent before this worker asked (the main thread's early probe)
  const discoverPython = (python: string): Promise<PythonEnvironment> => new Promise((resolve) => {
    if (known?.python === python) {
      resolve(known);
      return;
    }
    waiting.push(resolve);
    send({ type: 'python', python });
  });
  const step: FileStep<unknown> = job.command === 'check'
    ? await checkStep(job.args, log, { sayPython: false, discoverPython })
    : await reportStep(job.args, log, { sayPython: false, discoverPython });
  // one file at a time, in the order given: the main thread sends files ahead (file-jobs.ts WORKER_QUEUE)
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (m: ToWorker) => {
    if (m.type === 'python') {
      known = m.env;
      for (const w of waiting.splice(0)) w(m.env);
    } else if (m.type === 'file') {
      queue = queue.then(() => step.run(m.file)).then((outcome) => send({ type: 'done', index: m.index, outcome }), (err: unknown) => {
        throw err instanceof Error ? err : new Error(String(err)); // the worker's 'error' event in the main thread
      });
    } else {
      void queue.then(() => {
        step.dispose();
        port.close();
      });
    }
  });
  send({ type: 'ready' });
}
