/**
 * Declarations of a module (a .pyx, .pxd or .pxi tree): C variables, C functions with their exception and GIL
 * specs, structs, enums, typedefs, fused types, cdef classes, extern blocks, cimports and Python-level globals.
 * Types are resolved by type-resolution.ts, signatures read by signature-reader.ts, cimports bound by
 * cimport-binder.ts; the shapes they share are in declaration-types.ts.
 */
import { cythonDecorator } from './cython-names';
import { pureDeclarationOf } from './pure-declarations';
import { isPythonSourcePath } from './pure-python-mode';
import { hasCClassDecorator, isCythonDataclass, isPureExtensionClass } from './pure-classes';
import {
  type CType, type ClassInfo, type FunctionParam, type FunctionSignature, PY_OBJECT, implicitException, py, unknown,
  C_INT, C_DOUBLE,
} from './c-types';
import type { DeclarationContext, ModuleDeclarations, UnresolvedCimport } from './declaration-types';
import { type Node, childOfType, childrenOfType, field, fields, locationOf, namedChildren, significantChildren,
  stringValue, undecorate } from './syntax';
import { type Symbol, Scope } from './symbols';
import { assignmentTargets, namesIn } from './assignment-targets';
import { cythonModule } from './cython-module';
import { CimportBinder } from './cimport-binder';
import { interfaceHasError } from './module-interface';
import type { LazySignatures } from './lazy-signatures';
import { RecordedMethods } from './recorded-methods';
import { SignatureReader } from './signature-reader';
import { TypeResolver, typeSyntaxOf } from './type-resolution';
import { type TypeSyntax, parseDeclaratorText } from './type-syntax';

/** Collects the module-level declarations of a tree into a scope whose parent is `parent` (the builtins). */
export class DeclarationCollector {
  readonly scope: Scope;
  readonly unresolved: UnresolvedCimport[] = [];
  readonly includes: { path: string; node: Node }[] = [];
  /** `DEF NAME = value` expressions, for compile-time conditions. */
  readonly compileTimeValues = new Map<string, Node>();

  /** Resolves the types named in this module's declarations. */
  readonly types: TypeResolver;
  /** Reads the C signatures declared in this module. */
  readonly signatures: SignatureReader;
  private readonly cimports: CimportBinder;
  /**
   * Set by the .pxd resolver for a .pxd collected in one pass: module-level C function signatures are read on first
   * use (lazy-signatures.ts).
   */
  lazySignatures: LazySignatures | undefined;

  /** `scope`: the module scope to collect into (a lazily collected .pxd supplies its own, lazy-declarations.ts). */
  constructor(readonly ctx: DeclarationContext, parent: Scope, scope?: Scope) {
    this.scope = scope ?? new Scope('module', parent);
    if (ctx.companion) {
      for (const sym of ctx.companion.symbols.values()) this.scope.define(classCopyOf(sym, this.scope));
    }
    this.types = new TypeResolver(this.scope, isPythonSourcePath(ctx.uri));
    this.signatures = new SignatureReader(ctx, this.types, this.scope);
    this.cimports = new CimportBinder(ctx, this.scope, this.unresolved);
  }

  collectModule(root: Node): ModuleDeclarations {
    // First the names of types, so that declarations may refer to types defined further down.
    this.predeclareTypes(root);
    this.collectStatements(significantChildren(root), { extern: false, externNogil: false });
    return {
      name: '', uri: this.ctx.uri, symbols: this.scope.symbols, scope: this.scope,
      unresolved: this.unresolved, includes: this.includes,
    };
  }

  /** Defines the names of the types declared in `root` (their members are collected later). */
  predeclareTypes(root: Node): void {
    const visit = (stmts: Node[]): void => {
      for (const raw of stmts) {
        const s = undecorate(raw);
        switch (s.type) {
          case 'struct_definition': case 'enum_definition': case 'cppclass_definition':
          case 'fused_type_definition': case 'cdef_class_definition': case 'cypclass_definition': {
            const name = lastSegment(field(s, 'name')?.text);
            if (name && !this.scope.lookupLocal(name)) this.defineTypeName(s, name);
            // Cython+: a cypclass nested in a cypclass is named without its outer class inside it; we give it a
            // module-level name (unless that name is taken)
            if (s.type === 'cypclass_definition') {
              const body = field(s, 'body');
              if (body) visit(significantChildren(body).filter((c) => c.type === 'cypclass_definition'));
            }
            break;
          }
          case 'class_definition': {
            // `@cython.cclass class A:` (pure Python mode) is a cdef class
            const name = field(s, 'name')?.text;
            if (name && hasCClassDecorator(s) && !this.scope.lookupLocal(name)) this.defineTypeName(s, name);
            break;
          }
          case 'cdef_statement': case 'cdef_block': case 'extern_block': case 'ctypedef_statement':
            visit(significantChildren(s).flatMap((c) => (c.type === 'block' ? significantChildren(c) : [c])));
            break;
          case 'block':
            visit(significantChildren(s));
            break;
          default:
            break;
        }
      }
    };
    visit(significantChildren(root));
  }

