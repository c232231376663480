/**
 * References across the workspace (.pyx, .pxd, .pxi): every place that denotes the same declaration as the name
 * at the position, with or without the declaration itself (reference-search.ts).
 */
import type { Location, ReferenceParams } from 'vscode-languageserver';
import { guarded } from './document-analysis';
import type { Feature, FeatureDeps } from './feature';
import { declLocation, withTarget } from './navigation-request';
import { findReferences } from './reference-search';

export async function references(deps: FeatureDeps, params: ReferenceParams, isCancelled: () => boolean):
  Promise<Location[] | null> {
  const found = await withTarget(deps, params?.textDocument?.uri, params?.position, (req) => findReferences(deps, req,
    { includeDeclaration: params.context?.includeDeclaration !== false, isCancelled }));
  return found ? found.map((o) => declLocation(o.location)) : null;
}

export const referencesFeature: Feature = {
  id: 'references',
  capabilities: { referencesProvider: true },
  register(connection, deps) {
    connection.onReferences((p, token) => guarded(deps, 'references', null,
      () => references(deps, p, () => token.isCancellationRequested)));
  },
};
