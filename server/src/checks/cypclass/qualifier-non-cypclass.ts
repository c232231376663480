/** A capability on a type that is not a cypclass: `cdef iso int i` (Nodes.QualifiedCypclassNode.analyse). */
import { scalarType } from '../../model/c-types';
import { type Node, field } from '../../model/syntax';
import { type CypclassRule, knownNonCypclass } from './rule';

const CAPABILITIES = new Set(['iso', 'lock', 'locked', 'active']);

export const qualifierNonCypclass: CypclassRule = {
  code: 'cypclass-qualifier',
  nodeTypes: ['c_type'],
  check(node, ctx) {
    const qualifier = node.namedChildren.find((c): c is Node => c !== null && c.type === 'type_qualifier' && CAPABILITIES.has(c.text));
    const name = field(node, 'name');
    if (!qualifier || !name) return;
    const sym = ctx.scope.lookup(name.text);
    const known = sym?.kind === 'c-type' ? knownNonCypclass(sym.type)
      : scalarType(name.text) !== undefined || (name.text === 'object' && !sym);
    if (!known) return;
    ctx.report(qualifier, `Qualifier '${qualifier.text}' can only apply to cypclass types\n`
      + `\`${name.text}\` is not a cypclass: capabilities describe how cypclass objects are shared between threads.`);
  },
};