  private defineTypeName(node: Node, name: string): void {
    const loc = locationOf(this.ctx.uri, field(node, 'name') ?? node);
    if (node.type === 'cypclass_definition') {
      // Cython+: a cypclass is a C++ class (Nodes.CppClassNode with cypclass=True); using it needs no GIL.
      const cls: ClassInfo = { name, attributes: new Map(), methods: new Map(), location: loc,
        cypclass: { activable: field(node, 'activable') !== null,
          templates: (field(node, 'template_parameters')?.namedChildren ?? []).filter((c) => c !== null).filter((c) => c.type === 'identifier').map((c) => c.text) } };
      this.scope.define({ name, kind: 'c-type', type: { kind: 'cpp', name, cls, args: [], cypclass: true },
        binding: 'module', location: loc });
    } else if (node.type === 'cdef_class_definition' || node.type === 'class_definition') {
      // reads of its methods are recorded one by one (recorded-methods.ts)
      const cls: ClassInfo = { name, attributes: new Map(), methods: new RecordedMethods(this.scope, name), location: loc };
      this.scope.define({ name, kind: 'ext-class', type: { kind: 'py', name, cls }, binding: 'module', location: loc });
    } else if (node.type === 'struct_definition') {
      this.scope.define({
        name, kind: 'c-type', type: { kind: 'struct', info: { name, fields: new Map(), location: loc } }, binding: 'module',
        location: loc,
      });
    } else if (node.type === 'enum_definition') {
      this.scope.define({ name, kind: 'c-type', type: { kind: 'enum', name }, binding: 'module', location: loc });
    } else if (node.type === 'cppclass_definition') {
      const cls: ClassInfo = { name, attributes: new Map(), methods: new Map(), location: loc };
      this.scope.define({ name, kind: 'c-type', type: { kind: 'cpp', name, cls, args: [] }, binding: 'module',
        location: loc });
    }
  }

  collectStatements(stmts: Node[], env: { extern: boolean; externNogil: boolean }): void {
    for (const raw of stmts) this.collectStatement(raw, env);
  }

  /**
   * Collects the statements of an included .pxi into this module: their locations name the included file (`uri`),
   * where navigation and related information must go.
   */
  collectIncluded(stmts: Node[], uri: string): void {
    const own = this.ctx.uri;
    this.ctx.uri = uri;
    try {
      this.collectStatements(stmts, { extern: false, externNogil: false });
    } finally {
      this.ctx.uri = own;
    }
  }

  /** Collects one top-level statement again, into the scope as it is (incremental declarations: declaration-patch.ts). */
  collectTopLevel(raw: Node): void {
    this.collectStatement(raw, { extern: false, externNogil: false });
  }

