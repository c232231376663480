/**
 * A function declared to return a `locked` cypclass reference (Nodes.CFuncDeclaratorNode.analyse): a lock is held
 * for the time of a function call and cannot leave it. Reported at the argument list, where the compiler reports it.
 */
import { type Node, field } from '../../model/syntax';
import { type CypclassRule, cypclassOf } from './rule';

export const lockedReturn: CypclassRule = {
  code: 'cypclass-locked-return',
  nodeTypes: ['c_function_declaration', 'c_function_definition'],
  check(node, ctx) {
    const ret = field(node, 'return_type');
    const params = field(node, 'parameters');
    if (!ret || !params || ret.type !== 'c_type') return;
    if (!ret.namedChildren.some((c): c is Node => c !== null && c.type === 'type_qualifier' && c.text === 'locked')) return;
    const name = field(ret, 'name');
    const sym = name ? ctx.scope.lookup(name.text) : undefined;
    if (sym?.kind !== 'c-type' || !cypclassOf(sym.type) || ret.text.includes('*')) return;
    ctx.report(params, "Function cannot return a 'locked' cypclass instance\n"
      + 'A lock is held for the time of a call; return a `lock` reference and lock it again where it is used.');
  },
};
