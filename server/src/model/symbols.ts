/** Symbols and scopes of the semantic model. */
import type { CType, DeclLocation, FunctionSignature } from './c-types';

export type SymbolKind =
  /** A C variable or constant (`cdef int x`, a DEF constant, an enumerator, an extern variable). */
  | 'c-variable'
  /** A Python object variable: typed (`cdef list L`, `object o`) or untyped. */
  | 'py-variable'
  | 'c-function'
  /** A `def` function or a lambda bound to a name. */
  | 'py-function'
  | 'py-class'
  /** A `cdef class`: its name used as a value is a Python type object. */
  | 'ext-class'
  /** A name that denotes a C type: struct, union, enum, ctypedef, fused type, cppclass. */
  | 'c-type'
  /** A module brought in by `cimport` (attribute access resolves in its .pxd). */
  | 'cimported-module'
  /** A module brought in by Python `import`. */
  | 'py-module'
  /** A Python builtin (`print`, `len`, `ValueError`...). */
  | 'builtin'
  /** Something from Cython's `cython` pseudo-module (`cython.parallel.prange`, `cython.cast`...). */
  | 'cython-builtin'
  /** Declared by a cimport that could not be resolved: nothing is known about it. */
  | 'unresolved';

export interface ModuleSymbols {
  /** The module's dotted name when known (`scipy.linalg.cython_lapack`). */
  name: string;
  uri: string;
  symbols: Map<string, Symbol>;
}

export interface Symbol {
  name: string;
  kind: SymbolKind;
  /** The value's type; for `c-type` symbols, the type the name denotes. */
  type: CType;
  /** Where the binding lives: module globals are looked up at run time when they are Python objects. */
  binding: 'module' | 'local' | 'argument' | 'class' | 'builtin' | 'closure';
  location?: DeclLocation;
  /** For cimported modules: their declarations (loaded lazily, may be undefined when not found). */
  module?: ModuleSymbols;
  /** For C functions. */
  signature?: FunctionSignature;
  /** Also bound as a Python name (a `cpdef` function, a `cpdef enum`, a name both imported and cimported). */
  alsoPython?: boolean;
  /** Where the binding came from, for hovers ("cimported from libc.math"). */
  origin?: string;
  /** An untyped local whose type the model infers from what is assigned (model/function-scope.ts). */
  inferred?: boolean;
  /**
   * A module variable declared with `cdef` (`cdef object g`, `cdef K g`): a C global of the module even when it holds
   * a Python object (Symtab.ModuleScope.declare_var, is_cglobal): reading it is no Python global lookup.
   */
  cdefGlobal?: boolean;
}

export class Scope {
  readonly symbols = new Map<string, Symbol>();

  constructor(
    /** `members`: the members of a C++ (Cython+ cypclass) class, visible from its methods without `self.`. */
    readonly kind: 'module' | 'function' | 'class' | 'comprehension' | 'builtins' | 'members',
    readonly parent: Scope | undefined,
  ) {}

  /**
   * Set on a module scope to learn which module-level names an analysis depended on (for caching): every lookup of
   * the scope appends the name while it is set (model/lookup-recording.ts).
   */
  lookupLog: string[] | undefined;

  /**
   * A module scope whose declarations were patched in place (model/declaration-patch.ts): per patch, the names whose
   * symbols it changed. Its length is the scope's generation; what was found valid in an earlier generation stays
   * valid unless it depends on one of the names changed since (engine/definition-cache.ts).
   */
  patches: (readonly string[])[] | undefined;

  lookup(name: string): Symbol | undefined {
    let scope: Scope | undefined = this;
    while (scope) {
      const sym = scope.symbols.get(name);
      if (scope.kind === 'module') scope.lookupLog?.push(name);
      // Class bodies are not visible from their methods (Python scoping).
      if (sym && !(scope.kind === 'class' && scope !== this)) return sym;
      scope = scope.parent;
    }
    return undefined;
  }

  lookupLocal(name: string): Symbol | undefined {
    if (this.kind === 'module') this.lookupLog?.push(name);
    return this.symbols.get(name);
  }

  define(sym: Symbol): void {
    this.symbols.set(sym.name, sym);
  }
}
