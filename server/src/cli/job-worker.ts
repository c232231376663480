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
  const discoverPython = (python: string): Promise<PythonEnvironment> => new Promise((resolve) => {
    waiting.push(resolve);
    send({ type: 'python', python });
  });
  const step: FileStep<unknown> = job.command === 'check'
    ? await checkStep(job.args, log, { sayPython: false, discoverPython })
    : await reportStep(job.args, log, { sayPython: false, discoverPython });
  // one file at a time: the main thread sends the next file only after this one's outcome
  port.on('message', (m: ToWorker) => {
    if (m.type === 'python') {
      for (const w of waiting.splice(0)) w(m.env);
    } else if (m.type === 'file') {
      step.run(m.file).then((outcome) => send({ type: 'done', index: m.index, outcome }), (err: unknown) => {
        throw err instanceof Error ? err : new Error(String(err)); // the worker's 'error' event in the main thread
      });
    } else {
      step.dispose();
      port.close();
    }
  });
  send({ type: 'ready' });
}
