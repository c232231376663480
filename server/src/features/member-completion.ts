/**
 * Completion after `.` that knows the model: on a cimported module (`libc.math.`, `cnp.`) its declarations; on a
 * `cdef struct`/`union` value or pointer its fields with their C types; on a `cdef class` instance (`self.` too)
 * its attributes and cdef/cpdef/def methods, inherited ones included; on a C++ class its members; on a typed
 * memoryview its C attributes. The object is a dotted chain of names resolved in the scope at the cursor; anything
 * the model does not type offers nothing (never guessed words).
 */
import { type CompletionItem, CompletionItemKind } from 'vscode-languageserver';
import { type CType, signatureToString, typeToString } from '../model/c-types';
import { contextAt } from '../model/document-model';
import type { ModuleSymbols, Symbol } from '../model/symbols';
import type { DocumentAnalysis } from './document-analysis';
import { symbolItemDetail, symbolItemKind } from './symbol-items';

/** `a.b.c.pre` before the cursor: the chain (`a`, `b`, `c`) and the partial member. */
export function memberAccessAt(text: string, offset: number): { chain: string[]; prefix: string } | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const m = /([A-Za-z_]\w*(?:[ \t]*\.[ \t]*[A-Za-z_]\w*)*)[ \t]*\.[ \t]*([A-Za-z_]\w*)?$/.exec(text.slice(lineStart, offset));
  if (!m) return undefined;
  const before = text.slice(lineStart, lineStart + m.index);
  // a float literal (`1.`), or inside a comment or string on this line: no member access
  if (/[#'"]/.test(before) || /\d$/.test(before)) return undefined;
  return { chain: m[1]!.split('.').map((s) => s.trim()), prefix: m[2] ?? '' };
}

type Owner = { module: ModuleSymbols } | { type: CType };

export function memberCompletionItems(a: DocumentAnalysis, offset: number, chain: string[]): CompletionItem[] | undefined {
  const scope = contextAt(a.model, a.tree.rootNode, offset).scope;
  const first = scope.lookup(chain[0]!);
  if (!first) return undefined;
  let owner: Owner | undefined = ownerOf(first);
  for (const part of chain.slice(1)) {
    if (!owner) return undefined;
    owner = memberOwner(owner, part);
  }
  return owner ? itemsOf(owner) : undefined;
}

function ownerOf(sym: Symbol): Owner | undefined {
  if ((sym.kind === 'cimported-module' || sym.kind === 'cython-builtin') && sym.module) return { module: sym.module };
  if (sym.kind === 'c-type' || sym.kind === 'py-module' || sym.kind === 'unresolved' || sym.kind === 'builtin') {
    return undefined;
  }
  return { type: sym.type };
}

function memberOwner(owner: Owner, name: string): Owner | undefined {
  if ('module' in owner) {
    const sym = owner.module.symbols.get(name);
    return sym ? ownerOf(sym) : undefined;
  }
  const t = deref(owner.type);
  if (t.kind === 'struct') {
    const f = t.info.fields.get(name);
    return f ? { type: f } : undefined;
  }
  if ((t.kind === 'py' || t.kind === 'cpp') && t.cls) {
    const a = t.cls.attributes.get(name);
    if (a) return { type: a };
  }
  return undefined;
}

function deref(t: CType): CType {
  let out = t;
  while (out.kind === 'ptr' || out.kind === 'ref') out = out.base;
  return out;
}

const MEMVIEW_MEMBERS: [string, string][] = [['shape', 'Py_ssize_t[8]'], ['strides', 'Py_ssize_t[8]'],
  ['suboffsets', 'Py_ssize_t[8]'], ['ndim', 'int'], ['itemsize', 'size_t'], ['nbytes', 'size_t'], ['size', 'size_t'],
  ['T', 'transposed memoryview'], ['copy', 'def copy()'], ['copy_fortran', 'def copy_fortran()'],
  ['is_c_contig', 'def is_c_contig()'], ['is_f_contig', 'def is_f_contig()']];

function itemsOf(owner: Owner): CompletionItem[] {
  if ('module' in owner) {
    const items: CompletionItem[] = [];
    for (const [name, sym] of owner.module.symbols) {
      items.push({ label: name, kind: symbolItemKind(sym), detail: symbolItemDetail(sym),
        labelDetails: { description: owner.module.name } });
    }
    return items;
  }
  const t = deref(owner.type);
  switch (t.kind) {
    case 'struct':
      return [...t.info.fields].map(([name, ft]) => ({ label: name, kind: CompletionItemKind.Field,
        detail: `${typeToString(ft)} ${name}`, labelDetails: { description: t.info.name } }));
    case 'py': case 'cpp': {
      if (!t.cls) return [];
      const cls = t.cls;
      const items: CompletionItem[] = [];
      for (const [name, sig] of cls.methods) {
        items.push({ label: name, kind: CompletionItemKind.Method, detail: signatureToString(sig),
          labelDetails: { description: cls.name } });
      }
      for (const [name, at] of cls.attributes) {
        if (cls.methods.has(name)) continue;
        const pyMember = at.kind === 'py' && at.name === 'object';
        items.push({ label: name, kind: pyMember ? CompletionItemKind.Method : CompletionItemKind.Field,
          detail: pyMember ? 'Python attribute or def method' : `${typeToString(at)} ${name}`,
          labelDetails: { description: cls.name } });
      }
      return items;
    }
    case 'memview':
      return MEMVIEW_MEMBERS.map(([name, detail]) => ({ label: name, kind: name === name.toLowerCase()
        && detail.startsWith('def') ? CompletionItemKind.Method : CompletionItemKind.Field, detail }));
    case 'scalar':
      return t.family === 'complex' ? ['real', 'imag'].map((name) => ({ label: name, kind: CompletionItemKind.Field,
        detail: 'double' })) : [];
    default:
      return [];
  }
}


