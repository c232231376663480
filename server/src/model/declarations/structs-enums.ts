/** Structs, unions and enums (an enum's members are module-level C constants; a `cpdef enum`'s are Python names too). */
import { type CType, C_INT } from '../c-types';
import { type Node, childOfType, childrenOfType, field, locationOf, significantChildren } from '../syntax';
import { Scope } from '../symbols';
import type { Collecting } from './collecting';
import { defineTypeName } from './predeclared-types';
import { collectVariables } from './variables';

export function collectStruct(collector: Collecting, s: Node, extern: boolean): void {
  const name = field(s, 'name')?.text;
  if (!name) return;
  let sym = collector.scope.lookupLocal(name);
  if (!sym || sym.type.kind !== 'struct') {
    defineTypeName(collector, s, name);
    sym = collector.scope.lookupLocal(name);
  }
  if (!sym || sym.type.kind !== 'struct') return;
  const fieldsMap = sym.type.info.fields;
  const body = field(s, 'body');
  if (!body) return;
  const scratch = new Scope('class', undefined);
  for (const member of significantChildren(body)) {
    const decls = member.type === 'c_variable_declaration' ? [member]
      : childrenOfType(member, 'c_variable_declaration');
    for (const d of decls) {
      for (const v of collectVariables(collector, d, scratch, extern ? 'extern' : 'local')) fieldsMap.set(v.name, v.type);
    }
  }
}

export function collectEnum(collector: Collecting, s: Node): void {
  const name = field(s, 'name')?.text;
  const cpdef = /^\s*cpdef\b/.test(s.text) || s.parent?.text.trimStart().startsWith('cpdef') === true;
  if (name && !collector.scope.lookupLocal(name)) defineTypeName(collector, s, name);
  const body = field(s, 'body');
  const enumType: CType = name ? { kind: 'enum', name } : C_INT;
  const members = body ? significantChildren(body).flatMap((c) => (c.type === 'enumerator' ? [c]
    : childrenOfType(c, 'enumerator'))) : [];
  for (const e of members) {
    const ename = field(e, 'name')?.text ?? childOfType(e, 'identifier')?.text;
    if (!ename) continue;
    collector.scope.define({ name: ename, kind: 'c-variable', type: enumType, binding: 'module',
      location: locationOf(collector.ctx.uri, e), origin: name ? `enum ${name}` : 'anonymous enum', alsoPython: cpdef });
  }
}
