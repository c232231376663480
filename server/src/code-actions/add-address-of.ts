/** A value passed where the parameter is a pointer (`data.fix = 'add-address-of'`): pass its address instead. */
import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import { type QuickFixProvider, markSafe, workspaceEdit } from './fix-context';
import { dataOf } from './target-function';

/** Expressions whose address can be taken by prefixing `&`. */
const ADDRESSABLE = new Set(['identifier', 'attribute', 'subscript']);

export const addAddressOf: QuickFixProvider = {
  codes: ['*'],
  mayBeSafe: true,
  provide(d, ctx): CodeAction[] {
    if (dataOf(d).fix !== 'add-address-of') return [];
    const start = ctx.doc.textDocument.offsetAt(d.range.start);
    const end = ctx.doc.textDocument.offsetAt(d.range.end);
    const node = ctx.doc.tree.rootNode.descendantForIndex(start, Math.max(start, end - 1));
    // The argument itself: the largest node that spans exactly the diagnostic range.
    let arg = node;
    if (!arg) return [];
    while (arg.parent && arg.parent.startIndex === start && arg.parent.endIndex === end) arg = arg.parent;
    if (arg.startIndex !== start || arg.endIndex !== end || !ADDRESSABLE.has(arg.type)) return [];
    const pos = ctx.doc.textDocument.positionAt(start);
    return [markSafe({
      title: `Pass the address: \`&${arg.text}\``, kind: CodeActionKind.QuickFix, isPreferred: true,
      diagnostics: [d], edit: workspaceEdit(new Map([[ctx.doc.uri, [{ range: { start: pos, end: pos }, newText: '&' }]]])),
    })];
  },
};
