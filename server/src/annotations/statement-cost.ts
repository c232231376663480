/**
 * Statements: assignments (to C variables, Python locals, module globals, attributes, items), loops (C loops,
 * Python iteration, prange), GIL transitions, directive blocks, exceptions, returns. Nested definitions are handed
 * to `definition-cost.ts`.
 */
import { type CType, PY_OBJECT } from '../model/c-types';
import { HELD, type GilState, bodyState, contextManagerOf, gilTransition, isParallelBlock, prangeOf, withItemStates,
  withItems } from '../model/gil-state';
import { type Node, field, fieldNodes, fields, namedChildren, significantChildren } from '../model/syntax';
import { type CostEnv, type FunctionFacts, gilHeld, lineOf } from './cost-env';
import { definitionCost } from './definition-cost';
import { withDirectives } from './directives';
import { condition, convert, expr, exprTo, isBufferIndex, isCRange, label, typeInfo } from './expression-cost';
import { MACRO, PY_CALL, PYX_CALL } from './line-costs';

const NO_CODE = new Set(['cimport_statement', 'cimport_from_statement', 'include_statement', 'c_function_declaration',
  'struct_definition', 'enum_definition', 'ctypedef_statement', 'fused_type_definition', 'cppclass_definition',
  'extern_block', 'comment', 'pass_statement', 'break_statement', 'continue_statement', 'global_statement',
  'nonlocal_statement', 'compile_time_definition', 'future_import_statement', 'decorator']);

export function block(node: Node | null, env: CostEnv): void {
  if (!node) return;
  for (const s of significantChildren(node)) {
    statement(s, env);
    // ParseTreeTransforms.py RemoveUnreachableCode: statements after a terminator are dropped
    if (env.directives.remove_unreachable && terminates(s)) return;
  }
}

/** `is_terminator` as RemoveUnreachableCode sets it: return/raise/break/continue, an if whose every branch ends so. */
function terminates(s: Node): boolean {
  switch (s.type) {
    case 'return_statement': case 'raise_statement': case 'break_statement': case 'continue_statement':
      return true;
    case 'if_statement': {
      const alts = fields(s, 'alternative');
      const last = alts[alts.length - 1];
      if (!last || last.type !== 'else_clause') return false;
      return [field(s, 'consequence'), ...alts.map((a) => field(a, 'consequence') ?? field(a, 'body')
        ?? significantChildren(a).find((c) => c.type === 'block') ?? null)].every(blockTerminates);
    }
    case 'try_statement': {
      const fin = significantChildren(s).find((c) => c.type === 'finally_clause');
      return !!fin && blockTerminates(significantChildren(fin).find((c) => c.type === 'block') ?? null);
    }
    default:
      return false;
  }
}

function blockTerminates(b: Node | null): boolean {
  return !!b && significantChildren(b).some(terminates);
}