  private collectStatement(raw: Node, env: { extern: boolean; externNogil: boolean }): void {
    const s = undecorate(raw);
    switch (s.type) {
      case 'cimport_statement': this.cimports.collectCimport(s); break;
      case 'cimport_from_statement': this.cimports.collectCimportFrom(s); break;
      case 'include_statement': {
        const p = field(s, 'path');
        if (p) this.includes.push({ path: stringValue(p), node: s });
        break;
      }
      case 'import_statement': case 'import_from_statement': case 'future_import_statement':
        this.collectPythonImport(s);
        break;
      case 'compile_time_definition': {
        const name = field(s, 'name')?.text;
        const value = field(s, 'value');
        if (name) {
          const t = value?.type === 'float' ? C_DOUBLE : value?.type === 'string' ? py('bytes') : C_INT;
          this.scope.define({ name, kind: 'c-variable', type: t, binding: 'module', location: locationOf(this.ctx.uri, s),
            origin: 'compile-time constant (DEF)' });
          if (value) this.compileTimeValues.set(name, value);
        }
        break;
      }
      case 'compile_time_if_statement': case 'compile_time_elif_clause': case 'compile_time_else_clause':
        for (const c of significantChildren(s)) {
          if (c.type === 'block') this.collectStatements(significantChildren(c), env);
          else if (c.type.startsWith('compile_time_')) this.collectStatement(c, env);
        }
        break;
      case 'cdef_statement': case 'cdef_block': {
        // `cdef nogil:` declares the functions of its block nogil (Parsing.p_cdef_statement: ctx.nogil)
        const inner = fields(s, 'gil_spec').some((g) => g.text.trim() === 'nogil') ? { ...env, externNogil: true } : env;
        for (const c of significantChildren(s)) {
          if (c.type === 'block') this.collectStatements(significantChildren(c), inner);
          else this.collectStatement(c, inner);
        }
        break;
      }
      case 'extern_block': {
        const nogil = childrenOfType(s, 'gil_spec').some((g) => g.text.trim() === 'nogil')
          || fields(s, 'gil_spec').some((g) => g.text.trim() === 'nogil');
        const body = field(s, 'body') ?? childOfType(s, 'block');
        if (body) this.collectStatements(significantChildren(body), { extern: true, externNogil: nogil || env.externNogil });
        break;
      }
      case 'c_variable_declaration': this.collectVariables(s, this.scope, env.extern ? 'extern' : 'module'); break;
      case 'c_function_definition': case 'c_function_declaration': {
        const lazy = this.lazySignatures?.functionSymbol(s, env);
        if (lazy) {
          this.scope.define(lazy);
          break;
        }
        const sig = this.signatureOf(s, env, undefined);
        if (sig) this.defineFunction(sig, s);
        break;
      }
      case 'struct_definition': this.collectStruct(s, env.extern); break;
      case 'enum_definition': this.collectEnum(s); break;
      case 'ctypedef_statement': this.collectTypedef(s, env); break;
      case 'fused_type_definition': this.collectFused(s); break;
      case 'cppclass_definition': this.collectCppClass(s, env); break;
      case 'cdef_class_definition': this.collectClass(s, env); break;
      case 'cypclass_definition': this.collectCypclass(s); break;
      case 'function_definition': {
        const name = field(s, 'name')?.text;
        const pure = name && isPureModeCFunction(raw) ? this.signatureOf(s, env, undefined) : undefined;
        if (pure) {
          // Pure Python mode C function (`@cython.cfunc` / `@cython.ccall` def)
          this.defineFunction(pure, s);
        } else if (name) {
          this.definePython(name, 'py-function', s);
        }
        break;
      }
      case 'class_definition': {
        const name = field(s, 'name')?.text;
        if (name && isPureExtensionClass(s, this.scope)) this.collectClass(s, env);
        else if (name) this.definePython(name, 'py-class', s);
        break;
      }
      case 'expression_statement': case 'assignment': case 'augmented_assignment':
        if (this.collectPureDeclaration(s)) break;
        for (const target of assignmentTargets(s)) this.definePythonVariable(target);
        break;
      case 'for_statement': {
        const left = field(s, 'left');
        if (left) for (const n of namesIn(left)) this.definePythonVariable(n);
        this.collectNested(s, env);
        break;
      }
      case 'if_statement': case 'try_statement': case 'with_statement': case 'while_statement':
      case 'elif_clause': case 'else_clause': case 'except_clause': case 'finally_clause':
        this.collectNested(s, env);
        break;
      default:
        break;
    }
  }

  /**
   * Pure Python mode declarations at module level (pure-declarations.ts): `x = cython.declare(T)` and
   * `cython.declare(x=T)` declare C globals (Symtab.ModuleScope.declare_var with is_cdef: a Python-typed one is a
   * C global too), `T = cython.typedef(U)` a typedef, `S = cython.struct(a=T)` / `cython.union(...)` a struct or
   * union, `F = cython.fused_type(A, B)` a fused type.
   */
  private collectPureDeclaration(s: Node): boolean {
    const d = pureDeclarationOf(s);
    if (!d) return false;
    const typeOf = (n: Node): CType => this.resolveTypeSyntax(typeSyntaxOf(n.text));
    switch (d.kind) {
      case 'declare': case 'declare-names': {
        const entries = d.kind === 'declare' ? d.names.map((name) => ({ name, type: d.type })) : d.entries;
        for (const { name, type } of entries) {
          const t = typeOf(type);
          this.scope.define({ name: name.text, kind: t.kind === 'py' ? 'py-variable' : t.kind === 'unknown' ? 'unresolved' : 'c-variable',
            type: t, binding: 'module', location: locationOf(this.ctx.uri, name), origin: 'cython.declare',
            ...(t.kind === 'py' ? { cdefGlobal: true } : {}) });
        }
        return true;
      }
      case 'typedef': {
        let t = typeOf(d.type);
        if (t.kind === 'scalar') t = { ...t, name: d.name.text, underlying: t.underlying ?? t.name };
        this.scope.define({ name: d.name.text, kind: 'c-type', type: t, binding: 'module',
          location: locationOf(this.ctx.uri, d.name), origin: `cython.typedef(${d.type.text})` });
        return true;
      }
      case 'struct': case 'union': {
        const location = locationOf(this.ctx.uri, d.name);
        const fieldsMap = new Map<string, CType>();
        for (const m of d.members) fieldsMap.set(m.name.text, typeOf(m.type));
        this.scope.define({ name: d.name.text, kind: 'c-type', type: { kind: 'struct', info: { name: d.name.text,
          fields: fieldsMap, location } }, binding: 'module', location, origin: `cython.${d.kind}` });
        return true;
      }
      case 'fused_type':
        this.scope.define({ name: d.name.text, kind: 'c-type', type: { kind: 'fused', name: d.name.text,
          members: d.members.map(typeOf) }, binding: 'module', location: locationOf(this.ctx.uri, d.name),
          origin: 'cython.fused_type' });
        return true;
      default:
        return false;
    }
  }

