/**
 * C and Python types named in declarations (`double *`, `np.ndarray[double, ndim=2]`, `float[:, ::1]`), resolved
 * against a module scope: builtins, typedefs, structs, fused types, extension classes and cimported names.
 */
import { type CType, type CypclassQualifier, CYPCLASS_QUALIFIERS, PY_BUILTIN_TYPES, PY_OBJECT, py, scalarType, unknown, VOID } from './c-types';
import { pureModeTypeName } from './pure-mode-types';
import type { Node } from './syntax';
import type { Scope, Symbol } from './symbols';
import { type TypeSyntax, parseTypeText } from './type-syntax';

/**
 * `parseTypeText`, memoised by text: the same few type spellings recur in every signature and declaration of a file
 * (a pure function of the text; its results are only read, never changed).
 */
const typeSyntaxMemo = new Map<string, Readonly<TypeSyntax>>();
const TYPE_SYNTAX_MEMO_LIMIT = 4096;

export function typeSyntaxOf(text: string): Readonly<TypeSyntax> {
  let t = typeSyntaxMemo.get(text);
  if (!t) {
    if (typeSyntaxMemo.size >= TYPE_SYNTAX_MEMO_LIMIT) typeSyntaxMemo.clear();
    t = parseTypeText(text);
    typeSyntaxMemo.set(text, t);
  }
  return t;
}

/** Resolves type syntax in a module scope (the scope a declaration collector fills). */
export class TypeResolver {
  /**
   * `pythonSource`: the types of a `.py` module, where `cython.X` is a C type only when the module imports cython;
   * otherwise `cython` is a Python global and an annotation naming it is no type (the compiler makes the variable a
   * Python object).
   */
  constructor(private readonly scope: Scope, private readonly pythonSource = false) {}

  resolveTypeNode(node: Node | null): CType {
    if (!node) return PY_OBJECT;
    return this.resolveTypeSyntax(typeSyntaxOf(node.text));
  }

  resolveTypeSyntax(ts: TypeSyntax): CType {
    let base: CType;
    if (ts.memviewAxes > 0) {
      const element = this.resolveTypeSyntax({ ...ts, memviewAxes: 0, pointers: 0, arrays: 0, reference: false });
      base = { kind: 'memview', base: element, ndim: ts.memviewAxes };
    } else {
      base = this.resolveBaseName(ts.base, ts.templateArgs);
      // Cython+ capabilities qualify cypclass references (`iso A`, `const A`); on other types they are errors the
      // cypclass checks report, and the type stays what it names.
      if (base.kind === 'cpp' && base.cypclass) {
        const q = ts.qualifiers.find((w) => CYPCLASS_QUALIFIERS.has(w)) ?? (ts.qualifiers.includes('const') ? 'const' : undefined);
        if (q) base = { ...base, qualifier: q as CypclassQualifier };
      }
      // `float[3]` (array type syntax, Cython 3): brackets after a C type that is not a template are dimensions.
      if (ts.templateArgs.length && base.kind !== 'cpp' && base.kind !== 'unknown' && base.kind !== 'py') {
        for (let i = 0; i < ts.templateArgs.length; i++) base = { kind: 'array', base };
      }
    }
    for (let i = 0; i < ts.arrays; i++) base = { kind: 'array', base };
    for (let i = 0; i < ts.pointers; i++) base = { kind: 'ptr', base };
    if (ts.reference) base = { kind: 'ref', base };
    return base;
  }

  private resolveBaseName(name: string, templateArgs: TypeSyntax[], viaAlias = false): CType {
    if (name === 'void') return VOID;
    if (name.startsWith('cython.') && this.pythonSource && !viaAlias && this.scope.lookupLocal('cython')?.kind !== 'cython-builtin') {
      return PY_OBJECT;
    }
    const scalar = scalarType(name);
    if (scalar) return scalar;
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('cython.')) {
      // `cy.int` after `import cython as cy` is `cython.int`
      const head = this.lookupDotted(name.slice(0, dot).trim());
      if (head?.kind === 'cython-builtin' && head.module?.name === 'cython') {
        return this.resolveBaseName(`cython${name.slice(dot)}`, templateArgs, true);
      }
    }
    if (name.startsWith('cython.')) {
      // pure Python mode: `cython.p_double`, `cython.ulonglong`, `cython.pointer[cython.double]`
      const pure = pureModeTypeName(name);
      if (pure) return this.resolveTypeSyntax({ ...typeSyntaxOf(pure.base), pointers: pure.pointers });
      if (name.replace(/\s+/g, '') === 'cython.pointer' && templateArgs.length === 1) {
        return { kind: 'ptr', base: this.resolveTypeSyntax(templateArgs[0]!) };
      }
    }
    if (name === 'object') {
      // `object[int]`: an old-style buffer of a generic object
      return templateArgs.length ? { kind: 'py', name: 'object', buffer: this.bufferOf(templateArgs) } : PY_OBJECT;
    }
    const sym = this.lookupDotted(name);
    // `from libcpp cimport bool` shadows Python's bool
    if (PY_BUILTIN_TYPES.has(name) && (!sym || sym.kind === 'builtin')) return py(name);
    if (sym) {
      if (sym.kind === 'c-type') {
        // A fused type with Python members: each specialisation differs, so the model does not guess.
        if (sym.type.kind === 'fused' && sym.type.members.some((m) => m.kind === 'py' || m.kind === 'unknown')) {
          return unknown(`fused type ${name} with Python members`);
        }
        if (sym.type.kind === 'cpp' && templateArgs.length) {
          return { ...sym.type, args: templateArgs.map((a) => this.resolveTypeSyntax(a)) };
        }
        return sym.type;
      }
      if (sym.kind === 'ext-class') {
        // `np.ndarray[double, ndim=2]`: a buffer; indexing it with C indices is C code.
        if (templateArgs.length && sym.type.kind === 'py') return { ...sym.type, buffer: this.bufferOf(templateArgs) };
        return sym.type;
      }
      if (sym.kind === 'unresolved' || sym.kind === 'cython-builtin') return unknown(`type ${name}`);
    }
    if (name.startsWith('cython.')) return unknown(`type ${name}`);
    return unknown(`unknown type ${name}`);
  }

  /** `[double, ndim=2, mode="c"]` of a buffer type. */
  private bufferOf(templateArgs: TypeSyntax[]): { dtype: CType; ndim: number } {
    const dtype = templateArgs.find((a) => !a.base.includes('='));
    const ndimArg = templateArgs.find((a) => /^ndim\s*=/.test(a.base));
    return { dtype: dtype ? this.resolveTypeSyntax(dtype) : unknown('dtype'),
      ndim: ndimArg ? Number(ndimArg.base.split('=')[1]) || 1 : 1 };
  }

  lookupDotted(name: string): Symbol | undefined {
    const parts = name.split('.');
    let sym = this.scope.lookup(parts[0]);
    for (let i = 1; i < parts.length && sym; i++) {
      sym = sym.module?.symbols.get(parts[i]);
    }
    return sym;
  }
}
