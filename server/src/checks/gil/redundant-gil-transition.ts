/** `with gil:` where the GIL is already held, `with nogil:` where it is already released. */
import { gilTransition } from '../../model/gil-state';
import type { GilRule } from './rule';

export const redundantGilTransition: GilRule = {
  code: 'redundant-gil-transition',
  nodeTypes: ['with_gil_statement', 'with_nogil_statement', 'with_statement'],
  when: 'always',
  check(node, ctx) {
    const t = gilTransition(node);
    if (!t) return;
    if (t.condition && ctx.model.constantCondition(t.condition, ctx.specialisation) !== true) return;
    if (ctx.state.uncertain) return;
    if (t.to === 'gil' && ctx.state.kind === 'held') {
      ctx.report(t.header, 'Trying to acquire the GIL while it is already held.');
    } else if (t.to === 'nogil' && ctx.state.kind === 'released') {
      ctx.report(t.header, 'Trying to release the GIL while it was previously released.');
    }
  },
};
