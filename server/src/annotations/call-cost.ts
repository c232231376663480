/**
 * Calls: C function calls (argument conversion and the exception check after the call, which in nogil code has to
 * acquire the GIL), builtins the compiler turns into C, and Python calls (callee lookup, bound-method unpacking,
 * argument boxing, keyword dicts).
 */
import { type FunctionSignature, PY_OBJECT, isPy } from '../model/c-types';
import type { ExprInfo } from '../model/expression-types';
import { type Node, field, significantChildren } from '../model/syntax';
import { convert } from './conversion-cost';
import { type CostEnv, gilHeld, lineOf } from './cost-env';
import { callPositionLine, label, typeInfo, unparen } from './expression-info';
import { MACRO, PY_CALL, PYX_CALL, apiNameCost } from './line-costs';

/** Builtins the compiler evaluates with a dedicated C-API call rather than a generic Python call. */
const BUILTIN_API: Record<string, number> = {
  isinstance: PY_CALL + PYX_CALL, len: PY_CALL, set: PY_CALL, list: PY_CALL, dict: PYX_CALL, tuple: PY_CALL,
  hasattr: PYX_CALL, getattr: PYX_CALL, iter: PY_CALL, next: PYX_CALL, abs: PY_CALL, str: PY_CALL,
  repr: PY_CALL, id: PY_CALL, hash: PY_CALL, sorted: PY_CALL + PYX_CALL, sum: PYX_CALL, callable: PYX_CALL,
};

export function exceptionCheck(sig: FunctionSignature, node: Node, env: CostEnv): void {
  const name = sig.name || label(node, 30);
  // a function returning a Python object always propagates errors (a NULL result)
  if (isPy(sig.returnType)) {
    env.facts.raises = true;
    return;
  }
  switch (sig.exception.kind) {
    case 'star':
      // `except *` (void functions, methods): scikit-learn's compiled output shows no C-API call on the call line
      env.facts.raises = true;
      return;
    case 'query':
      env.facts.raises = true;
      if (gilHeld(env)) {
        env.sink.here(PY_CALL, `exception check after calling \`${name}\` (PyErr_Occurred)`);
      } else {
        env.sink.here(PYX_CALL, `exception check after calling \`${name}\` acquires the GIL`);
      }
      return;
    case 'value': case 'cpp':
      // a comparison with the error value / a C++ try-catch: no C-API call on the line itself
      env.facts.raises = true;
      return;
    case 'noexcept':
      return;
  }
}

function argumentsOf(call: Node): readonly Node[] {
  const args = field(call, 'arguments');
  // `f(x for x in xs)`: the generator expression is the argument
  if (args?.type === 'generator_expression') return [args];
  return args ? significantChildren(args) : [];
}

export function callCost(node: Node, info: ExprInfo, env: CostEnv): void {
  const raw = field(node, 'function');
  if (!raw) return;
  const fnNode = unparen(raw);
  const args = argumentsOf(node);
  const gil = gilHeld(env);
  if (info.callee) {
    cCall(fnNode, args, info.callee, node, env);
    return;
  }
  const f = typeInfo(fnNode, env);
  const sym = f.symbol;
  if (fnNode.type === 'identifier' && sym) {
    if (sym.kind === 'cython-builtin' || sym.kind === 'c-type' || sym.kind === 'c-function') {
      for (const a of args) env.walk.expr(a, env);
      return;
    }
    if (sym.kind === 'builtin') {
      builtinCall(fnNode.text, args, info, node, env);
      return;
    }
  }
  if (f.type.kind === 'unknown' && !(fnNode.type === 'attribute' && typeInfo(fnNode, env).pyAttribute)) {
    // A callee we cannot type: cimported module functions we could not see, fused specialisations...
    for (const a of args) env.walk.expr(a, env);
    return;
  }
  if (!gil) {
    for (const a of args) env.walk.expr(a, env);
    return;
  }
  env.facts.raises = true;
  pythonCall(fnNode, args, node, env, sym?.kind === 'ext-class');
}

