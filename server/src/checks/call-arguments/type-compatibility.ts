/**
 * Types as the argument check compares and prints them: whether two C types are the same after typedefs (as far as
 * we can tell: 'unknown' otherwise), whether a pointer may be passed for another, and a parameter's type spelled
 * with the `const` of its declaration.
 */
import { type CType, scalarType } from '../../model/c-types';
import { builtinName, typeName } from '../../model/type-names';
import type { Callee } from './callee';

export type Verdict = 'same' | 'different' | 'unknown';

function pointerDepth(t: CType): number {
  return t.kind === 'ptr' ? 1 + pointerDepth(t.base) : 0;
}

/**
 * The parameter's type as the compiler prints it: `const` comes from the declaration's text (`const double *q` →
 * `const double *`); undefined when the text is unknown or `const` sits where we cannot place it.
 */
export function targetName(target: CType, written: string | undefined): string | undefined {
  if (written === undefined) return undefined;
  // The model's reading must agree with the text (`int **restrict b` is not read as written, for one).
  if ((written.match(/\*/g) ?? []).length !== pointerDepth(target)) return undefined;
  const name = typeName(target);
  if (!name || !/\bconst\b/.test(written)) return name;
  if (target.kind === 'ptr' && target.base.kind !== 'ptr') return `const ${name}`;
  if (target.kind === 'scalar') return `const ${name}`;
  return undefined;
}

/** A scalar's underlying builtin type after typedefs (`d` → `double`, `int32_t` → `signed int`). */
export function canonical(name: string, callee: Callee): string | undefined {
  let n = name;
  for (let i = 0; i < 8; i++) {
    if (scalarType(n) && !callee.typedef(n)) return builtinName(n);
    const next = callee.typedef(n);
    if (next === undefined) return scalarType(n) ? builtinName(n) : undefined;
    n = next.replace(/\s+/g, ' ').trim();
  }
  return undefined;
}

export function sameType(a: CType, b: CType, callee: Callee): Verdict {
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    // The model resolved typedef chains where it declared them (`cnp.intp_t` → `signed long`); names looked up in
    // the callee's tables are the fallback.
    const x = a.underlying ? builtinName(a.underlying) : canonical(a.name, callee);
    const y = b.underlying ? builtinName(b.underlying) : canonical(b.name, callee);
    if (x === undefined || y === undefined) return 'unknown';
    return x === y ? 'same' : 'different';
  }
  if (a.kind === 'void' && b.kind === 'void') return 'same';
  if (a.kind === 'ptr' && b.kind === 'ptr') return sameType(a.base, b.base, callee);
  if ((a.kind === 'void' && (b.kind === 'scalar' || b.kind === 'ptr'))
    || (b.kind === 'void' && (a.kind === 'scalar' || a.kind === 'ptr'))) return 'different';
  if ((a.kind === 'scalar' && b.kind === 'ptr') || (a.kind === 'ptr' && b.kind === 'scalar')) return 'different';
  if (a.kind === 'struct' && b.kind === 'struct' && a.info.name === b.info.name) return 'same';
  return 'unknown';
}

/** Can a pointer of type `actual` be passed for `target`? (`T *` → `void *` always can.) */
export function compatiblePointer(actual: Extract<CType, { kind: 'ptr' }>, target: Extract<CType, { kind: 'ptr' }>,
  callee: Callee): Verdict {
  if (target.base.kind === 'void') return 'same';
  return sameType(actual.base, target.base, callee);
}

/** Is the pointed-to type a character type (Python bytes/str coerce to `char *`)? undefined: cannot tell. */
export function charLike(t: CType, callee: Callee): boolean | undefined {
  if (t.kind !== 'scalar') return t.kind === 'void' ? false : t.kind === 'unknown' ? undefined : false;
  const c = canonical(t.name, callee);
  if (c === undefined) return undefined;
  return /^(?:(?:un)?signed )?char$|^Py_UNICODE$|^Py_UCS4$/.test(c);
}

export function containsFused(t: CType): boolean {
  if (t.kind === 'fused' || t.kind === 'unknown') return true;
  if (t.kind === 'ptr' || t.kind === 'array' || t.kind === 'ref' || t.kind === 'memview') return containsFused(t.base);
  return false;
}
