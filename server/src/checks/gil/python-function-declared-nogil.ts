/**
 * A Python function declared nogil. `@cython.nogil` on a def that is not made a C function (`@cython.cfunc` /
 * `@cython.ccall`): "Python functions cannot be declared 'nogil'" at the definition (ParseTreeTransforms.
 * AdjustDefByDirectives); `def f() nogil:` is rejected by the parser with its own message (Parsing.py).
 */
import { childrenOfType } from '../../model/syntax';
import { definitionAnchor } from './expression-roles';
import type { GilRule } from './rule';

export const pythonFunctionDeclaredNogil: GilRule = {
  code: 'python-function-nogil',
  nodeTypes: ['function_definition'],
  when: 'always',
  check(node, ctx) {
    const spec = [...node.childrenForFieldName('gil_spec'), ...childrenOfType(node, 'gil_spec')]
      .find((g) => g?.text.trim() === 'nogil');
    if (spec) {
      ctx.report(spec, "Cannot use cdef modifier 'nogil' in Python function signature. Use a decorator instead.");
      return;
    }
    const decorators = node.parent?.type === 'decorated_definition' ? childrenOfType(node.parent, 'decorator') : [];
    if (decorators.some((d) => /^@\s*cython\.nogil\s*$/.test(d.text))
      && !decorators.some((d) => /^@\s*cython\.(cfunc|ccall)\b/.test(d.text))) {
      ctx.report(definitionAnchor(node), "Python functions cannot be declared 'nogil'");
    }
  },
};
