/**
 * What converting between a C value and a Python object costs in the generated C (boxing `__Pyx_PyLong_From_int`,
 * `PyFloat_FromDouble`; unboxing `__Pyx_PyLong_As_int` + the `PyErr_Occurred()` check that follows it...).
 */
import { type CType, typeToString } from '../model/c-types';
import { specialised } from './fused-specialisations';
import { PY_CALL, PYX_CALL } from './line-costs';

export interface Conversion {
  points: number;
  reason: string;
}

const SSIZE = new Set(['Py_ssize_t', 'ssize_t', 'Py_hash_t', 'intp_t', 'npy_intp', 'cnp.intp_t', 'np.intp_t']);

function baseName(t: CType): string {
  return t.kind === 'scalar' ? t.name.replace(/^(const|volatile)\s+/, '') : typeToString(t);
}

/** C value → Python object. */
export function boxing(t: CType): Conversion | undefined {
  // a fused type converts like its specialisations (counted once per specialisation by the caller)
  if (t.kind === 'fused' || t.kind === 'unknown') return t === specialised(t) ? undefined : boxing(specialised(t));
  const name = typeToString(t);
  switch (t.kind) {
    case 'scalar':
      if (t.family === 'float') return { points: PY_CALL, reason: `${name} converted to a Python float` };
      if (t.family === 'complex') return { points: PY_CALL, reason: `${name} converted to a Python complex` };
      if (t.family === 'bint') return { points: PYX_CALL, reason: 'bint converted to a Python bool' };
      if (SSIZE.has(baseName(t))) return { points: PY_CALL, reason: `${name} converted to a Python int` };
      return { points: PYX_CALL, reason: `${name} converted to a Python int` };
    case 'enum':
      return { points: PYX_CALL, reason: `enum ${name} converted to a Python int` };
    case 'ptr':
      if (t.base.kind === 'scalar' && t.base.family === 'char') {
        return { points: PYX_CALL, reason: 'char* converted to Python bytes' };
      }
      return undefined;
    case 'struct':
      return { points: PYX_CALL, reason: `struct ${name} converted to a Python dict` };
    case 'memview':
      return { points: 1, reason: 'memoryview slice wrapped in a Python memoryview object' };
    case 'cpp':
      return { points: PYX_CALL, reason: `${name} converted to a Python object` };
    default:
      return undefined;
  }
}

/** Python object → C value (with the error check after it). */
export function unboxing(t: CType): Conversion | undefined {
  if (t.kind === 'fused' || t.kind === 'unknown') return t === specialised(t) ? undefined : unboxing(specialised(t));
  const name = typeToString(t);
  switch (t.kind) {
    case 'scalar':
      if (t.family === 'bint') return { points: PYX_CALL, reason: 'Python truth test to get a bint' };
      return { points: PYX_CALL + PY_CALL, reason: `Python object converted to ${name} (with an error check)` };
    case 'enum':
      return { points: PYX_CALL + PY_CALL, reason: `Python object converted to enum ${name}` };
    case 'memview':
      return { points: PYX_CALL, reason: `buffer acquisition: Python object to memoryview ${name}` };
    case 'ptr':
      if (t.base.kind === 'scalar' && t.base.family === 'char') {
        // __Pyx_PyObject_AsString, then `!result && PyErr_Occurred()`
        return { points: PYX_CALL + PY_CALL, reason: 'Python bytes converted to char* (with an error check)' };
      }
      return undefined;
    case 'struct':
      return { points: PYX_CALL + PY_CALL, reason: `Python dict converted to struct ${name}` };
    case 'cpp':
      return { points: PYX_CALL + PY_CALL, reason: `Python object converted to ${name}` };
    default:
      return undefined;
  }
}
