/**
 * Cython+: a cypclass reference refused where another capability is expected (`cypclass-capability-assignment`,
 * `cypclass-capability-argument` with `data.fix = 'insert-consume'`): hand the object over with `consume`.
 */
import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import { type QuickFixProvider, workspaceEdit } from './fix-context';
import { dataOf } from './target-function';

function isPosition(v: unknown): v is { line: number; character: number } {
  return typeof v === 'object' && v !== null && typeof (v as { line?: unknown }).line === 'number'
    && typeof (v as { character?: unknown }).character === 'number';
}

export const insertConsume: QuickFixProvider = {
  codes: ['cypclass-capability-assignment', 'cypclass-capability-argument'],
  mayBeSafe: false,
  provide(d, ctx): CodeAction[] {
    const data = dataOf(d);
    if (data.fix !== 'insert-consume' || !isPosition(data.at)) return [];
    const at = { line: data.at.line, character: data.at.character };
    // still a cypclass value at that place (the document may have changed since)
    const offset = ctx.doc.textDocument.offsetAt(at);
    if (/^consume\b/.test(ctx.file.text.slice(offset, offset + 8))) return [];
    return [{
      title: 'Hand the object over: insert `consume`', kind: CodeActionKind.QuickFix, isPreferred: true,
      diagnostics: [d], edit: workspaceEdit(new Map([[ctx.doc.uri, [{ range: { start: at, end: at }, newText: 'consume ' }]]])),
    }];
  },
};
