/**
 * Assigning a cypclass reference where another capability is expected (PyrexTypes.QualifiedCypclassType
 * .assignable_from, CypClassType.assignable_from): a thread-local `A` cannot become `iso`, `lock` or `active`; an
 * `iso` reference cannot be aliased (only `consume` hands it over); a `lock` or `active` reference stays what it is;
 * a field of an `iso`/`lock` object (`iso->`, `lock->`) takes only a handed-over object. Checked on `x = v`,
 * `obj.field = v` and `cdef T x = v` where both sides are the same cypclass (no template arguments); reported where
 * the compiler reports it, on the value.
 */
import type { CType } from '../../model/c-types';
import { typeToString } from '../../model/c-types';
import { capabilityRefused, inferredType } from '../../model/cypclass-capabilities';
import { type Node, field, fields } from '../../model/syntax';
import { whyRefused } from './capabilities-plain';
import { type CypclassRule, compilerNode, consumeFix, cypclassOf } from './rule';

export const capabilityAssignment: CypclassRule = {
  code: 'cypclass-capability-assignment',
  nodeTypes: ['assignment', 'c_declarator'],
  check(node, ctx) {
    let target: CType | undefined;
    let value: Node | null;
    let inferredTarget = false;
    if (node.type === 'assignment') {
      const left = field(node, 'left');
      value = field(node, 'right');
      if (!left || (left.type !== 'identifier' && left.type !== 'attribute') || !value || field(node, 'type')) return;
      target = ctx.typeOf(left);
      inferredTarget = left.type === 'identifier' && ctx.scope.lookup(left.text)?.inferred === true;
    } else {
      value = field(node, 'value');
      const decl = node.parent;
      if (!value || decl?.type !== 'c_variable_declaration' || !fields(decl, 'declarator').some((d) => d.id === node.id)) return;
      const name = field(node, 'name');
      target = name ? ctx.scope.lookup(name.text)?.type : undefined;
    }
    const t = target ? cypclassOf(target) : undefined;
    if (!t || t.args.length || !value) return;
    const source = ctx.typeOf(value);
    const s = cypclassOf(source);
    if (!s || s.name !== t.name || s.args.length) return;
    // an inferred local takes the type of what is assigned: only the value it was inferred from is checked
    if (inferredTarget && typeToString(inferredType(s)) !== typeToString(t)) return;
    if (capabilityRefused(s.qualifier, t.qualifier) !== true) return;
    const what = value.type === 'identifier' ? `\`${value.text}\``
      : value.type === 'call' && field(value, 'function')?.text === t.name ? 'The new object' : 'The value';
    ctx.report(compilerNode(value), `Cannot assign type '${typeToString(s)}' to '${typeToString(t)}'\n`
      + whyRefused(what, s.qualifier, t.qualifier, value.text), consumeFix(value, capabilityRefused('iso~', t.qualifier) === false));
  },
};
