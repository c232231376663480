/** `del` of a Python object without the GIL. */
import { namedChildren } from '../../model/syntax';
import { type GilRule, notAllowedWithoutGil } from './rule';

export const pythonDeletion: GilRule = {
  code: 'nogil-python-deletion',
  nodeTypes: ['delete_statement'],
  when: 'nogil',
  check(node, ctx) {
    const targets = namedChildren(node).flatMap((c) => (c.type === 'expression_list' ? namedChildren(c) : [c]));
    if (targets.some((t) => ctx.info(t).type.kind === 'py')) ctx.report(node, notAllowedWithoutGil('Deleting Python object'));
  },
};
