/** `a, b = b, a` on Python objects: the right-hand side names are held in temporary references. */
import { field, namedChildren } from '../../model/syntax';
import { type GilRule, notAllowedWithoutGil } from './rule';

const TARGET_LISTS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple']);

export const temporaryPythonReference: GilRule = {
  code: 'nogil-temporary-reference',
  nodeTypes: ['assignment'],
  when: 'nogil',
  check(node, ctx) {
    const left = field(node, 'left');
    const right = field(node, 'right');
    if (!left || !right || !TARGET_LISTS.has(left.type)) return;
    if (right.type !== 'expression_list' && right.type !== 'tuple') return;
    for (const item of namedChildren(right)) {
      if (item.type === 'identifier' && ctx.info(item).type.kind === 'py') {
        ctx.report(item, notAllowedWithoutGil('Creating temporary Python reference'));
      }
    }
  },
};
