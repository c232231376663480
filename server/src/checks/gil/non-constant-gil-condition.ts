/** `with nogil(cond):` / `with gil(cond):` whose condition is not a compile-time constant. */
import { gilTransition } from '../../model/gil-state';
import type { GilRule } from './rule';

export const nonConstantGilCondition: GilRule = {
  code: 'non-constant-gil-condition',
  nodeTypes: ['with_gil_statement', 'with_nogil_statement', 'with_statement'],
  when: 'always',
  check(node, ctx) {
    const t = gilTransition(node);
    if (!t?.condition) return;
    if (ctx.model.constantCondition(t.condition, ctx.specialisation) === undefined) {
      ctx.report(t.condition, `Non-constant condition in a \`with ${t.to}(<condition>)\` statement`);
    }
  },
};
