/**
 * C functions at module level: a `cdef`/`cpdef` function (a definition in a .pyx completes its .pxd's declaration)
 * and a pure Python mode `@cython.cfunc` / `@cython.ccall` def (`isPureModeCFunction`, cython-names.ts).
 */
import type { FunctionSignature } from '../c-types';
import { type Node, field, locationOf } from '../syntax';
import type { Collecting } from './collecting';

export function defineFunction(collector: Collecting, sig: FunctionSignature, node: Node): void {
  const existing = collector.scope.lookupLocal(sig.name);
  // A definition in the .pyx completes the declaration from the .pxd: the pxd's specs are what callers see,
  // but the definition decides nogil-ness of the body.
  if (existing?.kind === 'c-function' && existing.signature && existing.signature.inPxd && !sig.inPxd) {
    // Symtab.declare_cfunction: the module's own callers see the definition's type (with its exception value);
    // it stays "defined in the pxd" for the exception-check hint.
    const merged: FunctionSignature = {
      ...sig,
      inPxd: true,
      nogil: existing.signature.nogil || sig.nogil,
      withGil: existing.signature.withGil || sig.withGil,
    };
    collector.scope.define({ ...existing, signature: merged, type: { kind: 'func', sig: merged } });
    return;
  }
  collector.scope.define({
    name: sig.name, kind: 'c-function', type: { kind: 'func', sig }, binding: 'module', signature: sig,
    location: locationOf(collector.ctx.uri, field(node, 'name') ?? node), alsoPython: sig.origin === 'cpdef',
  });
}
