/**
 * Assigning a cypclass reference to a variable of another capability (PyrexTypes.QualifiedCypclassType
 * assignable_from): a thread-local `A` cannot become `iso`, `lock` or `active`; an `iso` reference cannot be
 * aliased (only `consume` hands it over); a `lock` or `active` reference stays what it is. Reported where the
 * compiler reports it ("Cannot assign type 'iso A' to 'A'"), only for a named reference or a constructor call of the
 * same class: casts, `consume`, `activate()` and fields are left to the compiler.
 */
import type { CType, CypclassQualifier } from '../../model/c-types';
import { typeToString } from '../../model/c-types';
import { type Node, field, fields } from '../../model/syntax';
import { type CypclassRule, cypclassOf } from './rule';

type Cap = CypclassQualifier | 'local';

/** Source capability → the target capabilities the compiler refuses (only pairs its tests show). */
const REFUSED: Partial<Record<Cap, readonly Cap[]>> = {
  local: ['iso', 'lock', 'active'],
  iso: ['iso', 'local', 'lock', 'active'],
  lock: ['iso', 'active', 'locked', 'local'],
  active: ['iso', 'lock', 'local'],
};

const PLAIN: Record<Cap, string> = {
  local: 'thread-local (it may have other references in this thread)',
  iso: 'isolated (reachable through this reference only)',
  lock: 'shared under a lock',
  locked: 'locked',
  active: 'an active object (its methods run as messages)',
  const: 'read-only',
};

export const capabilityAssignment: CypclassRule = {
  code: 'cypclass-capability-assignment',
  nodeTypes: ['assignment', 'c_declarator'],
  check(node, ctx) {
    let target: CType | undefined;
    let value: Node | null;
    if (node.type === 'assignment') {
      const left = field(node, 'left');
      value = field(node, 'right');
      if (!left || left.type !== 'identifier' || !value || field(node, 'type')) return;
      target = ctx.typeOf(left);
    } else {
      value = field(node, 'value');
      const decl = node.parent;
      if (!value || decl?.type !== 'c_variable_declaration' || !fields(decl, 'declarator').some((d) => d.id === node.id)) return;
      const name = field(node, 'name');
      const sym = name ? ctx.scope.lookup(name.text) : undefined;
      target = sym?.type;
    }
    const t = target ? cypclassOf(target) : undefined;
    if (!t || t.args.length || !value) return;
    // `<iso A> x` without `consume`: a second reference to an isolated object (x is not handed over)
    if (value.type === 'cast_expression' && t.qualifier === 'iso' && field(value, 'value')?.type !== 'consume_expression') {
      const c = cypclassOf(ctx.typeOf(value));
      if (c?.qualifier === 'iso' && c.name === t.name) {
        ctx.report(value, `Cannot assign type 'iso ${t.name}' to 'iso ${t.name}'\n`
          + 'The cast does not hand the object over: only `consume` gives an isolated reference.');
      }
      return;
    }
    const isName = value.type === 'identifier';
    const isConstructor = value.type === 'call' && field(value, 'function')?.type === 'identifier'
      && field(value, 'function')?.text === t.name;
    if (!isName && !isConstructor) return;
    const s = cypclassOf(ctx.typeOf(value));
    if (!s || s.name !== t.name || s.args.length) return;
    const from: Cap = s.qualifier ?? 'local';
    const to: Cap = t.qualifier ?? 'local';
    if (!(REFUSED[from] ?? []).includes(to)) return;
    const what = isName ? `\`${value.text}\`` : 'The new object';
    const how = from === 'iso' ? `hand it over with \`consume ${value.text}\`` : from === 'local'
      ? (isConstructor ? `write \`consume ${value.text}\`` : 'only `consume` of an isolated reference converts it')
      : 'its capability cannot change';
    const plain = from === 'iso' && to === 'iso'
      ? `${what} is ${PLAIN.iso}: a second reference would break that; ${how}.`
      : `${what} is ${PLAIN[from]}: it cannot become ${PLAIN[to]}; ${how}.`;
    // the compiler places a call at its argument list
    ctx.report(isConstructor ? field(value, 'arguments') ?? value : value, `Cannot assign type '${typeToString(s)}' to '${typeToString(t)}'\n${plain}`);
  },
};
