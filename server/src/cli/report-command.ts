/**
 * `cython-lens report PATH... [--html DIR] [--format json]`: one analysis of a whole project with the engine of
 * `check --annotate`, plus what a reader of a project wants on top: which code runs without the GIL and which
 * functions cost the most Python interaction. The HTML report is static and self-contained (report-html.ts).
 */
import * as path from 'node:path';
import { analyses } from '../checks';
import { Engine, severityName } from '../engine';
import { contextAt, documentModel } from '../model/document-model';
import { type Node, field, namedChildren } from '../model/syntax';
import { defaultSettings } from '../settings/validate-settings';
import type { ReportArgs } from './args';
import { type FileReport, type ProjectReport, type ReportFunction, summarise } from './project-report';
import { writeHtmlReport } from './report-html';
import { readSource } from './read-source';
import { expandPaths } from './source-files';

export async function runReport(
  args: ReportArgs,
  out: (s: string) => void,
  log: (s: string) => void,
  version: string,
): Promise<number> {
  const files = expandPaths(args.paths);
  const settings = defaultSettings();
  settings.includeDirs = args.includeDirs.map((d) => path.resolve(d));
  settings.annotations.enabled = true;
  for (const d of args.directives) {
    const eq = d.indexOf('=');
    settings.directives[d.slice(0, eq)] = d.slice(eq + 1);
  }
  const engine = await Engine.create({ ...analyses, log, timeBudgetMs: 120_000 });
  const python = await engine.session.discover(process.env['CYTHON_LENS_PYTHON'] || settings.pythonPath || 'python3');
  if (python.error) log(`cython-lens: ${python.error}`);
  const reports: FileReport[] = [];
  let internalFailure = false;
  try {
    for (const file of files) {
      const src = readSource(file);
      engine.open(src.uri, src.text);
      const analysis = engine.analyze(src.uri, settings);
      const doc = engine.document(src.uri);
      if (analysis && doc) {
        if (analysis.status.state === 'error') {
          internalFailure = true;
          log(`${file}: ${analysis.status.message ?? 'internal error'}`);
        }
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
        reports.push(report);
      }
      engine.close(src.uri);
    }
  } finally {
    engine.dispose();
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
