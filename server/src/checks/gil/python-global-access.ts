/** Reading a Python global (a def function, an imported module, an untyped module variable) without the GIL. */
import { field } from '../../model/syntax';
import { isNameRead } from './expression-roles';
import { type GilRule, notAllowedWithoutGil } from './rule';

export const pythonGlobalAccess: GilRule = {
  code: 'nogil-python-global',
  nodeTypes: ['identifier'],
  when: 'nogil',
  check(node, ctx) {
    if (!isNameRead(node)) return;
    const info = ctx.info(node);
    if (info.pyGlobal) {
      ctx.report(node, notAllowedWithoutGil('Accessing Python global or builtin'));
      return;
    }
    // `np.zeros` where `np` is both imported and cimported: the module object is a Python global.
    const parent = node.parent;
    if (info.symbol?.kind === 'cimported-module' && info.symbol.alsoPython && parent?.type === 'attribute'
      && field(parent, 'object')?.id === node.id && ctx.info(parent).pyAttribute) {
      ctx.report(node, notAllowedWithoutGil('Accessing Python global or builtin'));
    }
  },
};
