/** `cython-lens check`: the Engine's diagnostics (and optionally line scores) per file. */
import { Engine, severityName } from '../engine';
import type { CheckArgs } from './args';
import { readSource } from './read-source';
import type { CliFileReport } from './check-report';
import { toSarif } from './sarif';
import { expandPaths } from './source-files';
import { cliEngine, cliSettings } from './cli-host';

export async function runCheck(
  args: CheckArgs,
  out: (s: string) => void,
  log: (s: string) => void,
  version: string,
  /** The engine to analyse with (tests look at its session afterwards; the caller disposes it); default: a new one. */
  given?: Engine,
): Promise<number> {
  const files = expandPaths(args.paths);
  const settings = cliSettings(args, args.annotate);
  const engine = await cliEngine(log, settings, given);
  const reports: CliFileReport[] = [];
  let internalFailure = false;
  try {
    for (const file of files) {
      const src = readSource(file);
      engine.open(src.uri, src.text);
      const report = engine.analyze(src.uri, settings);
      engine.close(src.uri);
      if (!report) continue;
      if (report.status.state === 'error') {
        internalFailure = true;
        log(`${file}: ${report.status.message ?? 'internal error'}`);
      }
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
      reports.push(entry);
    }
  } finally {
    if (!given) engine.dispose();
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
