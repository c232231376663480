/** Arithmetic or comparison on Python objects without the GIL ("Operation not allowed without gil"). */
import { field, significantChildren } from '../../model/syntax';
import { type GilRule, notAllowedWithoutGil } from './rule';
import { textOperationMessage } from './string-formatting';

export const pythonOperation: GilRule = {
  code: 'nogil-python-operation',
  nodeTypes: ['binary_operator', 'unary_operator', 'comparison_operator', 'augmented_assignment', 'return_statement',
    'assignment'],
  when: 'nogil',
  check(node, ctx) {
    if (node.type === 'return_statement' || node.type === 'assignment') {
      // A C array turned into a memoryview slice needs a Python-level array object.
      const value = node.type === 'assignment' ? field(node, 'right') : significantChildren(node)[0];
      const target = node.type === 'assignment' ? (field(node, 'left') ? ctx.info(field(node, 'left')!).type : undefined)
        : ctx.fn?.signature?.returnType;
      if (value && target?.kind === 'memview' && ctx.info(value).type.kind === 'array') {
        ctx.report(value, notAllowedWithoutGil('Operation'));
      }
      return;
    }
    if (node.type === 'comparison_operator') {
      if (node.children.some((c) => c?.text === 'is' || c?.text === 'is not')) return;
      if (ctx.info(node).type.kind !== 'py') return;
      const operands = significantChildren(node);
      if (operands.every((o) => ctx.info(o).literal)) return;
      ctx.report(node, notAllowedWithoutGil('Operation'));
      return;
    }
    if (node.type === 'augmented_assignment') {
      const left = field(node, 'left');
      if (left && ctx.info(left).type.kind === 'py') ctx.report(node, notAllowedWithoutGil('Operation'));
      return;
    }
    const info = ctx.info(node);
    if (info.type.kind !== 'py' || info.literal) return;
    // String formatting and concatenation have their own messages (string-formatting.ts).
    if (node.type === 'binary_operator' && textOperationMessage(node)) return;
    ctx.report(node, notAllowedWithoutGil('Operation'));
  },
};
