/**
 * The registry of the LSP features of this folder (see feature.ts); the server adds the code actions
 * (code-actions/, a layer above) in server.ts.
 */
import type { ServerCapabilities } from 'vscode-languageserver';
import type { Feature } from './feature';
import { callHierarchyFeature } from './call-hierarchy';
import { completionFeature } from './completion';
import { definitionFeature } from './definition';
import { documentHighlightFeature } from './document-highlight';
import { documentSymbolFeature } from './document-symbols';
import { foldingRangeFeature } from './folding-ranges';
import { gilStateRequestFeature } from './gil-state-request';
import { hoverFeature } from './hover';
import { inlayHintFeature } from './inlay-hints';
import { referencesFeature } from './references';
import { renameFeature } from './rename';
import { selectionRangeFeature } from './selection-ranges';
import { semanticTokensFeature } from './semantic-tokens';
import { signatureHelpFeature } from './signature-help';
import { whatIfRequestFeature } from './what-if-request';
import { workspaceSymbolFeature } from './workspace-symbols';

export const features: readonly Feature[] = [
  hoverFeature, signatureHelpFeature, completionFeature, gilStateRequestFeature,
  semanticTokensFeature, definitionFeature, documentSymbolFeature, documentHighlightFeature, referencesFeature,
  renameFeature, workspaceSymbolFeature, foldingRangeFeature, selectionRangeFeature,
  inlayHintFeature, callHierarchyFeature, whatIfRequestFeature,
];

export function featureCapabilities(list: readonly Feature[] = features): Partial<ServerCapabilities> {
  return Object.assign({}, ...list.map((f) => f.capabilities)) as Partial<ServerCapabilities>;
}
