/** An expression statement whose Python result must be released (decref'd) without the GIL. */
import { significantChildren } from '../../model/syntax';
import { type GilRule, notAllowedWithoutGil } from './rule';

export const discardedPythonObject: GilRule = {
  code: 'nogil-discarded-object',
  nodeTypes: ['expression_statement'],
  when: 'nogil',
  check(node, ctx) {
    const exprs = significantChildren(node);
    if (exprs.length !== 1) return;
    const e = exprs[0];
    if (e.type === 'assignment' || e.type === 'augmented_assignment' || e.type === 'yield') return;
    const info = ctx.info(e);
    // Constant strings (docstrings) are not owned temporaries; f-strings are.
    if (info.type.kind === 'py' && info.temp) ctx.report(e, notAllowedWithoutGil('Discarding owned Python object'));
  },
};
