/**
 * C function signatures as declared: return type, parameters (with function-pointer parameters), `nogil` /
 * `with gil`, and the exception specification the compiler gives them, explicit or implicit
 * (Nodes.CFuncDeclaratorNode.analyse).
 */
import { cythonDecorator } from './cython-names';
import {
  type CType, type ClassInfo, type ExceptionSpec, type FunctionParam, type FunctionSignature, PY_BUILTIN_TYPES,
  PY_OBJECT, VOID, implicitException, scalarType, unknown, C_INT,
} from './c-types';
import type { DeclarationContext } from './declaration-types';
import { type Node, childOfType, childrenOfType, field, fields, locationOf, namedChildren, significantChildren } from './syntax';
import type { Scope } from './symbols';
import { interfaceHasError } from './module-interface';
import { type TypeResolver, typeSyntaxOf } from './type-resolution';
import { type TypeSyntax, parseDeclaratorText, splitTopLevel } from './type-syntax';

/** Reads the signatures declared in a module, resolving their types with the module's type resolver. */
export class SignatureReader {
  constructor(private readonly ctx: DeclarationContext, private readonly types: TypeResolver,
    private readonly scope: Scope) {}

  functionPointerSignature(name: string, ret: TypeSyntax | undefined,
    fp: { params: string; nogil: boolean; trailer?: string }, extern = true): FunctionSignature {
    const params: FunctionParam[] = splitTopLevel(fp.params).filter((p) => p && p !== 'void').map((p, i) => {
      const t = typeSyntaxOf(p.replace(/\b[A-Za-z_]\w*\s*$/, (m) => (scalarType(p.trim()) ? m : '')));
      return { name: `arg${i}`, type: this.types.resolveTypeSyntax(t), hasDefault: false };
    });
    return {
      name, returnType: ret ? this.types.resolveTypeSyntax(ret) : C_INT, params, varargs: fp.params.includes('...'),
      nogil: fp.nogil, withGil: false, exception: pointerException(fp.trailer ?? '', extern), origin: 'extern',
      inPxd: this.ctx.inPxd,
    };
  }

  signatureOf(node: Node, env: { extern: boolean; externNogil: boolean }, cls: ClassInfo | undefined):
    FunctionSignature | undefined {
    const nameNode = field(node, 'name');
    if (!nameNode) return undefined;
    if (node.type === 'function_definition') return this.pureSignatureOf(node, cls);
    const kindNode = field(node, 'kind');
    // `cdef extern int f()` outside an extern block is an extern declaration too
    if (!env.extern && node.type === 'c_function_declaration' && node.children.some((c) => c?.type === 'extern')) {
      env = { ...env, extern: true };
    }
    const origin: FunctionSignature['origin'] = env.extern ? 'extern' : kindNode?.text === 'cpdef' ? 'cpdef' : 'cdef';
    const cypclass = cls?.cypclass !== undefined;
    const returnType = field(node, 'return_type') ? this.types.resolveTypeNode(field(node, 'return_type')) : (
      // `cdef f():` without a return type returns a Python object; extern declarations default to int; a cypclass
      // constructor or destructor (`__init__(self, int v):`, `__dealloc__`) returns nothing (Symtab.CppClassScope
      // .declare_cfunction), its other methods without one return an object
      cypclass && (nameNode.text === '__init__' || nameNode.text === '__dealloc__' || nameNode.text === cls?.name)
        ? VOID : env.extern ? C_INT : PY_OBJECT);
    // In a declaration without a body (pxd, extern), a lone name in the parameter list is a type: `f(int, floating)`.
    const params = this.parametersOf(field(node, 'parameters'), cls, node.type === 'c_function_declaration' || env.extern);
    const gilSpecs = [...fields(node, 'gil_spec'), ...childrenOfType(node, 'gil_spec')];
    const nogil = gilSpecs.some((g) => g.text.trim() === 'nogil') || env.externNogil || cypclass;
    const withGil = gilSpecs.some((g) => /^with\s+gil$/.test(g.text.trim()));
    // An inline function defined (with a body) in a .pxd gets the implicit exception value of a definition.
    // Cython+ (3.0a6) gives functions without an exception clause no exception check.
    const exception = (cypclass || this.ctx.cythonPlus) && !field(node, 'exception_spec') && !childOfType(node, 'exception_spec')
      ? { kind: 'noexcept', explicit: false } as const
      : this.exceptionOf(node, returnType, origin, cls !== undefined, this.ctx.inPxd && node.type !== 'c_function_definition');
    const sig: FunctionSignature = {
      name: nameNode.text, returnType, params: params.params, varargs: params.varargs, nogil: nogil || withGil,
      withGil, exception, origin, inPxd: this.ctx.inPxd, location: locationOf(this.ctx.uri, nameNode),
    };
    if (declarationBroken(node)) sig.brokenDeclaration = true;
    return sig;
  }

