/**
 * The compiler's hint "Index should be typed for more efficient access" on `a[i]` where `i` is an untyped local
 * that Cython keeps as a Python object: declare `cdef Py_ssize_t i` at the top of the function. Offered only when
 * every binding of `i` is a `for` target or a plain assignment; preferred (and safe for "fix all") when they are
 * all `for i in range(...)` loops.
 */
import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import { contextAt } from '../model/document-model';
import { SCOPE_NODES } from '../model/function-scope';
import { type Node, field, namedChildren } from '../model/syntax';
import { type QuickFixProvider, markSafe, nodeOfDiagnostic, workspaceEdit } from './fix-context';
import { dataOf } from './target-function';
import { indentAt, lineStart } from './text-layout';

type Binding = 'range-loop' | 'loop' | 'assignment' | 'other';

/**
 * How `name` is bound in a function body (nested scopes excluded). A plain assignment counts as 'assignment' only
 * when `isCInteger` says its value is a C integer (anything else might not convert to Py_ssize_t).
 */
function bindingsOf(body: Node, name: string, isCInteger: (value: Node) => boolean): Binding[] {
  const out: Binding[] = [];
  const visit = (n: Node): void => {
    for (const c of namedChildren(n)) {
      if (SCOPE_NODES.has(c.type)) continue;
      if (c.type === 'for_statement' && field(c, 'left')?.text === name) {
        const right = field(c, 'right');
        const fn = right?.type === 'call' ? field(right, 'function')?.text : undefined;
        out.push(fn === 'range' ? 'range-loop' : 'loop');
      } else if (c.type === 'for_statement' && field(c, 'left')?.descendantsOfType('identifier').some((i) => i?.text === name)) {
        out.push('other');
      } else if (c.type === 'assignment' && field(c, 'left')?.text === name) {
        const value = field(c, 'right');
        out.push(value && isCInteger(value) ? 'assignment' : 'other');
      } else if (['augmented_assignment', 'assignment', 'named_expression', 'as_pattern', 'except_clause',
        'global_statement', 'nonlocal_statement', 'delete_statement', 'c_variable_declaration'].includes(c.type)
        && c.descendantsOfType('identifier').some((i) => i?.text === name && i.parent?.type !== 'attribute'
          && i.parent?.type !== 'subscript' && (c.type !== 'assignment' || isWithin(i, field(c, 'left'))))) {
        if (c.type !== 'augmented_assignment') out.push('other');
      }
      visit(c);
    }
  };
  visit(body);
  return out;
}

function isWithin(n: Node, outer: Node | null): boolean {
  return outer !== null && n.startIndex >= outer.startIndex && n.endIndex <= outer.endIndex;
}

export const typeIndexVariable: QuickFixProvider = {
  codes: ['untyped-index'],
  mayBeSafe: true,
  provide(d, ctx): CodeAction[] {
    const name = dataOf(d).variable;
    const node = nodeOfDiagnostic(ctx, d);
    if (typeof name !== 'string' || !node || node.text !== name) return [];
    const where = contextAt(ctx.model, ctx.doc.tree.rootNode, node.startIndex);
    const fn = where.fn;
    const sym = fn?.scope.lookupLocal(name);
    if (!fn || !sym || sym.binding !== 'local') return [];
    const body = field(fn.node, 'body');
    const first = body ? namedChildren(body).find((c) => c.type !== 'comment') : undefined;
    if (!body || !first || first.startPosition.row === fn.node.startPosition.row) return [];
    const bindings = bindingsOf(body, name, (v) => {
      const t = ctx.model.typer.typeOf(v, fn.scope);
      return t.kind === 'scalar' && (t.family === 'int' || t.family === 'char');
    });
    if (bindings.length === 0 || bindings.some((b) => b === 'other')) return [];
    const docstring = first.type === 'expression_statement' && namedChildren(first)[0]?.type === 'string'
      && namedChildren(first).length === 1;
    const text = ctx.file.text;
    const statements = namedChildren(body).filter((c) => c.type !== 'comment');
    const anchor = docstring ? statements[1] : first;
    if (!anchor) return [];
    const at = lineStart(text, anchor.startIndex);
    const pos = ctx.file.lines.positionAt(at);
    const newText = `${indentAt(text, anchor.startIndex)}cdef Py_ssize_t ${name}\n`;
    const action: CodeAction = {
      title: `Declare \`${name}\` as \`cdef Py_ssize_t ${name}\``, kind: CodeActionKind.QuickFix,
      isPreferred: bindings.every((b) => b === 'range-loop'), diagnostics: [d],
      edit: workspaceEdit(new Map([[ctx.doc.uri, [{ range: { start: pos, end: pos }, newText }]]])),
    };
    return [action.isPreferred ? markSafe(action) : action];
  },
};
