/**
 * Where the clauses of a C function's header go: the exception clause (or `noexcept`) after the parameters, `nogil`
 * at the very end (`RET name(params) [except ...|noexcept] [nogil]`). Used by the quick fixes that add them and by
 * the inlay hints that show an implicit one.
 */
import { type Node, children, field } from './syntax';

/** Signature parts before the body: everything up to the `:` (definitions) or the end (declarations). */
function headerParts(fn: Node): Node[] {
  const parts: Node[] = [];
  for (const c of children(fn)) {
    if (c.type === ':' || c.type === 'block' || c.type === 'comment') break;
    parts.push(c);
  }
  return parts;
}

/** Offset where an exception clause / `noexcept` goes: after the parameters (and `const`), before `nogil`. */
export function exceptionClauseOffset(fn: Node): number {
  const parts = headerParts(fn);
  const params = field(fn, 'parameters');
  let end = params ? params.endIndex : (parts[parts.length - 1]?.endIndex ?? fn.endIndex);
  for (const p of parts) {
    if (p.startIndex < end || p.type === 'gil_spec') continue;
    if (p.type === 'exception_spec' || p.type === 'noexcept') break;
    end = p.endIndex; // e.g. `const` of C++ methods
  }
  return end;
}

/** Offset at the very end of the signature, where `nogil` goes. */
export function signatureEndOffset(fn: Node): number {
  const parts = headerParts(fn);
  return parts.length ? parts[parts.length - 1].endIndex : fn.endIndex;
}