  /**
   * A `def` made a C function by decorators (pure Python mode): `@cython.cfunc` / `@cython.ccall`, `@cython.nogil`,
   * `@cython.with_gil`, `@cython.exceptval(...)`, `@cython.returns(T)`, `@cython.locals(x=T)` and the annotations
   * (`x: cython.double`, `-> cython.int`), as Cython's InterpretCompilerDirectives and DecoratorTransform read them.
   * Undefined for a def that stays a Python function.
   */
  private pureSignatureOf(node: Node, cls: ClassInfo | undefined): FunctionSignature | undefined {
    const decorators = pureModeDecorators(node);
    const kind = decorators.has('ccall') ? 'cpdef' : decorators.has('cfunc') ? 'cdef' : undefined;
    if (!kind) return undefined;
    const nameNode = field(node, 'name')!;
    const locals = decorators.get('locals');
    const localTypes = new Map<string, CType>();
    for (const arg of locals ? splitTopLevel(locals) : []) {
      const m = /^\s*(\w+)\s*=\s*([\s\S]+)$/.exec(arg);
      if (m) localTypes.set(m[1]!, this.types.resolveTypeSyntax(typeSyntaxOf(m[2]!.trim())));
    }
    const params = this.parametersOf(field(node, 'parameters'), cls);
    for (const p of params.params) {
      const t = localTypes.get(p.name);
      if (t) p.type = t;
    }
    const returns = decorators.get('returns');
    const annotation = field(node, 'return_type');
    const returnType = returns !== undefined ? this.types.resolveTypeSyntax(typeSyntaxOf(returns.trim()))
      : annotation ? this.types.resolveTypeNode(annotation) : PY_OBJECT;
    const withGil = decorators.has('with_gil');
    // `@cython.nogil(False)` is the directive set to False: not a nogil function
    const nogil = (decorators.has('nogil') && decorators.get('nogil')!.trim() !== 'False') || withGil;
    const exceptval = decorators.get('exceptval');
    let exception = exceptval !== undefined ? pureExceptionSpec(exceptval)
      : implicitException(returnType, kind, false, cls !== undefined);
    // `@cython.exceptval(check=True)` without a value is `except *`, which takes the return type's error value
    // where it has one (Nodes.CFuncDeclaratorNode.analyse: `except? -1` for a C int), as in a .pyx definition
    if (exception.kind === 'star') {
      const implicit = implicitException(returnType, kind, false, cls !== undefined);
      if (implicit.kind === 'query') exception = { kind: 'query', value: implicit.value, explicit: true };
    }
    return {
      name: nameNode.text, returnType, params: params.params, varargs: false, nogil, withGil, exception, origin: kind,
      inPxd: this.ctx.inPxd, location: locationOf(this.ctx.uri, nameNode),
    };
  }

  private exceptionOf(node: Node, returnType: CType, origin: FunctionSignature['origin'], inClass: boolean,
    declaredOnly: boolean): ExceptionSpec {
    const noexcept = field(node, 'noexcept') ?? childOfType(node, 'noexcept');
    if (noexcept) return { kind: 'noexcept', explicit: true };
    const spec = field(node, 'exception_spec') ?? childOfType(node, 'exception_spec');
    if (!spec) return implicitException(returnType, origin, declaredOnly, inClass);
    const parsed = parseExceptionSpec(spec.text);
    // An explicit `except *` on a definition whose return type has an error value uses that value (`except? -1`),
    // as the compiler does (Nodes.CFuncDeclaratorNode.analyse).
    if (parsed.kind === 'star') {
      const implicit = implicitException(returnType, origin, declaredOnly, inClass);
      if (implicit.kind === 'query') return { kind: 'query', value: implicit.value, explicit: true };
    }
    return parsed;
  }

