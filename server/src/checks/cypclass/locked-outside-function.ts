/**
 * A `locked` variable outside a function: at module level or as a cypclass field (Nodes.CVarDefNode
 * .analyse_declarations, where the scope has no return type).
 */
import type { Node } from '../../model/syntax';
import type { CypclassRule } from './rule';

export const lockedOutsideFunction: CypclassRule = {
  code: 'cypclass-locked-outside-function',
  nodeTypes: ['c_variable_declaration'],
  check(node, ctx) {
    if (ctx.inFunction || (node.parent?.type !== 'cdef_statement' && !ctx.inCypclassBody)) return;
    const type = node.namedChildren.find((c): c is Node => c !== null && c.type === 'c_type');
    const locked = type?.namedChildren.find((c): c is Node => c !== null && c.type === 'type_qualifier' && c.text === 'locked');
    if (!type || !locked) return;
    ctx.report(type, "'locked' variables are only allowed inside a function\n"
      + (ctx.inCypclassBody ? 'A lock is held for the time of a function call; a field cannot hold one.'
        : 'A lock is held for the time of a function call; a module-level reference cannot hold one.'));
  },
};