function cCall(fnNode: Node, args: readonly Node[], sig: FunctionSignature, call: Node, env: CostEnv): void {
  if (fnNode.type === 'attribute') {
    const obj = field(fnNode, 'object');
    if (obj) {
      const oi = typeInfo(obj, env);
      if (!(oi.symbol && (oi.symbol.kind === 'cimported-module' || oi.symbol.kind === 'cython-builtin'))) env.walk.expr(obj, env);
    }
  }
  // a C call without an exception check is not a temporary: its C text is part of the code that uses its result,
  // generated where the enclosing expression's position was before the arguments
  const consumerLine = env.sink.cursor;
  let k = 0;
  for (const a of args) {
    if (a.type === 'keyword_argument') {
      const name = field(a, 'name')?.text;
      const p = sig.params.find((x) => x.name === name);
      const v = field(a, 'value');
      if (v) env.walk.exprTo(v, p?.type ?? PY_OBJECT, env);
      continue;
    }
    const p = sig.params[k++];
    if (p) {
      const ai = env.walk.exprTo(a, p.type, env);
      // an untyped object passed for a typed object parameter is type-tested (`PyUnicode_CheckExact(x) ||
      // __Pyx_RaiseUnexpectedTypeError`, `__Pyx_TypeTest` for extension types)
      if (gilHeld(env) && p.type.kind === 'py' && p.type.name !== 'object' && ai.type.kind === 'py'
        && ai.type.name === 'object' && !ai.literal) {
        env.sink.here(p.type.cls ? PYX_CALL : PY_CALL + PYX_CALL, `argument type-tested as \`${p.type.name}\``);
      }
    }
    else env.walk.expr(a, env);
  }
  const api = apiNameCost(sig.name);
  if (sig.exception.kind === 'noexcept' && !isPy(sig.returnType)) {
    if (api > 0) env.sink.add(consumerLine, api, `C-API call \`${sig.name}()\``);
    // what uses the result (a coercion to an object...) is generated at the call's position
    env.sink.mark(callPositionLine(call));
    return;
  }
  // a temporary result: the call is generated at the call's position (its `(`), after the arguments
  env.sink.mark(callPositionLine(call));
  if (api > 0) env.sink.here(api, `C-API call \`${sig.name}()\``);
  exceptionCheck(sig, call, env);
}

function builtinCall(name: string, args: readonly Node[], info: ExprInfo, call: Node, env: CostEnv): void {
  const gil = gilHeld(env);
  const argInfos = args.map((a) => env.walk.expr(a, env));
  if (!gil) return;
  // a builtin the compiler turns into C or a C-API call (PythonCapiCallNode) is generated at the call's position;
  // a builtin left a Python call follows its last argument, as Python calls do (PyMethodCallNode marks no position)
  const capi = BUILTIN_API[name] !== undefined || info.type.kind !== 'py' && !info.builtinCallNeedsGil;
  if (capi) env.sink.mark(callPositionLine(call));
  // `len(char*)`, `ord(char)`: inline C helpers (not declared nogil, but no Python call with the GIL held)
  const inlineHelper = info.builtinCallNeedsGil && !info.builtinBoxesArguments && info.type.kind !== 'py'
    && argInfos.every((a) => a.type.kind !== 'py' && a.type.kind !== 'unknown');
  if (inlineHelper) return;
  // type(x) is Py_TYPE(x) (Builtin.py: the one-argument form is inlined)
  if (name === 'type' && args.length === 1) return;
  if (info.type.kind !== 'py' && !info.builtinCallNeedsGil) {
    // abs/min/max/len of C values, float()/int() of C numbers: plain C
    if (name === 'len' && argInfos[0]?.type.kind === 'memview') {
      env.sink.here(PYX_CALL, 'len() of a memoryview');
    }
    return;
  }
  env.facts.raises = true;
  const api = BUILTIN_API[name];
  if (api !== undefined) {
    args.forEach((a, k) => convert(a, argInfos[k]!, PY_OBJECT, env));
    env.sink.here(api + MACRO, `Python builtin \`${name}()\``);
    return;
  }
  args.forEach((a, k) => convert(a, argInfos[k]!, PY_OBJECT, env));
  env.sink.here(PYX_CALL + MACRO + args.filter((a) => typeInfo(a, env).temp).length * MACRO,
    `Python call of builtin \`${name}()\``);
}

