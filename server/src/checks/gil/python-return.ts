/** Returning from a function whose return type is a Python object, inside a `with nogil:` block. */
import { type GilRule, notAllowedWithoutGil } from './rule';

export const pythonReturn: GilRule = {
  code: 'nogil-python-return',
  nodeTypes: ['return_statement'],
  when: 'nogil',
  check(node, ctx) {
    const fn = ctx.fn;
    if (!fn) return;
    const returnsPython = fn.isPythonFunction || fn.signature?.returnType.kind === 'py';
    if (returnsPython) ctx.report(node, notAllowedWithoutGil('Returning Python object'));
  },
};
