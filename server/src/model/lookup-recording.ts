/**
 * Which module-level names an analysis looked up (Scope.lookupLog), through memoised results too.
 *
 * Per-definition caches (engine/definition-cache.ts) are valid while every module-level name the analysis of a
 * definition looked up still denotes the same thing. A memoised result (an expression type, a function scope, a
 * signature) computed during another analysis would hide its lookups from the next one: memos keep the names they
 * looked up and replay them on a hit.
 */
import type { Scope } from './symbols';

const NONE: readonly string[] = Object.freeze([]);

/**
 * The prefix of the pseudo-name recorded when an analysis asks whether a name declared nowhere is a Python global
 * (`COMPLETENESS_LOOKUP + name`: every cimport and include resolved, no broken top-level statement spelling the name:
 * module-model.ts). Not an identifier, so never a module-level name.
 */
export const COMPLETENESS_LOOKUP = '\u0000complete';

/**
 * Runs `compute` noting the module-level names it looks up (a recording already running sees them too). The names
 * are the part of the scope's one lookup log that `compute` appended (in order of first lookup): nested recordings
 * (the typer's per-expression memo inside a definition's analysis) share the log instead of each forwarding every
 * name to the one around it through a closure and a set of its own.
 */
export function recordingLookups<T>(moduleScope: Scope, compute: () => T): { value: T; names: readonly string[] } {
  const outer = moduleScope.lookupLog;
  const log = outer ?? [];
  const start = log.length;
  if (!outer) moduleScope.lookupLog = log;
  try {
    const value = compute();
    const n = log.length - start;
    // repeats dropped from longer parts (memos keep them and replay them into every recording that hits them)
    return { value, names: n === 0 ? NONE : n <= 4 ? log.slice(start) : [...new Set(log.slice(start))] };
  } finally {
    if (!outer) moduleScope.lookupLog = undefined;
  }
}

/** Tells the running recording (if any) about names a memoised result looked up. */
export function replayLookups(moduleScope: Scope, names: readonly string[]): void {
  const log = moduleScope.lookupLog;
  if (log) for (let i = 0; i < names.length; i++) log.push(names[i]!);
}