  /** Module-level blocks (if/try/with/for bodies) may hold definitions and assignments too. */
  private collectNested(s: Node, env: { extern: boolean; externNogil: boolean }): void {
    for (const c of significantChildren(s)) {
      if (c.type === 'block') this.collectStatements(significantChildren(c), env);
      else if (['elif_clause', 'else_clause', 'except_clause', 'finally_clause'].includes(c.type)) {
        this.collectStatement(c, env);
      } else if (c.type === 'as_pattern' || c.type === 'with_clause') {
        for (const n of namesIn(c)) if (n.parent?.type === 'as_pattern_target') this.definePythonVariable(n);
      }
    }
  }

  private definePython(name: string, kind: 'py-function' | 'py-class', node: Node): void {
    const existing = this.scope.lookupLocal(name);
    if (existing && existing.kind !== 'py-variable' && existing.kind !== 'unresolved') {
      existing.alsoPython = true;
      return;
    }
    this.scope.define({ name, kind, type: py(kind === 'py-class' ? 'type' : 'function'), binding: 'module',
      location: locationOf(this.ctx.uri, field(node, 'name') ?? node) });
  }

  private definePythonVariable(nameNode: Node): void {
    const name = nameNode.text;
    const existing = this.scope.lookupLocal(name);
    if (existing) {
      if (existing.kind === 'cimported-module' || existing.kind === 'c-function' || existing.kind === 'ext-class'
        || existing.kind === 'c-type') existing.alsoPython = true;
      return;
    }
    this.scope.define({ name, kind: 'py-variable', type: PY_OBJECT, binding: 'module',
      location: locationOf(this.ctx.uri, nameNode) });
  }

  private collectPythonImport(s: Node): void {
    const from = s.type === 'import_from_statement' ? field(s, 'module_name')?.text.replace(/\s+/g, '') : undefined;
    if (from?.startsWith('cython.cimports.')) {
      // pure Python mode: `from cython.cimports.libc.math import sqrt` is `from libc.math cimport sqrt`
      this.cimports.collectCimportFrom(s, from.slice('cython.cimports.'.length));
      return;
    }
    for (const target of importedNames(s)) {
      if (target.module === 'cython' || target.module.startsWith('cython.')) {
        // `from cython.parallel import prange`, `import cython`: compile-time names, as with cimport.
        // `import cython as cy` binds cy to the module; `from cython import nogil as ng` binds ng to cython.nogil
        const whole = s.type === 'import_statement';
        const sym = cythonModule(whole ? 'cython' : target.module).symbols.get(whole ? 'cython' : target.imported ?? target.name)!;
        this.scope.define({ ...sym, name: target.name, binding: 'module', location: locationOf(this.ctx.uri, target.node),
          module: whole ? cythonModule(target.node.type === 'aliased_import' ? target.module : 'cython') : sym.module });
        continue;
      }
      const existing = this.scope.lookupLocal(target.name);
      if (existing && existing.kind !== 'py-variable') {
        existing.alsoPython = true;
        continue;
      }
      this.scope.define({ name: target.name, kind: 'py-module', type: py('module'), binding: 'module',
        location: locationOf(this.ctx.uri, target.node), origin: `import ${target.module}` });
    }
  }

  // ---- types ----

  // ---- types and signatures (type-resolution.ts, signature-reader.ts) ----

  resolveTypeNode(node: Node | null): CType {
    return this.types.resolveTypeNode(node);
  }

  resolveTypeSyntax(ts: TypeSyntax): CType {
    return this.types.resolveTypeSyntax(ts);
  }

  lookupDotted(name: string): Symbol | undefined {
    return this.types.lookupDotted(name);
  }

  signatureOf(node: Node, env: { extern: boolean; externNogil: boolean }, cls: ClassInfo | undefined):
    FunctionSignature | undefined {
    return this.signatures.signatureOf(node, env, cls);
  }

