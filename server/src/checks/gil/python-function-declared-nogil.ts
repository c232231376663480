/** `def f() nogil:` — only C functions can be nogil. */
import { childrenOfType } from '../../model/syntax';
import type { GilRule } from './rule';

export const pythonFunctionDeclaredNogil: GilRule = {
  code: 'python-function-nogil',
  nodeTypes: ['function_definition'],
  when: 'always',
  check(node, ctx) {
    const spec = [...node.childrenForFieldName('gil_spec'), ...childrenOfType(node, 'gil_spec')]
      .find((g) => g?.text.trim() === 'nogil');
    if (spec) ctx.report(spec, "Python functions cannot be declared 'nogil'");
  },
};
