/**
 * References across the workspace (.pyx, .pxd, .pxi): every place that denotes the same declaration as the name
 * at the position, with or without the declaration itself (reference-search.ts).
 */
import { type Location, type ReferenceParams, ReferencesRequest } from 'vscode-languageserver';
import { type RequestProgress, requestProgress } from './work-progress';
import { guarded } from './document-analysis';
import type { Feature, FeatureDeps } from './feature';
import { withTarget } from './navigation-request';
import { findReferences } from './reference-search';

export async function references(deps: FeatureDeps, params: ReferenceParams, isCancelled: () => boolean,
  progress?: RequestProgress): Promise<Location[] | null> {
  try {
    const found = await withTarget(deps, params?.textDocument?.uri, params?.position, (req) => findReferences(deps, req,
      { includeDeclaration: params.context?.includeDeclaration !== false, isCancelled,
        ...(progress ? { progress: (done: number, total: number) => progress.report(done, total) } : {}) }));
    return found ? found.map((o) => o.lsp) : null;
  } finally {
    progress?.end();
  }
}

export const referencesFeature: Feature = {
  id: 'references',
  capabilities: { referencesProvider: { workDoneProgress: true } },
  register(connection, deps) {
    connection.onRequest(ReferencesRequest.type, (p, token) => guarded(deps, 'references', null,
      () => references(deps, p, () => token.isCancellationRequested,
        requestProgress(connection, 'Cython Lens: finding references', p))));
  },
};
