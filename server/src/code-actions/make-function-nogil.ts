/**
 * A call from nogil code to a gil-requiring cdef function the user owns: "Make `f` nogil", editing f's
 * definition (and .pxd declaration), possibly in another file. Offered only when the GIL analysis of f's body,
 * re-run on the edited text, finds no new error. When f's body cannot raise and no exception clause is written,
 * "Make `f` noexcept nogil" is offered first and preferred: no exception check after each call at all (for
 * functions without an error value, e.g. void ones, the check would take the GIL after every call).
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import { type FixContext, type QuickFixProvider, addEdits, memoized, workspaceEdit } from './fix-context';
import { allSites } from './function-sites';
import { type SpecChange, hasNogil, hasWithGil, specEdits } from './function-signatures';
import { analyseText, applyEdits, currentAnalysis, noNewErrors } from './reanalysis';
import { type TargetFunction, targetFunction } from './target-function';

/** Is the body of the target fine under nogil? Re-analyses the definition file with the change applied. */
function bodyAllowsNogil(target: TargetFunction, ctx: FixContext, change: SpecChange): boolean {
  const file = target.definition.file;
  const before = currentAnalysis(ctx, file.uri, file.text);
  const afterText = applyEdits(file.uri, file.text, specEdits(file, target.definition.node, change));
  const after = analyseText(ctx.files, file.uri, afterText);
  return noNewErrors(before, after);
}

function action(title: string, target: TargetFunction, change: SpecChange, d: Diagnostic, preferred: boolean):
  CodeAction {
  const byUri = new Map<string, TextEdit[]>();
  for (const site of allSites(target.sites)) addEdits(byUri, site.file.uri, specEdits(site.file, site.node, change));
  return { title, kind: CodeActionKind.QuickFix, isPreferred: preferred, diagnostics: [d], edit: workspaceEdit(byUri) };
}

/** The "make nogil" actions for a diagnostic, empty when f cannot be made nogil. */
export function makeNogilActions(d: Diagnostic, ctx: FixContext): CodeAction[] {
  const { start, end } = d.range;
  return memoized(ctx, `make-nogil:${start.line}:${start.character}:${end.line}:${end.character}`,
    () => computeMakeNogilActions(d, ctx));
}

function computeMakeNogilActions(d: Diagnostic, ctx: FixContext): CodeAction[] {
  const target = targetFunction(d, ctx);
  if (!target || target.signature.origin === 'extern') return [];
  const def = target.definition.node;
  if (hasNogil(def) || hasWithGil(def)) return [];
  if (!bodyAllowsNogil(target, ctx, { nogil: true })) return [];
  const name = target.sites.name;
  // noexcept costs nothing when the body cannot raise, and removes the check after every call; not offered over an
  // exception clause the user wrote.
  const exc = target.exception;
  const withNoexcept = !target.raises && (exc.kind === 'star' || (exc.kind === 'query' && !exc.explicit));
  const out = [action(`Make \`${name}\` nogil`, target, { nogil: true }, d, !withNoexcept)];
  if (withNoexcept) out.unshift(action(`Make \`${name}\` noexcept nogil`, target, { nogil: true, noexcept: true }, d, true));
  return out;
}

export const makeFunctionNogil: QuickFixProvider = {
  codes: ['nogil-gil-requiring-call'],
  mayBeSafe: false,
  provide: makeNogilActions,
};
