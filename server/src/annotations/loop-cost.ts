/**
 * `for` loops: C loops (ranges, memoryviews, C arrays; model/loop-iteration.ts), prange bodies, `enumerate()` with a
 * C counter, and Python iteration (iterator protocol, item unpacking and conversion).
 */
import { type CType, PY_OBJECT } from '../model/c-types';
import { bodyState, prangeOf } from '../model/gil-state';
import { type Node, field, significantChildren } from '../model/syntax';
import { convert } from './conversion-cost';
import { type CostEnv, gilHeld, lineOf } from './cost-env';
import { type DictIteration, constantIterable, dictIteration, dictIterationPoints, isCRange, label, typeInfo } from './expression-info';
import { nogilRegion } from './gil-region-cost';
import { MACRO, PY_CALL, PYX_CALL } from './line-costs';

const PY_OBJECT_TUPLE: CType = { kind: 'py', name: 'tuple' };

export function forStatement(node: Node, env: CostEnv): void {
  const left = field(node, 'left');
  const right = field(node, 'right');
  const body = field(node, 'body');
  const alt = field(node, 'alternative');
  if (!right) return;
  const prange = prangeOf(node);
  if (prange) {
    if (right.type === 'call') {
      const args = field(right, 'arguments');
      for (const a of args ? significantChildren(args) : []) {
        const v = a.type === 'keyword_argument' ? field(a, 'value') : a;
        if (v && a.type !== 'keyword_argument') env.walk.expr(v, env);
      }
    }
    const inner = bodyState(node, env.state, (c) => env.model.constantCondition(c, env.specialisation)) ?? env.state;
    nogilRegion(node, env, inner, () => env.walk.block(body, { ...env, state: inner }));
    return;
  }
  // Loops the compiler runs in C (model/loop-iteration.ts): no iterator, no item references.
  const plan = env.model.typer.loopPlan(node, env.scope);
  if (plan.kind === 'c' || (plan.kind === 'unknown' && isCRange(right, env))) {
    if (isCRange(right, env)) {
      const args = field(right, 'arguments');
      for (const a of args ? significantChildren(args) : []) env.walk.expr(a, env);
    } else {
      env.walk.expr(right, env);
    }
    // `for i in range(obj)` into a C variable: the object bounds are unboxed once.
    const index: CType = { kind: 'scalar', name: 'Py_ssize_t', family: 'int' };
    if (plan.kind === 'c') for (const b of plan.pythonBounds ?? []) convert(b, typeInfo(b, env), index, env);
    if (plan.kind === 'c' && plan.overMemoryview && gilHeld(env)) {
      env.sink.add(lineOf(node), 2 * PYX_CALL + 3 * MACRO, 'memoryview iteration: length and bounds-checked items');
    }
    env.walk.block(body, env);
    if (alt) env.walk.statement(alt, env);
    return;
  }
  // A string literal is iterated as a constant C array of characters (_try_optimise_array_iteration).
  if (right.type === 'string' && typeInfo(right, env).literal) {
    env.walk.block(body, env);
    if (alt) env.walk.statement(alt, env);
    return;
  }
  // `for i, x in enumerate(seq)` with a C counter: the counter is a C variable, seq is iterated
  // (_transform_enumerate_iteration).
  let iterable = right;
  let target = left;
  let counterCost = 0;
  const enumerated = enumerateParts(right, left, env);
  if (enumerated) {
    iterable = enumerated.iterable;
    target = enumerated.item;
    counterCost = enumerated.pyCounter ? 2 * PYX_CALL + 3 * MACRO : 3 * MACRO;
    if (enumerated.start) env.walk.expr(enumerated.start, env);
  }
  const dict = enumerated ? undefined : dictIteration(right, env);
  if (dict) {
    dictLoop(node, dict, left, env);
    env.walk.block(body, env);
    if (alt) env.walk.statement(alt, env);
    return;
  }
  const ri = constantIterable(iterable, env) ? { type: PY_OBJECT_TUPLE, temp: false }
    : env.walk.exprTo(iterable, PY_OBJECT, env);
  if (gilHeld(env) && (ri.type.kind === 'py' || ri.type.kind === 'unknown')) {
    const line = lineOf(node);
    const name = ri.type.kind === 'py' ? ri.type.name : 'object';
    if (name === 'list' || name === 'tuple') {
      env.sink.add(line, PY_CALL + 2 * PYX_CALL + 2 * MACRO + counterCost,
        `iteration over a Python ${name} (None check, item references)`);
    } else if (name === 'str' || name === 'unicode') {
      env.sink.add(line, 3 * PYX_CALL + 2 * MACRO + counterCost, 'iteration over the characters of a str');
    } else if (name === 'bytes' || name === 'bytearray') {
      env.sink.add(line, 4 * PYX_CALL + 2 * MACRO + counterCost, `iteration over the bytes of a ${name}`);
    } else {
      // the list/tuple fast paths and the generic iterator (PyObject_GetIter, tp_iternext, StopIteration check)
      env.sink.add(line, 8 * PY_CALL + 2 * PYX_CALL + 4 * MACRO + counterCost, `Python iteration over \`${label(iterable)}\``);
    }
    env.facts.raises = true;
    if (target) {
      if (target.type === 'pattern_list' || target.type === 'tuple_pattern') {
        // (as `a, b = item`: tuple/list fast paths and the generic unpacking through an iterator)
        env.sink.add(line, 6 * PY_CALL + 8 * PYX_CALL + 5 * MACRO, 'loop item unpacked into several targets');
      } else {
        // characters of a str/bytes come out as C values (Py_UCS4 / char)
        const tt = typeInfo(target, env).type;
        const characters = /^(str|unicode|bytes|bytearray)$/.test(name);
        // (under enumerate() cython -a shows no unboxing on the loop line: the item is assigned in the body)
        if (tt.kind !== 'py' && !characters && !enumerated) convert(target, { type: PY_OBJECT, temp: true }, tt, env);
      }
    }
  }
  env.walk.block(body, env);
  if (alt) env.walk.statement(alt, env);
}

