/** Passing a generic object where an extension type is expected: the compiler inserts a type test. */
import { field, namedChildren } from '../../model/syntax';
import { type GilRule, notAllowedWithoutGil } from './rule';

export const pythonTypeTest: GilRule = {
  code: 'nogil-python-type-test',
  nodeTypes: ['call', 'assignment'],
  when: 'nogil',
  check(node, ctx) {
    if (node.type === 'assignment') {
      // a C float boxed into a local inferred as a Python float (TypeInference.safe_spanning_type): the boxed value
      // is type-tested against `float`
      const left = field(node, 'left');
      const right = field(node, 'right');
      if (left?.type !== 'identifier' || !right || right.type === 'assignment') return;
      const target = ctx.info(left);
      const value = ctx.info(right);
      if (target.symbol?.binding === 'local' && target.type.kind === 'py' && target.type.name === 'float'
        && value.type.kind === 'scalar' && value.type.family === 'float' && !value.literal) {
        ctx.report(right, notAllowedWithoutGil('Python type test'));
      }
      return;
    }
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
