/**
 * Runs the GIL analysis on a text that is not (yet) a document: the result of applying a candidate fix. A fix
 * is kept only when this shows that it removes what it targets and introduces no new error.
 */
import type { TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { gilRules } from '../checks/gil';
import { GilWalker } from '../checks/gil/gil-walker';
import type { FindingSeverity } from '../checks/gil/rule';
import { buildModuleModel } from '../model/module-model';
import { type FixContext, memoized } from './fix-context';
import type { SourceFiles } from '../model/source-files';

export interface FindingSummary {
  code: string;
  message: string;
  severity: FindingSeverity;
  startIndex: number;
  endIndex: number;
  line: number;
}

export interface AnalysisSummary {
  /** The text has syntax errors (the fix broke it). */
  syntaxError: boolean;
  findings: FindingSummary[];
}

/** GIL findings of `text` analysed as the file `uri`. */
export function analyseText(files: SourceFiles, uri: string, text: string): AnalysisSummary {
  const tree = files.parse(text);
  const model = buildModuleModel(tree, uri, files.resolver);
  const findings = new GilWalker(model, gilRules).walkModule(tree.rootNode).map((f) => ({
    code: f.code, message: f.message, severity: f.severity, startIndex: f.node.startIndex, endIndex: f.node.endIndex,
    line: f.node.startPosition.row,
  }));
  return { syntaxError: tree.rootNode.hasError, findings };
}

/** The analysis of a file as it is now, computed once per request. */
export function currentAnalysis(ctx: FixContext, uri: string, text: string): AnalysisSummary {
  return memoized(ctx, `analysis:${uri}`, () => analyseText(ctx.files, uri, text));
}

/** `text` with LSP edits applied (edits must not overlap). */
export function applyEdits(uri: string, text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create(uri, 'cython', 0, text), [...edits]);
}

function counts(list: FindingSummary[], keep: (f: FindingSummary) => boolean): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of list) {
    if (!keep(f)) continue;
    const k = `${f.code}\0${f.message}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

const isError = (f: FindingSummary): boolean => f.severity === 'error' || f.severity === 'warning';

/** No error or warning of `after` is new compared with `before` (counted by code and message). */
export function noNewErrors(before: AnalysisSummary, after: AnalysisSummary): boolean {
  if (after.syntaxError && !before.syntaxError) return false;
  const b = counts(before.findings, isError);
  for (const [k, n] of counts(after.findings, isError)) if (n > (b.get(k) ?? 0)) return false;
  return true;
}

/** Fewer findings with `code` after than before. */
export function removesCode(before: AnalysisSummary, after: AnalysisSummary, code: string): boolean {
  const n = (s: AnalysisSummary): number => s.findings.filter((f) => f.code === code).length;
  return n(after) < n(before);
}
