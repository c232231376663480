/** What a dotted callee name (`dgelss`, `cython_lapack.dgelss`, `libc.math.sqrt`) denotes in a scope. */
import type { LapackRoutine } from '../lapack';
import type { FunctionSignature } from '../model/c-types';
import { calleeSignature } from '../model/expression-types';
import type { Scope, Symbol } from '../model/symbols';
import { routineOfModuleAttribute, routineOfSymbol } from './lapack-symbols';

export type ResolvedCallee =
  | { kind: 'routine'; routine: LapackRoutine }
  | { kind: 'function'; sig: FunctionSignature; sym: Symbol };

export function resolveCalleeName(dotted: string, scope: Scope): ResolvedCallee | undefined {
  const parts = dotted.split('.');
  let sym = scope.lookup(parts[0]);
  if (parts.length === 1) {
    const routine = routineOfSymbol(sym);
    if (routine) return { kind: 'routine', routine };
  }
  for (let i = 1; i < parts.length && sym; i++) {
    if (i === parts.length - 1) {
      const routine = routineOfModuleAttribute(sym, parts[i]);
      if (routine) return { kind: 'routine', routine };
    }
    sym = sym.kind === 'cimported-module' ? sym.module?.symbols.get(parts[i]) : undefined;
  }
  if (!sym) return undefined;
  const sig = sym.signature ?? calleeSignature(sym.type);
  return sig ? { kind: 'function', sig, sym } : undefined;
}
