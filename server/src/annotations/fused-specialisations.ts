/**
 * The specialisations the compiler generates for a function with fused-type parameters (their product), and the
 * types as one specialisation sees them. `cython -a` puts the code of every specialisation on the same source
 * lines (Annotate.py appends it per line), so a line's score is the sum over specialisations: with a fused type that
 * includes `object`, the object specialisation's Python operations make the line yellow.
 */
import type { CType, FunctionParam } from '../model/c-types';
import type { Specialisation } from '../model/fused-specialisation';
import { Scope, type Symbol } from '../model/symbols';

/** The fused types Cython itself declares (`from cython cimport floating`), which the model leaves untyped. */
const CYTHON_FUSED: Record<string, number> = { floating: 2, integral: 3, numeric: 7 };

const PYTHON_MEMBERS = /^fused type (\S+) with Python members$/;

/** Resolves a fused type by name (those with Python members are `unknown` in declared types). */
export type FusedLookup = (name: string) => CType[] | undefined;

function fusedIn(t: CType, out: Map<string, number>, lookup?: FusedLookup): void {
  switch (t.kind) {
    case 'fused': out.set(t.name, Math.max(1, t.members.length)); return;
    case 'unknown': {
      const m = /^type (?:cython\.)?(floating|integral|numeric)$/.exec(t.reason);
      if (m?.[1]) out.set(m[1], CYTHON_FUSED[m[1]] ?? 1);
      const py = PYTHON_MEMBERS.exec(t.reason);
      const members = py?.[1] ? lookup?.(py[1]) : undefined;
      if (py?.[1] && members) out.set(py[1], Math.max(1, members.length));
      return;
    }
    case 'memview': case 'ptr': case 'array': case 'ref': fusedIn(t.base, out, lookup); return;
    default: return;
  }
}

export function specialisationCount(params: readonly FunctionParam[], returnType?: CType, lookup?: FusedLookup): number {
  return fusedTypesOf(params, returnType, lookup).count;
}

/** How many distinct fused types a signature uses, and the number of specialisations (their product, at most 64). */
export function fusedTypesOf(params: readonly FunctionParam[], returnType?: CType, lookup?: FusedLookup):
  { types: number; count: number } {
  const fused = new Map<string, number>();
  for (const p of params) fusedIn(p.type, fused, lookup);
  if (returnType) fusedIn(returnType, fused, lookup);
  let n = 1;
  for (const count of fused.values()) n *= count;
  return { types: fused.size, count: Math.min(n, 64) };
}

/** At most this many specialisations are walked one by one; beyond, the body is walked once and scaled. */
export const MAX_WALKED_SPECIALISATIONS = 16;

function membersIn(t: CType, out: Map<string, CType[]>, lookup: FusedLookup): void {
  switch (t.kind) {
    case 'fused': out.set(t.name, t.members.flatMap((m) => (m.kind === 'fused' ? m.members : [m]))); return;
    case 'unknown': {
      const py = PYTHON_MEMBERS.exec(t.reason);
      const members = py?.[1] ? lookup(py[1]) : undefined;
      if (py?.[1] && members) out.set(py[1], members);
      return;
    }
    case 'memview': case 'ptr': case 'array': case 'ref': membersIn(t.base, out, lookup); return;
    default: return;
  }
}

/**
 * Every specialisation of a function whose parameters (or return type) use fused types, when some fused type
 * includes a Python member or the body tests fused types (where specialisations differ) and there are few enough;
 * otherwise none (the caller scales one walk by the count).
 */
export function specialisationsOf(params: readonly FunctionParam[], returnType: CType | undefined,
  lookup: FusedLookup, testsFusedTypes: boolean): Specialisation[] {
  const fused = new Map<string, CType[]>();
  for (const p of params) membersIn(p.type, fused, lookup);
  if (returnType) membersIn(returnType, fused, lookup);
  if (!fused.size || [...fused.values()].some((m) => m.length === 0)) return [];
  if (!testsFusedTypes && ![...fused.values()].some((members) => members.some((m) => m.kind === 'py'))) return [];
  let count = 1;
  for (const members of fused.values()) count *= members.length;
  if (count > MAX_WALKED_SPECIALISATIONS) return [];
  let specs: Map<string, CType>[] = [new Map()];
  for (const [name, members] of fused) specs = specs.flatMap((s) => members.map((m) => new Map(s).set(name, m)));
  return specs;
}

/** `t` in specialisation `spec`: fused types (also those the model keeps as unknown) replaced by their member. */
export function substitute(t: CType, spec: Specialisation): CType {
  switch (t.kind) {
    case 'fused': return spec.get(t.name) ?? t;
    case 'unknown': {
      const py = PYTHON_MEMBERS.exec(t.reason);
      return (py?.[1] && spec.get(py[1])) || t;
    }
    case 'memview': case 'ptr': case 'array': case 'ref': {
      const base = substitute(t.base, spec);
      if (base === t.base) return t;
      // A memoryview of objects stays a memoryview; its items are Python objects.
      return { ...t, base };
    }
    default: return t;
  }
}

/** A function scope whose locals and parameters have the types of one specialisation. */
export function specialisedScope(scope: Scope, spec: Specialisation): Scope {
  const out = new Scope(scope.kind, scope.parent);
  for (const [name, sym] of scope.symbols) {
    const type = substitute(sym.type, spec);
    out.symbols.set(name, type === sym.type ? sym : { ...sym, type } as Symbol);
  }
  return out;
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
