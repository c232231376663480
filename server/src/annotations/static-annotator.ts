/**
 * The static `cython -a` estimate as an engine LineAnnotator: walks every top-level statement of the module with
 * the semantic model (types, GIL state) and the directives in force, and turns the estimated C-API calls into
 * per-line scores with reasons. Unchanged top-level statements are served from a per-definition cache
 * (definition-cache.ts).
 */
import type { CheckContext, LineAnnotation, LineAnnotator, RowWindow, TreeDocument } from '../engine/check-types';
import { documentModel } from '../model/document-model';
import { SessionSlot } from '../model/analysis-session';
import { HELD } from '../model/gil-state';
import type { ModuleModel } from '../model/module-model';
import { type Node, field, significantChildren, undecorate } from '../model/syntax';
import type { CostEnv } from './cost-env';
import { CostWalker } from './cost-walker';
import { AnnotatorCache, type DoctestMemo } from './annotator-cache';
import { type DefinitionUnit, treeUnits, unitsInRows } from '../engine/definition-units';
import { placedAt } from '../engine/definition-cache';
import { DEFAULT_DIRECTIVES, type Directives, directivesFromEntries, directivesKey, fileDirectives } from './directives';
import { CostSink, groupByLine, type LineCost, MACRO, PY_CALL, PYX_CALL } from './line-costs';

export interface StaticAnnotatorOptions {
  /** Directives given on the command line (`cython -X boundscheck=False`); default: the compiler's defaults. */
  directives?: Partial<Directives>;
  cache?: AnnotatorCache;
}

/** Costs of a whole module; `directives` are the ones in force at the top of the file. */
export function moduleCosts(model: ModuleModel, root: Node, source: string, directives: Readonly<Directives>,
  cache?: { uri: string; cache: AnnotatorCache }, isCancelled: () => boolean = () => false, splitClasses = true,
  rows?: RowWindow): LineCost[] {
  const out: LineCost[] = [];
  eachUnitCosts(model, root, source, directives, cache, isCancelled, splitClasses, rows, (costs, row, cached) => {
    if (!cached) out.push(...costs);
    else for (const c of placedAt(costs, row, (r, at) => ({ ...r, line: r.line + at }))) out.push(c);
  });
  return out;
}

/**
 * The module's line annotations: toAnnotations of moduleCosts, assembled from each unit's costs grouped by line
 * (kept with the unit's cached costs and placed at its row), so that a keystroke does not regroup every cost of the
 * document: lines that several units score are merged in unit order, as toAnnotations merges costs in order.
 */
export function moduleAnnotations(model: ModuleModel, root: Node, source: string, directives: Readonly<Directives>,
  cache?: { uri: string; cache: AnnotatorCache }, isCancelled: () => boolean = () => false, splitClasses = true,
  rows?: RowWindow): LineAnnotation[] {
  const out: LineAnnotation[] = [];
  // lines come in order but for a few (line 0, two statements on a line, class-level code after methods): looked up
  // by line only once one came out of order; a line's reasons are copied before another unit's are added to them
  let byLine: Map<number, LineAnnotation> | undefined;
  let last = -1;
  let sorted = true;
  const copied = new Set<LineAnnotation>();
  eachUnitCosts(model, root, source, directives, cache, isCancelled, splitClasses, rows, (costs, row) => {
    for (const a of placedAt(groupedByLine(costs), row, (g, at) => ({ line: g.line + at, score: g.score, reasons: g.reasons }))) {
      if (!byLine && a.line > last) {
        out.push({ line: a.line, score: a.score, reasons: a.reasons });
        last = a.line;
        continue;
      }
      byLine ??= new Map(out.map((l) => [l.line, l]));
      const cur = byLine.get(a.line);
      if (!cur) {
        const line = { line: a.line, score: a.score, reasons: a.reasons };
        byLine.set(a.line, line);
        out.push(line);
        if (a.line < last) sorted = false;
        last = Math.max(last, a.line);
        continue;
      }
      if (!copied.has(cur)) {
        cur.reasons = [...cur.reasons];
        copied.add(cur);
      }
      cur.score += a.score;
      for (const r of a.reasons) if (!cur.reasons.includes(r)) cur.reasons.push(r);
    }
  });
  // the reasons arrays of lines scored by one unit are the cached unit's (the engine copies the report's lines)
  const scored = out.filter((a) => a.score > 0);
  return sorted ? scored : scored.sort((a, b) => a.line - b.line);
}

/** A unit's costs grouped by line (relative lines as the costs have them), lines in order of first appearance. */
function groupedByLine(costs: readonly LineCost[]): LineAnnotation[] {
  let known = grouped.get(costs);
  if (!known) {
    known = groupByLine(costs);
    grouped.set(costs, known);
  }
  return known;
}

/** Lines of cached unit costs (arrays never changed once made), by the array. */
const grouped = new WeakMap<readonly LineCost[], LineAnnotation[]>();

/**
 * Walks the module's units (and its initialisation code) in order and hands each unit's costs to `take`: relative to
 * `row` and cached per unit (`cached`), or absolute (row 0) and made for this call.
 */