export function statement(node: Node, env: CostEnv): void {
  if (NO_CODE.has(node.type)) return;
  env.sink.mark(lineOf(node));
  switch (node.type) {
    case 'expression_statement':
      for (const c of significantChildren(node)) expressionStatement(c, env);
      return;
    case 'assignment':
      assignment(node, env);
      return;
    case 'augmented_assignment':
      augmented(node, env);
      return;
    case 'return_statement':
      returnStatement(node, env);
      return;
    case 'if_statement': case 'elif_clause': {
      // Clauses with a compile-time condition (literals, DEF constants, fused-type tests of the specialisation being
      // walked) are folded away: false ones generate no code, a true one ends the chain (Optimize.ConstantFolding).
      for (const clause of [node, ...fields(node, 'alternative')]) {
        if (clause.type === 'else_clause') {
          statement(clause, env);
          return;
        }
        const cond = field(clause, 'condition');
        const value = cond ? env.model.constantCondition(cond, env.specialisation) : undefined;
        if (value === false) continue;
        if (clause !== node) env.sink.mark(lineOf(clause));
        if (cond && value === undefined) condition(cond, env);
        block(field(clause, 'consequence'), env);
        if (value === true) return;
      }
      return;
    }
    case 'else_clause': case 'compile_time_else_clause':
      block(field(node, 'body') ?? significantChildren(node).find((c) => c.type === 'block') ?? null, env);
      return;
    case 'compile_time_if_statement': case 'compile_time_elif_clause':
      block(field(node, 'consequence'), env);
      for (const alt of fields(node, 'alternative')) statement(alt, env);
      return;
    case 'while_statement': {
      const cond = field(node, 'condition');
      if (cond) condition(cond, env);
      block(field(node, 'body'), env);
      const alt = field(node, 'alternative');
      if (alt) statement(alt, env);
      return;
    }
    case 'for_statement':
      forStatement(node, env);
      return;
    case 'for_from_statement':
      for (const f of ['lower', 'upper', 'step']) {
        const v = field(node, f);
        if (v) expr(v, env);
      }
      block(field(node, 'body'), env);
      return;
    case 'with_statement': case 'with_nogil_statement': case 'with_gil_statement':
      withStatement(node, env);
      return;
    case 'raise_statement':
      raiseStatement(node, env);
      return;
    case 'try_statement':
      tryStatement(node, env);
      return;
    case 'assert_statement': {
      const [cond, msg] = significantChildren(node);
      if (cond) condition(cond, env);
      if (msg) exprTo(msg, PY_OBJECT, env);
      if (gilHeld(env)) env.sink.add(lineOf(node), PYX_CALL, 'assert raises AssertionError');
      env.facts.raises = true;
      return;
    }
    case 'delete_statement':
      for (const t of significantChildren(node)) deletion(t, env);
      return;
    case 'import_statement': case 'import_from_statement':
      importStatement(node, env);
      return;
    case 'cdef_statement': case 'cdef_block':
      for (const c of significantChildren(node)) statement(c, env);
      return;
    case 'c_variable_declaration':
      declaration(node, env);
      return;
    case 'function_definition': case 'c_function_definition': case 'decorated_definition':
    case 'class_definition': case 'cdef_class_definition':
      definitionCost(node, env);
      return;
    case 'block':
      block(node, env);
      return;
    default:
      for (const c of significantChildren(node)) {
        if (c.type === 'block') block(c, env);
      }
  }
}

function expressionStatement(node: Node, env: CostEnv): void {
  if (node.type === 'assignment') return assignment(node, env);
  if (node.type === 'augmented_assignment') return augmented(node, env);
  if (node.type === 'string' || node.type === 'concatenated_string') return; // docstrings, bare strings
  const info = expr(node, env);
  if (gilHeld(env) && info.type.kind === 'py' && info.temp) {
    env.sink.here(MACRO, 'discarded Python result released');
  }
}

function chainOf(node: Node): { targets: Node[]; value: Node | null; annotated: boolean } {
  const targets: Node[] = [];
  let cur: Node | null = node;
  let annotated = false;
  while (cur && cur.type === 'assignment') {
    const left = field(cur, 'left');
    if (left) targets.push(left);
    if (field(cur, 'type')) annotated = true;
    cur = field(cur, 'right');
  }
  return { targets, value: cur, annotated };
}

function assignment(node: Node, env: CostEnv): void {
  const { targets, value } = chainOf(node);
  if (!value) return;
  if (targets.length === 1 && targets[0]!.type === 'pattern_list' || targets[0]?.type === 'tuple_pattern') {
    unpacking(targets[0]!, value, env);
    return;
  }
  const first = targets[0];
  const targetType = first ? typeInfo(first, env).type : PY_OBJECT;
  const vi = targets.length === 1 ? exprTo(value, targetType, env) : expr(value, env);
  for (const t of targets) {
    if (targets.length > 1) convert(value, vi, typeInfo(t, env).type, env);
    store(t, vi, value, env);
  }
}