  parametersOf(params: Node | null, cls: ClassInfo | undefined, declarationOnly = false):
    { params: FunctionParam[]; varargs: boolean } {
    const out: FunctionParam[] = [];
    let varargs = false;
    if (!params) return { params: out, varargs };
    const items = significantChildren(params);
    items.forEach((p, index) => {
      if (p.type === 'ellipsis' || p.text === '...') { varargs = true; return; }
      if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') {
        out.push({ name: p.text.replace(/^\*+/, ''), type: PY_OBJECT, hasDefault: true });
        return;
      }
      // A cypclass method's `self` (`const self`, `locked self`) is a reference to the class with that capability;
      // `__new__(alloc, ...)` takes the allocator first.
      const cypSelf = index === 0 && cls?.cypclass ? /^(?:(const|locked)\s+)?(self|alloc)$/.exec(p.text.trim()) : null;
      if (cypSelf && cls) {
        out.push({ name: cypSelf[2], hasDefault: false, type: cypSelf[2] === 'alloc' ? unknown('cypclass allocator')
          : { kind: 'cpp', name: cls.name, cls, args: [], cypclass: true,
            ...(cypSelf[1] ? { qualifier: cypSelf[1] as 'const' | 'locked' } : {}) } });
        return;
      }
      const param = this.parameterOf(p, declarationOnly);
      if (!param) return;
      if (index === 0 && cls && (param.name === 'self') && param.type.kind === 'py' && param.type.name === 'object') {
        param.type = { kind: 'py', name: cls.name, cls };
      }
      out.push(param);
    });
    return { params: out, varargs };
  }

  parameterOf(p: Node, declarationOnly = false): FunctionParam | undefined {
    if (p.type === 'identifier') return { name: p.text, type: PY_OBJECT, hasDefault: false };
    const typeNode = field(p, 'type');
    const declarator = field(p, 'declarator');
    const nameNode = field(p, 'name');
    // `=` as a token of the parameter itself (not inside `ndarray[double, ndim=2]`)
    // (no listing of its tokens when its text has no `=` and no token is missing)
    const hasDefault = field(p, 'default') !== null
      || ((p.hasError || p.text.includes('=')) && p.children.some((c) => c?.type === '='));
    if (declarator) {
      const parsed = parseDeclaratorText(declarator.text);
      if (parsed.functionPointer) {
        // `void kernel(double*) nogil` as a parameter is a function pointer, as in C; its stars belong to the result
        const ret = typeNode ? typeSyntaxOf(typeNode.text) : undefined;
        const sig = this.functionPointerSignature(parsed.name,
          ret && parsed.function ? { ...ret, pointers: ret.pointers + parsed.pointers } : ret, parsed.functionPointer);
        return { name: parsed.name, type: { kind: 'ptr', base: { kind: 'func', sig } }, hasDefault };
      }
      if (!typeNode) {
        // An unnamed parameter `int` (declarations only): the "declarator" is the type.
        if (scalarType(parsed.name) || parsed.name === 'object') {
          return { name: '', type: this.types.resolveTypeSyntax(typeSyntaxOf(declarator.text)), hasDefault };
        }
        return { name: parsed.name, type: PY_OBJECT, hasDefault };
      }
      const base = typeSyntaxOf(typeNode.text);
      const type = this.types.resolveTypeSyntax({ ...base, pointers: base.pointers + parsed.pointers,
        arrays: base.arrays + parsed.arrays, reference: base.reference || parsed.reference });
      return { name: parsed.name, type, hasDefault };
    }
    if (typeNode) {
      // `x: cython.int` (typed_parameter: the name is its first identifier), `x: int = 3` (typed_default_parameter)
      const name = nameNode?.text ?? namedChildren(p).find((c) => c.type === 'identifier')?.text ?? '';
      return { name, type: this.types.resolveTypeNode(typeNode), hasDefault };
    }
    if (nameNode && declarationOnly && !typeNode && !declarator && nameNode.text !== 'self') {
      return { name: '', type: this.types.resolveTypeSyntax(typeSyntaxOf(nameNode.text)), hasDefault };
    }
    if (nameNode) {
      // An unnamed parameter in a declaration: `int`, `bint`, `float64_t`, `MyStruct`.
      const asType = this.types.resolveTypeSyntax(typeSyntaxOf(nameNode.text));
      if (asType.kind !== 'unknown' && !(asType.kind === 'py' && asType.name === 'object' && nameNode.text !== 'object')) {
        const sym = this.scope.lookup(nameNode.text);
        if (scalarType(nameNode.text) || nameNode.text === 'object' || PY_BUILTIN_TYPES.has(nameNode.text)
          || sym?.kind === 'c-type' || sym?.kind === 'ext-class') {
          return { name: '', type: asType, hasDefault };
        }
      }
      return { name: nameNode.text, type: PY_OBJECT, hasDefault };
    }
    // Python-style parameters inside a C signature: `x=3`, `x: int`
    const id = p.type === 'default_parameter' ? field(p, 'name') : childOfType(p, 'identifier');
    return id ? { name: id.text, type: PY_OBJECT, hasDefault } : undefined;
  }
}

