/**
 * Definitions: the code the compiler attaches to a `def`/`cdef`/`cpdef` line (argument parsing and conversion of
 * the Python wrapper, creation of the function object, the error exit with its traceback or unraisable warning,
 * GIL acquisition of `with gil` functions), classes, and the walk of function bodies with their GIL state and
 * directives. Fused functions are generated once per specialisation: their lines are counted that many times.
 */
import { type CType, type ClassInfo, type FunctionParam, type FunctionSignature, definedClassOf, isPy } from '../model/c-types';
import type { FunctionInfo } from '../model/function-scope';
import { type GilState, HELD } from '../model/gil-state';
import { Scope } from '../model/symbols';
import { type Node, field, fields, namedChildren, significantChildren, undecorate } from '../model/syntax';
import { boxing, unboxing } from './conversion-cost';
import { type CostEnv, type FunctionFacts, lineOf } from './cost-env';
import { definitionDirectives } from './directives';
import { positionLine } from './expression-info';
import { type FusedLookup, fusedTypesOf, specialisationCount, specialisationsOf, specialisedScope, substitute }
  from './fused-specialisations';
import { ExpressionTyper } from '../model/expression-types';
import { fusedTestsOf, specialisationsFrom } from '../model/fused-specialisation';
import { MACRO, PY_CALL, PYX_CALL } from './line-costs';
import { pureDeclarationOf } from '../model/pure-declarations';
import { isPureExtensionClass } from '../model/pure-classes';

/** Special methods of a `cdef class` that fill a type slot with a C signature (Cython/Compiler/TypeSlots.py). */
const SLOT_METHODS = new Set(['__dealloc__', '__iter__', '__next__', '__len__', '__getitem__', '__setitem__',
  '__delitem__', '__contains__', '__repr__', '__str__', '__hash__', '__richcmp__', '__eq__', '__ne__', '__lt__',
  '__le__', '__gt__', '__ge__', '__bool__', '__getattr__', '__getattribute__', '__setattr__', '__delattr__',
  '__get__', '__set__', '__delete__', '__getbuffer__', '__releasebuffer__', '__add__', '__radd__', '__sub__',
  '__rsub__', '__mul__', '__rmul__', '__truediv__', '__rtruediv__', '__floordiv__', '__rfloordiv__', '__mod__',
  '__rmod__', '__divmod__', '__rdivmod__', '__pow__', '__rpow__', '__neg__', '__pos__', '__abs__', '__invert__',
  '__lshift__', '__rlshift__', '__rshift__', '__rrshift__', '__and__', '__rand__', '__or__', '__ror__', '__xor__',
  '__rxor__', '__matmul__', '__rmatmul__', '__int__', '__float__', '__index__', '__iadd__', '__isub__', '__imul__',
  '__itruediv__', '__ifloordiv__', '__imod__', '__ipow__', '__ilshift__', '__irshift__', '__iand__', '__ior__',
  '__ixor__', '__imatmul__', '__await__', '__aiter__', '__anext__']);

/**
 * The dispatcher the compiler writes for a fused `def`/`cpdef` (FusedNode.py: signature matching on the arguments),
 * on the def line: a base, more per fused type it tells apart, and per specialisation the function object stored in
 * its `__signatures__` (a cpdef one also gets its C-level entry). Fitted on `cython -a` of fused functions with 2 to
 * 56 specialisations of 1 to 3 fused types (memoryview and scalar arguments): within 5% of the compiler's scores.
 */
const FUSED_DISPATCH = 30 * PYX_CALL + 8 * PY_CALL;
const FUSED_DISPATCH_PER_TYPE = 8 * PYX_CALL + 4 * PY_CALL;
const FUSED_PER_SPECIALISATION = { def: 2 * PYX_CALL + PY_CALL + 2 * MACRO, cpdef: 4 * PYX_CALL + 2 * PY_CALL - MACRO };

export function definitionCost(raw: Node, env: CostEnv): void {
  const node = undecorate(raw);
  const own = definitionDirectives(node, env.directives);
  const directives = env.forceDef?.id === node.id ? { ...own, ...env.forceDef.set } : own;
  const inner = { ...env, directives };
  if (raw.type === 'decorated_definition') {
    const extension = node.type === 'cdef_class_definition' || isPureExtensionClass(node, env.scope);
    decorators(raw, extension ? { ...env, inExtensionClass: true } : env, extension);
  }
  switch (node.type) {
    case 'function_definition': case 'c_function_definition':
      functionCost(node, inner, lineOf(raw));
      return;
    case 'class_definition':
      // `@cython.cclass` classes, and classes the augmenting .pxd declares `cdef class`, are extension types
      if (isPureExtensionClass(node, env.scope)) extensionClass(node, inner);
      else pythonClass(node, inner);
      return;
    case 'cdef_class_definition':
      extensionClass(node, inner);
      return;
    default:
      return;
  }
}

