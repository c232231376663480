/**
 * The `gil` check: builds the document's semantic model and runs every GIL rule (checks/gil/) over it, turning
 * findings into diagnostics with the compiler's messages and a pointer to what released the GIL.
 */
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver-types';
import type { DiagnosticCode } from '../../../shared/src/diagnostic-codes';
import type { Node } from 'web-tree-sitter';
import { DIAGNOSTIC_SOURCE, defaultSeverity, type CheckContext, type DocumentCheck, type TreeDocument } from '../engine/check-types';
import { type AnalysisSession, documentSlot } from '../model/analysis-session';
import { documentModel } from '../model/document-model';
import { unresolvedRange } from '../model/declaration-rebase';
import { gilRules } from './gil';
import { DefinitionCache, placedAt } from '../engine/definition-cache';
import { treeUnits, unitsInRows } from '../engine/definition-units';
import type { CachedFinding } from './gil/cached-finding';
import { GilWalker } from './gil/gil-walker';
import { DEFAULT_DIRECTIVES, directivesFromEntries, directivesKey, fileDirectives } from '../model/directives';
import type { Finding } from './gil/rule';

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

export const UNRESOLVED_CIMPORT_CODE = 'unresolved-cimport' satisfies DiagnosticCode;

/** The per-definition caches of a session's documents. */
const CACHES = documentSlot<DefinitionCache<CachedFinding>>('GIL check caches');

/** Cache statistics of a document (for benchmarks and tests: a keystroke should re-walk one definition). */
export function gilCacheStats(session: AnalysisSession, uri: string): { hits: number; misses: number } | undefined {
  const c = session.peek(CACHES)?.get(uri);
  return c ? { hits: c.hits, misses: c.misses } : undefined;
}

export const gilCheck: DocumentCheck = {
  id: 'gil',
  codes: [...gilRules.map((r) => r.code), UNRESOLVED_CIMPORT_CODE],
  run(doc: TreeDocument, ctx: CheckContext): Diagnostic[] {
    const session = ctx.session;
    const model = documentModel(session, doc, ctx.settings.includeDirs, ctx.settings.directives);
    const resolver = session.resolver(doc.tree.language, ctx.settings.includeDirs);
    const caches = session.slot(CACHES);
    let cache = caches.get(doc.uri);
    if (!cache) {
      cache = new DefinitionCache<CachedFinding>();
      caches.set(doc.uri, cache);
    }
    const directives = fileDirectives(doc.text, directivesFromEntries(ctx.settings.directives ?? {}, DEFAULT_DIRECTIVES));
    // Whether every cimport/include resolved (and no top-level statement is broken) decides how names declared
    // nowhere are typed (Python global or unknown): the entries that looked such a name up depend on it.
    cache.begin(`${resolver.generation}\0${ctx.settings.includeDirs.join('\0')}\0${directivesKey(directives)}`, model.completeFor);
    const out: Diagnostic[] = [];
    const scope = model.declarations.scope;
    const units = treeUnits(doc.tree.rootNode, session.splitClasses);
    for (const unit of unitsInRows(units, ctx.rows)) {
      if (ctx.isCancelled()) break;
      const cached = cache.get(unit, scope) ?? cache.record(unit, scope, () => {
        const walker = new GilWalker(model, gilRules, () => ctx.isCancelled(), directives);
        const rows = unit.rows;
        return walker.walkTopLevel(unit.statement, unit.skip, rows)
          .filter((f) => !rows || (f.node.startPosition.row >= rows.first && f.node.startPosition.row <= rows.last))
          .map((f) => toCached(doc.uri, unit.node, f));
      }, (findings) => findings.every((f) => !refersToOtherCodeIn(f, doc.uri)));
      if (ctx.isCancelled()) break;
      for (const d of placedAt(cached, unit.node.startPosition.row, (f, row) => toDiagnostic(doc.uri, row, f))) out.push(d);
    }
    if (!ctx.rows) cache.retain(units);
    const seen = new Set<string>();
    const rowColumnRange = (r: { start: Point; end: Point }): Range => ({
      start: { line: r.start.row, character: r.start.column }, end: { line: r.end.row, character: r.end.column },
    });
    for (const u of model.declarations.unresolved) {
      if (seen.has(u.module)) continue;
      seen.add(u.module);
      const env = session.pythonEnvironment;
      const where = env?.error && session.host.repeatEnvironmentError ? ` (${env.error})` : '';
      const addDir = session.host.addIncludeDir;
      out.push({
        // rows and columns, not offsets: the node belongs to the tree the module's declarations were built from,
        // which may be an earlier version with the same interface, maybe moved since (declaration-rebase.ts)
        range: rowColumnRange(unresolvedRange(u)),
        severity: defaultSeverity(UNRESOLVED_CIMPORT_CODE), code: UNRESOLVED_CIMPORT_CODE,
        source: DIAGNOSTIC_SOURCE,
        message: u.include
          ? `Cannot find the included file \`${u.module}\`: names it declares are unknown, so GIL checks that depend `
            + `on them are skipped. ${addDir}`
          : `Cannot find the .pxd for \`${u.module}\`${where}: names cimported from it are unknown, so GIL checks `
            + `that depend on them are skipped. ${addDir}`,
      });
    }
    return out;
  },
};