/** The cost of binding a value to a target (beyond evaluating and converting it). */
function store(target: Node, value: { type: CType; temp: boolean; literal?: boolean }, valueNode: Node,
  env: CostEnv): void {
  const gil = gilHeld(env);
  const line = lineOf(target);
  switch (target.type) {
    case 'identifier': {
      const t = typeInfo(target, env);
      if (!gil || t.type.kind !== 'py') return;
      const sym = env.scope.lookup(target.text);
      if (env.level === 'module' || sym?.binding === 'module') {
        env.sink.here(PY_CALL + (value.temp ? MACRO : 0), `module global \`${target.text}\` stored in the module dict`);
        env.facts.raises = true;
      } else if (env.level === 'class') {
        env.sink.add(line, PYX_CALL + MACRO, `class attribute \`${target.text}\` set`);
      } else if (!value.temp) {
        env.sink.here(MACRO, `new reference to \`${label(valueNode, 30)}\` stored in \`${target.text}\``);
      }
      return;
    }
    case 'attribute': {
      const obj = field(target, 'object');
      if (obj) expr(obj, env);
      const ti = typeInfo(target, env);
      if (!gil) return;
      if (ti.pyAttribute) {
        env.sink.add(line, PYX_CALL + MACRO, `Python attribute \`${label(target)}\` set`);
        env.facts.raises = true;
      } else if (ti.type.kind === 'py') {
        env.sink.add(line, 2 * MACRO, `object attribute \`${label(target)}\` replaced (reference counting)`);
      }
      return;
    }
    case 'subscript': {
      const v = field(target, 'value');
      if (!v) return;
      const vi = expr(v, env);
      const indices = fieldNodes(target, 'subscript');
      if (vi.type.kind === 'memview') {
        for (const i of indices) expr(i, env);
        if (env.directives.boundscheck && !indices.some((i) => i.type === 'slice')) {
          env.sink.add(line, PYX_CALL, `bounds check on \`${label(target)}\` (boundscheck is on)`);
          env.facts.raises = true;
        } else if (indices.some((i) => i.type === 'slice')) {
          env.sink.add(line, PYX_CALL + 2 * MACRO, `copy into memoryview slice \`${label(target)}\``);
          env.facts.raises = true;
        }
        return;
      }
      if (vi.type.kind === 'py' && gil && isBufferIndex(vi, indices, env)) {
        for (const i of indices) expr(i, env);
        if (env.directives.boundscheck) env.sink.add(line, PYX_CALL, `bounds check on buffer \`${label(target)}\``);
        return;
      }
      if (vi.type.kind === 'py' && gil) {
        const idx = indices.map((i) => expr(i, env));
        const cIndex = idx.length === 1 && idx[0]!.type.kind === 'scalar';
        if (!cIndex || vi.type.name === 'dict') indices.forEach((i, k) => convert(i, idx[k]!, PY_OBJECT, env));
        const dictNone = vi.type.name === 'dict' || vi.type.name === 'list' ? PY_CALL : 0;
        env.sink.add(line, (cIndex && vi.type.name !== 'dict' ? PYX_CALL : PY_CALL) + dictNone + MACRO,
          `Python item assignment \`${label(target)}\``);
        env.facts.raises = true;
        return;
      }
      for (const i of indices) expr(i, env);
      return;
    }
    case 'pattern_list': case 'tuple_pattern': case 'list_pattern':
      for (const t of significantChildren(target)) store(t, { type: PY_OBJECT, temp: true }, valueNode, env);
      return;
    default:
      return;
  }
}

