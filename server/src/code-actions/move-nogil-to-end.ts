/** The `nogil-placement` warning: move `nogil` from before the exception clause to the end of the signature. */
import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import { type QuickFixProvider, markSafe, nodeOfDiagnostic, workspaceEdit } from './fix-context';
import { signatureEndOffset } from '../model/function-header';
import { enclosingFunction, gilSpecs } from './function-signatures';

export const moveNogilToEnd: QuickFixProvider = {
  codes: ['nogil-placement'],
  mayBeSafe: true,
  provide(d, ctx): CodeAction[] {
    const fn = enclosingFunction(nodeOfDiagnostic(ctx, d));
    const spec = fn ? gilSpecs(fn).find((g) => g.text.trim() === 'nogil') : undefined;
    if (!fn || !spec) return [];
    const text = ctx.file.text;
    let from = spec.startIndex;
    while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
    const end = signatureEndOffset(fn);
    if (end <= spec.endIndex) return [];
    const pos = (o: number) => ctx.file.lines.positionAt(o);
    const edits = [
      { range: { start: pos(from), end: pos(spec.endIndex) }, newText: '' },
      { range: { start: pos(end), end: pos(end) }, newText: ' nogil' },
    ];
    return [markSafe({
      title: 'Move `nogil` to the end of the signature', kind: CodeActionKind.QuickFix, isPreferred: true,
      diagnostics: [d], edit: workspaceEdit(new Map([[ctx.doc.uri, edits]])),
    })];
  },
};