function decorators(raw: Node, env: CostEnv, extensionClass = false): void {
  for (const d of namedChildren(raw)) {
    if (d.type !== 'decorator') continue;
    const e = significantChildren(d)[0];
    // On an extension type, `@functools.total_ordering` and `@dataclasses.dataclass(...)` are directives, not calls
    // (Nodes.CClassDefNode: Builtin.exprnode_to_known_standard_library_name)
    if (e && extensionClass && isKnownClassDirective(e, env)) continue;
    if (!e || /^(cython\.)?\w+(\(.*\))?$/s.test(e.text) && /^(cython\.|boundscheck|wraparound|cdivision|initializedcheck|nonecheck|cfunc|ccall|inline|locals|returns|exceptval|final|nogil|with_gil|profile|linetrace|infer_types|overflowcheck|embedsignature|binding|freelist|cclass)/.test(e.text)) continue;
    if (e.text === 'staticmethod' || e.text === 'classmethod' || e.text === 'property') continue;
    // `@name.setter` in a cdef class fills the property's C setter: no decorator call
    if (env.inExtensionClass && /^\w+\.(setter|deleter|getter)$/.test(e.text)) continue;
    env.walk.expr(e, env);
    env.sink.add(lineOf(d), PY_CALL + 2 * PYX_CALL, `decorator \`${e.text.slice(0, 30)}\` applied`);
  }
}

/** `functools.total_ordering`, `dataclasses.dataclass` (also called, and as names imported from those modules). */
function isKnownClassDirective(e: Node, env: CostEnv): boolean {
  const callee = e.type === 'call' ? field(e, 'function') : e;
  const m = callee ? /^(?:(\w+)\.)?(\w+)$/.exec(callee.text.replace(/\s+/g, '')) : null;
  if (!m) return false;
  const [, module, name] = m;
  const origin = env.scope.lookup(module ?? name!)?.origin;
  return (name === 'total_ordering' && origin === 'import functools')
    || (name === 'dataclass' && origin === 'import dataclasses');
}

/** The name a parameter node declares (`x`, `x=1`, `int x=1`, `x: int = 1`), if the syntax says it plainly. */
function paramName(n: Node): string | undefined {
  if (n.type === 'identifier') return n.text;
  const name = field(n, 'name') ?? field(n, 'declarator');
  if (name?.type === 'identifier') return name.text;
  const first = namedChildren(n)[0];
  return first?.type === 'identifier' ? first.text : undefined;
}

/** A `@property` / `@name.setter` / `@name.deleter` method (of a cdef class: a getset C function). */
function isPropertyAccessor(def: Node): boolean {
  const decorated = def.parent?.type === 'decorated_definition' ? def.parent : undefined;
  return !!decorated && namedChildren(decorated).some((d) => d.type === 'decorator'
    && /^(property|\w+\.(setter|deleter|getter))$/.test(significantChildren(d)[0]?.text ?? ''));
}

function bodyStateOf(sig: FunctionSignature | undefined, node: Node): GilState {
  if (sig && sig.nogil && !sig.withGil) return { kind: 'nogil-function', releasedBy: field(node, 'name') ?? node };
  return HELD;
}

function wrapperParams(node: Node, info: FunctionInfo, env: CostEnv): FunctionParam[] {
  const params = info.signature?.params
    ?? env.model.collector.parametersOf(field(node, 'parameters'), env.cls).params;
  // `self` of an extension type method is passed as a C argument, not parsed
  return env.inExtensionClass && params[0]?.name === 'self' ? params.slice(1) : params;
}

/**
 * The Python wrapper of a def/cpdef: argument tuple/keyword parsing at the def line (the first decorator's line);
 * the defaults of object arguments are filled in at their own lines (`values[k] = default`), and the rest of the
 * wrapper (unpacking, conversions to C types, type tests of typed object arguments, the error exit) follows the last
 * of them.
 * Returns that line.
 */
