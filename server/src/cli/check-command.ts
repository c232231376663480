/** `cython-lens check`: the Engine's diagnostics (and optionally line scores) per file. */
import { Engine, severityName } from '../engine';
import type { PythonEnvironment } from '../model/python-environment';
import type { CheckArgs } from './args';
import { readSource } from './read-source';
import type { CliFileReport } from './check-report';
import { toSarif } from './sarif';
import { expandPaths } from './source-files';
import { type FileOutcome, type FileStep, CliProjectSettings, PythonOnDemand, cliEngine, cliPython, cliSettings, openWithPython, planProjectRun, sayOutcomeLogs, statusLogs } from './cli-host';
import { runFileSteps } from './file-jobs';

/**
 * The per-file step of `check` with its own engine (`given`: the caller's, not disposed); `log`: where a Python
 * that cannot help is said, undefined in a worker (the main thread says it); `discoverPython`: how a worker gets it.
 */
export async function checkStep(args: CheckArgs, log: (s: string) => void, opts: { given?: Engine; sayPython: boolean;
  discoverPython?: (python: string) => Promise<PythonEnvironment> }): Promise<FileStep<CliFileReport>> {
  const settings = cliSettings(args, args.annotate);
  const engine = await cliEngine(log, opts.given, opts.discoverPython);
  const python = new PythonOnDemand(engine, cliPython(settings), opts.sayPython ? log : undefined);
  const projects = new CliProjectSettings(settings);
  return {
    async run(file: string): Promise<FileOutcome<CliFileReport>> {
      const settings = await projects.of(file);
      const src = readSource(file);
      await openWithPython(engine, python, file, src);
      const report = engine.analyze(src.uri, settings);
      engine.close(src.uri);
      if (!report) return { result: undefined, logs: [], failed: false };
      const failed = report.status.state === 'error';
      const entry: CliFileReport = {
        file,
        diagnostics: report.diagnostics.map((d) => ({
          line: d.range.start.line + 1,
          column: d.range.start.character + 1,
          endLine: d.range.end.line + 1,
          endColumn: d.range.end.character + 1,
          severity: severityName(d.severity),
          code: d.code === undefined ? '' : String(d.code),
          message: d.message,
        })),
      };
      if (args.annotate) {
        entry.annotations = report.annotations.filter((a) => a.score > 0).map((a) => ({ line: a.line + 1, score: a.score }));
      }
      return { result: entry, logs: statusLogs(file, report.status), failed };
    },
    dispose(): void {
      if (!opts.given) engine.dispose();
    },
  };
}

export async function runCheck(
  args: CheckArgs,
  out: (s: string) => void,
  log: (s: string) => void,
  version: string,
  /** The engine to analyse with (tests look at its session afterwards; the caller disposes it); default: a new one. */
  given?: Engine,
  /** The script a worker thread runs (main.ts's file); without it, or with `given`, every file is checked here. */
  workerScript?: string,
): Promise<number> {
  const plan = await planProjectRun(expandPaths(args.paths), args, log);
  const { files } = plan;
  args = plan.args;
  const outcomes = await runFileSteps<CliFileReport>({
    files, jobs: given ? 1 : args.jobs, workerScript, log,
    job: { command: 'check', args },
    step: (discoverPython, sayPython) => checkStep(args, log, { given, sayPython, discoverPython }),
    python: cliPython(cliSettings(args, args.annotate)),
    early: !given,
  });
  const reports: CliFileReport[] = [];
  let internalFailure = false;
  sayOutcomeLogs(outcomes, log);
  for (const o of outcomes) {
    internalFailure ||= o.failed;
    if (o.result) reports.push(o.result);
  }

  if (args.format === 'json') {
    out(JSON.stringify(reports, null, 2));
  } else if (args.format === 'sarif') {
    out(JSON.stringify(toSarif(reports, version), null, 2));
  } else {
    const counts = { error: 0, warning: 0, information: 0, hint: 0 };
    for (const r of reports) {
      for (const d of r.diagnostics) {
        counts[d.severity]++;
        out(`${r.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`);
      }
      for (const a of r.annotations ?? []) out(`${r.file}:${a.line}: score ${a.score}`);
    }
    out(
      `${reports.length} file(s) checked: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.information + counts.hint} note(s)`,
    );
  }
  if (internalFailure) return 2;
  return reports.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}
