/**
 * "Copy before the call" for `lapack-overwritten-input`: the routine gets a copy of the memoryview (`a_copy =
 * a.copy_fortran()`, same layout) and `a` keeps the input for the reads after the call. The data of the diagnostic
 * (checks/lapack-calls/lapack-overwritten-input.ts) names the argument, the memoryview and how to copy it.
 *
 * Offered only where the copy is mechanical: the copy needs the GIL, so it goes before the call's statement, or
 * before the `with nogil:` blocks around it, where the GIL is held (never out of a loop or an `if`); nothing between
 * that point and the call mentions `a`; and `cdef` is allowed only at a function's top level, so the copy's
 * declaration goes before the top-level statement that contains the call.
 */
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver';
import { contextAt } from '../model/document-model';
import { type Node, field } from '../model/syntax';
import { type QuickFixProvider, workspaceEdit } from './fix-context';
import { dataOf } from './target-function';
import { indentAt, lineStart } from './text-layout';

function isRange(v: unknown): v is Range {
  const r = v as Range | undefined;
  return typeof r?.start?.line === 'number' && typeof r.start.character === 'number'
    && typeof r.end?.line === 'number' && typeof r.end.character === 'number';
}

const FUNCTIONS = new Set(['function_definition', 'c_function_definition']);

/** The statement (child of a block) that contains `node`. */
function statementOf(node: Node): Node | undefined {
  for (let n: Node | null = node; n && n.parent; n = n.parent) if (n.parent.type === 'block') return n;
  return undefined;
}

export const copyBeforeCall: QuickFixProvider = {
  codes: ['lapack-overwritten-input'],
  mayBeSafe: false,
  provide(d, ctx): CodeAction[] {
    const data = dataOf(d);
    const { name, routine, type, method } = data;
    if (data.fix !== 'copy-before-call' || !isRange(data.argument) || typeof name !== 'string'
      || typeof routine !== 'string' || typeof type !== 'string' || typeof method !== 'string') return [];
    if (!/^\w+$/.test(name) || !/^[\w ]+\[[:, 1]+\]$/.test(type) || !/^(?:copy|copy_fortran)$/.test(method)) return [];
    const text = ctx.file.text;
    const start = ctx.doc.textDocument.offsetAt(data.argument.start);
    const end = ctx.doc.textDocument.offsetAt(data.argument.end);
    let arg: Node | null = ctx.doc.tree.rootNode.descendantForIndex(start, Math.max(start, end - 1));
    while (arg && arg.parent && arg.parent.startIndex === start && arg.parent.endIndex === end) arg = arg.parent;
    if (!arg || arg.type !== 'address_of' || arg.startIndex !== start || arg.endIndex !== end) return [];
    const subscript = field(arg, 'value');
    const base = subscript?.type === 'subscript' ? field(subscript, 'value') : null;
    if (base?.type !== 'identifier' || base.text !== name) return [];
    const root = ctx.doc.tree.rootNode;
    // where the GIL is held: the call's statement, or the `with nogil:` blocks around it
    let at = statementOf(arg);
    while (at && contextAt(ctx.model, root, at.startIndex).state.kind !== 'held') {
      const owner = at.parent?.parent;
      at = owner?.type === 'with_nogil_statement' ? statementOf(owner) : undefined;
    }
    if (!at || mentionsBetween(text, name, at.startIndex, arg.startIndex)) return [];
    // the function's top-level statement holding `at`: `cdef` may go only there
    let top: Node = at;
    while (top.parent?.parent && !FUNCTIONS.has(top.parent.parent.type)) {
      const up = statementOf(top.parent.parent);
      if (!up) return [];
      top = up;
    }
    if (!top.parent?.parent) return [];
    let copy = `${name}_copy`;
    for (let k = 2; new RegExp(`\\b${copy}\\b`).test(text); k++) copy = `${name}_copy${k}`;
    const pos = (o: number) => ctx.file.lines.positionAt(o);
    const edits = [];
    const value = `${name}.${method}()`;
    if (top.id === at.id) {
      const o = lineStart(text, at.startIndex);
      edits.push({ range: { start: pos(o), end: pos(o) }, newText: `${indentAt(text, at.startIndex)}cdef ${type} ${copy} = ${value}\n` });
    } else {
      const t = lineStart(text, top.startIndex);
      edits.push({ range: { start: pos(t), end: pos(t) }, newText: `${indentAt(text, top.startIndex)}cdef ${type} ${copy}\n` });
      const o = lineStart(text, at.startIndex);
      edits.push({ range: { start: pos(o), end: pos(o) }, newText: `${indentAt(text, at.startIndex)}${copy} = ${value}\n` });
    }
    edits.push({ range: { start: pos(base.startIndex), end: pos(base.endIndex) }, newText: copy });
    return [{
      title: `Copy \`${name}\` before the call: pass \`${copy} = ${value}\` to ${routine}`,
      kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true,
      edit: workspaceEdit(new Map([[ctx.doc.uri, edits]])),
    }];
  },
};

/** Whether `name` occurs as a word in text[from, to). */
function mentionsBetween(text: string, name: string, from: number, to: number): boolean {
  return new RegExp(`\\b${name}\\b`).test(text.slice(from, to));
}