function pythonCall(fnNode: Node, args: readonly Node[], call: Node, env: CostEnv, constructor: boolean): void {
  const positional = args.filter((a) => a.type !== 'keyword_argument');
  const keywords = args.filter((a) => a.type === 'keyword_argument');
  const splat = args.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat');
  const obj = fnNode.type === 'attribute' ? field(fnNode, 'object') : null;
  const objInfo = obj ? typeInfo(obj, env) : undefined;
  const method = fnNode.type === 'attribute' ? field(fnNode, 'attribute')?.text : undefined;
  if (objInfo?.type.kind === 'py' && objInfo.type.name === 'list' && (method === 'append' || method === 'extend')
    && obj) {
    env.walk.expr(obj, env);
    for (const a of args) env.walk.exprTo(a, PY_OBJECT, env);
    env.sink.add(lineOf(call), PYX_CALL + MACRO, `list.${method}() on a Python list`);
    return;
  }
  // `local.method(...)` is called through __Pyx_PyObject_FastCallMethod: no separate attribute lookup
  const localMethod = obj !== null && objInfo !== undefined && objInfo.type.kind === 'py' && !objInfo.pyGlobal
    && !objInfo.pyAttribute && obj.type === 'identifier' && keywords.length === 0 && !splat;
  // With keyword arguments the compiler evaluates the arguments first and the callee last.
  const calleeLast = keywords.length > 0 || splat;
  if (!calleeLast) env.walk.expr(localMethod ? obj : fnNode, env);
  // the method is looked up where its name is (`x\n    .name(...)`: AttributeNode's position)
  const attrName = fnNode.type === 'attribute' ? field(fnNode, 'attribute') : null;
  if (!calleeLast && attrName) env.sink.mark(Math.max(env.sink.cursor, lineOf(attrName)));
  let temps = 0;
  for (const a of args) {
    const v = a.type === 'keyword_argument' ? field(a, 'value') : a;
    if (!v) continue;
    const vi = env.walk.exprTo(v, PY_OBJECT, env);
    if (vi.temp || vi.type.kind !== 'py') temps++;
  }
  if (calleeLast) {
    // (a `**mapping` argument is merged last: the call follows it on its line)
    const splatArg = args.filter((a) => a.type === 'dictionary_splat').pop();
    env.sink.mark(splatArg ? lineOf(splatArg) : lineOf(fnNode));
    env.walk.expr(fnNode, env);
    if (splatArg) env.sink.mark(lineOf(splatArg));
  }
  const name = label(fnNode, 30);
  const sink = env.sink;
  if (localMethod) {
    sink.here(PYX_CALL + 2 * MACRO, `Python method call \`${name}()\``);
  } else if (constructor) {
    sink.here(PYX_CALL + MACRO, `Python call creating a \`${name}\` object`);
  } else {
    sink.here(PY_CALL + 4 * MACRO + 2 * PYX_CALL + 2 * MACRO, `Python call \`${name}()\` (bound-method unpacking, vectorcall)`);
  }
  if (calleeLast) sink.here(PYX_CALL + MACRO + (splat ? PY_CALL : 0), `keyword arguments dict built for \`${name}()\``);
  if (temps > 0) sink.here(temps * MACRO, 'temporary argument references released');
  void positional;
}
