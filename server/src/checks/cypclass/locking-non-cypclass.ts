/** `with wlocked x:` / `with rlocked x:` on something that is not a cypclass reference (Nodes.LockCypclassNode). */
import { typeToString } from '../../model/c-types';
import { field } from '../../model/syntax';
import { type CypclassRule, compilerNode, knownNonCypclass } from './rule';

export const lockingNonCypclass: CypclassRule = {
  code: 'cypclass-locking-non-cypclass',
  nodeTypes: ['with_locked_statement'],
  check(node, ctx) {
    const obj = field(node, 'object');
    if (!obj) return;
    const t = ctx.typeOf(obj);
    if (!knownNonCypclass(t)) return;
    ctx.report(compilerNode(obj), 'Locking non-cypclass reference\n'
      + `\`${obj.text}\` is ${t.kind === 'py' ? 'a Python object' : `a \`${typeToString(t)}\``}: only cypclass objects carry a lock.`);
  },
};