export function parseExceptionSpec(text: string): ExceptionSpec {
  const t = text.replace(/\s+/g, ' ').trim();
  if (/^except ?\+/.test(t)) return { kind: 'cpp' };
  if (/^except ?\*$/.test(t)) return { kind: 'star', explicit: true };
  const q = /^except ?\? ?(.*)$/.exec(t);
  if (q) return { kind: 'query', value: q[1].trim(), explicit: true };
  const v = /^except (.*)$/.exec(t);
  if (v) return { kind: 'value', value: v[1].trim() };
  return { kind: 'star', explicit: true };
}

/**
 * The exception spec of a function pointer declarator's trailer (`except -1 nogil`). Without one, pointers declared
 * in Cython code check exceptions without a value (Nodes.CFuncDeclaratorNode: no implicit value for pointers);
 * extern ones do not check at all.
 */
function pointerException(trailer: string, extern: boolean): ExceptionSpec {
  if (/\bnoexcept\b/.test(trailer)) return { kind: 'noexcept', explicit: true };
  const m = /\bexcept\b\s*(\?\s*[^\s]+|\+\s*\w*|\*|[^\s]+)/.exec(trailer);
  if (m) return parseExceptionSpec(`except ${m[1]}`.replace(/except \? */, 'except? '));
  return extern ? { kind: 'noexcept', explicit: false } : { kind: 'star', explicit: false };
}

/**
 * The `@cython.X` / `@cython.X(args)` decorators of a def (also through `import cython as cy`, `from cython import X`) (X → the argument text, '' without arguments), as the
 * compiler reads them; `@cython.boundscheck(False)` and other directives are included (callers ask by name).
 */
export function pureModeDecorators(def: Node): Map<string, string> {
  const out = new Map<string, string>();
  const parent = def.parent;
  if (!parent || parent.type !== 'decorated_definition') return out;
  for (const d of childrenOfType(parent, 'decorator')) {
    const c = cythonDecorator(d);
    if (c) out.set(c.name, c.args);
  }
  return out;
}

/**
 * `@cython.exceptval(...)`: `(-1)` is `except -1`, `(-1, check=True)` `except? -1`, `(check=True)` `except *`,
 * `(check=False)` `noexcept` (Cython's ParseTreeTransforms for the exceptval directive).
 */
export function pureExceptionSpec(args: string): ExceptionSpec {
  const parts = splitTopLevel(args).map((a) => a.trim()).filter((a) => a);
  let value: string | undefined;
  let check: boolean | undefined;
  for (const p of parts) {
    const kw = /^check\s*=\s*(\w+)$/.exec(p);
    if (kw) check = kw[1] === 'True';
    else if (/^value\s*=/.test(p)) value = p.replace(/^value\s*=\s*/, '');
    else value = p;
  }
  if (value === undefined || value === 'None') {
    return check === false ? { kind: 'noexcept', explicit: true } : { kind: 'star', explicit: true };
  }
  // the check defaults to True (ParseTreeTransforms: exceptval(None, check=True)): `exceptval(-1)` is `except? -1`
  return check !== false ? { kind: 'query', value, explicit: true } : { kind: 'value', value };
}

/**
 * A syntax error in the header of a C function (not in its body: error recovery inside a body leaves the header's
 * reading intact, and the module's declarations are kept across body edits, module-interface.ts), or around it.
 */
function declarationBroken(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'ERROR') return true;
  return interfaceHasError(node);
}
