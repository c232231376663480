/** What every quick-fix provider receives, and the shape of a provider. */
import type { CodeAction, Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { DiagnosticCode } from '../../../shared/src/diagnostic-codes';
import type { TreeDocument } from '../engine/check-types';
import type { ModuleModel } from '../model/module-model';
import type { SourceFile, SourceFiles } from '../model/source-files';

export interface FixContext {
  doc: TreeDocument;
  model: ModuleModel;
  /** The current document as a SourceFile (same text and tree). */
  file: SourceFile;
  files: SourceFiles;
  /** Results shared by the providers within one request (re-analyses are the expensive part). */
  memo: Map<string, unknown>;
}

/** `compute()` once per request and key. */
export function memoized<T>(ctx: FixContext, key: string, compute: () => T): T {
  if (ctx.memo.has(key)) return ctx.memo.get(key) as T;
  const value = compute();
  ctx.memo.set(key, value);
  return value;
}

export interface QuickFixProvider {
  /** Diagnostic codes this provider answers. */
  readonly codes: readonly (DiagnosticCode | '*')[];
  /** May return actions marked safe (`markSafe`): the only providers "Fix all GIL issues in file" asks. */
  readonly mayBeSafe: boolean;
  provide(diagnostic: Diagnostic, ctx: FixContext): CodeAction[];
}

const safeActions = new WeakSet<CodeAction>();

/** Marks an action that "Fix all GIL issues in file" may apply without asking (see fix-all-gil-issues.ts). */
export function markSafe(action: CodeAction): CodeAction {
  safeActions.add(action);
  return action;
}

export function isSafe(action: CodeAction): boolean {
  return safeActions.has(action);
}

export function workspaceEdit(byUri: Map<string, TextEdit[]>): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const [uri, edits] of byUri) if (edits.length) changes[uri] = edits;
  return { changes };
}

export function addEdits(byUri: Map<string, TextEdit[]>, uri: string, edits: TextEdit[]): void {
  const list = byUri.get(uri) ?? [];
  list.push(...edits);
  byUri.set(uri, list);
}

/** The tree node covering a diagnostic's range in the current document. */
export function nodeOfDiagnostic(ctx: FixContext, d: Diagnostic): import('../model/syntax').Node | null {
  const start = ctx.doc.textDocument.offsetAt(d.range.start);
  const end = ctx.doc.textDocument.offsetAt(d.range.end);
  return ctx.doc.tree.rootNode.descendantForIndex(start, Math.max(start, end - 1));
}
