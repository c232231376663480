/**
 * What converting between a C value and a Python object costs in the generated C (boxing `__Pyx_PyLong_From_int`,
 * `PyFloat_FromDouble`; unboxing `__Pyx_PyLong_As_int` + the `PyErr_Occurred()` check that follows it...), and
 * where a conversion's cost goes (`convert`).
 */
import { type CType, isPy, typeToString } from '../model/c-types';
import type { ExprInfo } from '../model/expression-types';
import { type Node, significantChildren } from '../model/syntax';
import { type CostEnv, gilHeld, lineOf } from './cost-env';
import { typeInfo, unparen } from './expression-info';
import { specialised } from './fused-specialisations';
import { MACRO, PY_CALL, PYX_CALL } from './line-costs';

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

const SIMPLE = new Set(['identifier', 'attribute', 'integer', 'float', 'true', 'false', 'none', 'string',
  'subscript', 'keyword_argument', 'parenthesized_expression']);

/**
 * The type of arithmetic on fused values, which the model leaves unknown: like the compiler's specialisations, the
 * C type of the first (fused or plain) numeric operand.
 */
function arithmeticType(node: Node, env: CostEnv): CType | undefined {
  const inner = unparen(node);
  if (inner.type !== 'binary_operator' && inner.type !== 'unary_operator') return undefined;
  for (const part of significantChildren(inner)) {
    const t = specialised(typeInfo(part, env).type);
    if (t.kind === 'scalar') return t;
    const nested = arithmeticType(part, env);
    if (nested) return nested;
  }
  return undefined;
}

/** Costs of converting the value of `node` (of type `from`) to `to`. */
export function convert(node: Node, fromInfo: ExprInfo, to: CType, env: CostEnv): void {
  if (!gilHeld(env)) return;
  const from = fromInfo.type.kind === 'unknown'
    ? { ...fromInfo, type: arithmeticType(node, env) ?? fromInfo.type } : fromInfo;
  // A name or constant has no code of its own: its conversion is at its line; otherwise after its evaluation.
  const simple = SIMPLE.has(node.type);
  const add = (points: number, reason: string): void => {
    if (simple) env.sink.add(lineOf(node), points, reason);
    else env.sink.here(points, reason);
  };
  if (isPy(to) && from.type.kind !== 'py' && from.type.kind !== 'unknown') {
    if (from.literal) return; // C literals become cached Python constants
    const c = boxing(from.type);
    if (c) add(c.points, c.reason);
  } else if (from.type.kind === 'py' && to.kind !== 'py' && to.kind !== 'unknown') {
    if (from.literal) return; // None, and string literals used as C strings
    const c = unboxing(to);
    if (c) {
      add(c.points, c.reason);
      env.facts.raises = true;
    }
    if (from.temp) add(MACRO, 'temporary Python reference released');
  }
}
