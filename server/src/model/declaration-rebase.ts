/**
 * Moving a module's declarations to new rows when only the rows of its top-level statements changed (a line was
 * inserted or removed inside a function body, above other definitions): the declarations themselves are the same,
 * so instead of rebuilding them (document-model.ts), every location they hold in the document is shifted by the
 * move of the statement it belongs to.
 */
import type { DeclLocation, FunctionSignature } from './c-types';
import type { ModuleBase } from './module-model';
import type { ModuleInterface } from './module-interface';
import type { UnresolvedCimport } from './declaration-types';
import { signaturePending } from './lazy-signatures';

type Point = { row: number; column: number };

/** Where an unresolved cimport is now (its node belongs to the tree the declarations were built from). */
const unresolvedAt = new WeakMap<UnresolvedCimport, { start: Point; end: Point }>();

export function unresolvedRange(u: UnresolvedCimport): { start: Point; end: Point } {
  return unresolvedAt.get(u) ?? { start: u.node.startPosition, end: u.node.endPosition };
}

/**
 * Shifts the base's locations in the document from the statement rows of `from` to those of `to`; false (nothing
 * changed) unless the two interfaces have the same parts and columns, i.e. differ in rows only.
 */
export function rebaseDeclarations(base: ModuleBase, from: ModuleInterface, to: ModuleInterface): boolean {
  if (from.parts.length !== to.parts.length) return false;
  for (let i = 0; i < from.parts.length; i++) {
    if (from.parts[i] !== to.parts[i] || from.positions[2 * i + 1] !== to.positions[2 * i + 1]) return false;
  }
  const oldRows: number[] = [];
  const deltas: number[] = [];
  for (let i = 0; i < from.parts.length; i++) {
    oldRows.push(from.positions[2 * i] as number);
    deltas.push((to.positions[2 * i] as number) - (from.positions[2 * i] as number));
  }
  const shift = (row: number): number => {
    // the last statement starting at or before the row
    let lo = 0;
    let hi = oldRows.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((oldRows[mid] as number) <= row) {
        at = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return at < 0 ? row : row + (deltas[at] as number);
  };
  for (const loc of ownLocations(base)) {
    const moved = shift(loc.line);
    loc.endLine += moved - loc.line;
    loc.line = moved;
  }
  for (const u of base.declarations.unresolved) {
    const r = unresolvedRange(u);
    const moved = shift(r.start.row);
    const by = moved - r.start.row;
    unresolvedAt.set(u, { start: { row: moved, column: r.start.column }, end: { row: r.end.row + by, column: r.end.column } });
  }
  return true;
}

/** Every location in the document held by the module's declarations (each object once). */
function ownLocations(base: ModuleBase): DeclLocation[] {
  const seen = new Set<DeclLocation>();
  const add = (l: DeclLocation | undefined): void => {
    if (l && l.uri === base.uri) seen.add(l);
  };
  const signature = (s: FunctionSignature | undefined): void => add(s?.location);
  for (const sym of base.declarations.scope.symbols.values()) {
    add(sym.location);
    // a signature not read yet (lazy-signatures.ts) is declared where its symbol is: another file, unless it is this one
    if (signaturePending(sym) && sym.location?.uri !== base.uri) continue;
    signature(sym.signature);
    const t = sym.type;
    const cls = t.kind === 'py' || t.kind === 'cpp' ? t.cls : undefined;
    if (cls) {
      add(cls.location);
      for (const m of cls.methods.values()) signature(m);
    }
  }
  return [...seen];
}
