/** A C-style loop (`for i from a <= i < b`, `for i in range(n)`) whose bounds or target are Python objects. */
import { field, namedChildren } from '../../model/syntax';
import { type GilRule, notAllowedWithoutGil } from './rule';

export const forLoopObjectBounds: GilRule = {
  code: 'nogil-object-loop-bounds',
  nodeTypes: ['for_from_statement', 'for_statement'],
  when: 'nogil',
  severity: 'error',
  check(node, ctx) {
    let operands = [field(node, 'target'), field(node, 'lower'), field(node, 'upper')];
    if (node.type === 'for_statement') {
      const right = field(node, 'right');
      if (!right || right.type !== 'call' || !/^(range|xrange)$/.test(field(right, 'function')?.text ?? '')) return;
      const args = field(right, 'arguments');
      operands = [field(node, 'left'), ...(args ? namedChildren(args) : [])];
    }
    if (operands.some((o) => o && o.type !== 'keyword_argument' && ctx.info(o).type.kind === 'py'
      && !ctx.info(o).literal)) {
      ctx.report(node, notAllowedWithoutGil('For-loop using object bounds or target'));
    }
  },
};
