/**
 * Completion of compiler directives, names and values, where the compiler reads them: in `# cython:` comments
 * (the directives settable there), after `@cython.` (those allowed on the decorated kind of definition: function,
 * class, cdef class) and after `with cython.` (those allowed on a with statement); values after `name=` in a
 * comment and in `@cython.name(` / `with cython.name(`. Text of the cursor's line only (and the lines below a
 * decorator, to see what it decorates), so it works while the line does not parse yet.
 */
import {
  CompletionItemKind, type CompletionItem, InsertTextFormat, MarkupKind, type Range,
} from 'vscode-languageserver';
import {
  DIRECTIVE_TABLE, DECORATOR_SCOPES, type DirectiveInfo, type DirectiveScope, directiveInfo, directiveValues,
  pythonDefault, settableAsDecorator, settableInHeader, settableInWith,
} from '../model/directive-table';
import { directiveMarkdown, directiveTypeWords } from './directive-docs';

/** Where the cursor is, for directive completion. */
export type DirectiveContext =
  | { kind: 'name'; where: 'header' | 'decorator' | 'with'; scopes: readonly DirectiveScope[]; start: number }
  | { kind: 'value'; where: 'header' | 'call'; name: string; start: number };

const HEADER = /^[ \t]*#\s*cython\s*:/;
const DECORATOR_NAME = /^[ \t]*@[ \t]*cython[ \t]*\.[ \t]*([\w.]*)$/;
const DECORATOR_VALUE = /^[ \t]*@[ \t]*cython[ \t]*\.[ \t]*([\w.]+)[ \t]*\([ \t]*([\w'"-]*)$/;
const WITH_NAME = /^[ \t]*(?:async[ \t]+)?with[ \t]+(?:.*,[ \t]*)?cython[ \t]*\.[ \t]*([\w.]*)$/;
const WITH_VALUE = /^[ \t]*(?:async[ \t]+)?with[ \t]+(?:.*,[ \t]*)?cython[ \t]*\.[ \t]*([\w.]+)[ \t]*\([ \t]*([\w'"-]*)$/;

/** The directive completion context at `offset`, if any. */
export function directiveContextAt(text: string, offset: number): DirectiveContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const header = HEADER.exec(before);
  if (header) {
    const bodyStart = lineStart + header[0].length;
    const segStart = Math.max(bodyStart, lineStart + before.lastIndexOf(',') + 1);
    const seg = text.slice(segStart, offset);
    const eq = seg.indexOf('=');
    if (eq < 0) return { kind: 'name', where: 'header', scopes: ['module'], start: segStart + (seg.length - seg.trimStart().length) };
    const value = seg.slice(eq + 1);
    return {
      kind: 'value', where: 'header', name: seg.slice(0, eq).trim(),
      start: segStart + eq + 1 + (value.length - value.trimStart().length),
    };
  }
  let m = DECORATOR_NAME.exec(before);
  if (m) return { kind: 'name', where: 'decorator', scopes: decoratedScopes(text, offset), start: offset - m[1]!.length };
  m = WITH_NAME.exec(before);
  if (m) return { kind: 'name', where: 'with', scopes: ['with statement'], start: offset - m[1]!.length };
  m = DECORATOR_VALUE.exec(before) ?? WITH_VALUE.exec(before);
  if (m) return { kind: 'value', where: 'call', name: m[1]!, start: offset - m[2]!.length };
  return undefined;
}

const CCLASS = /^cdef\s+(?:(?:public|api|readonly|final|extern)\s+)*class\b/;

/** The scope a decorator on the cursor's line applies to: the first definition below the decorators. */
function decoratedScopes(text: string, offset: number): readonly DirectiveScope[] {
  let pos = text.indexOf('\n', offset);
  for (let n = 0; pos !== -1 && n < 50; n++) {
    const nl = text.indexOf('\n', pos + 1);
    const line = text.slice(pos + 1, nl === -1 ? text.length : nl).trim();
    pos = nl;
    if (line === '' || line.startsWith('@') || line.startsWith('#')) continue;
    if (CCLASS.test(line)) return ['cclass'];
    if (/^cdef\s+cppclass\b/.test(line)) return ['cppclass'];
    if (/^class\b/.test(line)) return ['class', 'cclass']; // @cython.cclass makes a class a cdef class
    if (/^(?:async\s+)?def\b|^c(?:p)?def\b/.test(line)) return ['function'];
    break;
  }
  return DECORATOR_SCOPES;
}

/** The directives offered in a name context. */
export function directivesFor(ctx: Extract<DirectiveContext, { kind: 'name' }>): DirectiveInfo[] {
  return DIRECTIVE_TABLE.directives.filter((d) => (ctx.where === 'header' ? settableInHeader(d)
    : ctx.where === 'with' ? settableInWith(d) : settableAsDecorator(d, ctx.scopes)));
}

/** Sorted: documented directives first, then the others, the compiler's own test directives last. */
function sortKey(d: DirectiveInfo): string {
  return `${d.name.startsWith('test_') ? 3 : d.doc ? 1 : 2}${d.name}`;
}

export function directiveCompletionItems(ctx: DirectiveContext, range: Range): CompletionItem[] {
  if (ctx.kind === 'name') {
    return directivesFor(ctx).map((d) => ({
      label: d.name,
      kind: CompletionItemKind.Property,
      detail: `compiler directive · ${d.inDefaults ? `default ${pythonDefault(d)}` : directiveTypeWords(d).replace(/`/g, '')}`,
      documentation: { kind: MarkupKind.Markdown, value: directiveMarkdown(d) },
      sortText: sortKey(d),
      filterText: d.name,
      textEdit: { range, newText: ctx.where === 'header' ? `${d.name}=` : d.name },
      ...(ctx.where === 'header' ? { command: { title: 'values', command: 'editor.action.triggerSuggest' } } : {}),
    }));
  }
  const info = directiveInfo(ctx.name);
  if (!info) return [];
  const def = pythonDefault(info);
  return directiveValues(info, ctx.where).map((v, i) => ({
    label: v,
    kind: CompletionItemKind.Value,
    detail: v === def || (info.type !== 'bool' && v.replace(/'/g, '') === def.replace(/'/g, '')) ? 'default' : undefined,
    sortText: String(i).padStart(3, '0'),
    textEdit: { range, newText: v },
    insertTextFormat: InsertTextFormat.PlainText,
  }));
}
