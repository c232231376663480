/**
 * "Declare `f` noexcept" for the exception-check hints: the exception check of a nogil function without an error
 * value needs the GIL after every call. Offered only when f's body cannot raise; edits the .pyx definition and
 * the .pxd declaration together.
 */
import { CodeActionKind, type CodeAction, type TextEdit } from 'vscode-languageserver';
import { type QuickFixProvider, addEdits, markSafe, workspaceEdit } from './fix-context';
import { allSites } from './function-sites';
import { specEdits } from './function-signatures';
import { targetFunction } from './target-function';

export const declareNoexcept: QuickFixProvider = {
  codes: ['exception-check-definition', 'exception-check-requires-gil'],
  mayBeSafe: true,
  provide(d, ctx): CodeAction[] {
    const target = targetFunction(d, ctx);
    if (!target || target.raises || target.exception.kind !== 'star') return [];
    const byUri = new Map<string, TextEdit[]>();
    for (const site of allSites(target.sites)) addEdits(byUri, site.file.uri, specEdits(site.file, site.node, { noexcept: true }));
    if (byUri.size === 0) return [];
    return [markSafe({
      title: `Declare \`${target.sites.name}\` noexcept`, kind: CodeActionKind.QuickFix, isPreferred: true,
      diagnostics: [d], edit: workspaceEdit(byUri),
    })];
  },
};
