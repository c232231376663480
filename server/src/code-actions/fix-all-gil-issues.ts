/**
 * The source action "Fix all GIL issues in file" (`source.fixAll.cythonLens`): applies, for every diagnostic of
 * the file, its preferred fix when that fix is mechanical and keeps the code's meaning (moving `nogil`, adding
 * `&`, `noexcept` on functions that cannot raise, hoisting a GIL transition, typing range-loop indices). Wrapping
 * in `with gil:` and changing exception values are left to the user. The combined result is re-analysed; if it
 * shows a new error, fixes are added one at a time and each kept only if the file still has no new error.
 */
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver';
import { type FixContext, isSafe, workspaceEdit } from './fix-context';
import { quickFixesFor } from './quick-fixes';
import { type AnalysisSummary, analyseText, applyEdits, currentAnalysis, noNewErrors } from './reanalysis';

export const FIX_ALL_KIND = 'source.fixAll.cythonLens';

type Edits = Map<string, TextEdit[]>;

function key(e: TextEdit): string {
  return `${e.range.start.line}:${e.range.start.character}-${e.range.end.line}:${e.range.end.character}:${e.newText}`;
}

function before(a: TextEdit['range']['start'], b: TextEdit['range']['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  const empty = (e: TextEdit): boolean => !before(e.range.start, e.range.end);
  if (empty(a) && empty(b)) return !before(a.range.start, b.range.start) && !before(b.range.start, a.range.start);
  return before(a.range.start, b.range.end) && before(b.range.start, a.range.end);
}

/** Adds an action's edits to `into` unless they clash with edits already there (identical edits merge). */
function merge(into: Edits, action: CodeAction): Edits | undefined {
  const next: Edits = new Map([...into].map(([u, l]) => [u, [...l]]));
  for (const [uri, edits] of Object.entries(action.edit?.changes ?? {})) {
    const list = next.get(uri) ?? [];
    for (const e of edits) {
      if (list.some((x) => key(x) === key(e))) continue;
      if (list.some((x) => overlaps(x, e))) return undefined;
      list.push(e);
    }
    next.set(uri, list);
  }
  return next;
}

function acceptable(ctx: FixContext, base: AnalysisSummary, edits: Edits): boolean {
  const own = edits.get(ctx.doc.uri) ?? [];
  if (own.length === 0) return true;
  return noNewErrors(base, analyseText(ctx.files, ctx.doc.uri, applyEdits(ctx.doc.uri, ctx.file.text, own)));
}

export function fixAllAction(diagnostics: readonly Diagnostic[], ctx: FixContext): CodeAction | undefined {
  const chosen: CodeAction[] = [];
  const fixed: Diagnostic[] = [];
  for (const d of diagnostics) {
    const action = quickFixesFor(d, ctx, true).find((a) => a.isPreferred && isSafe(a));
    if (action) {
      chosen.push(action);
      fixed.push(d);
    }
  }
  if (chosen.length === 0) return undefined;
  const base = currentAnalysis(ctx, ctx.doc.uri, ctx.file.text);
  let all: Edits | undefined = new Map();
  for (const a of chosen) all = all ? merge(all, a) : undefined;
  let applied = fixed;
  if (!all || !acceptable(ctx, base, all)) {
    all = new Map();
    applied = [];
    for (const [i, a] of chosen.entries()) {
      const next = merge(all, a);
      if (next && acceptable(ctx, base, next)) {
        all = next;
        applied.push(fixed[i]);
      }
    }
  }
  if (applied.length === 0) return undefined;
  return { title: 'Fix all GIL issues in file', kind: FIX_ALL_KIND, diagnostics: applied, edit: workspaceEdit(all) };
}
