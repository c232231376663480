/**
 * The `cythonLens/gilState` request (shared/src/protocol.ts): the GIL state at a position and the range of what
 * released it, and the compiler directives set there (directives-in-force.ts). Answers `unknown` for documents that are not open or have no tree (too large, binary).
 */
import { GIL_STATE_REQUEST, type GilStateParams, type GilStateResult } from '../../../shared/src/protocol';
import { contextAt } from '../model/document-model';
import { analyseDocument, guarded, offsetOf } from './document-analysis';
import type { Feature, FeatureDeps } from './feature';
import { releasedByRange } from './gil-state-description';
import { buildDirectives, directivesInForce } from './directives-in-force';

const UNKNOWN: GilStateResult = { state: 'unknown' };

export async function gilStateAt(deps: FeatureDeps, params: GilStateParams): Promise<GilStateResult> {
  const uri = params?.textDocument?.uri;
  if (typeof uri !== 'string' || !params.position) return UNKNOWN;
  // settings first: the tree is valid only until the next await
  const build = await buildDirectives(deps, uri);
  const analysis = await analyseDocument(deps, uri);
  if (!analysis) return UNKNOWN;
  const { doc, tree, model } = analysis;
  const ctx = contextAt(model, tree.rootNode, offsetOf(doc, params.position));
  const result: GilStateResult = { state: ctx.state.kind };
  if (ctx.state.releasedBy) result.releasedBy = releasedByRange(doc, ctx.state.releasedBy);
  const directives = directivesInForce(doc.text, tree, offsetOf(doc, params.position), build);
  if (directives.length > 0) result.directives = directives;
  return result;
}

export const gilStateRequestFeature: Feature = {
  id: 'gil-state-request',
  capabilities: {},
  register(connection, deps) {
    connection.onRequest(GIL_STATE_REQUEST, (params: GilStateParams) =>
      guarded(deps, GIL_STATE_REQUEST, UNKNOWN, () => gilStateAt(deps, params)));
  },
};
