/**
 * Work-done progress for a request that may take a while (the first references search or workspace-symbol query
 * parses every file it reads): begun only when the request says it has slow work to do, through the client's
 * token when the request carries one (`workDoneToken`), else one the server asks for
 * (`window/workDoneProgress/create`, when the client supports it). Warm requests send nothing.
 */
import type { Connection, WorkDoneProgressParams, WorkDoneProgressReporter } from 'vscode-languageserver';

/**
 * `params` as the request sent them: register the handler with `connection.onRequest(XRequest.type, ...)`, not with
 * `connection.onReferences(...)` and the like, which take `workDoneToken` out of the params before the handler runs.
 */

export interface RequestProgress {
  /** `done` of `total` files: begins the progress on the first call, reports on the next ones. */
  report(done: number, total: number): void;
  /** Ends the progress if it began (or once it begins). */
  end(): void;
}

export function requestProgress(connection: Connection, title: string, params: WorkDoneProgressParams | undefined):
  RequestProgress {
  let reporter: Pick<WorkDoneProgressReporter, 'report' | 'done'> | undefined;
  let asked = false;
  let ended = false;
  let latest = { percentage: 0, message: '' };
  const describe = (done: number, total: number): { percentage: number; message: string } =>
    ({ percentage: total > 0 ? Math.min(100, Math.round((done * 100) / total)) : 0, message: `${done}/${total} files` });
  return {
    report(done, total) {
      latest = describe(done, total);
      if (ended) return;
      if (reporter) {
        reporter.report(latest.percentage, latest.message);
        return;
      }
      if (asked) return;
      asked = true;
      const token = params?.workDoneToken;
      if (token !== undefined) {
        const given = connection.window.attachWorkDoneProgress(token);
        given.begin(title, latest.percentage, latest.message, false);
        reporter = given;
        return;
      }
      connection.window.createWorkDoneProgress().then((r) => {
        if (ended) return;
        r.begin(title, latest.percentage, latest.message, false);
        reporter = r;
      }, () => undefined);
    },
    end() {
      if (ended) return;
      ended = true;
      reporter?.done();
    },
  };
}
