/**
 * A cypclass reference with a capability converted to or from a Python object (QualifiedCypclassType
 * .can_coerce_to_pyobject / create_from_py_utility_code are false: ExprNodes.CoerceToPyTypeNode,
 * CoerceFromPyTypeNode, TypecastNode): `py = iso_a`, `cdef iso A a = <object> x`, `<object> iso_a`. A thread-local or
 * `const` reference converts. Checked on assignments to a declared Python variable or from a Python value, and on
 * casts to `object`.
 */
import type { CType } from '../../model/c-types';
import { typeToString } from '../../model/c-types';
import { type Node, field, fields } from '../../model/syntax';
import { plainCapability } from './capabilities-plain';
import { type CypclassRule, compilerNode, cypclassOf } from './rule';

const qualified = (t: CType): boolean => {
  const c = cypclassOf(t);
  return c !== undefined && c.qualifier !== undefined && c.qualifier !== 'const';
};

export const pythonConversion: CypclassRule = {
  code: 'cypclass-python-conversion',
  nodeTypes: ['assignment', 'c_declarator', 'cast_expression'],
  check(node, ctx) {
    if (node.type === 'cast_expression') {
      const value = field(node, 'value');
      const target = ctx.typeOf(node);
      if (!value || target.kind !== 'py' || target.name !== 'object') return;
      const s = ctx.typeOf(value);
      if (!qualified(s)) return;
      ctx.report(node, `Cannot cast '${typeToString(s)}' to 'Python object'\n`
        + `A reference that is ${plainCapability(cypclassOf(s)!.qualifier)} has no Python object.`);
      return;
    }
    let target: CType | undefined;
    let value: Node | null;
    if (node.type === 'assignment') {
      const left = field(node, 'left');
      value = field(node, 'right');
      if (!left || !value || field(node, 'type')) return;
      if (left.type === 'identifier') {
        const sym = ctx.scope.lookup(left.text);
        // an untyped local takes the type of what is assigned: no conversion
        if (!sym || sym.inferred) return;
        target = sym.type;
      } else if (left.type === 'attribute') {
        target = ctx.typeOf(left);
      } else {
        return;
      }
    } else {
      value = field(node, 'value');
      const decl = node.parent;
      if (!value || decl?.type !== 'c_variable_declaration' || !fields(decl, 'declarator').some((d) => d.id === node.id)) return;
      const name = field(node, 'name');
      target = name ? ctx.scope.lookup(name.text)?.type : undefined;
    }
    if (!target || !value || value.type === 'none') return;
    const source = ctx.typeOf(value);
    if (target.kind === 'py' && qualified(source)) {
      ctx.report(compilerNode(value), `Cannot convert '${typeToString(source)}' to Python object\n`
        + `A reference that is ${plainCapability(cypclassOf(source)!.qualifier)} cannot be shared with Python code.`);
    } else if (source.kind === 'py' && qualified(target)) {
      ctx.report(compilerNode(value), `Cannot convert Python object to '${typeToString(target)}'\n`
        + `A Python object gives no ${plainCapability(cypclassOf(target)!.qualifier).split(' (')[0]} reference; keep the object as a cypclass reference.`);
    }
  },
};
