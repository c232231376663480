/** An imaginary literal (`2j`) builds a Python complex object. */
import { type GilRule, notAllowedWithoutGil } from './rule';

export const complexNumberConstruction: GilRule = {
  code: 'nogil-complex-number',
  nodeTypes: ['integer', 'float'],
  when: 'nogil',
  severity: 'error',
  check(node, ctx) {
    if (ctx.info(node).imaginary) ctx.report(node, notAllowedWithoutGil('Constructing complex number'));
  },
};