function eachUnitCosts(model: ModuleModel, root: Node, source: string, directives: Readonly<Directives>,
  cache: { uri: string; cache: AnnotatorCache } | undefined, isCancelled: () => boolean, splitClasses: boolean,
  rows: RowWindow | undefined, take: (costs: readonly LineCost[], row: number, cached: boolean) => void): void {
  const fileDirs = fileDirectives(source, directives);
  const statements = significantChildren(root);
  const memo = cache?.cache.forDocument(cache.uri);
  take(moduleInitCosts(statements, cache?.cache.doctestsOf(cache.uri)), 0, false);
  // What every statement depends on besides the names it looks up: directives, includes, unresolved cimports.
  // (whether every cimport and include resolved decides whether an undeclared name is a Python global or unknown:
  // only the entries that looked such a name up depend on it, definition-cache.ts)
  memo?.begin(`${model.includedFiles.join(';')}|${model.declarations.unresolved.length}|${directivesKey(fileDirs)}`, model.completeFor);
  const scope = model.declarations.scope;
  let complete = !rows;
  const units = treeUnits(root, splitClasses, false);
  for (const unit of unitsInRows(units, rows)) {
    if (isCancelled()) {
      complete = false;
      break;
    }
    if (!memo || !cache) {
      take(unitCosts(model, unit, fileDirs), 0, false);
      continue;
    }
    const row = unit.node.startPosition.row;
    let costs = memo.get(unit, scope);
    if (costs) cache.cache.hits++;
    else {
      cache.cache.misses++;
      costs = memo.record(unit, scope, () => unitCosts(model, unit, fileDirs).map((c) => ({ ...c, line: c.line - row })), true);
    }
    take(costs, row, true);
  }
  // A run stopped at the deadline (or one of some rows only) keeps every entry, so that the next run continues where
  // it stopped.
  if (memo && complete) memo.retain(units);
}

/**
 * Costs of one unit: a top-level statement, a class without its methods, or one method (engine/definition-units.ts).
 * `forceDef` (what-if.ts): directives forced on one definition after its decorators.
 */
export function unitCosts(model: ModuleModel, unit: DefinitionUnit, directives: Readonly<Directives>,
  forceDef?: CostEnv['forceDef']): LineCost[] {
  const sink = new CostSink();
  const env: CostEnv = {
    walk: new CostWalker(), model, sink, state: HELD, scope: model.declarations.scope, fn: undefined, cls: undefined, directives,
    level: 'module', facts: { raises: false, returns: 0 }, skip: unit.skip, methodUnit: unit.rows !== undefined, forceDef,
  };
  env.walk.statement(unit.statement, env);
  const rows = unit.rows;
  return rows ? sink.costs.filter((c) => c.line >= rows.first && c.line <= rows.last) : sink.costs;
}

/**
 * Module initialisation code the compiler attributes to the first line: the `__test__` dict of doctests.
 * `memo` (doctest count by top-level statement text) spares re-reading unchanged statements.
 */
export function moduleInitCosts(statements: readonly Node[], memo?: DoctestMemo): LineCost[] {
  let doctests = 0;
  const next = new Map<string, { kind: string; doctests: number }>();
  for (const s of statements) {
    // statements with a syntax error, or fragments away from column 0, can parse differently with the same text;
    // only function and class definitions can hold doctests
    const memoised = !s.hasError && s.startPosition.column === 0;
    const kind = undecorate(s).type;
    const known = memoised ? memo?.counts.get(s.text) ?? next.get(s.text) : undefined;
    const n = known?.kind === kind ? known.doctests : doctestsIn([s]);
    if (memoised) next.set(s.text, { kind, doctests: n });
    doctests += n;
  }
  if (memo) memo.replace(next);
  const points = PYX_CALL + PY_CALL + MACRO + doctests * PY_CALL;
  return [{ line: 0, points, reason: 'module initialisation: the `__test__` dict of doctests' }];
}

/** Python-visible functions (def, cpdef) among `statements` whose docstring has a doctest, methods included. */
function doctestsIn(statements: readonly Node[]): number {
  let doctests = 0;
  for (const s of statements) {
    const def = undecorate(s);
    if (def.type === 'function_definition' || def.type === 'c_function_definition') {
      const kind = field(def, 'kind')?.text;
      if (def.type === 'c_function_definition' && kind !== 'cpdef') continue;
      const body = field(def, 'body');
      const first = body ? significantChildren(body)[0] : undefined;
      if (first?.type === 'expression_statement' && /^[rRuU]*("""|''')[\s\S]*>>>/.test(first.text)) doctests++;
    } else if (def.type === 'class_definition' || def.type === 'cdef_class_definition') {
      const body = field(def, 'body');
      if (body) doctests += doctestsIn(significantChildren(body));
    }
  }
  return doctests;
}

/** The annotator's statement caches, one per session (unless a test hands the annotator its own). */
const ANNOTATION_CACHES = new SessionSlot('annotation caches', () => new AnnotatorCache(), {
  forget: (cache, uri) => cache.forget(uri),
});

export function createStaticAnnotator(options: StaticAnnotatorOptions = {}): LineAnnotator {
  const directives: Directives = { ...DEFAULT_DIRECTIVES, ...options.directives };
  const own = options.cache;
  return {
    id: 'annotations',
    forget(uri: string): void {
      own?.forget(uri);
    },
    annotate(doc: TreeDocument, ctx: CheckContext): LineAnnotation[] {
      const cache = own ?? ctx.session.slot(ANNOTATION_CACHES);
      const model = documentModel(ctx.session, doc, ctx.settings.includeDirs, ctx.settings.directives);
      // Build-wide directives from the settings (cythonLens.directives / CLI -X) apply on top of the defaults.
      const inForce = directivesFromEntries(ctx.settings.directives ?? {}, directives);
      return moduleAnnotations(model, doc.tree.rootNode, doc.text, inForce, { uri: doc.uri, cache },
        () => ctx.isCancelled(), ctx.session.splitClasses, ctx.rows);
    },
  };
}

/** The annotator registered with the engine (compiler-default directives). */
export const staticAnnotator = createStaticAnnotator();