  parametersOf(params: Node | null, cls: ClassInfo | undefined, declarationOnly = false):
    { params: FunctionParam[]; varargs: boolean } {
    return this.signatures.parametersOf(params, cls, declarationOnly);
  }

  parameterOf(p: Node, declarationOnly = false): FunctionParam | undefined {
    return this.signatures.parameterOf(p, declarationOnly);
  }

  // ---- declarations ----

  collectVariables(decl: Node, scope: Scope, binding: 'module' | 'local' | 'extern' | 'class',
    cls?: ClassInfo): Symbol[] {
    const typeNode = field(decl, 'type');
    const baseSyntax = typeNode ? typeSyntaxOf(typeNode.text) : undefined;
    const out: Symbol[] = [];
    const declarators = fields(decl, 'declarator');
    for (const d of declarators) {
      const parsed = parseDeclaratorText(d.text);
      if (!parsed.name) continue;
      let type: CType;
      if (parsed.functionPointer) {
        const sig = this.signatures.functionPointerSignature(parsed.name, baseSyntax, parsed.functionPointer, binding === 'extern');
        type = { kind: 'ptr', base: { kind: 'func', sig } };
      } else if (baseSyntax) {
        type = this.resolveTypeSyntax({
          ...baseSyntax, pointers: baseSyntax.pointers + parsed.pointers, arrays: baseSyntax.arrays + parsed.arrays,
          reference: baseSyntax.reference || parsed.reference,
        });
      } else {
        type = PY_OBJECT;
      }
      const sym: Symbol = {
        name: parsed.name, kind: type.kind === 'py' ? 'py-variable' : 'c-variable', type,
        binding: binding === 'extern' ? 'module' : binding, location: locationOf(this.ctx.uri, d),
        ...(type.kind === 'py' && binding !== 'local' ? { cdefGlobal: true } : {}),
      };
      if (cls) cls.attributes.set(parsed.name, type);
      else scope.define(sym);
      out.push(sym);
    }
    return out;
  }

  private defineFunction(sig: FunctionSignature, node: Node): void {
    const existing = this.scope.lookupLocal(sig.name);
    // A definition in the .pyx completes the declaration from the .pxd: the pxd's specs are what callers see,
    // but the definition decides nogil-ness of the body.
    if (existing?.kind === 'c-function' && existing.signature && existing.signature.inPxd && !sig.inPxd) {
      // Symtab.declare_cfunction: the module's own callers see the definition's type (with its exception value);
      // it stays "defined in the pxd" for the exception-check hint.
      const merged: FunctionSignature = {
        ...sig,
        inPxd: true,
        nogil: existing.signature.nogil || sig.nogil,
        withGil: existing.signature.withGil || sig.withGil,
      };
      this.scope.define({ ...existing, signature: merged, type: { kind: 'func', sig: merged } });
      return;
    }
    this.scope.define({
      name: sig.name, kind: 'c-function', type: { kind: 'func', sig }, binding: 'module', signature: sig,
      location: locationOf(this.ctx.uri, field(node, 'name') ?? node), alsoPython: sig.origin === 'cpdef',
    });
  }

