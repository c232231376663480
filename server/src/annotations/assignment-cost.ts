/**
 * Bindings: assignments (to C variables, Python locals, module globals, attributes, items), tuple unpacking,
 * in-place operators, `cdef` declarations with a value, and `del`.
 */
import { type CType, PY_OBJECT } from '../model/c-types';
import { pureDeclarationOf } from '../model/pure-declarations';
import { type Node, field, fieldNodes, fields, namedChildren, significantChildren } from '../model/syntax';
import { convert } from './conversion-cost';
import { type CostEnv, gilHeld, lineOf } from './cost-env';
import { isMemviewSlicing, memviewSliceChecks } from './expression-cost';
import { isBufferIndex, label, typeInfo } from './expression-info';
import { MACRO, PY_CALL, PYX_CALL } from './line-costs';

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

export function assignment(node: Node, env: CostEnv): void {
  const pure = pureDeclarationOf(node);
  if (pure) {
    // `x = cython.declare(T)`, typedefs, structs: no code; `x = cython.declare(T, value)`: the value assigned to x
    if (pure.kind === 'declare' && pure.value) {
      const left = field(node, 'left');
      if (pure.names.length === 1) {
        const [name] = pure.names;
        store(name!, env.walk.exprTo(pure.value, typeInfo(name!, env).type, env), pure.value, env);
      } else if (left) {
        unpacking(left, pure.value, env);
      }
    }
    return;
  }
  const { targets, value } = chainOf(node);
  if (!value) return;
  if (targets.length === 1 && targets[0]!.type === 'pattern_list' || targets[0]?.type === 'tuple_pattern') {
    unpacking(targets[0]!, value, env);
    return;
  }
  const first = targets[0];
  const targetType = first ? typeInfo(first, env).type : PY_OBJECT;
  if (targets.length === 1 && cArrayItems(value, targetType, env)) return;
  const vi = targets.length === 1 ? env.walk.exprTo(value, targetType, env) : env.walk.expr(value, env);
  for (const t of targets) {
    if (targets.length > 1) convert(value, vi, typeInfo(t, env).type, env);
    store(t, vi, value, env);
  }
}

/**
 * A list literal stored into a C array or pointer (`cdef int a[3] = [1, 2, 3]`, `p: cython.pointer[cython.int] = [...]`):
 * no list is built, each item is converted to the base type and stored in C (ExprNodes.ListNode.coerce_to → as_carray).
 */
