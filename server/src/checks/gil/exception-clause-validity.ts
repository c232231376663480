/** Exception clauses the compiler rejects: C++ exceptions on non-extern functions, non-constant values. */
import { field } from '../../model/syntax';
import { typeToString } from '../../model/c-types';
import type { GilRule } from './rule';

export const exceptionClauseValidity: GilRule = {
  code: 'exception-clause',
  nodeTypes: ['c_function_definition'],
  when: 'always',
  check(node, ctx) {
    const spec = field(node, 'exception_spec') ?? node.namedChildren.find((c) => c?.type === 'exception_spec') ?? null;
    if (!spec) return;
    const text = spec.text.replace(/\s+/g, ' ').trim();
    if (/^except ?\+/.test(text)) {
      // A definition with a body is never extern. A plain `except +` is only warned about; with a handler it is an
      // error (Nodes.CFuncDefNode).
      ctx.report(node.parent?.type === 'decorated_definition' ? node.parent : node,
        'Only extern functions can throw C++ exceptions.', { severity: /^except ?\+$/.test(text) ? 'warning' : 'error' });
      return;
    }
    const value = /^except\??\s*(.+)$/.exec(text)?.[1]?.trim();
    if (!value || value === '*') return;
    // `cdef char *f() except -1`: an integer error value for a pointer return
    const sig = ctx.model.ownSignatureOf(node, ctx.cls);
    if (sig?.returnType.kind === 'ptr' && /^-?\d+$/.test(value) && Number(value) !== 0) {
      const valueNode = spec.namedChildren.filter((c) => c !== null).pop() ?? spec;
      const ret = typeToString(sig.returnType).replace(/\*+$/, (stars) => ` ${stars}`);
      ctx.report(valueNode, `Cannot assign type 'long' to '${ret}'`);
      ctx.report(valueNode, 'Exception value incompatible with function return type');
      return;
    }
    // `except math.nan`, `except f()`: not a compile-time constant
    if (/^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+$/.test(value) || /\(/.test(value)) {
      // Only a Python object (an imported module, a def function, a Python global) is certainly not constant;
      // `E.E1` of a C enum or a cimported constant is.
      const first = ctx.model.collector.lookupDotted(value.split(/[.(]/)[0]);
      if (!first || !['py-module', 'py-variable', 'py-function', 'py-class'].includes(first.kind)) return;
      const valueNode = spec.namedChildren.filter((c) => c !== null).pop() ?? spec;
      ctx.report(valueNode, 'Exception value must be constant');
      ctx.report(valueNode, 'Not allowed in a constant expression');
    }
  },
};
