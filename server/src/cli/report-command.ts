/**
 * `cython-lens report PATH... [--html DIR] [--format json]`: one analysis of a whole project with the engine of
 * `check --annotate`, plus what a reader of a project wants on top: which code runs without the GIL and which
 * functions cost the most Python interaction. The HTML report is static and self-contained (report-html.ts).
 */
import * as path from 'node:path';
import { severityName } from '../engine';
import { contextAt, documentModel } from '../model/document-model';
import { type Node, field, namedChildren } from '../model/syntax';
import type { ReportArgs } from './args';
import { type FileReport, type ProjectReport, type ReportFunction, summarise } from './project-report';
import { writeHtmlReport } from './report-html';
import { readSource } from './read-source';
import { expandPaths } from './source-files';
import { type FileOutcome, type FileStep, CliProjectSettings, PythonOnDemand, cliEngine, cliPython, cliSettings, openWithPython, planProjectRun, sayOutcomeLogs, statusLogs } from './cli-host';
import { runFileSteps } from './file-jobs';
import type { PythonEnvironment } from '../model/python-environment';

/** The per-file step of `report` with its own engine (as checkStep in check-command.ts). */
export async function reportStep(args: ReportArgs, log: (s: string) => void, opts: { sayPython: boolean;
  discoverPython?: (python: string) => Promise<PythonEnvironment> }): Promise<FileStep<FileReport>> {
  const settings = cliSettings(args, true);
  const engine = await cliEngine(log, undefined, opts.discoverPython);
  const python = new PythonOnDemand(engine, cliPython(settings), opts.sayPython ? log : undefined);
  const projects = new CliProjectSettings(settings);
  return {
    async run(file: string): Promise<FileOutcome<FileReport>> {
      const settings = await projects.of(file);
      const src = readSource(file);
      await openWithPython(engine, python, file, src);
      try {
        const analysis = engine.analyze(src.uri, settings);
        const doc = engine.document(src.uri);
        if (!analysis || !doc) return { result: undefined, logs: [], failed: false };
        const failed = analysis.status.state === 'error';
        const logs = statusLogs(file, analysis.status);
        const text = src.text;
        const lineTexts = text.split(/\r\n|\r|\n/);
        const codeLines = codeLineStarts(lineTexts);
        const report: FileReport = {
          file: displayPath(file),
          lines: lineTexts.length - (lineTexts[lineTexts.length - 1] === '' ? 1 : 0),
          codeLines: codeLines.length,
          nogilLines: [],
          findings: analysis.diagnostics.map((d) => ({
            line: d.range.start.line + 1,
            column: d.range.start.character + 1,
            severity: severityName(d.severity),
            code: d.code === undefined ? '' : String(d.code),
            message: d.message,
          })),
          annotations: analysis.annotations.filter((a) => a.score > 0)
            .map((a) => ({ line: a.line + 1, score: a.score, reasons: a.reasons })),
          functions: [],
        };
        if (doc.tree) {
          const model = documentModel(engine.session, { uri: doc.uri, version: doc.version, tree: doc.tree }, settings.includeDirs,
            settings.directives);
          const root = doc.tree.rootNode;
          const offsets = lineOffsets(text);
          for (const [line, column] of codeLines) {
            const ctx = contextAt(model, root, (offsets[line] ?? 0) + column);
            if (ctx.state.kind !== 'held') report.nogilLines.push(line + 1);
          }
          report.functions = functionsOf(root, (n) => contextAt(model, root, n.startIndex).state.kind, report);
        }
        if (args.html) report.source = text;
        return { result: report, logs, failed };
      } finally {
        engine.close(src.uri);
      }
    },
    dispose(): void {
      engine.dispose();
    },
  };
}

