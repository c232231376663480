/** Creating a Python function or class object (lambda, nested def/class) without the GIL. */
import { type GilRule, notAllowedWithoutGil } from './rule';

export const pythonFunctionConstruction: GilRule = {
  code: 'nogil-python-function',
  nodeTypes: ['lambda', 'function_definition', 'class_definition'],
  when: 'nogil',
  check(node, ctx) {
    ctx.report(node, notAllowedWithoutGil(node.type === 'class_definition' ? 'Constructing Python class'
      : 'Constructing Python function'));
  },
};