function unpacking(target: Node, value: Node, env: CostEnv): void {
  const targets = significantChildren(target);
  const items = value.type === 'expression_list' || value.type === 'tuple' ? significantChildren(value) : undefined;
  if (items && items.length === targets.length) {
    // `a, b = b, a`: element-wise
    targets.forEach((t, k) => {
      const vi = exprTo(items[k]!, typeInfo(t, env).type, env);
      store(t, vi, items[k]!, env);
    });
    return;
  }
  const vi = expr(value, env);
  if (!gilHeld(env) || vi.type.kind !== 'py') return;
  if (vi.type.name === 'tuple') {
    // a typed tuple: None and size checks, then the items by index (no generic iterator path)
    env.sink.add(lineOf(value), 7 * PYX_CALL + 2 * targets.length * MACRO, `tuple unpacking of \`${label(value)}\``);
  } else {
    env.sink.add(lineOf(value), 6 * PY_CALL + 8 * PYX_CALL + 6 * MACRO, `Python sequence unpacking of \`${label(value)}\``);
  }
  env.facts.raises = true;
  for (const t of targets) {
    const tt = typeInfo(t, env).type;
    if (tt.kind !== 'py') convert(t, { type: PY_OBJECT, temp: true }, tt, env);
    else store(t, { type: PY_OBJECT, temp: true }, value, env);
  }
}

function augmented(node: Node, env: CostEnv): void {
  const left = field(node, 'left');
  const right = field(node, 'right');
  if (!left || !right) return;
  const li = typeInfo(left, env);
  const op = node.children.find((c) => c !== null && !c.isNamed && /=$/.test(c.text))?.text ?? '+=';
  if (li.type.kind === 'py' && gilHeld(env)) {
    if (left.type !== 'identifier') expr(left, env);
    const ri = expr(right, env);
    if (!(ri.literal && ri.type.kind === 'scalar')) convert(right, ri, PY_OBJECT, env);
    env.sink.add(lineOf(node), PYX_CALL + MACRO, `Python in-place operator \`${op}\``);
    if (left.type !== 'identifier') store(left, { type: PY_OBJECT, temp: true }, right, env);
    env.facts.raises = true;
    return;
  }
  // C target: evaluate as `left = left op right` (the index expression is evaluated once)
  if (left.type === 'subscript' || left.type === 'attribute') expr(left, env);
  const ri = exprTo(right, li.type, env);
  void ri;
  if ((op === '/=' || op === '//=' || op === '%=') && !env.directives.cdivision && li.type.kind === 'scalar') {
    const literalNonZero = typeInfo(right, env).literal && Number(right.text.replace(/[lLuU_]/g, '')) !== 0;
    if (!literalNonZero) {
      env.sink.add(lineOf(node), PY_CALL + (gilHeld(env) ? 0 : 2 * PYX_CALL), 'division by zero check (cdivision is off)');
      env.facts.raises = true;
    }
  }
}

function returnStatement(node: Node, env: CostEnv): void {
  const value = significantChildren(node)[0];
  const fn = env.fn;
  const slot = fn ? slotReturnType(fn.node) : undefined;
  const returnsPy = !slot && (!fn || fn.isPythonFunction || fn.signature?.returnType.kind === 'py');
  if (!gilHeld(env)) env.facts.returns++;
  if (!value) {
    if (returnsPy && gilHeld(env) && fn) env.sink.add(lineOf(node), 2 * MACRO, 'None returned to Python');
    return;
  }
  const target: CType = slot ?? (fn?.signature && !fn.isPythonFunction ? fn.signature.returnType : PY_OBJECT);
  const vi = exprTo(value, target, env);
  if (!gilHeld(env) || !returnsPy) return;
  const extra = vi.temp ? 0 : MACRO;
  env.sink.here(MACRO + extra, 'return value handed over as a Python object');
}

/** Type slots of a `cdef class` whose C signature returns a C value (TypeSlots.py): `__len__` → Py_ssize_t... */
const SLOT_RETURNS: Record<string, string> = {
  __len__: 'Py_ssize_t', __hash__: 'Py_hash_t', __bool__: 'int', __contains__: 'int', __setitem__: 'int',
  __delitem__: 'int', __setattr__: 'int', __delattr__: 'int', __set__: 'int', __delete__: 'int', __getbuffer__: 'int',
};

