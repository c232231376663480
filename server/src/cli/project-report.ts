/**
 * The data of `cython-lens report`: per file its findings, line scores with reasons, the lines that run without the
 * GIL and its functions with their total score; per project the sums. `--format json` prints it as it is; the HTML
 * report (report-html.ts) renders it.
 */
import type { SeverityName } from '../../../shared/src/protocol';

export interface ReportFinding {
  line: number;
  column: number;
  severity: SeverityName;
  code: string;
  message: string;
}

export interface ReportLine {
  /** 1-based. */
  line: number;
  score: number;
  reasons: string[];
}

export interface ReportFunction {
  /** `name`, `Class.method`. */
  name: string;
  /** 1-based first and last line. */
  line: number;
  endLine: number;
  /** Sum of the line scores of its own lines (not those of functions nested in it). */
  score: number;
  yellowLines: number;
  /** The GIL state its body starts in: `held`, `nogil-function`. */
  gil: 'held' | 'nogil-function';
}

export interface FileReport {
  /** As given or found (relative to the working directory when below it). */
  file: string;
  lines: number;
  /** Lines with code (not blank, not only a comment). */
  codeLines: number;
  /** Code lines where the GIL is released or that are the body of a `nogil` function. */
  nogilLines: number[];
  findings: ReportFinding[];
  annotations: ReportLine[];
  functions: ReportFunction[];
  /** The source, for the HTML pages (absent in `--format json`). */
  source?: string;
}

export interface ReportSummary {
  files: number;
  lines: number;
  codeLines: number;
  errors: number;
  warnings: number;
  /** Information and hint findings (performance hints among them). */
  notes: number;
  /** Lines with a score > 0. */
  yellowLines: number;
  totalScore: number;
  nogilLines: number;
  /** nogilLines / codeLines (0 when there is no code). */
  nogilShare: number;
}

export interface ProjectReport {
  tool: { name: 'cython-lens'; version: string };
  summary: ReportSummary;
  files: FileReport[];
}

export function summarise(files: FileReport[]): ReportSummary {
  const s: ReportSummary = {
    files: files.length, lines: 0, codeLines: 0, errors: 0, warnings: 0, notes: 0, yellowLines: 0, totalScore: 0,
    nogilLines: 0, nogilShare: 0,
  };
  for (const f of files) {
    s.lines += f.lines;
    s.codeLines += f.codeLines;
    s.nogilLines += f.nogilLines.length;
    for (const d of f.findings) {
      if (d.severity === 'error') s.errors++;
      else if (d.severity === 'warning') s.warnings++;
      else s.notes++;
    }
    for (const a of f.annotations) {
      if (a.score > 0) s.yellowLines++;
      s.totalScore += a.score;
    }
  }
  s.nogilShare = s.codeLines ? s.nogilLines / s.codeLines : 0;
  return s;
}
