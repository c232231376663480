/**
 * Declarations of a module (a .pyx, .pxd or .pxi tree): C variables, C functions with their exception and GIL
 * specs, structs, enums, typedefs, fused types, cdef classes, extern blocks, cimports and Python-level globals.
 * This file walks the statements and hands each kind to its collector in declarations/ (functions.ts, classes.ts,
 * structs-enums.ts, typedefs.ts, variables.ts, pure-mode.ts, python-names.ts; the names of types first,
 * predeclared-types.ts). Types are resolved by type-resolution.ts, signatures read by signature-reader.ts, cimports
 * bound by cimport-binder.ts; the shapes they share are in declaration-types.ts.
 */
import { isPythonSourcePath } from './pure-python-mode';
import { isPureExtensionClass } from './pure-classes';
import {
  type CType, type ClassInfo, type FunctionParam, type FunctionSignature, py, C_INT, C_DOUBLE,
} from './c-types';
import type { DeclarationContext, ModuleDeclarations, UnresolvedCimport } from './declaration-types';
import { type Node, childOfType, childrenOfType, field, fields, locationOf, significantChildren, stringValue,
  undecorate } from './syntax';
import { type Symbol, Scope } from './symbols';
import { assignmentTargets, namesIn } from './assignment-targets';
import { CimportBinder } from './cimport-binder';
import type { LazySignatures } from './lazy-signatures';
import { SignatureReader } from './signature-reader';
import { TypeResolver } from './type-resolution';
import type { TypeSyntax } from './type-syntax';
import { classCopyOf, collectClass, collectCppClass, collectCypclass } from './declarations/classes';
import type { Collecting, StatementEnv } from './declarations/collecting';
import { isPureModeCFunction } from './cython-names';
import { defineFunction } from './declarations/functions';
import { predeclareTypes } from './declarations/predeclared-types';
import { collectPureDeclaration } from './declarations/pure-mode';
import { collectNested, collectPythonImport, definePython, definePythonVariable } from './declarations/python-names';
import { collectEnum, collectStruct } from './declarations/structs-enums';
import { collectFused, collectTypedef } from './declarations/typedefs';
import { collectVariables } from './declarations/variables';

/** Collects the module-level declarations of a tree into a scope whose parent is `parent` (the builtins). */
export class DeclarationCollector implements Collecting {
  readonly scope: Scope;
  readonly unresolved: UnresolvedCimport[] = [];
  readonly includes: { path: string; node: Node }[] = [];
  /** `DEF NAME = value` expressions, for compile-time conditions. */
  readonly compileTimeValues = new Map<string, Node>();

  /** Resolves the types named in this module's declarations. */
  readonly types: TypeResolver;
  /** Reads the C signatures declared in this module. */
  readonly signatures: SignatureReader;
  /** Binds the cimports (and `cython.cimports` imports) of this module. */
  readonly cimports: CimportBinder;
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
    predeclareTypes(this, root);
  }

  collectStatements(stmts: readonly Node[], env: StatementEnv): void {
    for (const raw of stmts) this.collectStatement(raw, env);
  }

  /**
   * Collects the statements of an included .pxi into this module: their locations name the included file (`uri`),
   * where navigation and related information must go.
   */
  collectIncluded(stmts: readonly Node[], uri: string): void {
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

  /** Collects one statement of the module, handing each kind to its collector (declarations/). */
  collectStatement(raw: Node, env: StatementEnv): void {
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
        collectPythonImport(this, s);
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
        if (sig) defineFunction(this, sig, s);
        break;
      }
      case 'struct_definition': collectStruct(this, s, env.extern); break;
      case 'enum_definition': collectEnum(this, s); break;
      case 'ctypedef_statement': collectTypedef(this, s, env); break;
      case 'fused_type_definition': collectFused(this, s); break;
      case 'cppclass_definition': collectCppClass(this, s, env); break;
      case 'cdef_class_definition': collectClass(this, s, env); break;
      case 'cypclass_definition': collectCypclass(this, s); break;
      case 'function_definition': {
        const name = field(s, 'name')?.text;
        const pure = name && isPureModeCFunction(raw) ? this.signatureOf(s, env, undefined) : undefined;
        if (pure) {
          // Pure Python mode C function (`@cython.cfunc` / `@cython.ccall` def)
          defineFunction(this, pure, s);
        } else if (name) {
          definePython(this, name, 'py-function', s);
        }
        break;
      }
      case 'class_definition': {
        const name = field(s, 'name')?.text;
        if (name && isPureExtensionClass(s, this.scope)) collectClass(this, s, env);
        else if (name) definePython(this, name, 'py-class', s);
        break;
      }
      case 'expression_statement': case 'assignment': case 'augmented_assignment':
        if (collectPureDeclaration(this, s)) break;
        for (const target of assignmentTargets(s)) definePythonVariable(this, target);
        break;
      case 'for_statement': {
        const left = field(s, 'left');
        if (left) for (const n of namesIn(left)) definePythonVariable(this, n);
        collectNested(this, s, env);
        break;
      }
      case 'if_statement': case 'try_statement': case 'with_statement': case 'while_statement':
      case 'elif_clause': case 'else_clause': case 'except_clause': case 'finally_clause':
        collectNested(this, s, env);
        break;
      default:
        break;
    }
  }

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

  signatureOf(node: Node, env: StatementEnv, cls: ClassInfo | undefined): FunctionSignature | undefined {
    return this.signatures.signatureOf(node, env, cls);
  }

  parametersOf(params: Node | null, cls: ClassInfo | undefined, declarationOnly = false):
    { params: FunctionParam[]; varargs: boolean } {
    return this.signatures.parametersOf(params, cls, declarationOnly);
  }

  parameterOf(p: Node, declarationOnly = false): FunctionParam | undefined {
    return this.signatures.parameterOf(p, declarationOnly);
  }

  /** C variables (declarations/variables.ts), into `scope` or as attributes of `cls`. */
  collectVariables(decl: Node, scope: Scope, binding: 'module' | 'local' | 'extern' | 'class',
    cls?: ClassInfo): Symbol[] {
    return collectVariables(this, decl, scope, binding, cls);
  }
}
