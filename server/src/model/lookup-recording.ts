/**
 * Which module-level names an analysis looked up (Scope.recordLookup), through memoised results too.
 *
 * Per-definition caches (engine/definition-cache.ts) are valid while every module-level name the analysis of a
 * definition looked up still denotes the same thing. A memoised result (an expression type, a function scope, a
 * signature) computed during another analysis would hide its lookups from the next one: memos keep the names they
 * looked up and replay them on a hit.
 */
import type { Scope } from './symbols';

const NONE: ReadonlySet<string> = new Set();

/**
 * The pseudo-name recorded when an analysis asks whether the module is complete (every cimport and include resolved,
 * no broken top-level statement: module-model.ts), which decides how a name declared nowhere is typed. Not an
 * identifier, so never a module-level name.
 */
export const COMPLETENESS_LOOKUP = '\u0000complete';

/** Runs `compute` noting the module-level names it looks up (also passed on to a recorder already listening). */
export function recordingLookups<T>(moduleScope: Scope, compute: () => T): { value: T; names: ReadonlySet<string> } {
  let names: Set<string> | undefined;
  const outer = moduleScope.recordLookup;
  moduleScope.recordLookup = (name) => {
    (names ??= new Set()).add(name);
    outer?.(name);
  };
  try {
    return { value: compute(), names: names ?? NONE };
  } finally {
    moduleScope.recordLookup = outer;
  }
}

/** Tells the listening recorder (if any) about names a memoised result looked up. */
export function replayLookups(moduleScope: Scope, names: ReadonlySet<string>): void {
  const recorder = moduleScope.recordLookup;
  if (recorder) for (const n of names) recorder(n);
}
