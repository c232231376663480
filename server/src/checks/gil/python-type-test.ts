/** Passing a generic object where an extension type is expected: the compiler inserts a type test. */
import { field, namedChildren } from '../../model/syntax';
import { type GilRule, notAllowedWithoutGil } from './rule';

export const pythonTypeTest: GilRule = {
  code: 'nogil-python-type-test',
  nodeTypes: ['call'],
  when: 'nogil',
  severity: 'error',
  check(node, ctx) {
    const callee = ctx.info(node).callee;
    const args = field(node, 'arguments');
    if (!callee || !args) return;
    namedChildren(args).filter((a) => a.type !== 'comment' && a.type !== 'keyword_argument').forEach((a, i) => {
      const p = callee.params[i];
      const t = ctx.info(a);
      if (p && p.type.kind === 'py' && p.type.cls && t.type.kind === 'py' && t.type.name === 'object' && !t.literal) {
        ctx.report(a, notAllowedWithoutGil('Python type test'));
      }
    });
  },
};