/**
 * True when a finding carries an absolute position in its own document besides its statement-relative range (related
 * information or quick-fix data pointing at another definition, e.g. `declaredAt`): such positions go stale when
 * that other code moves, which the cache key (statement text + looked-up declarations) does not see, so these
 * findings are recomputed each time rather than cached (found by test/fuzz: a stale `declaredAt` line).
 */
function refersToOtherCodeIn(f: CachedFinding, uri: string): boolean {
  if (f.related?.some((r) => !r.relative && r.uri === uri)) return true;
  return f.data !== undefined && JSON.stringify(f.data).includes(JSON.stringify(uri));
}

type Point = { row: number; column: number };

function rel(p: Point, base: number): Point {
  return { row: p.row - base, column: p.column };
}

function toCached(uri: string, stmt: Node, f: Finding): CachedFinding {
  const base = stmt.startPosition.row;
  const c: CachedFinding = {
    code: f.code, message: f.message, severity: f.severity,
    start: rel(f.node.startPosition, base), end: rel(f.node.endPosition, base),
  };
  if (f.releasedBy && f.severity !== 'warning') {
    c.releasedBy = {
      start: rel(f.releasedBy.startPosition, base), end: rel(f.releasedBy.endPosition, base),
      what: f.releasedBy.type === 'gil_spec' ? 'the function is declared nogil here' : 'the GIL is released here',
    };
  }
  if (f.related?.length) {
    c.related = f.related.map((r) => {
      const inside = r.location.uri === uri && r.location.line >= base && r.location.endLine <= stmt.endPosition.row;
      const shift = inside ? base : 0;
      return {
        uri: r.location.uri, message: r.message, relative: inside,
        start: { row: r.location.line - shift, column: r.location.character },
        end: { row: r.location.endLine - shift, column: r.location.endCharacter },
      };
    });
  }
  if (f.data) c.data = f.data;
  return c;
}

function toDiagnostic(uri: string, base: number, f: CachedFinding): Diagnostic {
  const range = (s: Point, e: Point, shift: number): Range => ({
    start: { line: s.row + shift, character: s.column }, end: { line: e.row + shift, character: e.column },
  });
  const related: DiagnosticRelatedInformation[] = [];
  if (f.releasedBy) {
    related.push({ location: { uri, range: range(f.releasedBy.start, f.releasedBy.end, base) }, message: f.releasedBy.what });
  }
  for (const r of f.related ?? []) {
    related.push({ location: { uri: r.uri, range: range(r.start, r.end, r.relative ? base : 0) }, message: r.message });
  }
  const d: Diagnostic = {
    range: range(f.start, f.end, base), severity: SEVERITY[f.severity], code: f.code, source: DIAGNOSTIC_SOURCE,
    message: f.message,
  };
  if (related.length) d.relatedInformation = related;
  if (f.data) d.data = f.data;
  return d;
}