  private collectStruct(s: Node, extern: boolean): void {
    const name = field(s, 'name')?.text;
    if (!name) return;
    let sym = this.scope.lookupLocal(name);
    if (!sym || sym.type.kind !== 'struct') {
      this.defineTypeName(s, name);
      sym = this.scope.lookupLocal(name);
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
        for (const v of this.collectVariables(d, scratch, extern ? 'extern' : 'local')) fieldsMap.set(v.name, v.type);
      }
    }
  }

  private collectEnum(s: Node): void {
    const name = field(s, 'name')?.text;
    const cpdef = /^\s*cpdef\b/.test(s.text) || s.parent?.text.trimStart().startsWith('cpdef') === true;
    if (name && !this.scope.lookupLocal(name)) this.defineTypeName(s, name);
    const body = field(s, 'body');
    const enumType: CType = name ? { kind: 'enum', name } : C_INT;
    const members = body ? significantChildren(body).flatMap((c) => (c.type === 'enumerator' ? [c]
      : childrenOfType(c, 'enumerator'))) : [];
    for (const e of members) {
      const ename = field(e, 'name')?.text ?? childOfType(e, 'identifier')?.text;
      if (!ename) continue;
      this.scope.define({ name: ename, kind: 'c-variable', type: enumType, binding: 'module',
        location: locationOf(this.ctx.uri, e), origin: name ? `enum ${name}` : 'anonymous enum', alsoPython: cpdef });
    }
  }

  private collectTypedef(s: Node, env: { extern: boolean; externNogil: boolean }): void {
    const inner = significantChildren(s).find((c) => ['struct_definition', 'enum_definition', 'fused_type_definition',
      'cppclass_definition'].includes(c.type));
    if (inner) {
      this.collectStatement(inner, env);
      return;
    }
    const typeNode = field(s, 'type');
    const declarator = field(s, 'declarator');
    if (!declarator) return;
    const parsed = parseDeclaratorText(declarator.text);
    if (!parsed.name) return;
    let type: CType;
    if (parsed.functionPointer) {
      const ret = typeNode ? typeSyntaxOf(typeNode.text) : undefined;
      // A typedef in Cython code (not extern) checks exceptions like the functions declared there
      // (Parsing.p_exception_value_clause); a function type (not a pointer) also gets the return type's implicit
      // error value, outside .pxd files (Nodes.CFuncDeclaratorNode.analyse).
      const sig = this.signatures.functionPointerSignature(parsed.name,
        ret && parsed.function ? { ...ret, pointers: ret.pointers + parsed.pointers } : ret, parsed.functionPointer,
        env.extern);
      if (parsed.function && !env.extern && !/\b(noexcept|except)\b/.test(parsed.functionPointer.trailer ?? '')) {
        sig.exception = implicitException(sig.returnType, 'cdef', this.ctx.inPxd, false);
      }
      // `ctypedef void (*F)(int)` names a pointer type, `ctypedef void F(int)` a function type
      type = parsed.function ? { kind: 'func', sig } : { kind: 'ptr', base: { kind: 'func', sig } };
    } else {
      const base = typeNode ? typeSyntaxOf(typeNode.text) : typeSyntaxOf('int');
      type = this.resolveTypeSyntax({ ...base, pointers: base.pointers + parsed.pointers,
        arrays: base.arrays + parsed.arrays });
      if (type.kind === 'scalar') type = { ...type, name: parsed.name, underlying: type.underlying ?? type.name };
    }
    this.scope.define({ name: parsed.name, kind: 'c-type', type, binding: 'module',
      location: locationOf(this.ctx.uri, declarator), origin: `ctypedef ${typeNode?.text ?? ''}`.trim() });
  }

  private collectFused(s: Node): void {
    const name = field(s, 'name')?.text;
    if (!name) return;
    const members = fields(s, 'type').map((t) => this.resolveTypeNode(t));
    const type: CType = { kind: 'fused', name, members };
    this.scope.define({ name, kind: 'c-type', type, binding: 'module', location: locationOf(this.ctx.uri, s),
      origin: 'ctypedef fused' });
  }

  private collectCppClass(s: Node, env: { extern: boolean; externNogil: boolean }): void {
    const name = field(s, 'name')?.text;
    if (!name) return;
    let sym = this.scope.lookupLocal(name);
    if (!sym || sym.type.kind !== 'cpp') {
      this.defineTypeName(s, name);
      sym = this.scope.lookupLocal(name);
    }
    if (!sym || sym.type.kind !== 'cpp' || !sym.type.cls) return;
    const cls = sym.type.cls;
    const body = field(s, 'body');
    if (!body) return;
    const classNogil = childrenOfType(s, 'gil_spec').some((g) => g.text.trim() === 'nogil');
    for (const member of significantChildren(body)) this.collectClassMember(member, cls, { extern: true,
      externNogil: env.externNogil || classNogil });
  }

  /**
   * A Cython+ cypclass: its fields and methods (implicitly nogil, Parsing.p_cpp_class_definition), with the members
   * of its cypclass bases; a base we cannot see makes it incomplete.
   */
  private collectCypclass(s: Node, nested = false): void {
    const name = field(s, 'name')?.text;
    if (!name) return;
    let sym = this.scope.lookupLocal(name);
    if (nested && sym && (sym.type.kind !== 'cpp' || !sym.type.cypclass)) return;
    if (!sym || sym.type.kind !== 'cpp' || !sym.type.cypclass) {
      this.defineTypeName(s, name);
      sym = this.scope.lookupLocal(name);
    }
    const cls = sym?.type.kind === 'cpp' ? sym.type.cls : undefined;
    if (!cls) return;
    const supers = field(s, 'superclasses');
    for (const base of supers ? significantChildren(supers) : []) {
      cls.base ??= base.text;
      const baseSym = this.lookupDotted(base.text.replace(/\[.*$/, ''));
      const baseCls = baseSym?.type.kind === 'cpp' ? baseSym.type.cls : undefined;
      if (baseCls) {
        for (const [k, v] of baseCls.attributes) if (!cls.attributes.has(k)) cls.attributes.set(k, v);
        for (const [k, v] of baseCls.methods) if (!cls.methods.has(k)) cls.methods.set(k, v);
        if (baseCls.incomplete) cls.incomplete ??= `its base class ${base.text} is incomplete (${baseCls.incomplete})`;
      } else {
        cls.incomplete ??= `its base class ${base.text} was not found`;
      }
    }
    if (interfaceHasError(s)) cls.incomplete ??= 'its body has a syntax error';
    // template parameters are types we do not model: members typed with them are unknown
    const body = field(s, 'body');
    if (!body) return;
    for (const member of significantChildren(body)) {
      if (member.type === 'cypclass_definition') this.collectCypclass(member, true);
      else this.collectClassMember(member, cls, { extern: false, externNogil: true });
    }
  }

  private collectClass(s: Node, env: { extern: boolean; externNogil: boolean }): void {
    // `ctypedef class numpy.ndarray [...]` declares `ndarray`
    const name = lastSegment(field(s, 'name')?.text);
    if (!name) return;
    let sym = this.scope.lookupLocal(name);
    if (!sym || sym.kind !== 'ext-class') {
      this.defineTypeName(s, name);
      sym = this.scope.lookupLocal(name);
    }
    const cls = sym?.type.kind === 'py' ? sym.type.cls : undefined;
    if (!cls) return;
    const supers = field(s, 'superclasses');
    if (supers) {
      const first = significantChildren(supers)[0];
      if (first) {
        cls.base = first.text;
        const baseSym = this.lookupDotted(first.text);
        const baseCls = baseSym?.type.kind === 'py' ? baseSym.type.cls : undefined;
        if (baseCls) {
          for (const [k, v] of baseCls.attributes) if (!cls.attributes.has(k)) cls.attributes.set(k, v);
          for (const [k, v] of baseCls.methods) if (!cls.methods.has(k)) cls.methods.set(k, v);
          if (baseCls.incomplete) cls.incomplete ??= `its base class ${first.text} is incomplete (${baseCls.incomplete})`;
        } else if (!baseSym || baseSym.kind === 'unresolved' || baseSym.kind === 'cython-builtin') {
          cls.incomplete ??= `its base class ${first.text} was not found`;
        }
      }
    }
    if (s.type === 'class_definition' && isCythonDataclass(s)) cls.dataclass = true;
    const body = field(s, 'body');
    // only errors the module interface sees: an error inside a method body keeps the declarations (module-interface.ts)
    if (interfaceHasError(s)) cls.incomplete ??= 'its body has a syntax error';
    if (!body) return;
    for (const member of significantChildren(body)) this.collectClassMember(member, cls, env);
    // A cdef class of a .pyx declares its C attributes in the .pyx, or in the module's .pxd if there is one (then
    // only there). Without any in the .pyx and without the .pxd, they may be in a .pxd the compiler sees and we
    // did not find.
    if (!this.ctx.inPxd && !this.ctx.companion && s.type === 'cdef_class_definition' && !cls.location?.uri.endsWith('.pxd')
      && !significantChildren(body).some(declaresAttributes)) {
      cls.incomplete ??= `its attributes may be declared in ${pxdNameOf(this.ctx.uri)}, which was not found`;
    }
  }

  private collectClassMember(raw: Node, cls: ClassInfo, env: { extern: boolean; externNogil: boolean }): void {
    const member = undecorate(raw);
    switch (member.type) {
      case 'cdef_statement': case 'cdef_block':
        for (const c of significantChildren(member)) {
          if (c.type === 'block') for (const cc of significantChildren(c)) this.collectClassMember(cc, cls, env);
          else this.collectClassMember(c, cls, env);
        }
        break;
      case 'c_variable_declaration':
        this.collectVariables(member, this.scope, 'class', cls);
        break;
      case 'c_function_definition': case 'c_function_declaration': {
        const sig = this.signatureOf(member, env, cls);
        if (!sig) break;
        const prev = cls.methods.get(sig.name);
        if (prev && prev.inPxd && !sig.inPxd) {
          cls.methods.set(sig.name, { ...prev, nogil: prev.nogil || sig.nogil });
        } else {
          cls.methods.set(sig.name, sig);
        }
        break;
      }
      case 'function_definition': {
        const name = field(member, 'name')?.text;
        const sig = name && isPureModeCFunction(raw) ? this.signatureOf(member, env, cls) : undefined;
        if (sig) {
          // `@cython.cfunc` / `@cython.ccall` method of a cclass (pure Python mode)
          const prev = cls.methods.get(sig.name);
          cls.methods.set(sig.name, prev && prev.inPxd ? { ...prev, nogil: prev.nogil || sig.nogil } : sig);
        } else if (name && !cls.methods.has(name) && !cls.attributes.has(name)) {
          cls.attributes.set(name, PY_OBJECT);
        }
        break;
      }
      case 'expression_statement': {
        // cclass attributes in pure Python mode: `x = cython.declare(T)`, `cython.declare(x=T)`, `x: T` (a cdef
        // attribute: ExprStatNode.analyse_declarations, NameNode.declare_from_annotation in a C class scope);
        // `x: T = value` is a class attribute (a Python object), except in a cython dataclass (a field of type T)
        const pure = pureDeclarationOf(member);
        if (pure?.kind === 'declare' || pure?.kind === 'declare-names') {
          const entries = pure.kind === 'declare' ? pure.names.map((name) => ({ name, type: pure.type })) : pure.entries;
          for (const { name, type } of entries) cls.attributes.set(name.text, this.resolveTypeSyntax(typeSyntaxOf(type.text)));
          break;
        }
        const a = significantChildren(member)[0];
        const left = a?.type === 'assignment' ? field(a, 'left') : null;
        const annotation = a ? field(a, 'type') : null;
        if (!a || !annotation || left?.type !== 'identifier') break;
        const dataclass = cls.dataclass === true;
        if (field(a, 'right') && !dataclass) break;
        const t = this.resolveTypeSyntax(typeSyntaxOf(annotation.text));
        cls.attributes.set(left.text, t.kind === 'unknown' && !/^\s*cython\./.test(annotation.text) ? PY_OBJECT : t);
        break;
      }
      case 'property_definition': {
        const name = field(member, 'name')?.text;
        if (name && !cls.attributes.has(name)) cls.attributes.set(name, PY_OBJECT);
        break;
      }
      default:
        break;
    }
  }
}


