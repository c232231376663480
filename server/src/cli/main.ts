/** Entry point of dist/cli.js (`cython-lens`). */
import { USAGE, UsageError, parseArgs } from './args';
import { isMainThread, workerData } from 'node:worker_threads';
import { runCheck } from './check-command';
import { type FileJob, JOB_KEY } from './file-jobs';
import { runJobWorker } from './job-worker';
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

export async function main(argv: string[]): Promise<number> {
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
        return await runCheck(args, out, log, VERSION, undefined, __filename);
      case 'report':
        return await runReport(args, out, log, VERSION, __filename);
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

const job = isMainThread ? undefined : (workerData as Record<string, FileJob> | null)?.[JOB_KEY];
if (job) {
  // a worker thread of `check`/`report --jobs N` (file-jobs.ts), started on this same script
  void runJobWorker(job);
} else if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 2;
    },
  );
}
