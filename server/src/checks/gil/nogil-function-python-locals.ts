/** A `nogil` function with local variables that are Python objects (declared, or inferred from assignments). */
import { isPureModeCFunction } from '../../model/cython-names';
import { definitionAnchor } from './expression-roles';
import { type GilRule, nogilSignature } from './rule';

export const nogilFunctionPythonLocals: GilRule = {
  code: 'nogil-function-python-locals',
  // a def made a C function by @cython.cfunc / @cython.ccall (pure Python mode) too
  nodeTypes: ['c_function_definition', 'function_definition'],
  when: 'always',
  check(node, ctx) {
    if (node.type === 'function_definition' && !(node.parent && isPureModeCFunction(node.parent))) return;
    const sig = nogilSignature(node, ctx);
    if (!sig) return;
    const info = ctx.model.functionInfo(node, ctx.scope, ctx.cls);
    const target = definitionAnchor(node);
    for (const local of info.pythonLocals) {
      ctx.report(target, 'Function declared nogil has Python locals or temporaries', {
        data: { local: local.name },
        related: local.location ? [{ location: local.location, message: `\`${local.name}\` is a Python object` }] : [],
      });
    }
  },
};
