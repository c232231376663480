/**
 * Cython's compile-time `cython` module (`cimport cython`, `from cython.parallel cimport prange`,
 * `from cython cimport floating`): every name in it is a language construct, not a Python object.
 */
import { type CType, scalarType, unknown } from './c-types';
import type { ModuleSymbols, Symbol } from './symbols';

/** The `cython` pseudo-module: every name in it is a compile-time construct, usable without the GIL. */
class CythonModuleSymbols extends Map<string, Symbol> {
  constructor(readonly moduleName: string) {
    super();
  }

  override get(key: string): Symbol {
    const fused = CYTHON_FUSED[key];
    if (fused && (this.moduleName === 'cython')) {
      return { name: key, kind: 'c-type', type: { kind: 'fused', name: key, members: fused }, binding: 'builtin',
        origin: `cython.${key}` };
    }
    return {
      name: key, kind: 'cython-builtin', type: unknown(`${this.moduleName}.${key}`), binding: 'builtin',
      module: cythonModule(`${this.moduleName}.${key}`), origin: `${this.moduleName}.${key}`,
    };
  }

  override has(): boolean {
    return true;
  }
}

const sc = (name: string): CType => scalarType(name)!;
/** The fused types the `cython` module defines (Shadow.py): floating, integral, numeric. */
const CYTHON_FUSED: Record<string, CType[]> = {
  floating: [sc('float'), sc('double')],
  integral: [sc('short'), sc('int'), sc('long')],
  numeric: [sc('short'), sc('int'), sc('long'), sc('float'), sc('double'), sc('float complex'), sc('double complex')],
};

export function cythonModule(name: string): ModuleSymbols {
  return { name, uri: 'cython:', symbols: new CythonModuleSymbols(name) };
}
