/** The compiler's warning for `nogil` written before `except ...` / `noexcept` in a signature. */
import { children } from '../../model/syntax';
import type { GilRule } from './rule';

export const NOGIL_PLACEMENT_MESSAGE = "The keyword 'nogil' should appear at the end of the function signature line. "
  + "Placing it before 'except' or 'noexcept' will be disallowed in a future version of Cython.";

export const nogilBeforeExceptionClause: GilRule = {
  code: 'nogil-placement',
  nodeTypes: ['c_function_definition', 'c_function_declaration'],
  when: 'always',
  severity: 'warning',
  check(node, ctx) {
    const parts = children(node);
    const nogilIndex = parts.findIndex((c) => c.type === 'gil_spec' && c.text.trim() === 'nogil');
    const excIndex = parts.findIndex((c) => c.type === 'exception_spec' || c.type === 'noexcept');
    if (nogilIndex >= 0 && excIndex > nogilIndex) {
      ctx.report(parts[nogilIndex], NOGIL_PLACEMENT_MESSAGE, { data: { fix: 'move-nogil' } });
    }
  },
};
