/** How many specialisations the compiler generates for a function with fused-type parameters (their product). */
import type { CType, FunctionParam } from '../model/c-types';

/** The fused types Cython itself declares (`from cython cimport floating`), which the model leaves untyped. */
const CYTHON_FUSED: Record<string, number> = { floating: 2, integral: 3, numeric: 7 };

function fusedIn(t: CType, out: Map<string, number>): void {
  switch (t.kind) {
    case 'fused': out.set(t.name, Math.max(1, t.members.length)); return;
    case 'unknown': {
      const m = /^type (?:cython\.)?(floating|integral|numeric)$/.exec(t.reason);
      if (m?.[1]) out.set(m[1], CYTHON_FUSED[m[1]] ?? 1);
      return;
    }
    case 'memview': case 'ptr': case 'array': case 'ref': fusedIn(t.base, out); return;
    default: return;
  }
}

export function specialisationCount(params: readonly FunctionParam[], returnType?: CType): number {
  const fused = new Map<string, number>();
  for (const p of params) fusedIn(p.type, fused);
  if (returnType) fusedIn(returnType, fused);
  let n = 1;
  for (const count of fused.values()) n *= count;
  return Math.min(n, 64);
}

/** A type as one specialisation sees it: a fused type (or Cython's own `floating`...) becomes its first member. */
export function specialised(t: CType): CType {
  switch (t.kind) {
    case 'fused': return t.members[0] ? specialised(t.members[0]) : t;
    case 'unknown': {
      const m = /^type (?:cython\.)?(floating|integral|numeric)$/.exec(t.reason);
      if (!m) return t;
      return m[1] === 'integral' ? { kind: 'scalar', name: 'long', family: 'int' }
        : { kind: 'scalar', name: 'double', family: 'float' };
    }
    case 'memview': {
      const base = specialised(t.base);
      return base === t.base ? t : { ...t, base };
    }
    default: return t;
  }
}