function importedNames(s: Node): { name: string; module: string; node: Node; imported?: string }[] {
  const out: { name: string; module: string; node: Node; imported?: string }[] = [];
  if (s.type === 'import_statement') {
    for (const item of fields(s, 'name')) {
      if (item.type === 'aliased_import') {
        const alias = field(item, 'alias');
        const name = field(item, 'name');
        if (alias && name) out.push({ name: alias.text, module: name.text, node: item });
      } else {
        out.push({ name: item.text.split('.')[0], module: item.text, node: item });
      }
    }
  } else if (s.type === 'import_from_statement') {
    const module = field(s, 'module_name')?.text ?? '';
    for (const item of fields(s, 'name')) {
      if (item.type === 'aliased_import') {
        const alias = field(item, 'alias');
        if (alias) out.push({ name: alias.text, module, node: item, imported: field(item, 'name')?.text });
      } else {
        out.push({ name: item.text, module, node: item });
      }
    }
  }
  return out;
}

/** A class member declaring C attributes (`cdef int n`, `cdef public object o`, a `cdef:` block of them). */
function declaresAttributes(raw: Node): boolean {
  const member = undecorate(raw);
  if (member.type === 'c_variable_declaration') return true;
  if (member.type !== 'cdef_statement' && member.type !== 'cdef_block') return false;
  return significantChildren(member).some((c) => c.type === 'c_variable_declaration'
    || (c.type === 'block' && significantChildren(c).some(declaresAttributes)));
}

