/**
 * Replaces `except *` (or the implicit check of a function without an error value) by an explicit exception value
 * suited to the return type, so that callers test the value first and only take the GIL when it matches:
 * `except? -1` for numbers and enums, `except NULL` for pointers. Edits the .pyx and the .pxd together.
 */
import { CodeActionKind, type CodeAction, type TextEdit } from 'vscode-languageserver';
import type { CType } from '../model/c-types';
import { type QuickFixProvider, addEdits, workspaceEdit } from './fix-context';
import { allSites } from './function-sites';
import { specEdits } from './function-signatures';
import { targetFunction } from './target-function';

/** The exception clause for a return type, or undefined when the type has no error value (void, structs...). */
export function exceptionClauseFor(t: CType): string | undefined {
  switch (t.kind) {
    case 'scalar': return t.family === 'complex' ? undefined : 'except? -1';
    case 'enum': return 'except? -1';
    case 'ptr': return 'except NULL';
    default: return undefined;
  }
}

export const explicitExceptionValue: QuickFixProvider = {
  codes: ['exception-check-definition', 'exception-check-requires-gil'],
  mayBeSafe: false,
  provide(d, ctx): CodeAction[] {
    const target = targetFunction(d, ctx);
    if (!target || target.exception.kind !== 'star') return [];
    const clause = exceptionClauseFor(target.signature.returnType);
    if (!clause) return [];
    const byUri = new Map<string, TextEdit[]>();
    for (const site of allSites(target.sites)) {
      addEdits(byUri, site.file.uri, specEdits(site.file, site.node, { exceptionClause: clause }));
    }
    return [{
      title: `Declare \`${target.sites.name}\` with \`${clause}\``, kind: CodeActionKind.QuickFix,
      // noexcept is the better fix when the body cannot raise
      isPreferred: target.raises !== undefined, diagnostics: [d], edit: workspaceEdit(byUri),
    }];
  },
};
