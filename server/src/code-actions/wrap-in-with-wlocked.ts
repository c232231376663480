/**
 * Cython+: method calls on a `lock` reference outside `with wlocked` (`cypclass-lock-per-call`, `data.fix =
 * 'wrap-wlocked'`): wrap the statement in `with wlocked <object>:`, re-indenting it one step.
 */
import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import type { Node } from '../model/syntax';
import { type QuickFixProvider, nodeOfDiagnostic, workspaceEdit } from './fix-context';
import { dataOf } from './target-function';
import { hasMultilineString, indentAt, indentUnit, lineEnd, lineStart, ownsItsLines } from './text-layout';

/** The statement (child of a block) that contains `node`. */
function statementOf(node: Node | null): Node | undefined {
  for (let n = node; n && n.parent; n = n.parent) if (n.parent.type === 'block') return n;
  return undefined;
}

const WRAPPABLE = new Set(['expression_statement', 'return_statement', 'assignment', 'augmented_assignment',
  'if_statement', 'for_statement', 'while_statement']);

export const wrapInWithWlocked: QuickFixProvider = {
  codes: ['cypclass-lock-per-call'],
  mayBeSafe: false,
  provide(d, ctx): CodeAction[] {
    const data = dataOf(d);
    if (data.fix !== 'wrap-wlocked' || typeof data.object !== 'string' || !/^[A-Za-z_]\w*$/.test(data.object)) return [];
    const stmt = statementOf(nodeOfDiagnostic(ctx, d));
    if (!stmt || !WRAPPABLE.has(stmt.type)) return [];
    const text = ctx.file.text;
    if (!ownsItsLines(text, stmt) || hasMultilineString(stmt)) return [];
    const indent = indentAt(text, stmt.startIndex);
    const unit = indentUnit(text, stmt);
    const from = lineStart(text, stmt.startIndex);
    const to = lineEnd(text, stmt.endIndex);
    const body = text.slice(from, to).split('\n').map((l) => (l.trim() ? unit + l : l)).join('\n');
    const pos = (o: number) => ctx.file.lines.positionAt(o);
    return [{
      title: `Wrap in \`with wlocked ${data.object}:\``, kind: CodeActionKind.QuickFix, isPreferred: true, diagnostics: [d],
      edit: workspaceEdit(new Map([[ctx.doc.uri, [{ range: { start: pos(from), end: pos(to) },
        newText: `${indent}with wlocked ${data.object}:\n${body}` }]]])),
    }];
  },
};