/** `file:///a/b/mod.pyx` → `mod.pxd` (for messages). */
function pxdNameOf(uri: string): string {
  const file = uri.split('/').pop() ?? uri;
  return file.endsWith('.pyx') ? `${file.slice(0, -4)}.pxd` : 'its .pxd';
}

/**
 * A cdef class of a module's own .pxd, copied for the .pyx being collected: the .pyx adds its `def` methods,
 * properties and `nogil` to the class (Symtab: the .pyx's class scope is the .pxd's, extended while compiling that
 * module), but the .pxd's other cimporters see the .pxd alone. Collecting into the shared object would leak the
 * .pyx's members into every module analysed after it (results depending on the order of analysis), and keep members
 * the .pyx no longer has.
 */
function classCopyOf(sym: Symbol, scope: Scope): Symbol {
  if (sym.kind !== 'ext-class' || sym.type.kind !== 'py' || !sym.type.cls) return sym;
  const cls = sym.type.cls;
  const copy: ClassInfo = { ...cls, attributes: new Map(cls.attributes), methods: new RecordedMethods(scope, sym.name, cls.methods) };
  return { ...sym, type: { ...sym.type, cls: copy } };
}

function lastSegment(name: string | undefined): string | undefined {
  return name?.split('.').pop()?.trim();
}

/** `@cython.cfunc` or `@cython.ccall` on a def: a C function in pure Python mode. */
export function isPureModeCFunction(node: Node): boolean {
  if (node.type !== 'decorated_definition') return false;
  return childrenOfType(node, 'decorator').some((d) => {
    const name = cythonDecorator(d)?.name;
    return name === 'cfunc' || name === 'ccall';
  });
}
