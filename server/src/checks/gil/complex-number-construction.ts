/**
 * An imaginary literal (`2j`) is a C `double complex`; where the compiler coerces it to an object (`<object>2j`, a
 * Python call's argument, an object assignment) it builds a Python complex instead (ExprNodes.ImagNode.coerce_to).
 */
import { COERCING_NODE_TYPES, valuesCoercedToPython } from './python-conversion';
import { type GilRule, notAllowedWithoutGil } from './rule';

export const complexNumberConstruction: GilRule = {
  code: 'nogil-complex-number',
  nodeTypes: COERCING_NODE_TYPES,
  when: 'nogil',
  check(node, ctx) {
    for (const b of valuesCoercedToPython(node, ctx)) {
      if (ctx.info(b).imaginary) ctx.report(b, notAllowedWithoutGil('Constructing complex number'));
    }
  },
};