/** `enumerate(seq[, start])` over two targets with a C integer counter: the parts the compiler keeps. */
function enumerateParts(right: Node, left: Node | null, env: CostEnv):
  { iterable: Node; item: Node; start: Node | undefined; pyCounter?: boolean } | undefined {
  if (right.type !== 'call' || !left || (left.type !== 'pattern_list' && left.type !== 'tuple_pattern')) return undefined;
  const fn = field(right, 'function');
  if (fn?.type !== 'identifier' || fn.text !== 'enumerate' || env.scope.lookup('enumerate')?.kind !== 'builtin') {
    return undefined;
  }
  const argList = field(right, 'arguments');
  const args = argList ? significantChildren(argList) : [];
  const targets = significantChildren(left);
  if (args.length < 1 || args.length > 2 || args.some((a) => a.type === 'keyword_argument' || a.type === 'list_splat')
    || targets.length !== 2) return undefined;
  const counter = typeInfo(targets[0]!, env).type;
  // (a Python counter is transformed too, incremented with a Python addition)
  if (counter.kind === 'py') return { iterable: args[0]!, item: targets[1]!, start: args[1], pyCounter: true };
  if (counter.kind !== 'scalar' || counter.family !== 'int') return undefined;
  return { iterable: args[0]!, item: targets[1]!, start: args[1] };
}

/**
 * A loop over a dict's keys/values/items or a set (Optimize.py `_transform_dict_iteration`): no iterator object, no
 * `.items()` call; the key and value come out as references (unboxed into C targets).
 */
function dictLoop(node: Node, dict: DictIteration, left: Node | null, env: CostEnv): void {
  env.walk.expr(dict.object, env);
  if (!gilHeld(env)) return;
  const what = dict.kind === 'set' ? 'set' : dict.keys && dict.values ? 'dict items' : dict.values ? 'dict values' : 'dict keys';
  env.sink.add(lineOf(node), dictIterationPoints(dict), `iteration over the ${what} of \`${label(dict.object)}\` (no iterator object)`);
  env.facts.raises = true;
  const targets = !left ? [] : dict.keys && dict.values && (left.type === 'pattern_list' || left.type === 'tuple_pattern')
    ? significantChildren(left) : [left];
  for (const t of targets) {
    const tt = typeInfo(t, env).type;
    if (tt.kind !== 'py') convert(t, { type: PY_OBJECT, temp: true }, tt, env);
  }
}
