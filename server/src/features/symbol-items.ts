/** How a symbol shows in a completion list (module names after `cimport`, members after `.`): its kind and detail. */
import { CompletionItemKind } from 'vscode-languageserver';
import { signatureToString, typeToString } from '../model/c-types';
import type { Symbol } from '../model/symbols';

/** The completion kind of a symbol (a C enum's constants are enum members). */
export function symbolItemKind(sym: Symbol): CompletionItemKind {
  switch (sym.kind) {
    case 'c-function': return CompletionItemKind.Function;
    case 'c-type':
      return sym.type.kind === 'struct' ? CompletionItemKind.Struct : sym.type.kind === 'enum'
        ? CompletionItemKind.Enum : CompletionItemKind.TypeParameter;
    case 'ext-class': case 'py-class': return CompletionItemKind.Class;
    case 'cimported-module': case 'py-module': return CompletionItemKind.Module;
    case 'c-variable': return /^(enum|anonymous enum)/.test(sym.origin ?? '') ? CompletionItemKind.EnumMember
      : CompletionItemKind.Variable;
    default: return CompletionItemKind.Variable;
  }
}

/** The detail of a symbol: a C function's signature, a C variable's type and origin, "Python object", ... */
export function symbolItemDetail(sym: Symbol): string {
  switch (sym.kind) {
    case 'c-function': return sym.signature ? signatureToString(sym.signature) : 'C function';
    case 'c-type': return sym.origin ?? `C type ${typeToString(sym.type)}`;
    case 'ext-class': return 'cdef class';
    case 'cimported-module': return `cimported module ${sym.module?.name ?? ''}`.trim();
    case 'c-variable': return `${typeToString(sym.type)}${sym.origin ? ` (${sym.origin})` : ''}`;
    default: return sym.type.kind === 'py' ? 'Python object' : typeToString(sym.type);
  }
}
