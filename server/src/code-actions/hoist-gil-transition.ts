/**
 * `gil-transition-in-loop`: when a `with nogil:` / `with gil:` block is the whole body of a loop, swap the two
 * header lines so the transition happens once around the loop. Offered only when re-analysing the edited file
 * shows the hint gone and no new error (e.g. a Python loop header cannot move under `with nogil:`).
 */
import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import type { DiagnosticCode } from '../../../shared/src/diagnostic-codes';
import { gilTransition } from '../model/gil-state';
import { type Node, field, significantChildren } from '../model/syntax';
import { type QuickFixProvider, markSafe, nodeOfDiagnostic, workspaceEdit } from './fix-context';
import { analyseText, applyEdits, currentAnalysis, noNewErrors, removesCode } from './reanalysis';
import { indentAt, lineEnd, lineStart } from './text-layout';

const LOOPS = new Set(['for_statement', 'while_statement', 'for_from_statement']);
const CODE = 'gil-transition-in-loop' satisfies DiagnosticCode;

function transitionAt(node: Node | null): Node | undefined {
  for (let n = node; n; n = n.parent) if (gilTransition(n)) return n;
  return undefined;
}

export const hoistGilTransition: QuickFixProvider = {
  codes: [CODE],
  mayBeSafe: true,
  provide(d, ctx): CodeAction[] {
    const withNode = transitionAt(nodeOfDiagnostic(ctx, d));
    const block = withNode?.parent;
    const loop = block?.parent;
    if (!withNode || !block || block.type !== 'block' || !loop || !LOOPS.has(loop.type)) return [];
    if (field(loop, 'body')?.id !== block.id || field(loop, 'alternative')) return [];
    if (significantChildren(block).length !== 1) return [];
    const withBody = field(withNode, 'body');
    const text = ctx.file.text;
    const loopRow = loop.startPosition.row;
    const withRow = withNode.startPosition.row;
    // Both headers alone on their own line, the bodies on the following lines.
    if (withRow <= loopRow || !withBody || withBody.startPosition.row <= withRow) return [];
    if (indentAt(text, loop.startIndex) !== text.slice(lineStart(text, loop.startIndex), loop.startIndex)) return [];
    if (block.startPosition.row !== withRow) return [];
    const loopHeader = text.slice(loop.startIndex, lineEnd(text, loop.startIndex));
    const withHeader = text.slice(withNode.startIndex, lineEnd(text, withNode.startIndex));
    if (!loopHeader.trimEnd().endsWith(':') && !/:\s*#/.test(loopHeader)) return [];
    const pos = (o: number) => ctx.file.lines.positionAt(o);
    const edits = [
      { range: { start: pos(loop.startIndex), end: pos(lineEnd(text, loop.startIndex)) }, newText: withHeader },
      { range: { start: pos(withNode.startIndex), end: pos(lineEnd(text, withNode.startIndex)) }, newText: loopHeader },
    ];
    const before = currentAnalysis(ctx, ctx.doc.uri, text);
    const after = analyseText(ctx.files, ctx.doc.uri, applyEdits(ctx.doc.uri, text, edits));
    if (!noNewErrors(before, after) || !removesCode(before, after, CODE)) return [];
    const to = gilTransition(withNode)?.to ?? 'nogil';
    return [markSafe({
      title: `Hoist \`with ${to}:\` out of the loop`, kind: CodeActionKind.QuickFix, isPreferred: true,
      diagnostics: [d], edit: workspaceEdit(new Map([[ctx.doc.uri, edits]])),
    })];
  },
};