function slotReturnType(def: Node): CType | undefined {
  if (def.type !== 'function_definition') return undefined;
  const name = SLOT_RETURNS[field(def, 'name')?.text ?? ''];
  if (!name) return undefined;
  let p = def.parent;
  while (p && (p.type === 'block' || p.type === 'decorated_definition')) p = p.parent;
  return p?.type === 'cdef_class_definition' ? { kind: 'scalar', name, family: 'int' } : undefined;
}

function forStatement(node: Node, env: CostEnv): void {
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
        if (v && a.type !== 'keyword_argument') expr(v, env);
      }
    }
    const inner = bodyState(node, env.state, (c) => env.model.constantCondition(c, env.specialisation)) ?? env.state;
    nogilRegion(node, env, inner, () => block(body, { ...env, state: inner }));
    return;
  }
  // Loops the compiler runs in C (model/loop-iteration.ts): no iterator, no item references.
  const plan = env.model.typer.loopPlan(node, env.scope);
  if (plan.kind === 'c' || (plan.kind === 'unknown' && isCRange(right, env))) {
    if (isCRange(right, env)) {
      const args = field(right, 'arguments');
      for (const a of args ? significantChildren(args) : []) expr(a, env);
    } else {
      expr(right, env);
    }
    // `for i in range(obj)` into a C variable: the object bounds are unboxed once.
    const index: CType = { kind: 'scalar', name: 'Py_ssize_t', family: 'int' };
    if (plan.kind === 'c') for (const b of plan.pythonBounds ?? []) convert(b, typeInfo(b, env), index, env);
    if (plan.kind === 'c' && plan.overMemoryview && gilHeld(env)) {
      env.sink.add(lineOf(node), 2 * PYX_CALL + 3 * MACRO, 'memoryview iteration: length and bounds-checked items');
    }
    block(body, env);
    if (alt) statement(alt, env);
    return;
  }
  // A string literal is iterated as a constant C array of characters (_try_optimise_array_iteration).
  if (right.type === 'string' && typeInfo(right, env).literal) {
    block(body, env);
    if (alt) statement(alt, env);
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
    if (enumerated.start) expr(enumerated.start, env);
  }
  const ri = exprTo(iterable, PY_OBJECT, env);
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
  block(body, env);
  if (alt) statement(alt, env);
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

