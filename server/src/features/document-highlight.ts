/**
 * Document highlights: the occurrences of the name at the position in the current document that denote the same
 * declaration (a local, a parameter, a module-level or cimported name, a struct field, a class member); the
 * declaration and definitions are marked as writes.
 */
import { type DocumentHighlight, DocumentHighlightKind, type DocumentHighlightParams } from 'vscode-languageserver';
import { guarded } from './document-analysis';
import type { Feature, FeatureDeps } from './feature';
import { declRange, withTarget } from './navigation-request';
import { findReferences } from './reference-search';

export async function documentHighlights(deps: FeatureDeps, params: DocumentHighlightParams):
  Promise<DocumentHighlight[] | null> {
  const uri = params?.textDocument?.uri;
  const found = await withTarget(deps, uri, params?.position, (req) => findReferences(deps, req,
    { includeDeclaration: true, currentOnly: true }));
  if (!found) return null;
  return found.filter((o) => o.location.uri === uri).map((o) => ({ range: declRange(o.location),
    kind: o.declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
}

export const documentHighlightFeature: Feature = {
  id: 'document-highlight',
  capabilities: { documentHighlightProvider: true },
  register(connection, deps) {
    connection.onDocumentHighlight((p) => guarded(deps, 'documentHighlight', null, () => documentHighlights(deps, p)));
  },
};
