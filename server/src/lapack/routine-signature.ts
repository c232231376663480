/**
 * A routine's C signature built from the database, for calls of routines whose .pxd was not found.
 */
import { type CType, type FunctionSignature, scalarType } from '../model/c-types';
import type { LapackRoutine } from './database';

/** A routine's C signature from the database (`d *a` → pointer to the typedef `d`). */
export function routineSignature(routine: LapackRoutine, typedefs: Readonly<Record<string, string>>): FunctionSignature {
  const cType = (text: string): CType => {
    const stars = (text.match(/\*/g) ?? []).length;
    const base = text.replace(/\*/g, '').trim();
    const builtin = scalarType(base);
    const under = typedefs[base] !== undefined ? scalarType(typedefs[base]) : undefined;
    let t: CType = base === 'void' ? { kind: 'void' } : builtin ?? (under?.kind === 'scalar' ? { ...under, name: base }
      : { kind: 'unknown', reason: `callback type ${base}` });
    for (let i = 0; i < stars; i++) t = { kind: 'ptr', base: t };
    return t;
  };
  return {
    name: routine.name, returnType: cType(routine.returns),
    params: routine.params.map((p) => ({ name: p.name, type: cType(p.type), hasDefault: false })),
    varargs: false, nogil: true, withGil: false, exception: { kind: 'noexcept', explicit: true }, origin: 'cdef',
    inPxd: true,
  };
}