/** A region that releases the GIL: cost of releasing it and re-acquiring it at every exit. */
function nogilRegion(node: Node, env: CostEnv, inner: GilState, walk: () => void): void {
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

function withStatement(node: Node, env: CostEnv): void {
  const body = field(node, 'body');
  const directives = withDirectives(node, env.directives);
  if (directives) {
    block(body, { ...env, directives });
    return;
  }
  const transition = gilTransition(node);
  if (transition || isParallelBlock(node)) {
    if (transition?.condition && env.model.constantCondition(transition.condition, env.specialisation) === undefined) {
      block(body, env);
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
      block(body, { ...env, state: HELD });
      const exits = 1 + (env.facts.raises ? 1 : 0);
      env.facts.raises ||= saved;
      if (env.state.kind !== 'held') {
        env.sink.add(lineOf(node), PYX_CALL + exits * PYX_CALL, 'GIL acquired here (PyGILState_Ensure) and released at the exit');
      }
      return;
    }
    nogilRegion(node, env, inner, () => block(body, { ...env, state: inner }));
    return;
  }
  // A Python context manager: __enter__/__exit__ lookups and calls, exception handling around the body
  const clause = significantChildren(node).find((c) => c.type === 'with_clause');
  for (const item of clause ? significantChildren(clause) : []) {
    const value = field(item, 'value') ?? significantChildren(item)[0];
    if (value) exprTo(value, PY_OBJECT, env);
  }
  if (gilHeld(env)) contextManagerCalls(node, env);
  block(body, env);
}

/** One Python context manager item of a statement that also changes the GIL state (entered with the GIL held). */
function contextManager(node: Node, manager: Node, env: CostEnv): void {
  exprTo(manager, PY_OBJECT, env);
  contextManagerCalls(node, env);
}

function contextManagerCalls(node: Node, env: CostEnv): void {
  env.sink.add(lineOf(node), 3 * PY_CALL + 6 * PYX_CALL + 4 * MACRO, 'context manager `__enter__`/`__exit__` calls');
  env.facts.raises = true;
}

function raiseStatement(node: Node, env: CostEnv): void {
  const acquire = !gilHeld(env);
  const inner: CostEnv = acquire ? { ...env, state: HELD } : env;
  for (const c of significantChildren(node)) exprTo(c, PY_OBJECT, inner);
  const line = lineOf(node);
  env.sink.here(PYX_CALL, 'exception raised (__Pyx_Raise)');
  if (acquire) env.sink.add(line, 2 * PYX_CALL, 'raise in nogil code acquires the GIL');
  env.facts.raises = true;
}

function tryStatement(node: Node, env: CostEnv): void {
  const line = lineOf(node);
  const clauses = significantChildren(node);
  const handlers = clauses.filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
  const fin = clauses.find((c) => c.type === 'finally_clause');
  // only a try with handlers saves the exception state (Nodes.py TryExceptStatNode); try/finally alone does not
  if (gilHeld(env) && handlers.length) env.sink.add(line, PYX_CALL + 7 * MACRO, 'exception state saved for `try`');
  const body = field(node, 'body');
  block(body, env);
  for (const c of clauses) {
    if (c === fin) continue;
    if (c.type === 'except_clause' || c.type === 'except_group_clause') exceptClause(c, env);
    else if (c.type === 'else_clause') statement(c, env);
  }
  if (fin) finallyClause(fin, body, env);
  env.facts.raises = true;
}

/** Statements of an except body that HasNoExceptionHandlingVisitor (ParseTreeTransforms.py) lets go without the exception. */
function needsNoException(b: Node | null): boolean {
  const simple = (e: Node | undefined): boolean => !e || e.type === 'identifier' || e.type === 'integer'
    || e.type === 'float' || e.type === 'true' || e.type === 'false' || e.type === 'none' || e.type === 'string';
  return !!b && significantChildren(b).every((s) => s.type === 'comment' || s.type === 'pass_statement'
    || s.type === 'return_statement' && simple(significantChildren(s)[0])
    || s.type === 'expression_statement' && significantChildren(s).every((c) => c.type === 'string'
      || c.type === 'assignment' && field(c, 'left')?.type === 'identifier' && simple(field(c, 'right') ?? undefined)));
}

/**
 * An except clause (Nodes.py ExceptClauseNode): the match against each pattern (a module global pattern is looked
 * up and matched with the exception fetched aside), then, when the body needs the exception, the traceback and
 * `__Pyx_GetException`; a bound name is deleted at the end of the body as by a try/finally.
 */
function exceptClause(c: Node, env: CostEnv): void {
  const b = significantChildren(c).find((x) => x.type === 'block') ?? null;
  if (!gilHeld(env)) {
    block(b, env);
    return;
  }
  const line = lineOf(c);
  // (`except E as e` parses as an `as_pattern` value in tree-sitter-python 0.25)
  const asPattern = fieldNodes(c, 'value').find((v) => v.type === 'as_pattern');
  const values = asPattern ? significantChildren(asPattern).slice(0, 1) : fieldNodes(c, 'value');
  const alias = asPattern ? field(asPattern, 'alias') : field(c, 'alias') ?? namedChildren(c).find((x) =>
    x.type === 'identifier' && x.previousSibling?.type === 'as') ?? null;
  const patterns = values.flatMap((v) => (v.type === 'tuple' || v.type === 'parenthesized_expression'
    ? significantChildren(v.type === 'parenthesized_expression' && significantChildren(v)[0]?.type === 'tuple'
      ? significantChildren(v)[0]! : v) : [v]));
  const builtin = patterns.every((p) => p.type === 'identifier' && env.scope.lookup(p.text)?.kind === 'builtin');
  for (const p of patterns) expr(p, env);
  if (patterns.length) {
    const tests = patterns.length === 2 ? 1 : patterns.length;
    env.sink.add(line, tests * PYX_CALL + (builtin ? 0 : 2 * PYX_CALL), 'exception type matched');
  }
  const needs = alias !== null || !needsNoException(b);
  env.sink.add(line, needs ? 2 * PYX_CALL : PYX_CALL, needs ? 'exception fetched and its traceback recorded'
    : 'exception cleared');
  if (alias) env.sink.add(line, 6 * PYX_CALL, `exception bound to \`${alias.text}\` (deleted at the end of the clause)`);
  block(b, env);
  const last = b ? significantChildren(b).filter((x) => x.type !== 'comment').pop() : undefined;
  if (!needs || !last || isTerminator(last)) return;
  if (alias) env.sink.add(line, 2 * PYX_CALL + 2 * MACRO, `\`${alias.text}\` deleted and the exception released`);
  else env.sink.add(lastLine(last), 3 * MACRO, 'exception references released');
}

function isTerminator(s: Node): boolean {
  return s.type === 'return_statement' || s.type === 'raise_statement' || s.type === 'break_statement'
    || s.type === 'continue_statement';
}

/** The line of the last simple statement of `s` (where the compiler's position is after generating it). */
function lastLine(s: Node): number {
  let cur = s;
  for (;;) {
    const blocks = namedChildren(cur).filter((c) => c.type === 'block' || c.type.endsWith('_clause'));
    const tail = blocks.pop();
    if (!tail) return lineOf(cur);
    const inner = tail.type === 'block' ? tail : significantChildren(tail).find((c) => c.type === 'block') ?? tail;
    const stmts = significantChildren(inner).filter((c) => c.type !== 'comment');
    const next = stmts.pop();
    // pass/break/continue generate no position of their own
    if (!next || next === cur || NO_CODE.has(next.type)) return lineOf(cur);
    cur = next;
  }
}

function containsJump(n: Node | null, types: ReadonlySet<string>): boolean {
  if (!n) return false;
  for (const c of namedChildren(n)) {
    if (types.has(c.type)) return true;
    if (c.type === 'function_definition' || c.type === 'c_function_definition' || c.type === 'class_definition'
      || c.type === 'decorated_definition' || c.type === 'lambda') continue;
    if (c.type === 'for_statement' || c.type === 'while_statement' || c.type === 'for_from_statement') {
      if (types.has('return_statement') && containsJump(c, RETURN)) return true;
      continue;
    }
    if (containsJump(c, types)) return true;
  }
  return false;
}
const RETURN = new Set(['return_statement']);
const JUMPS = new Set(['return_statement', 'break_statement', 'continue_statement']);

/**
 * `finally` (Nodes.py TryFinallyStatNode): the body is generated once for the normal exit and once more for each way
 * out of the try body (exception, return/break/continue); the exception path saves and restores the exception state,
 * attributed to the last line of the clause.
 */
function finallyClause(fin: Node, tryBody: Node | null, env: CostEnv): void {
  const b = significantChildren(fin).find((x) => x.type === 'block') ?? null;
  if (!gilHeld(env) || !b) {
    block(b, env);
    return;
  }
  const copies = 2 + (containsJump(tryBody, JUMPS) ? 1 : 0);
  const saved = env.facts.raises;
  env.facts.raises = false;
  env.sink.scaled(copies, () => block(b, env));
  const raises = env.facts.raises;
  env.facts.raises ||= saved;
  const last = significantChildren(b).filter((x) => x.type !== 'comment').pop();
  if (last) {
    env.sink.add(lastLine(last), 4 * PYX_CALL + 4 * MACRO + (raises ? PYX_CALL + 3 * MACRO : 0),
      'exception state saved and restored around `finally`');
  }
}

function deletion(target: Node, env: CostEnv): void {
  if (target.type === 'expression_list') {
    for (const t of significantChildren(target)) deletion(t, env);
    return;
  }
  if (!gilHeld(env)) return;
  if (target.type === 'subscript') {
    const v = field(target, 'value');
    const vi = v ? expr(v, env) : undefined;
    for (const i of fieldNodes(target, 'subscript')) exprTo(i, PY_OBJECT, env);
    if (vi?.type.kind === 'py') env.sink.add(lineOf(target), 2 * PY_CALL, `Python item deletion \`${label(target)}\``);
  } else if (target.type === 'attribute') {
    const o = field(target, 'object');
    if (o) expr(o, env);
    env.sink.add(lineOf(target), PYX_CALL, `Python attribute deletion \`${label(target)}\``);
  } else if (target.type === 'identifier' && env.level === 'module') {
    env.sink.add(lineOf(target), PY_CALL, `module global \`${target.text}\` deleted`);
  }
  env.facts.raises = true;
}

function importStatement(node: Node, env: CostEnv): void {
  if (!gilHeld(env)) return;
  const line = lineOf(node);
  if (node.type === 'import_statement') {
    // `import cython` is a compile-time module: no code
    const names = significantChildren(node).filter((n) => !/^cython(\.|$)/.test(
      (n.type === 'aliased_import' ? field(n, 'name') ?? n : n).text.replace(/\s+/g, '')));
    if (names.length === 0) return;
    // per module: __Pyx_ImportDottedModule, then the store (the module dict, or a local)
    env.sink.add(line, names.length * (env.level === 'module' ? PYX_CALL + PY_CALL + MACRO : PYX_CALL),
      `Python import \`${label(node)}\``);
  } else {
    const module = field(node, 'module_name');
    if (module?.text === '__future__' || /^cython(\.|$)/.test(module?.text.replace(/\s+/g, '') ?? '')) return;
    const names = significantChildren(node).filter((n) => n !== module);
    if (names.some((n) => n.type === 'wildcard_import')) {
      env.sink.add(line, PYX_CALL + MACRO, `every public name of \`${module?.text ?? ''}\` imported (__Pyx_import_all_from)`);
    } else {
      // __Pyx_Import with the list of names, then per name __Pyx_ImportFrom and the store
      env.sink.add(line, PYX_CALL + (env.level === 'module' ? PYX_CALL + MACRO : 0), `Python import \`${module?.text ?? ''}\``);
      env.sink.add(line, names.length * (PYX_CALL + MACRO), `names fetched from \`${module?.text ?? ''}\``);
    }
  }
  env.facts.raises = true;
}

function declaration(node: Node, env: CostEnv): void {
  for (const d of fields(node, 'declarator')) {
    const value = field(d, 'value');
    if (!value) continue;
    const name = field(d, 'name') ?? namedChildren(d).find((c) => c.type === 'identifier');
    const sym = name ? env.scope.lookup(name.text) : undefined;
    const target = sym?.type ?? PY_OBJECT;
    const vi = exprTo(value, target, env);
    if (target.kind === 'py' && gilHeld(env) && !vi.temp) {
      env.sink.add(lineOf(d), MACRO, 'new reference stored in a Python variable');
    }
    if (env.level === 'module' && target.kind === 'py' && gilHeld(env)) {
      env.sink.add(lineOf(d), 2 * MACRO, 'module-level object variable initialised');
    }
  }
}
