/**
 * The what-if code actions of a yellow line: set a directive that lowers its score (annotations/what-if.ts) on the
 * enclosing function (a `@cython.<directive>(value)` decorator, replacing one that sets it already) or for the whole
 * file (a `# cython: <directive>=value` header line, or the value of that directive in an existing one). The title
 * says the predicted change of the function's total score and what the directive gives up.
 */
import { type CodeAction, CodeActionKind, type TextEdit } from 'vscode-languageserver';
import type { WhatIf, WhatIfOption } from '../annotations/what-if';
import { directiveComments } from '../model/directive-comments';
import { type Node, significantChildren } from '../model/syntax';
import type { ParsedDocument } from '../text/parsed-document';

/** The kind of these actions (a refactoring: no diagnostic asks for them). */
export const SET_DIRECTIVE_KIND = `${CodeActionKind.RefactorRewrite}.cythonLens.directive`;

export function setDirectiveActions(doc: ParsedDocument, root: Node, w: WhatIf, uri: string, isPython: boolean): CodeAction[] {
  const out: CodeAction[] = [];
  for (const o of w.options) {
    const edits = o.where === 'function' ? decoratorEdits(doc, root, w, o, isPython) : headerEdits(doc, o);
    if (!edits) continue;
    const value = o.directive.value ? 'True' : 'False';
    const name = w.fn?.name;
    const target = o.where === 'function' ? `\`@cython.${o.directive.name}(${value})\` on \`${name}\``
      : `\`# cython: ${o.directive.name}=${value}\` for the file`;
    const whose = name ? `\`${name}\`` : 'statement';
    out.push({
      title: `Set ${target}: ${whose} score ${o.totalBefore} → ${o.totalAfter} (line ${w.score} → ${o.lineScore}); `
        + `gives up: ${o.directive.givesUp}`,
      kind: SET_DIRECTIVE_KIND,
      edit: { changes: { [uri]: edits } },
    });
  }
  return out;
}

function decoratorEdits(doc: ParsedDocument, root: Node, w: WhatIf, o: WhatIfOption, isPython: boolean): TextEdit[] | undefined {
  const fn = w.fn;
  if (!fn) return undefined;
  const value = o.directive.value ? 'True' : 'False';
  const lines = doc.textDocument;
  // an existing `@cython.<name>(...)` / `@<name>(...)` decorator of the function: change its value
  if (fn.holder.type === 'decorated_definition') {
    for (const d of significantChildren(fn.holder)) {
      if (d.type !== 'decorator') continue;
      const m = new RegExp(`^@\\s*(cython\\s*\\.\\s*)?${o.directive.name}\\s*\\(([^)]*)\\)`).exec(d.text);
      if (!m) continue;
      const argStart = d.startIndex + m[0].length - 1 - (m[2] ?? '').length;
      return [{ range: { start: lines.positionAt(argStart), end: lines.positionAt(argStart + (m[2] ?? '').length) }, newText: value }];
    }
  }
  const row = fn.holder.startPosition.row;
  const indent = lineIndent(doc, row);
  const edits: TextEdit[] = [{ range: { start: { line: row, character: 0 }, end: { line: row, character: 0 } },
    newText: `${indent}@cython.${o.directive.name}(${value})\n` }];
  const cimport = cythonImportEdit(doc, root, isPython);
  if (cimport) edits.unshift(cimport);
  return edits;
}

function lineIndent(doc: ParsedDocument, row: number): string {
  const start = doc.textDocument.offsetAt({ line: row, character: 0 });
  return /^[ \t]*/.exec(doc.text.slice(start, start + 200))?.[0] ?? '';
}

/** `cimport cython` (`import cython` in a .py file) before the first statement after `from __future__` imports, if the module has none. */
function cythonImportEdit(doc: ParsedDocument, root: Node, isPython: boolean): TextEdit | undefined {
  if (/^[ \t]*(c?import[ \t]+cython[ \t]*(#.*)?$|c?import[ \t]+cython[ \t]*,|c?import[ \t].*,[ \t]*cython[ \t]*(,|#|$))/m.test(doc.text)) return undefined;
  const statements = significantChildren(root).filter((s) => s.type !== 'comment');
  let at = 0;
  while (at < statements.length) {
    const s = statements[at]!;
    const docstring = at === 0 && s.type === 'expression_statement' && significantChildren(s)[0]?.type === 'string';
    if (!docstring && !/^from[ \t]+__future__[ \t]/.test(s.text)) break;
    at++;
  }
  const line = at < statements.length ? statements[at]!.startPosition.row
    : (statements.length ? statements[statements.length - 1]!.endPosition.row + 1 : 0);
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${isPython ? 'import' : 'cimport'} cython\n` };
}

function headerEdits(doc: ParsedDocument, o: WhatIfOption): TextEdit[] | undefined {
  const value = o.directive.value ? 'True' : 'False';
  const lines = doc.textDocument;
  for (const c of directiveComments(doc.text)) {
    if (!c.inHeader || !c.read) continue;
    const item = c.items.find((i) => i.name === o.directive.name);
    if (item && item.value !== undefined) {
      return [{ range: { start: lines.positionAt(item.valueStart), end: lines.positionAt(item.valueEnd) }, newText: value }];
    }
  }
  // a new header line, first in the file (after a `#!` line)
  const line = doc.text.startsWith('#!') ? 1 : 0;
  return [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `# cython: ${o.directive.name}=${value}\n` }];
}
