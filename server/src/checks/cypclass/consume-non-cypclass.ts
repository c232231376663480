/** `consume` of something that is not a cypclass reference (ExprNodes.ConsumeNode.analyse_types). */
import { typeToString } from '../../model/c-types';
import { field } from '../../model/syntax';
import { type CypclassRule, knownNonCypclass } from './rule';

export const consumeNonCypclass: CypclassRule = {
  code: 'cypclass-consume',
  nodeTypes: ['consume_expression'],
  check(node, ctx) {
    const value = field(node, 'value');
    if (!value) return;
    const t = ctx.typeOf(value);
    // a pointer may point to a cypclass object (`consume p[0]`-like code compiles): only plain C values are refused
    if (!knownNonCypclass(t) || t.kind === 'py' || t.kind === 'ptr') return;
    ctx.report(node, `Can only consume cypclass (not '${typeToString(t)}')\n`
      + '`consume` hands over an isolated cypclass object; other values are copied or shared as they are.');
  },
};