function cArrayItems(value: Node, target: CType, env: CostEnv): boolean {
  if (value.type !== 'list' || (target.kind !== 'array' && target.kind !== 'ptr') || target.base.kind === 'void') return false;
  if (significantChildren(value).some((i) => i.type === 'list_splat' || i.type === 'list_comprehension')) return false;
  for (const item of significantChildren(value)) env.walk.exprTo(item, target.base, env);
  return true;
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
      if (obj) env.walk.expr(obj, env);
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
      const vi = env.walk.expr(v, env);
      const indices = fieldNodes(target, 'subscript');
      if (vi.type.kind === 'memview') {
        for (const i of indices) {
          if (i.type === 'slice') for (const part of significantChildren(i)) env.walk.expr(part, env);
          else env.walk.expr(i, env);
        }
        if (isMemviewSlicing(indices, typeInfo(target, env))) {
          // `m[:] = x`: the slice is made as when reading it, then filled in C loops (MemoryCopyScalar) or copied by
          // `__pyx_memoryview_copy_contents` (MemoryCopySlice); neither name is counted by the annotation
          memviewSliceChecks(target, indices, env);
        } else if (env.directives.boundscheck) {
          env.sink.add(line, PYX_CALL, `bounds check on \`${label(target)}\` (boundscheck is on)`);
          env.facts.raises = true;
        }
        return;
      }
      if (vi.type.kind === 'py' && gil && isBufferIndex(vi, indices, env)) {
        for (const i of indices) env.walk.expr(i, env);
        if (env.directives.boundscheck) env.sink.add(line, PYX_CALL, `bounds check on buffer \`${label(target)}\``);
        return;
      }
      if (vi.type.kind === 'py' && gil) {
        const idx = indices.map((i) => env.walk.expr(i, env));
        const cIndex = idx.length === 1 && idx[0]!.type.kind === 'scalar';
        if (!cIndex || vi.type.name === 'dict') indices.forEach((i, k) => convert(i, idx[k]!, PY_OBJECT, env));
        const dictNone = vi.type.name === 'dict' || vi.type.name === 'list' ? PY_CALL : 0;
        env.sink.add(line, (cIndex && vi.type.name !== 'dict' ? PYX_CALL : PY_CALL) + dictNone + MACRO,
          `Python item assignment \`${label(target)}\``);
        env.facts.raises = true;
        return;
      }
      for (const i of indices) env.walk.expr(i, env);
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
      const vi = env.walk.exprTo(items[k]!, typeInfo(t, env).type, env);
      store(t, vi, items[k]!, env);
    });
    return;
  }
  const vi = env.walk.expr(value, env);
  if (!gilHeld(env)) return;
  if (vi.type.kind === 'memview') {
    // a memoryview slice is unpacked as a Python object (ExprNodes.py SequenceNode.generate_assignment_code takes
    // any Python iterable: the slice is wrapped in a memoryview object first, then iterated)
    convert(value, vi, PY_OBJECT, env);
  } else if (vi.type.kind !== 'py') {
    return;
  }
  if (vi.type.kind === 'py' && vi.type.name === 'tuple') {
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

export function augmented(node: Node, env: CostEnv): void {
  const left = field(node, 'left');
  const right = field(node, 'right');
  if (!left || !right) return;
  const li = typeInfo(left, env);
  const op = node.children.find((c) => c !== null && !c.isNamed && /=$/.test(c.text))?.text ?? '+=';
  if (li.type.kind === 'py' && gilHeld(env)) {
    if (left.type !== 'identifier') env.walk.expr(left, env);
    const ri = env.walk.expr(right, env);
    if (!(ri.literal && ri.type.kind === 'scalar')) convert(right, ri, PY_OBJECT, env);
    env.sink.add(lineOf(node), PYX_CALL + MACRO, `Python in-place operator \`${op}\``);
    if (left.type !== 'identifier') store(left, { type: PY_OBJECT, temp: true }, right, env);
    env.facts.raises = true;
    return;
  }
  // C target: evaluate as `left = left op right` (the index expression is evaluated once)
  if (left.type === 'subscript' || left.type === 'attribute') env.walk.expr(left, env);
  const ri = env.walk.exprTo(right, li.type, env);
  void ri;
  if ((op === '/=' || op === '//=' || op === '%=') && !env.directives.cdivision && li.type.kind === 'scalar') {
    const literalNonZero = typeInfo(right, env).literal && Number(right.text.replace(/[lLuU_]/g, '')) !== 0;
    if (!literalNonZero) {
      env.sink.add(lineOf(node), PY_CALL + (gilHeld(env) ? 0 : 2 * PYX_CALL), 'division by zero check (cdivision is off)');
      env.facts.raises = true;
    }
  }
}

export function declaration(node: Node, env: CostEnv): void {
  for (const d of fields(node, 'declarator')) {
    const value = field(d, 'value');
    if (!value) continue;
    const name = field(d, 'name') ?? namedChildren(d).find((c) => c.type === 'identifier');
    const sym = name ? env.scope.lookup(name.text) : undefined;
    const target = sym?.type ?? PY_OBJECT;
    if (cArrayItems(value, target, env)) continue;
    const vi = env.walk.exprTo(value, target, env);
    if (target.kind === 'py' && gilHeld(env) && !vi.temp) {
      env.sink.add(lineOf(d), MACRO, 'new reference stored in a Python variable');
    }
    if (env.level === 'module' && target.kind === 'py' && gilHeld(env)) {
      env.sink.add(lineOf(d), 2 * MACRO, 'module-level object variable initialised');
    }
  }
}


export function deletion(target: Node, env: CostEnv): void {
  if (target.type === 'expression_list') {
    for (const t of significantChildren(target)) deletion(t, env);
    return;
  }
  if (!gilHeld(env)) return;
  if (target.type === 'subscript') {
    const v = field(target, 'value');
    const vi = v ? env.walk.expr(v, env) : undefined;
    for (const i of fieldNodes(target, 'subscript')) env.walk.exprTo(i, PY_OBJECT, env);
    if (vi?.type.kind === 'py') env.sink.add(lineOf(target), 2 * PY_CALL, `Python item deletion \`${label(target)}\``);
  } else if (target.type === 'attribute') {
    const o = field(target, 'object');
    if (o) env.walk.expr(o, env);
    env.sink.add(lineOf(target), PYX_CALL, `Python attribute deletion \`${label(target)}\``);
  } else if (target.type === 'identifier' && env.level === 'module') {
    env.sink.add(lineOf(target), PY_CALL, `module global \`${target.text}\` deleted`);
  }
  env.facts.raises = true;
}
