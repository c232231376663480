/** Looking up an attribute of a Python object without the GIL. */
import { type GilRule, notAllowedWithoutGil } from './rule';

export const pythonAttributeAccess: GilRule = {
  code: 'nogil-python-attribute',
  nodeTypes: ['attribute'],
  when: 'nogil',
  check(node, ctx) {
    if (ctx.info(node).pyAttribute) ctx.report(node, notAllowedWithoutGil('Accessing Python attribute'));
  },
};
