/**
 * The compiler's performance hint for indexing a memoryview with a Python object (ExprNodes.MemoryViewIndexNode):
 * the index is converted to Py_ssize_t at run time on every access.
 */
import { type Node, fields } from '../../model/syntax';
import type { GilRule } from './rule';

export const UNTYPED_INDEX_MESSAGE = 'Index should be typed for more efficient access';

export const untypedIndex: GilRule = {
  code: 'untyped-index',
  nodeTypes: ['subscript'],
  when: 'always',
  severity: 'information',
  check(node, ctx) {
    const base = node.childForFieldName('value');
    if (!base || ctx.info(base).type.kind !== 'memview') return;
    const indices: Node[] = fields(node, 'subscript');
    for (const index of indices) {
      if (index.type === 'slice' || index.type === 'none') continue;
      if (ctx.info(index).type.kind !== 'py') continue;
      // The compiler points at the operator of a binary expression (its node position).
      const at = index.type === 'binary_operator' ? (index.childForFieldName('operator') ?? index) : index;
      ctx.report(at, UNTYPED_INDEX_MESSAGE, index.type === 'identifier' ? { data: { variable: index.text } } : undefined);
    }
  },
};