function wrapperCost(params: FunctionParam[], nodes: (Node | undefined)[], varargs: boolean, line: number,
  env: CostEnv, fused: boolean): number {
  const sink = env.sink;
  if (params.length === 0 && !varargs) {
    // module functions take METH_NOARGS; methods still check that no argument was passed
    if (env.level === 'class') sink.add(line, PY_CALL + 5 * PYX_CALL + 4 * MACRO, 'Python wrapper: checks that no argument was passed');
    else sink.add(line, PYX_CALL, 'Python wrapper (no arguments)');
    return line;
  }
  // (the model's `hasDefault` also matches `ndarray[double, ndim=2] x`: ask the syntax)
  const hasDefault = (p: FunctionParam, k: number): boolean => {
    const node = nodes[k];
    return node ? (field(node, 'default') ?? field(node, 'value')) !== null : p.hasDefault;
  };
  // The wrapper fills in the defaults of object arguments (`values[k] = default`) at their positions; a number or
  // string constant marks no position (IntNode/FloatNode/UnicodeNode/BytesNode.generate_evaluation_code), so its
  // default goes with the one before it. The rest of the wrapper (type tests, conversions, error exit) follows the
  // last default that marked its line.
  const defaultLines: (number | undefined)[] = [];
  let split = line;
  params.forEach((p, k) => {
    const node = nodes[k];
    if (!isPy(p.type) || !hasDefault(p, k) || !node) return;
    const value = field(node, 'default') ?? field(node, 'value');
    if (!value || positionLine(value) !== undefined) split = lineOf(node);
    defaultLines[k] = split;
  });
  sink.add(line, PY_CALL + 2 * MACRO + 5 * PYX_CALL + 2 * MACRO * params.length,
    `Python argument parsing (${params.length} argument${params.length === 1 ? '' : 's'})`);
  sink.add(split, PYX_CALL + 2 * MACRO * params.length, 'arguments unpacked (argument count checked)');
  params.forEach((p, k) => {
    const node = nodes[k];
    if (isPy(p.type)) {
      const at = defaultLines[k];
      if (at !== undefined) sink.add(at, PYX_CALL + 2 * MACRO, `default value of argument \`${p.name}\``);
      if (p.type.kind === 'py' && p.type.name !== 'object') sink.add(split, PYX_CALL, `type test of argument \`${p.name}\``);
      sink.add(split, MACRO, `reference to argument \`${p.name}\` released`);
      return;
    }
    // a C argument's default is also kept as a Python object (`__defaults__`), built on its own line
    if (hasDefault(p, k) && node && !fused) {
      const b = boxing(p.type);
      if (b) sink.add(lineOf(node), b.points, `default of \`${p.name}\` kept as a Python object`);
    }
    const c = unboxing(p.type);
    if (c) sink.add(split, c.points, `argument \`${p.name}\`: ${c.reason}`);
  });
  if (varargs) sink.add(line, PY_CALL + PYX_CALL, '*args/**kwargs collected');
  return split;
}