export async function runReport(
  args: ReportArgs,
  out: (s: string) => void,
  log: (s: string) => void,
  version: string,
  /** The script a worker thread runs (main.ts's file); without it every file is analysed here. */
  workerScript?: string,
): Promise<number> {
  const plan = await planProjectRun(expandPaths(args.paths), args, log);
  const { files } = plan;
  args = plan.args;
  const outcomes = await runFileSteps<FileReport>({
    files, jobs: args.jobs, workerScript, log,
    job: { command: 'report', args },
    step: (discoverPython, sayPython) => reportStep(args, log, { sayPython, discoverPython }),
    python: cliPython(cliSettings(args, true)),
    early: true,
  });
  const reports: FileReport[] = [];
  let internalFailure = false;
  sayOutcomeLogs(outcomes, log);
  for (const o of outcomes) {
    internalFailure ||= o.failed;
    if (o.result) reports.push(o.result);
  }
  const project: ProjectReport = { tool: { name: 'cython-lens', version }, summary: summarise(reports), files: reports };
  if (args.html) {
    const index = writeHtmlReport(project, args.html);
    log(`cython-lens: report written to ${index}`);
  }
  if (args.format === 'json') {
    out(JSON.stringify({ ...project, files: project.files.map(({ source: _source, ...f }) => f) }, null, 2));
  } else {
    const s = project.summary;
    out(`${s.files} file(s), ${s.codeLines} code lines: ${s.errors} error(s), ${s.warnings} warning(s), ${s.notes} note(s); `
      + `${s.yellowLines} line(s) with score > 0 (total ${s.totalScore}); ${(100 * s.nogilShare).toFixed(1)}% of code lines run without the GIL`);
    const hottest = project.files.flatMap((f) => f.functions.map((fn) => ({ f, fn })))
      .filter((x) => x.fn.score > 0).sort((a, b) => b.fn.score - a.fn.score).slice(0, 10);
    if (hottest.length) out('hottest functions (total line score):');
    for (const { f, fn } of hottest) out(`  ${String(fn.score).padStart(6)}  ${f.file}:${fn.line} ${fn.name}`);
  }
  if (internalFailure) return 2;
  return project.summary.errors > 0 ? 1 : 0;
}

function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(file);
}

function lineOffsets(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) out.push(i + 1);
  }
  return out;
}

/** [zero-based line, column of its first character] of the lines with code (not blank, not only a comment). */
function codeLineStarts(lines: string[]): [number, number][] {
  const out: [number, number][] = [];
  lines.forEach((l, i) => {
    const column = l.search(/\S/);
    if (column >= 0 && l[column] !== '#') out.push([i, column]);
  });
  return out;
}

const FUNCTION_TYPES = new Set(['function_definition', 'c_function_definition']);
const CLASS_TYPES = new Set(['class_definition', 'cdef_class_definition', 'cypclass_definition']);

/**
 * Every function and method with a body, named `Class.method`, each with the score of its own lines (a line belongs
 * to the innermost function around it).
 */
function functionsOf(root: Node, stateAt: (body: Node) => string, report: FileReport): ReportFunction[] {
  const found: { fn: ReportFunction; depth: number }[] = [];
  const visit = (node: Node, prefix: string, depth: number): void => {
    for (const child of namedChildren(node)) {
      if (FUNCTION_TYPES.has(child.type)) {
        const body = field(child, 'body');
        const name = field(child, 'name')?.text ?? '<function>';
        if (body) {
          const state = stateAt(body);
          found.push({
            fn: { name: prefix + name, line: child.startPosition.row + 1, endLine: child.endPosition.row + 1, score: 0,
              yellowLines: 0, gil: state === 'held' ? 'held' : 'nogil-function' },
            depth,
          });
          visit(body, `${prefix}${name}.`, depth + 1);
        }
      } else if (CLASS_TYPES.has(child.type)) {
        const name = field(child, 'name')?.text ?? '<class>';
        visit(child, `${prefix}${name}.`, depth);
      } else {
        visit(child, prefix, depth);
      }
    }
  };
  visit(root, '', 0);
  for (const a of report.annotations) {
    let owner: { fn: ReportFunction; depth: number } | undefined;
    for (const f of found) {
      if (a.line >= f.fn.line && a.line <= f.fn.endLine && (!owner || f.depth > owner.depth)) owner = f;
    }
    if (owner) {
      owner.fn.score += a.score;
      owner.fn.yellowLines++;
    }
  }
  return found.map((f) => f.fn);
}
