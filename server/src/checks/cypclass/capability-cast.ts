/**
 * Casting a cypclass reference to another capability (PyrexTypes.QualifiedCypclassType, ExprNodes.TypecastNode):
 * a cast changes no capability (`<lock A> a` of a thread-local `a` is refused); only `consume` makes an isolated
 * reference another capability. Checked for a named reference, a constructor call or a nested cast of the same
 * class; `locked` and `const` references are left to the compiler.
 */
import { typeToString } from '../../model/c-types';
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
    const isConstructor = value.type === 'call' && field(value, 'function')?.text === t.name;
    if (value.type !== 'identifier' && value.type !== 'cast_expression' && !isConstructor) return;
    const s = cypclassOf(ctx.typeOf(value));
    if (!s || s.name !== t.name || s.args.length) return;
    const from = s.qualifier;
    const to = t.qualifier;
    if (from === to || from === 'locked' || from === 'const' || to === 'const') return;
    ctx.report(node, `Cannot cast '${typeToString(s)}' to '${typeToString(t)}'\n`
      + 'A cast does not change how an object is shared; hand an isolated object over with `consume`.');
  },
};
