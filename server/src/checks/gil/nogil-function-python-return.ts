/** A `nogil` function whose return type is a Python object. */
import { definitionAnchor } from './expression-roles';
import { type GilRule, nogilSignature } from './rule';

export const nogilFunctionPythonReturn: GilRule = {
  code: 'nogil-function-python-return',
  nodeTypes: ['c_function_definition'],
  when: 'always',
  check(node, ctx) {
    const sig = nogilSignature(node, ctx);
    if (sig && sig.returnType.kind === 'py') {
      ctx.report(definitionAnchor(node), 'Function with Python return type cannot be declared nogil');
    }
  },
};
