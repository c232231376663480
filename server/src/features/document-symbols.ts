/**
 * Document symbols: the hierarchical outline (model/outline.ts) — cdef classes with their attributes and methods,
 * functions with their kind (def/cdef/cpdef, nogil, noexcept), structs, unions, enums, ctypedefs, fused types,
 * extern blocks, DEF constants.
 */
import { type DocumentSymbol, type DocumentSymbolParams, SymbolKind } from 'vscode-languageserver';
import { moduleOutline, type OutlineItem, type OutlineKind } from '../model/outline';
import type { ParsedDocument } from '../text/parsed-document';
import { offsetRange } from '../text/positions';
import { guarded } from './document-analysis';
import type { Feature, FeatureDeps } from './feature';

export const OUTLINE_SYMBOL_KINDS: Record<OutlineKind, SymbolKind> = {
  class: SymbolKind.Class, 'ext-class': SymbolKind.Class, cppclass: SymbolKind.Class, function: SymbolKind.Function,
  method: SymbolKind.Method, property: SymbolKind.Property, struct: SymbolKind.Struct, union: SymbolKind.Struct,
  enum: SymbolKind.Enum, enumerator: SymbolKind.EnumMember, ctypedef: SymbolKind.TypeParameter,
  fused: SymbolKind.TypeParameter, extern: SymbolKind.Namespace, variable: SymbolKind.Variable,
  field: SymbolKind.Field, constant: SymbolKind.Constant, module: SymbolKind.Module,
};

function toSymbol(doc: ParsedDocument, it: OutlineItem): DocumentSymbol {
  const range = offsetRange(doc, it.start, it.end);
  const sel = offsetRange(doc, it.nameStart, it.nameEnd);
  const out: DocumentSymbol = { name: it.name, kind: OUTLINE_SYMBOL_KINDS[it.kind], range, selectionRange: sel,
    children: it.children.map((c) => toSymbol(doc, c)) };
  if (it.detail) out.detail = it.detail;
  return out;
}

export function documentSymbols(deps: FeatureDeps, params: DocumentSymbolParams): DocumentSymbol[] | null {
  const uri = params?.textDocument?.uri;
  const doc = typeof uri === 'string' ? deps.document(uri) : undefined;
  if (!doc?.tree) return null;
  return moduleOutline(doc.tree.rootNode).map((it) => toSymbol(doc, it));
}

export const documentSymbolFeature: Feature = {
  id: 'document-symbols',
  capabilities: { documentSymbolProvider: { label: 'Cython' } },
  register(connection, deps) {
    connection.onDocumentSymbol((p) => guarded(deps, 'documentSymbol', null, async () => documentSymbols(deps, p)));
  },
};
