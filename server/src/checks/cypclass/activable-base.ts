/** An activable cypclass deriving from a cypclass that is not activable (Nodes.CppClassNode.analyse_declarations). */
import { field } from '../../model/syntax';
import { type CypclassRule, cypclassOf } from './rule';

export const activableBase: CypclassRule = {
  code: 'cypclass-activable-base',
  nodeTypes: ['cypclass_definition'],
  check(node, ctx) {
    const supers = field(node, 'superclasses');
    if (!field(node, 'activable') || !supers) return;
    const keyword = node.children.find((c) => c?.type === 'cypclass');
    for (const base of supers.namedChildren) {
      if (base?.type !== 'identifier') continue;
      const sym = ctx.scope.lookup(base.text);
      const c = sym?.kind === 'c-type' ? cypclassOf(sym.type) : undefined;
      if (!c?.cls?.cypclass || c.cls.cypclass.activable) continue;
      ctx.report(keyword ?? node, 'Activable class cannot inherit from not activable one.\n'
        + `\`${base.text}\` is not activable: declare it \`cdef cypclass ${base.text} activable:\` to derive an activable class from it.`);
      return;
    }
  },
};
