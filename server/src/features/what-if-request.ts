/**
 * The `cythonLens/whatIf` request (shared/src/protocol.ts), asked by the client's yellow-line hover: the line's score,
 * per directive that would lower it the predicted line score and function total (annotations/what-if.ts: the
 * annotator re-run with the directive set), and the directives in force at the line (directives-in-force.ts).
 */
import { WHAT_IF_REQUEST, type WhatIfOptionInfo, type WhatIfParams, type WhatIfResult } from '../../../shared/src/protocol';
import { type WhatIf, whatIfAt } from '../annotations/what-if';
import { directivesFromEntries } from '../model/directives';
import type { ModuleModel } from '../model/module-model';
import type { Node } from '../model/syntax';
import { analyseDocument, guarded } from './document-analysis';
import type { Feature, FeatureDeps } from './feature';
import { buildDirectives, directivesInForce } from './directives-in-force';

const NOTHING: WhatIfResult = { score: 0, options: [], directives: [] };

/** The what-if of a line of a document's current text (undefined: not a yellow line). */
export function lineWhatIf(model: ModuleModel, root: Node, text: string, build: Readonly<Record<string, string>>,
  line: number): WhatIf | undefined {
  return whatIfAt(model, root, text, directivesFromEntries(build), line);
}

export function whatIfOptionInfo(w: WhatIf): WhatIfOptionInfo[] {
  return w.options.map((o) => ({
    directive: o.directive.name, value: o.directive.value ? 'True' : 'False', where: o.where, lineScore: o.lineScore,
    totalBefore: o.totalBefore, totalAfter: o.totalAfter, givesUp: o.directive.givesUp,
  }));
}

export async function whatIfFor(deps: FeatureDeps, params: WhatIfParams): Promise<WhatIfResult> {
  const uri = params?.textDocument?.uri;
  if (typeof uri !== 'string' || typeof params.line !== 'number' || !Number.isInteger(params.line) || params.line < 0) return NOTHING;
  // settings first: the tree is valid only until the next await
  const build = await buildDirectives(deps, uri);
  const analysis = await analyseDocument(deps, uri);
  if (!analysis) return NOTHING;
  const { doc, tree, model } = analysis;
  if (params.line >= doc.textDocument.lineCount) return NOTHING;
  // the first character of the line: a `with` block's body starts at its first statement, not at column 0
  const start = doc.textDocument.offsetAt({ line: params.line, character: 0 });
  const lineText = doc.text.slice(start, doc.textDocument.offsetAt({ line: params.line + 1, character: 0 }));
  const offset = start + (lineText.length - lineText.trimStart().length);
  const directives = directivesInForce(doc.text, tree, offset, build);
  const w = lineWhatIf(model, tree.rootNode, doc.text, build, params.line);
  if (!w) return { ...NOTHING, directives };
  return { score: w.score, functionName: w.fn?.name, options: whatIfOptionInfo(w), directives };
}

export const whatIfRequestFeature: Feature = {
  id: 'what-if-request',
  capabilities: {},
  register(connection, deps) {
    connection.onRequest(WHAT_IF_REQUEST, (params: WhatIfParams) =>
      guarded(deps, WHAT_IF_REQUEST, NOTHING, () => whatIfFor(deps, params)));
  },
};
