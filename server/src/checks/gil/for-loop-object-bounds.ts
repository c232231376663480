/** A C-style loop (`for i from a <= i < b`, `for o in range(3)`) whose bounds or target are Python objects. */
import { field } from '../../model/syntax';
import { type GilRule, notAllowedWithoutGil } from './rule';

export const forLoopObjectBounds: GilRule = {
  code: 'nogil-object-loop-bounds',
  nodeTypes: ['for_from_statement', 'for_statement'],
  when: 'nogil',
  check(node, ctx) {
    if (node.type === 'for_statement') {
      // A range loop over small literal bounds into an object variable is a C loop with a Python target
      // (IterationTransform._try_optimise_iterator_function); object bounds into a C target are unboxed instead.
      const plan = ctx.typer.loopPlan(node, ctx.scope);
      if (plan.kind === 'c' && plan.pythonTarget) ctx.report(node, notAllowedWithoutGil('For-loop using object bounds or target'));
      return;
    }
    // Nodes.ForFromStatNode.set_up_loop coerces both bounds to the C loop type before the nogil check, so only a
    // Python target is left to report (object bounds are reported as a coercion from Python).
    const target = field(node, 'target');
    if (target && ctx.info(target).type.kind === 'py') {
      ctx.report(node, notAllowedWithoutGil('For-loop using object bounds or target'));
    }
  },
};
