/** How many specialisations the compiler generates for a function with fused-type parameters (their product). */
import type { CType, FunctionParam } from '../model/c-types';

function fusedIn(t: CType, out: Map<string, number>): void {
  switch (t.kind) {
    case 'fused': out.set(t.name, Math.max(1, t.members.length)); return;
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
