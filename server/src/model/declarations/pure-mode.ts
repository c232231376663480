/** Pure Python mode declarations at module level (`cython.declare`, `cython.typedef`, `cython.struct`, ...). */
import type { CType } from '../c-types';
import { declaredNames, pureDeclarationOf } from '../pure-declarations';
import { RecordedMembers } from '../recorded-methods';
import { type Node, locationOf } from '../syntax';
import { typeSyntaxOf } from '../type-resolution';
import type { Collecting } from './collecting';

/**
 * Pure Python mode declarations at module level (pure-declarations.ts): `x = cython.declare(T)` and
 * `cython.declare(x=T)` declare C globals (Symtab.ModuleScope.declare_var with is_cdef: a Python-typed one is a
 * C global too), `T = cython.typedef(U)` a typedef, `S = cython.struct(a=T)` / `cython.union(...)` a struct or
 * union, `F = cython.fused_type(A, B)` a fused type.
 */
export function collectPureDeclaration(collector: Collecting, s: Node): boolean {
  const d = pureDeclarationOf(s);
  if (!d) return false;
  const typeOf = (n: Node): CType => collector.resolveTypeSyntax(typeSyntaxOf(n.text));
  switch (d.kind) {
    case 'declare': case 'declare-names': {
      for (const { name, type } of declaredNames(d)) {
        const t = typeOf(type);
        collector.scope.define({ name: name.text, kind: t.kind === 'py' ? 'py-variable' : t.kind === 'unknown' ? 'unresolved' : 'c-variable',
          type: t, binding: 'module', location: locationOf(collector.ctx.uri, name), origin: 'cython.declare',
          ...(t.kind === 'py' ? { cdefGlobal: true } : {}) });
      }
      return true;
    }
    case 'typedef': {
      let t = typeOf(d.type);
      if (t.kind === 'scalar') t = { ...t, name: d.name.text, underlying: t.underlying ?? t.name };
      collector.scope.define({ name: d.name.text, kind: 'c-type', type: t, binding: 'module',
        location: locationOf(collector.ctx.uri, d.name), origin: `cython.typedef(${d.type.text})` });
      return true;
    }
    case 'struct': case 'union': {
      const location = locationOf(collector.ctx.uri, d.name);
      const fieldsMap = new RecordedMembers<CType>(collector.scope, d.name.text);
      for (const m of d.members) fieldsMap.set(m.name.text, typeOf(m.type));
      collector.scope.define({ name: d.name.text, kind: 'c-type', type: { kind: 'struct', info: { name: d.name.text,
        fields: fieldsMap, location } }, binding: 'module', location, origin: `cython.${d.kind}` });
      return true;
    }
    case 'fused_type':
      collector.scope.define({ name: d.name.text, kind: 'c-type', type: { kind: 'fused', name: d.name.text,
        members: d.members.map(typeOf) }, binding: 'module', location: locationOf(collector.ctx.uri, d.name),
        origin: 'cython.fused_type' });
      return true;
    default:
      return false;
  }

}
