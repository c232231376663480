/**
 * `with` statements: GIL transitions (`with nogil:`, `with gil:`, conditional and parallel blocks, with the cost of
 * releasing and re-acquiring the GIL at every exit), directive blocks, and Python context managers.
 */
import { PY_OBJECT } from '../model/c-types';
import { HELD, type GilState, bodyState, contextManagerOf, gilTransition, isParallelBlock, withItemStates,
  withItems } from '../model/gil-state';
import { type Node, field, significantChildren } from '../model/syntax';
import { type CostEnv, type FunctionFacts, gilHeld, lineOf } from './cost-env';
import { containsReturn } from './control-flow';
import { withDirectives } from './directives';
import { MACRO, PY_CALL, PYX_CALL } from './line-costs';

/** A region that releases the GIL: cost of releasing it and re-acquiring it at every exit. */
export function nogilRegion(node: Node, env: CostEnv, inner: GilState, walk: () => void): void {
  const before: FunctionFacts = env.facts;
  const saved = { raises: before.raises, returns: before.returns };
  before.raises = false;
  before.returns = 0;
  walk();
  const exits = 1 + (before.raises ? 1 : 0) + (before.returns > 0 ? 1 : 0);
  before.raises ||= saved.raises;
  before.returns = saved.returns;
  if (gilHeld(env) && inner.kind !== 'held') {
    env.sink.add(lineOf(node), PY_CALL + PYX_CALL + exits * (PYX_CALL + PY_CALL),
      `GIL released here and re-acquired at ${exits === 1 ? 'the exit' : `${exits} exits`}`);
  }
}

export function withStatement(node: Node, env: CostEnv): void {
  const body = field(node, 'body');
  const directives = withDirectives(node, env.directives);
  if (directives) {
    env.walk.block(body, { ...env, directives });
    return;
  }
  const transition = gilTransition(node);
  if (transition || isParallelBlock(node)) {
    if (transition?.condition && env.model.constantCondition(transition.condition, env.specialisation) === undefined) {
      env.walk.block(body, env);
      return;
    }
    const inner = bodyState(node, env.state, (c) => env.model.constantCondition(c, env.specialisation)) ?? env.state;
    // `with lock, nogil:` / `with gil, lock:`: the other items are Python context managers entered in their own state.
    const items = withItemStates(node, env.state, (c) => env.model.constantCondition(c, env.specialisation)).items;
    for (const item of withItems(node)) {
      const step = items.get(item.id);
      const cm = step && !step.transition && step.state.kind === 'held' ? contextManagerOf(item) : undefined;
      if (cm) contextManager(node, cm.manager, { ...env, state: step!.state });
    }
    if (transition?.to === 'gil') {
      const saved = env.facts.raises;
      env.facts.raises = false;
      env.walk.block(body, { ...env, state: HELD });
      const exits = 1 + (env.facts.raises ? 1 : 0);
      env.facts.raises ||= saved;
      if (env.state.kind !== 'held') {
        env.sink.add(lineOf(node), PYX_CALL + exits * PYX_CALL, 'GIL acquired here (PyGILState_Ensure) and released at the exit');
      }
      return;
    }
    nogilRegion(node, env, inner, () => env.walk.block(body, { ...env, state: inner }));
    return;
  }
  const clause = significantChildren(node).find((c) => c.type === 'with_clause');
  if (compilerDirectiveItems(clause)) {
    // `with cython.nonecheck(True):`: a directive block (ParseTreeTransforms.InterpretCompilerDirectives), no code
    env.walk.block(body, env);
    return;
  }
  const locked = criticalSection(clause);
  if (locked) {
    criticalSectionCost(node, locked, body, env);
    return;
  }
  // A Python context manager: __enter__/__exit__ lookups and calls, exception handling around the body
  for (const item of clause ? significantChildren(clause) : []) {
    const value = field(item, 'value') ?? significantChildren(item)[0];
    if (value) env.walk.exprTo(value, PY_OBJECT, env);
  }
  if (gilHeld(env)) contextManagerCalls(node, env);
  env.walk.block(body, env);
}

/** One Python context manager item of a statement that also changes the GIL state (entered with the GIL held). */
function contextManager(node: Node, manager: Node, env: CostEnv): void {
  env.walk.exprTo(manager, PY_OBJECT, env);
  contextManagerCalls(node, env);
}

function contextManagerCalls(node: Node, env: CostEnv): void {
  env.sink.add(lineOf(node), 3 * PY_CALL + 6 * PYX_CALL + 4 * MACRO, 'context manager `__enter__`/`__exit__` calls');
  env.facts.raises = true;
}

/**
 * Compiler directives the compiler takes as a `with cython.<directive>(value):` block (Options.directive_types; the
 * ones with a modelled effect are read by withDirectives first).
 */
const WITH_DIRECTIVES = /^cython\.(boundscheck|wraparound|initializedcheck|nonecheck|cdivision|cdivision_warnings|overflowcheck|overflowcheck\.fold|infer_types|profile|linetrace|embedsignature|binding|always_allow_keywords|c_api_binop_methods|cpow|auto_pickle|annotation_typing|emit_code_comments|unraisable_tracebacks|remove_unreachable|optimize\.\w+|warn\.\w+|legacy_implicit_noexcept|freethreading_compatible|type_version_tag|iterable_coroutine|fast_getattr|c_string_type|c_string_encoding|ccomplex|callspec|show_performance_hints|dataclasses\.\w+)$/;

/** Every item of the `with` is a compiler directive call (`with cython.nonecheck(True):`). */
function compilerDirectiveItems(clause: Node | undefined): boolean {
  const items = clause ? significantChildren(clause) : [];
  return items.length > 0 && items.every((item) => {
    const value = field(item, 'value') ?? significantChildren(item)[0];
    return value?.type === 'call' && WITH_DIRECTIVES.test(field(value, 'function')?.text.replace(/\s+/g, '') ?? '');
  });
}

/** The objects of `with cython.critical_section(a[, b]):` (the statement's only item), else undefined. */
function criticalSection(clause: Node | undefined): readonly Node[] | undefined {
  const items = clause ? significantChildren(clause) : [];
  if (items.length !== 1) return undefined;
  const value = field(items[0]!, 'value') ?? significantChildren(items[0]!)[0];
  if (value?.type !== 'call' || !/^(cython\.)?critical_section$/.test(field(value, 'function')?.text ?? '')) {
    return undefined;
  }
  const args = field(value, 'arguments');
  const objects = args ? significantChildren(args) : [];
  return objects.length >= 1 && objects.length <= 2 && objects.every((a) => a.type !== 'keyword_argument')
    ? objects : undefined;
}

/**
 * `with cython.critical_section(obj):` (Nodes.py CriticalSectionStatNode): no context manager, a C lock held as by a
 * try/finally: `__Pyx_PyCriticalSection_Begin1` on the line, `_End1` on the normal and the error exit, and once
 * more when the body can leave another way (an exception raised in it, a return). Two objects: `Begin2`/`End2`.
 */
function criticalSectionCost(node: Node, objects: readonly Node[], body: Node | null, env: CostEnv): void {
  for (const o of objects) env.walk.expr(o, env);
  const saved = env.facts.raises;
  env.facts.raises = false;
  env.walk.block(body, env);
  const raises = env.facts.raises;
  env.facts.raises ||= saved;
  if (!gilHeld(env)) return;
  const points = objects.length === 1 ? 3 * PYX_CALL + (raises || containsReturn(body) ? PYX_CALL : 0) : 2 * PYX_CALL;
  env.sink.add(lineOf(node), points, 'critical section: the object locked here and unlocked at each exit');
}
