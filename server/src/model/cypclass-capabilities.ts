/**
 * Cython+ reference capabilities as the cython-plus compiler types them (PyrexTypes.QualifiedCypclassType,
 * PyrexTypes.viewpoint_adaptation, Symtab.IsoCypclassScope / ActiveCypclassScope, ExprNodes.ConsumeNode): which
 * capability accepts which, what a field or a method looks like through an `iso`, `lock` or `active` reference, what
 * a call returns.
 */
import type { CType, CypclassQualifier, FunctionSignature } from './c-types';
import { unknown } from './c-types';
import { type Node, field } from './syntax';

/**
 * Whether a module is Cython+ code: it defines a cypclass at top level (regular Cython cannot: "Cypclass only
 * allowed in c++" is cython-plus's own message). A cheap test on the top-level statements.
 */
export function isCythonPlusModule(root: Node): boolean {
  return root.namedChildren.some((n) => n?.type === 'cypclass_definition'
    || (n?.type === 'decorated_definition' && field(n, 'definition')?.type === 'cypclass_definition'));
}

export type CypclassType = Extract<CType, { kind: 'cpp' }>;

/** A cypclass reference type (`A`, `iso A`...), or undefined. */
export function cypclassType(t: CType | undefined): CypclassType | undefined {
  return t?.kind === 'cpp' && t.cypclass ? t : undefined;
}

/** The same class with another capability (none: a thread-local reference). */
export function withCapability(t: CypclassType, q: CypclassQualifier | undefined): CypclassType {
  const { qualifier: _old, ...base } = t;
  return q ? { ...base, qualifier: q } : base;
}

/**
 * QualifiedCypclassType.assignable_to: a target capability → the source capabilities it accepts (`null`: a
 * thread-local reference). `const` is another type (ConstCypclassType) the compiler checks apart: not here.
 */
const ASSIGNABLE_TO: Record<string, readonly (string | null)[]> = {
  none: [null, 'iso~'],
  active: ['active', 'iso~'],
  iso: ['iso~'],
  'iso~': [],
  'iso->': ['iso~'],
  lock: ['lock', 'locked', 'iso~'],
  locked: ['locked', 'iso~'],
  'lock->': ['iso~'],
};

/**
 * Whether the compiler refuses a reference of capability `from` where `to` is expected (same class); undefined when
 * the pair is not one the table decides (`const` on either side).
 */
export function capabilityRefused(from: CypclassQualifier | undefined, to: CypclassQualifier | undefined): boolean | undefined {
  if (from === 'const' || to === 'const') return undefined;
  const accepted = ASSIGNABLE_TO[to ?? 'none'];
  return accepted ? !accepted.includes(from ?? null) : undefined;
}

/** PyrexTypes.viewpoint_adaptation: a thread-local cypclass seen through an `iso`/`lock` reference. */
export function viewpointAdapted(t: CType, through: CypclassQualifier): CType {
  const c = cypclassType(t);
  if (!c || c.qualifier) return t;
  return withCapability(c, through.startsWith('iso') ? 'iso->' : 'lock->');
}

/** QualifiedCypclassType.as_returned_type: a function returning `iso A` hands the object over (`iso~ A`). */
export function returnedType(t: CType): CType {
  const c = cypclassType(t);
  return c?.qualifier === 'iso' ? withCapability(c, 'iso~') : t;
}

/** TypeInference.simply_type: a local inferred from a handed-over `iso~ A` is `iso A`. */
export function inferredType(t: CType): CType {
  const c = cypclassType(t);
  return c?.qualifier === 'iso~' ? withCapability(c, 'iso') : t;
}

/** Whether a reference of this capability sees members through viewpoint adaptation (Symtab.qualified_cypclass_scope). */
function adaptingScope(q: CypclassQualifier | undefined): 'iso' | 'lock' | 'active' | undefined {
  if (!q || q === 'const') return undefined;
  if (q === 'active') return 'active';
  return q.startsWith('iso') ? 'iso' : 'lock';
}

/** A cypclass method's `self` capability (`locked self`), from the first parameter as the signature reader types it. */
export function selfCapability(sig: FunctionSignature): CypclassQualifier | undefined {
  const self = sig.params[0];
  if (!self || self.name !== 'self') return undefined;
  const c = cypclassType(self.type);
  return c?.qualifier;
}

/** A cypclass field read through a reference of capability `q` (IsoCypclassScope.adapt). */
export function fieldThrough(field: CType, q: CypclassQualifier | undefined): CType {
  const scope = adaptingScope(q);
  return scope === 'iso' || scope === 'lock' ? viewpointAdapted(field, q!) : field;
}

/**
 * A cypclass method reached through a reference of capability `q`: its signature with `self` left out and its
 * arguments and result seen from there (IsoCypclassScope.adapt_method_entry; for an `active` reference, the
 * asynchronous version Symtab.reify_method declares: a first `sync_method` argument, arguments `iso->`, a result
 * object). Undefined when the compiler gives no such method (or we do not follow it).
 */
export function methodThrough(sig: FunctionSignature, q: CypclassQualifier | undefined): FunctionSignature | undefined {
  const selfQ = selfCapability(sig);
  const hasSelf = sig.params[0]?.name === 'self';
  const params = hasSelf ? sig.params.slice(1) : sig.params;
  const scope = adaptingScope(q);
  if (!scope) return { ...sig, params };
  if (scope === 'active') {
    if (selfQ === 'active') return { ...sig, params };
    if (selfQ) return undefined;
    return {
      ...sig, returnType: unknown('active method result'),
      params: [{ name: 'sync_method', type: unknown('sync method'), hasDefault: false },
        ...params.map((p) => ({ ...p, type: viewpointAdapted(p.type, 'iso') }))],
    };
  }
  if (selfQ && selfQ !== 'const') {
    if (capabilityRefused(q, selfQ) === false || (selfQ === 'locked' && q === 'lock')) return { ...sig, params };
    return undefined;
  }
  return {
    ...sig, returnType: viewpointAdapted(sig.returnType, q!),
    params: params.map((p) => ({ ...p, type: viewpointAdapted(p.type, q!) })),
  };
}