/** `line`: where the compiler puts the function's own code (the first decorator of a decorated function). */
function functionCost(node: Node, env: CostEnv, line: number): void {
  const info = env.model.functionInfo(node, env.scope, env.cls);
  const sig = info.signature;
  // (a def with a signature is a C function: `@cython.cfunc` / `@cython.ccall`, or declared by an augmenting .pxd)
  const kind = node.type === 'function_definition' ? (sig ? (sig.origin === 'cpdef' ? 'cpdef' : 'cdef') : 'def')
    : field(node, 'kind')?.text === 'cpdef' ? 'cpdef' : 'cdef';
  const wrapped = wrapperParams(node, info, env);
  const lookup: FusedLookup = (name) => {
    const sym = env.model.collector.lookupDotted(name);
    return sym?.kind === 'c-type' && sym.type.kind === 'fused' ? sym.type.members : undefined;
  };
  // With a fused type that includes `object`, each specialisation is walked with its own types (the object one is
  // Python code); otherwise one walk with the first members stands for all, scaled by their number.
  const bodyNode = field(node, 'body');
  const tests = bodyNode
    ? specialisationsFrom(info.fusedTests ?? fusedTestsOf(bodyNode, env.model.collector), undefined).length > 0 : false;
  const walked = specialisationsOf(wrapped, sig?.returnType, lookup, tests);
  const specs = walked.length || specialisationCount(wrapped, sig?.returnType, lookup);
  const facts: FunctionFacts = { raises: false, returns: 0 };
  // default values are evaluated where the function is defined
  const params = field(node, 'parameters');
  for (const p of params ? significantChildren(params) : []) {
    const def = field(p, 'default') ?? field(p, 'value');
    if (def && def.type !== 'default_placeholder') env.walk.expr(def, env);
  }
  const body = field(node, 'body');
  if (!body) return;
  const state = bodyStateOf(sig, node);
  const sink = env.sink;
  const pyLocals = info.pythonLocals.length;
  const walk = (bodyEnv: CostEnv, params: FunctionParam[]): void => {
    env.walk.block(body, bodyEnv);
    wrapper(params);
  };
  const wrapper = (wrappedParams: FunctionParam[]): void => {
    const accessor = env.inExtensionClass && isPropertyAccessor(node);
    if (kind === 'def' && env.inExtensionClass && (SLOT_METHODS.has(field(node, 'name')?.text ?? '') || accessor)) {
      // a type slot (TypeSlots.py), or a property getter/setter of a cdef class (a C getset function), is called
      // with C arguments: no argument parsing, only the error exit (with a traceback when the body can raise)
      const exit = !facts.raises ? PYX_CALL : accessor ? 2 * PYX_CALL + MACRO : 2 * PYX_CALL + 2 * MACRO;
      sink.add(line, exit + pyLocals * MACRO, `${accessor ? 'property accessor' : 'type slot'}: error exit (traceback, references released)`);
      if (field(node, 'name')?.text === '__hash__') sink.add(line, PY_CALL, '__hash__: -1 result checked with PyErr_Occurred');
    } else if (kind === 'def' || kind === 'cpdef') {
      const paramNodes = params ? significantChildren(params).filter((p) => p.type !== 'ellipsis'
        && p.type !== 'list_splat_pattern' && p.type !== 'dictionary_splat_pattern' && p.text !== '*') : [];
      const offset = paramNodes.length - wrappedParams.length;
      // by name where the syntax names the parameter (keyword-only ones after `*args` included), else by position
      const byName = new Map(paramNodes.map((n) => [paramName(n), n] as const));
      const nodes = wrappedParams.map((p, k) => byName.get(p.name) ?? (offset >= 0 ? paramNodes[k + offset] : undefined));
      const split = wrapperCost(wrappedParams.filter((p) => p.name !== '' ), nodes, params ? significantChildren(params).some((p) =>
        p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') : false, line, env, specs > 1);
      sink.add(split, PYX_CALL + pyLocals * MACRO, 'error exit of the Python wrapper (traceback, references released)');
    }
    if (kind === 'cpdef' && env.level === 'class') {
      sink.add(line, 6 * PYX_CALL + 2 * PY_CALL + 10 * MACRO, 'cpdef method: check for a Python override');
    }
    if (kind !== 'def' && sig) {
      const nogil = state.kind !== 'held';
      if (facts.raises) {
        const noexcept = sig.exception.kind === 'noexcept' && !isPy(sig.returnType);
        sink.add(line, PYX_CALL + pyLocals * MACRO, noexcept ? 'errors inside a noexcept function are printed (unraisable)'
          : 'error exit: traceback recorded');
        if (nogil) sink.add(line, 2 * PYX_CALL, 'the error exit acquires the GIL');
      } else if (pyLocals > 0) {
        // the return cleanup releases the Python locals on the success path too (Nodes.py FuncDefNode
        // generate_function_definitions, "Return cleanup for both error and no-error return")
        sink.add(line, pyLocals * MACRO, 'Python locals released on return');
      }
      if (sig.withGil) sink.add(line, 2 * PYX_CALL, '`with gil` function acquires the GIL on entry');
    }
  };
  const bodyEnv: CostEnv = { ...env, state, scope: info.scope, fn: info, level: 'function', facts,
    inExtensionClass: false };
  if (walked.length) {
    for (const specialisation of walked) {
      // A typer of its own: the same nodes have other types in this specialisation.
      const typer = new ExpressionTyper(env.model.collector, env.model.typer.complete,
        (c) => env.model.constantCondition(c, specialisation));
      const model = { ...env.model, typer };
      walk({ ...bodyEnv, model, scope: specialisedScope(info.scope, specialisation), specialisation },
        wrapped.map((p) => ({ ...p, type: substitute(p.type, specialisation) })));
    }
  } else {
    sink.scaled(specs, () => walk(bodyEnv, wrapped));
  }
  if (specs > 1 && (kind === 'def' || kind === 'cpdef')) {
    const types = Math.max(1, fusedTypesOf(wrapped, sig?.returnType, lookup).types);
    sink.add(line, FUSED_DISPATCH + (types - 1) * FUSED_DISPATCH_PER_TYPE + specs * FUSED_PER_SPECIALISATION[kind],
      `fused function: Python dispatcher over ${specs} specialisations of ${types} fused type${types === 1 ? '' : 's'}`);
  }
  if (kind !== 'cdef' && node.type === 'function_definition') {
    // `x: cython.int`, `-> float`: the function object gets an `__annotations__` dict (a presized dict, one
    // PyDict_SetItem per annotation, __Pyx_CyFunction_SetAnnotationsDict), measured with cython -a on .py and .pyx
    const annotations = (params ? significantChildren(params) : []).filter((p) => field(p, 'type') !== null
      && (p.type === 'typed_parameter' || p.type === 'typed_default_parameter')).length
      + (field(node, 'return_type') ? 1 : 0);
    if (annotations > 0) {
      sink.add(line, 2 * PYX_CALL + MACRO + annotations * (PY_CALL + MACRO),
        `\`__annotations__\` dict of ${annotations} annotation${annotations === 1 ? '' : 's'} built`);
    }
  }
  if (kind === 'def' && node.type === 'function_definition' && isGeneratorFunction(node)) {
    // Nodes.py GeneratorDefNode: the generator/coroutine object (__Pyx_Generator_New...) and the check that the
    // first value sent in is None (PyErr_SetString)
    sink.add(line, PYX_CALL + PY_CALL, 'generator/coroutine object created');
  }
  if (kind !== 'cdef') {
    if (env.level === 'module') sink.add(line, 2 * PYX_CALL + 2 * PY_CALL + MACRO, 'function object created and stored in the module dict');
    else if (env.level === 'class' && !env.inExtensionClass) {
      sink.add(line, 2 * PYX_CALL + PY_CALL + MACRO, 'function object created in the class body');
    } else if (env.level === 'function') {
      sink.add(line, 2 * PYX_CALL + PY_CALL + MACRO, 'closure function object created');
    }
  }
}

function pythonClass(node: Node, env: CostEnv): void {
  const line = lineOf(node);
  const supers = field(node, 'superclasses');
  if (supers) for (const s of significantChildren(supers)) env.walk.expr(s, env);
  env.sink.add(line, PY_CALL * 2 + MACRO * 2, 'Python class object created and stored');
  const name = field(node, 'name')?.text;
  const sym = name ? env.scope.lookup(name) : undefined;
  const cls = definedClassOf(sym?.type);
  const classEnv: CostEnv = { ...env, scope: new Scope('class', env.scope), cls, level: 'class', fn: undefined,
    inExtensionClass: false };
  const body = field(node, 'body');
  for (const s of body ? significantChildren(body) : []) if (!env.skip?.has(s.id)) env.walk.statement(s, classEnv);
}

function extensionClass(node: Node, env: CostEnv): void {
  const name = field(node, 'name')?.text;
  const sym = name ? env.scope.lookup(name) : undefined;
  const cls = definedClassOf(sym?.type);
  const classEnv: CostEnv = { ...env, scope: new Scope('class', env.scope), cls, level: 'class', fn: undefined,
    inExtensionClass: true };
  const body = field(node, 'body');
  const statements = body ? significantChildren(body) : [];
  if (!env.methodUnit) attributeCosts(statements, cls, env);
  for (const s of statements) {
    if (env.skip?.has(s.id)) continue;
    if (s.type === 'property_definition') {
      env.walk.block(field(s, 'body'), classEnv);
      continue;
    }
    if (s.type === 'cdef_statement' || s.type === 'cdef_block' || s.type === 'c_variable_declaration') continue;
    if (s.type === 'expression_statement' && significantChildren(s).every((c) => c.type === 'string')) continue;
    definitionOrStatement(s, classEnv);
  }
}

function declarationsIn(s: Node): Node[] {
  if (s.type === 'c_variable_declaration') return [s];
  if (s.type === 'cdef_statement' || s.type === 'cdef_block' || s.type === 'block') {
    return significantChildren(s).flatMap(declarationsIn);
  }
  return [];
}

/**
 * The Python properties the compiler writes for `public`/`readonly` attributes of a `cdef class` (getter converting
 * the C value to Python, setter converting back), attributed to the attribute's line.
 */
function attributeCosts(statements: readonly Node[], cls: ClassInfo | undefined, env: CostEnv): void {
  for (const s of statements) {
    const pure = s.type === 'expression_statement' ? pureAttribute(s, cls) : undefined;
    if (pure) {
      if (pure.visibility === 'public' || pure.visibility === 'readonly') {
        for (const name of pure.names) {
          const t = cls?.attributes.get(name.text);
          if (t) propertyCost(name, name.text, t, pure.visibility, env);
        }
      }
      continue;
    }
    const blockVisibility = /^cdef\s+(public|readonly)\b/.exec(s.text)?.[1];
    for (const d of declarationsIn(s)) {
      const visibility = field(d, 'visibility')?.text ?? blockVisibility;
      if (visibility !== 'public' && visibility !== 'readonly') continue;
      for (const decl of fields(d, 'declarator')) {
        const name = field(decl, 'name')?.text ?? namedChildren(decl).find((c) => c.type === 'identifier')?.text ?? '';
        const t = cls?.attributes.get(name);
        if (!t) continue;
        propertyCost(decl, name, t, visibility, env);
      }
    }
  }
}

function propertyCost(decl: Node, name: string, t: CType, visibility: 'public' | 'readonly', env: CostEnv): void {
  const setter = visibility === 'public';
  const points = t.kind === 'py' ? (setter ? 3 * PY_CALL + 6 * PYX_CALL + 4 * MACRO : PY_CALL + 2 * PYX_CALL)
    : t.kind === 'memview' ? (setter ? 3 * PY_CALL + 5 * PYX_CALL + 4 * MACRO : PY_CALL + 3 * PYX_CALL)
      : (boxing(t)?.points ?? 0) + (setter ? (unboxing(t)?.points ?? 0) + 3 * PY_CALL + 5 * PYX_CALL : 2 * PYX_CALL);
  env.sink.add(lineOf(decl), points, `${visibility} attribute \`${name}\`: Python property ${setter
    ? 'getter and setter convert' : 'getter converts'} the value`);
}

/**
 * A cclass attribute declared in pure Python mode: `x = cython.declare(T, visibility='public')`,
 * `cython.declare(x=T)` (private), `x: T` (private; public in a cython dataclass, readonly if frozen, when T converts
 * to a Python object: ExprNodes.NameNode.declare_from_annotation).
 */
function pureAttribute(s: Node, cls: ClassInfo | undefined): { names: readonly Node[]; visibility: string } | undefined {
  const d = pureDeclarationOf(s);
  if (d?.kind === 'declare') return { names: d.names, visibility: d.visibility };
  if (d?.kind === 'declare-names') return { names: d.entries.map((e) => e.name), visibility: 'private' };
  const a = significantChildren(s)[0];
  const left = a?.type === 'assignment' ? field(a, 'left') : null;
  if (!a || !field(a, 'type') || left?.type !== 'identifier' || (field(a, 'right') && !cls?.dataclass)) return undefined;
  return { names: [left], visibility: cls?.dataclass ? 'public' : 'private' };
}

function definitionOrStatement(s: Node, env: CostEnv): void {
  if (s.type === 'function_definition' || s.type === 'c_function_definition' || s.type === 'decorated_definition'
    || s.type === 'class_definition' || s.type === 'cdef_class_definition') {
    definitionCost(s, env);
  } else if (s.type === 'block') {
    env.walk.block(s, env);
  } else {
    // Python statements of a cdef class body (class attributes, `if` at class level) run when the type is created
    env.walk.statement(s, env);
  }
}

/** `async def`, or a def whose own body yields or awaits (nested definitions, lambdas and classes aside). */
function isGeneratorFunction(def: Node): boolean {
  if (def.children.some((c) => c?.type === 'async')) return true;
  const visit = (n: Node): boolean => namedChildren(n).some((c) => c.type === 'yield' || c.type === 'await'
    || !NESTED_SCOPES.has(c.type) && visit(c));
  const body = field(def, 'body');
  // a yield or await expression spells its keyword (a missing one would make an error): most bodies need no walk
  if (body && !body.hasError && !body.text.includes('yield') && !body.text.includes('await')) return false;
  return body !== null && visit(body);
}

const NESTED_SCOPES = new Set(['function_definition', 'c_function_definition', 'class_definition',
  'cdef_class_definition', 'decorated_definition', 'lambda', 'list_comprehension', 'set_comprehension',
  'dictionary_comprehension', 'generator_expression']);
