/** The compiler's warning for `nogil` written before `except ...` / `noexcept` in a signature. */
import { type Node, children, fields, significantChildren } from '../../model/syntax';
import type { GilRule } from './rule';

export const NOGIL_PLACEMENT_MESSAGE = "The keyword 'nogil' should appear at the end of the function signature line. "
  + "Placing it before 'except' or 'noexcept' will be disallowed in a future version of Cython.";

/** The `nogil` of a signature (or function pointer declarator) written before its exception clause. */
function misplacedNogil(node: Node): Node | undefined {
  const parts = children(node);
  const nogilIndex = parts.findIndex((c) => c.type === 'gil_spec' && c.text.trim() === 'nogil');
  const excIndex = parts.findIndex((c) => c.type === 'exception_spec' || c.type === 'noexcept');
  return nogilIndex >= 0 && excIndex > nogilIndex ? parts[nogilIndex] : undefined;
}

export const nogilBeforeExceptionClause: GilRule = {
  code: 'nogil-placement',
  nodeTypes: ['c_function_definition', 'c_function_declaration', 'ctypedef_statement', 'c_variable_declaration'],
  when: 'always',
  check(node, ctx) {
    if (node.type === 'ctypedef_statement' || node.type === 'c_variable_declaration') {
      // function pointer declarators (`ctypedef void (*f_t)() nogil noexcept`): their declarations are not walked;
      // no quick fix (it moves the keyword of a function signature)
      for (const d of fields(node, 'declarator')) {
        const fp = significantChildren(d).find((c) => c.type === 'function_pointer_declarator');
        const spec = fp ? misplacedNogil(fp) : undefined;
        if (spec) ctx.report(spec, NOGIL_PLACEMENT_MESSAGE);
      }
      return;
    }
    const spec = misplacedNogil(node);
    if (spec) ctx.report(spec, NOGIL_PLACEMENT_MESSAGE, { data: { fix: 'move-nogil' } });
  },
};
