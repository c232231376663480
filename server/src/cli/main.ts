/**
 * The CLI (`cython-lens`): dist/cli-main.js, which dist/cli.js (launcher.ts) loads through V8's code cache and
 * starts; run directly (`node dist/cli-main.js`, or unbundled in tests) it starts itself.
 */
import { USAGE, UsageError, parseArgs } from './args';
import { runCheck } from './check-command';
import { type FileJob, JOB_ARG, JOB_KEY } from './file-jobs';
import { runParse } from './parse-command';
import { runReport } from './report-command';

import { VERSION } from '../version';

/**
 * A stream the reader may close early (`cython-lens check ... | head -1`): once it is closed, further output is
 * dropped quietly and the command still ends with its own exit status.
 */
function lineWriter(stream: NodeJS.WriteStream): (s: string) => void {
  let closed = false;
  let watching = false; // the listener is attached on the first line, so `lsp --stdio` leaves stdout to the connection
  return (s: string): void => {
    if (!watching) {
      watching = true;
      stream.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
        closed = true;
      });
    }
    if (!closed) stream.write(`${s}\n`);
  };
}

/** `workerScript`: what a worker thread of `--jobs N` runs (the launcher, or this script when run directly). */
export async function main(argv: string[], workerScript?: string): Promise<number> {
  const out = lineWriter(process.stdout);
  const log = lineWriter(process.stderr);
  try {
    const args = parseArgs(argv);
    switch (args.command) {
      case 'help':
        out(USAGE);
        return 0;
      case 'lsp': {
        // loaded only for this command: check/report/parse start without the LSP libraries
        const { runLsp } = await import('./lsp-command');
        return await runLsp();
      }
      case 'parse':
        return await runParse(args, out);
      case 'check':
        return await runCheck(args, out, log, VERSION, undefined, workerScript);
      case 'report':
        return await runReport(args, out, log, VERSION, workerScript);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      log(`cython-lens: ${err.message}\n\n${USAGE}`);
    } else {
      log(`cython-lens: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    return 2;
  }
}

/** Runs the CLI on this process's arguments, or a file worker when this thread is one (file-jobs.ts). */
export function start(workerScript: string): void {
  if (process.argv[2] !== JOB_ARG) {
    runMain(workerScript);
    return;
  }
  // worker_threads only here: loading it costs a few ms of every start
  void import('node:worker_threads').then(async ({ isMainThread, workerData }) => {
    const job = isMainThread ? undefined : (workerData as Record<string, FileJob> | null)?.[JOB_KEY];
    if (!job) {
      runMain(workerScript); // not a worker: the argument is a usage error like any other
      return;
    }
    const { runJobWorker } = await import('./job-worker');
    await runJobWorker(job);
  });
}

function runMain(workerScript: string): void {
  main(process.argv.slice(2), workerScript).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 2;
    },
  );
}

if (require.main === module) start(__filename);
