/**
 * The static `cython -a` estimate as an engine LineAnnotator: walks every top-level statement of the module with
 * the semantic model (types, GIL state) and the directives in force, and turns the estimated C-API calls into
 * per-line scores with reasons. Unchanged top-level statements are served from a cache (definition-cache.ts).
 */
import type { CheckContext, LineAnnotation, LineAnnotator, TreeDocument } from '../engine/check-types';
import { documentModel } from '../model/document-model';
import { HELD } from '../model/gil-state';
import type { ModuleModel } from '../model/module-model';
import { type Node, field, significantChildren, undecorate } from '../model/syntax';
import type { CostEnv } from './cost-env';
import { DefinitionCache, moduleFingerprint } from './definition-cache';
import { DEFAULT_DIRECTIVES, type Directives, directivesFromEntries, directivesKey, fileDirectives } from './directives';
import { CostSink, type LineCost, MACRO, PY_CALL, PYX_CALL, toAnnotations } from './line-costs';
import { statement } from './statement-cost';

export interface StaticAnnotatorOptions {
  /** Directives given on the command line (`cython -X boundscheck=False`); default: the compiler's defaults. */
  directives?: Partial<Directives>;
  cache?: DefinitionCache;
}

/** Costs of a whole module (no cache); `directives` are the ones in force at the top of the file. */
export function moduleCosts(model: ModuleModel, root: Node, source: string, directives: Readonly<Directives>,
  cache?: { uri: string; cache: DefinitionCache }, isCancelled: () => boolean = () => false): LineCost[] {
  const fileDirs = fileDirectives(source, directives);
  const out: LineCost[] = [...moduleInitCosts(root)];
  const key = cache ? `${moduleFingerprint(root, `${model.includedFiles.join(';')}|${model.declarations.unresolved.length}`)}|${directivesKey(fileDirs)}` : '';
  const fresh = cache?.cache.newRun();
  for (const s of significantChildren(root)) {
    if (isCancelled()) break;
    const compute = (): LineCost[] => statementCosts(model, s, fileDirs);
    if (cache && fresh) out.push(...cache.cache.costsOf(cache.uri, key, s, fresh, compute));
    else out.push(...compute());
  }
  if (cache && fresh) cache.cache.commit(cache.uri, fresh, !isCancelled());
  return out;
}

function statementCosts(model: ModuleModel, s: Node, directives: Readonly<Directives>): LineCost[] {
  const sink = new CostSink();
  const env: CostEnv = {
    model, sink, state: HELD, scope: model.declarations.scope, fn: undefined, cls: undefined, directives,
    level: 'module', facts: { raises: false, returns: 0 },
  };
  statement(s, env);
  return sink.costs;
}

/** Module initialisation code the compiler attributes to the first line: the `__test__` dict of doctests. */
function moduleInitCosts(root: Node): LineCost[] {
  let doctests = 0;
  const visit = (n: Node): void => {
    for (const s of significantChildren(n)) {
      const def = undecorate(s);
      if (def.type === 'function_definition' || def.type === 'c_function_definition') {
        const kind = field(def, 'kind')?.text;
        if (def.type === 'c_function_definition' && kind !== 'cpdef') continue;
        const body = field(def, 'body');
        const first = body ? significantChildren(body)[0] : undefined;
        if (first?.type === 'expression_statement' && /^[rRuU]*("""|''')[\s\S]*>>>/.test(first.text)) doctests++;
      } else if (def.type === 'class_definition' || def.type === 'cdef_class_definition') {
        const body = field(def, 'body');
        if (body) visit(body);
      }
    }
  };
  visit(root);
  const points = PYX_CALL + PY_CALL + MACRO + doctests * PY_CALL;
  return [{ line: 0, points, reason: 'module initialisation: the `__test__` dict of doctests' }];
}

export function createStaticAnnotator(options: StaticAnnotatorOptions = {}): LineAnnotator & { cache: DefinitionCache } {
  const directives: Directives = { ...DEFAULT_DIRECTIVES, ...options.directives };
  const cache = options.cache ?? new DefinitionCache();
  return {
    id: 'annotations',
    cache,
    forget(uri: string): void {
      cache.forget(uri);
    },
    annotate(doc: TreeDocument, ctx: CheckContext): LineAnnotation[] {
      const model = documentModel(doc, ctx.settings.includeDirs);
      // Build-wide directives from the settings (cythonLens.directives / CLI -X) apply on top of the defaults.
      const inForce = directivesFromEntries(ctx.settings.directives ?? {}, directives);
      const costs = moduleCosts(model, doc.tree.rootNode, doc.text, inForce, { uri: doc.uri, cache },
        () => ctx.isCancelled());
      return toAnnotations(costs);
    },
  };
}

/** The annotator registered with the engine (compiler-default directives). */
export const staticAnnotator = createStaticAnnotator();
