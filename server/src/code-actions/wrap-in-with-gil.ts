/**
 * Wraps the statement that needs the GIL in `with gil:`, re-indenting it one step. Only for statements that own
 * their lines, are not declarations, and sit where the GIL is not held. In a `.py` file (pure Python mode, where a
 * bare `with gil:` is an ordinary with statement) it is `with cython.gil:`, through the name the file gives cython.
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { DiagnosticCode } from '../../../shared/src/diagnostic-codes';
import { contextAt } from '../model/document-model';
import type { Node } from '../model/syntax';
import { cythonNames, inPythonSource } from '../model/cython-names';
import { type FixContext, type QuickFixProvider, nodeOfDiagnostic, workspaceEdit } from './fix-context';
import { makeNogilActions } from './make-function-nogil';
import { hasMultilineString, indentAt, indentUnit, lineEnd, lineStart, ownsItsLines } from './text-layout';

/** Errors about the function as a whole, not about a statement. */
const NOT_STATEMENT_CODES = new Set<string>(['nogil-function-python-locals', 'nogil-function-python-return',
  'nogil-placement', 'python-function-nogil'] satisfies DiagnosticCode[]);

const NOT_WRAPPABLE = new Set(['cdef_statement', 'cdef_block', 'c_variable_declaration', 'c_function_definition',
  'function_definition', 'class_definition', 'cdef_class_definition', 'decorated_definition', 'global_statement',
  'nonlocal_statement', 'ctypedef_statement', 'struct_definition', 'enum_definition', 'fused_type_definition',
  'with_gil_statement', 'with_nogil_statement']);

/** The statement (child of a block) that contains `node`. */
function statementOf(node: Node | null): Node | undefined {
  for (let n = node; n && n.parent; n = n.parent) if (n.parent.type === 'block') return n;
  return undefined;
}

/** `gil` as a .py file spells it: `cython.gil` (`cy.gil` after `import cython as cy`, `gil` after `from cython
 * import gil`). */
function pureGil(stmt: Node, text: string): string {
  if (/^[ \t]*import[ \t]+(?:[\w.]+[ \t]*,[ \t]*)*cython[ \t]*(?:,|#|$)/m.test(text)) return 'cython.gil';
  const names = cythonNames(stmt);
  const alias = [...names.modules].find((m) => m !== 'cython');
  if (alias) return `${alias}.gil`;
  const member = [...names.members].find(([, v]) => v === 'gil');
  return member ? member[0] : 'cython.gil';
}

export function wrapActions(d: Diagnostic, ctx: FixContext, preferred: boolean): CodeAction[] {
  const stmt = statementOf(nodeOfDiagnostic(ctx, d));
  if (!stmt || NOT_WRAPPABLE.has(stmt.type)) return [];
  const text = ctx.file.text;
  if (!ownsItsLines(text, stmt) || hasMultilineString(stmt)) return [];
  if (contextAt(ctx.model, ctx.doc.tree.rootNode, stmt.startIndex).state.kind === 'held') return [];
  const indent = indentAt(text, stmt.startIndex);
  const unit = indentUnit(text, stmt);
  const from = lineStart(text, stmt.startIndex);
  const to = lineEnd(text, stmt.endIndex);
  const body = text.slice(from, to).split('\n').map((l) => (l.trim() ? unit + l : l)).join('\n');
  const gil = inPythonSource(stmt) ? pureGil(stmt, text) : 'gil';
  const newText = `${indent}with ${gil}:\n${body}`;
  const pos = (o: number) => ctx.file.lines.positionAt(o);
  return [{
    title: `Wrap in \`with ${gil}:\``, kind: CodeActionKind.QuickFix, isPreferred: preferred, diagnostics: [d],
    edit: workspaceEdit(new Map([[ctx.doc.uri, [{ range: { start: pos(from), end: pos(to) }, newText }]]])),
  }];
}

export const wrapInWithGil: QuickFixProvider = {
  codes: ['*'],
  mayBeSafe: false,
  provide(d, ctx): CodeAction[] {
    const code = typeof d.code === 'string' ? d.code : '';
    if (!code.startsWith('nogil-') || NOT_STATEMENT_CODES.has(code) || d.severity !== 1) return [];
    // For calls of the user's own functions, making the callee nogil is the better fix when it is possible.
    const calleeFixable = code === 'nogil-gil-requiring-call' && makeNogilActions(d, ctx).length > 0;
    return wrapActions(d, ctx, !calleeFixable);
  },
};
