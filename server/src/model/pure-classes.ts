/**
 * Python classes that the compiler turns into extension types (cdef classes) in pure Python mode:
 * - decorated with `@cython.cclass`, `@cython.total_ordering` or `@cython.dataclasses.dataclass`
 *   (ParseTreeTransforms.AdjustDefByDirectives.converts_to_cclass: `node.as_cclass()`);
 * - in a `.py` module, declared `cdef class` by the module's augmenting `.pxd` (AlignFunctionDefinitions).
 * Such a class has the layout and methods of a cdef class: C attributes (`x: cython.int`, `cython.declare(...)`),
 * `@cython.cfunc` / `@cython.ccall` methods, type slots instead of Python methods.
 */
import { cythonMemberOf, inPythonSource } from './cython-names';
import type { Scope } from './symbols';
import { type Node, childrenOfType, field, significantChildren } from './syntax';

/** The directives that convert a class (AdjustDefByDirectives.converts_to_cclass). */
const CONVERTS_TO_CCLASS = new Set(['cclass', 'total_ordering', 'dataclasses.dataclass']);

/** The cython member a decorator names (`@cython.cclass`, `@cython.dataclasses.dataclass(frozen=True)`), if any. */
export function decoratorMember(decorator: Node): string | undefined {
  let e: Node | undefined = significantChildren(decorator)[0];
  if (e?.type === 'call') e = field(e, 'function') ?? undefined;
  return e ? cythonMemberOf(e) : undefined;
}

/** Is this class definition decorated with a directive that makes it a cclass? */
export function hasCClassDecorator(cls: Node): boolean {
  const decorated = cls.parent?.type === 'decorated_definition' ? cls.parent : undefined;
  return !!decorated && childrenOfType(decorated, 'decorator').some((d) => CONVERTS_TO_CCLASS.has(decoratorMember(d) ?? ''));
}

/** Is this `@cython.dataclasses.dataclass` class (a cclass whose annotated fields are public attributes)? */
export function isCythonDataclass(cls: Node): boolean {
  const decorated = cls.parent?.type === 'decorated_definition' ? cls.parent : undefined;
  return !!decorated && childrenOfType(decorated, 'decorator').some((d) => decoratorMember(d) === 'dataclasses.dataclass');
}

/**
 * Is this `class` statement an extension type? `scope`: the scope the class is defined in (only a module-level class
 * declared in the augmenting .pxd is converted by the .pxd).
 */
export function isPureExtensionClass(cls: Node, scope: Scope): boolean {
  if (cls.type !== 'class_definition') return false;
  if (hasCClassDecorator(cls)) return true;
  if (scope.kind !== 'module' || !inPythonSource(cls)) return false;
  const name = field(cls, 'name')?.text;
  const sym = name ? scope.lookupLocal(name) : undefined;
  return sym?.kind === 'ext-class' && sym.location?.uri.endsWith('.pxd') === true;
}
