/**
 * Casting a cypclass reference to another capability (ExprNodes.TypecastNode.analyse_types): when either side has a
 * capability, the cast is allowed only where an assignment would be (`<lock A> a` of a thread-local `a` is refused);
 * only `consume` makes an isolated reference another capability. `const` is left to the compiler.
 */
import { typeToString } from '../../model/c-types';
import { capabilityRefused } from '../../model/cypclass-capabilities';
import { field } from '../../model/syntax';
import { type CypclassRule, cypclassOf } from './rule';

export const capabilityCast: CypclassRule = {
  code: 'cypclass-capability-cast',
  nodeTypes: ['cast_expression'],
  check(node, ctx) {
    const value = field(node, 'value');
    if (!value) return;
    const t = cypclassOf(ctx.typeOf(node));
    if (!t || t.args.length) return;
    const s = cypclassOf(ctx.typeOf(value));
    if (!s || s.name !== t.name || s.args.length) return;
    const from = s.qualifier;
    const to = t.qualifier;
    if (from === to || (!from && !to) || capabilityRefused(from, to) !== true) return;
    ctx.report(node, `Cannot cast '${typeToString(s)}' to '${typeToString(t)}'\n`
      + 'A cast does not change how an object is shared; hand an isolated object over with `consume`.');
  },
};
