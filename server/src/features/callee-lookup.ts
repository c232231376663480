/** What a dotted callee name (`dgelss`, `cython_lapack.dgelss`, `libc.math.sqrt`) denotes in a scope. */
import type { LapackRoutine } from '../lapack';
import type { LapackDatabase } from '../lapack/database';
import type { CType, FunctionSignature } from '../model/c-types';
import { calleeSignature } from '../model/expression-types';
import type { Scope, Symbol } from '../model/symbols';
import { routineOfModuleAttribute, routineOfSymbol } from '../lapack/symbols';

export type ResolvedCallee =
  | { kind: 'routine'; routine: LapackRoutine }
  | { kind: 'function'; sig: FunctionSignature; sym: Symbol };

export function resolveCalleeName(dotted: string, scope: Scope, routines: LapackDatabase | undefined):
  ResolvedCallee | undefined {
  const parts = dotted.split('.');
  let sym = scope.lookup(parts[0]);
  if (parts.length === 1) {
    const routine = routineOfSymbol(routines, sym);
    if (routine) return { kind: 'routine', routine };
  }
  if (parts.length === 2 && sym && (sym.kind === 'c-variable' || sym.kind === 'py-variable')) {
    const method = methodOf(sym.type, parts[1]);
    if (method) return { kind: 'function', sig: method, sym };
  }
  for (let i = 1; i < parts.length && sym; i++) {
    if (i === parts.length - 1) {
      const routine = routineOfModuleAttribute(routines, sym, parts[i]);
      if (routine) return { kind: 'routine', routine };
    }
    sym = sym.kind === 'cimported-module' ? sym.module?.symbols.get(parts[i]) : undefined;
  }
  if (!sym) return undefined;
  const sig = sym.signature ?? calleeSignature(sym.type);
  return sig ? { kind: 'function', sig, sym } : undefined;
}

/** A cdef/cpdef method of an extension type (its `self` already bound) or a method of a C++ class. */
function methodOf(type: CType, name: string): FunctionSignature | undefined {
  const t = type.kind === 'ptr' || type.kind === 'ref' ? type.base : type;
  if (t.kind === 'py') {
    const m = t.cls?.methods.get(name);
    return m ? { ...m, params: m.params.slice(1) } : undefined;
  }
  return t.kind === 'cpp' ? t.cls?.methods.get(name) : undefined;
}
