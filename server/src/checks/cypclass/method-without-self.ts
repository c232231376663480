/**
 * A cypclass method declared without arguments (Nodes.CVarDefNode / CFuncDefNode.analyse_declarations): the first
 * argument of a cypclass method is its `self`, whatever its name; `__new__`, `__alloc__` and `@staticmethod` methods
 * have none.
 */
import { type Node, field } from '../../model/syntax';
import type { CypclassRule } from './rule';

const STATIC = new Set(['__new__', '__alloc__']);

export const methodWithoutSelf: CypclassRule = {
  code: 'cypclass-method-self',
  nodeTypes: ['c_function_declaration', 'c_function_definition'],
  check(node, ctx) {
    if (!ctx.inCypclassBody) return;
    const name = field(node, 'name');
    const params = field(node, 'parameters');
    if (!name || !params || STATIC.has(name.text) || params.hasError) return;
    if (params.namedChildren.some((c) => c !== null && c.type !== 'comment')) return;
    const decorated = node.parent?.type === 'decorated_definition' ? node.parent : null;
    if (decorated?.namedChildren.some((d) => d?.type === 'decorator' && /^@\s*staticmethod\s*$/.test(d.text))) return;
    if (node.children.some((c) => c?.type === 'cdef' || c?.type === 'cpdef')) return;
    const at: Node = field(node, 'return_type') ?? name;
    ctx.report(at, 'Cypclass methods must have a self argument\n'
      + `\`${name.text}\` is a method: its first argument is the object it is called on (write \`${name.text}(self)\`).`);
  },
};
