/**
 * The C-API calls the compiler generates to evaluate an expression, estimated from the model's types: global and
 * attribute lookups, Python calls, boxing/unboxing, Python operators, container construction, indexing checks and
 * exception checks after C calls. With the GIL released only the costs the compiler still generates are counted
 * (exception checks that re-acquire the GIL, bounds and division checks).
 */
import { PY_OBJECT } from '../model/c-types';
import { type ExprInfo, comparesInC, flattenedInElements, isUnpackedMinMaxSequence } from '../model/expression-types';
import { type Node, field, fieldNodes, namedChildren, significantChildren } from '../model/syntax';
import { convert } from './conversion-cost';
import { type CostEnv, gilHeld, lineOf } from './cost-env';
import { constantIterable, dictIteration, dictIterationPoints, isBufferIndex, isCRange, label, typeInfo, unparen } from './expression-info';
import { MACRO, PY_CALL, PYX_CALL } from './line-costs';

const MEMVIEW_PY_ATTRS = new Set(['size', 'nbytes', 'itemsize', 'base', 'T', 'copy', 'copy_fortran']);

/** Evaluates `node` as a condition (`if`, `while`, `and`/`or` operands). */
export function conditionCost(node: Node, env: CostEnv): void {
  const inner = unparen(node);
  if (inner.type === 'comparison_operator' && gilHeld(env)) {
    comparison(inner, env, true);
    return;
  }
  const info = env.walk.expr(inner, env);
  if (info.type.kind === 'py' && gilHeld(env)) {
    env.sink.add(lineOf(inner), PYX_CALL, `Python truth test of \`${label(inner)}\``);
    env.facts.raises = true;
  }
}

/** Evaluates an expression, adding its costs; returns the typer's view of it. */
export function expressionCost(node: Node, env: CostEnv): ExprInfo {
  const info = typeInfo(node, env);
  const gil = gilHeld(env);
  const line = lineOf(node);
  switch (node.type) {
    case 'identifier':
      if (gil && info.pyGlobal && info.symbol?.kind !== 'builtin') {
        env.sink.add(line, PYX_CALL + MACRO, `Python global lookup \`${node.text}\``);
        env.facts.raises = true;
      }
      return info;
    case 'attribute':
      attribute(node, info, env);
      return info;
    case 'call':
      env.walk.call(node, info, env);
      return info;
    case 'subscript':
      subscript(node, info, env);
      return info;
    case 'binary_operator':
      binary(node, info, env);
      return info;
    case 'comparison_operator':
      comparison(node, env, false);
      return info;
    case 'unary_operator': {
      const arg = field(node, 'argument');
      const a = arg ? env.walk.expr(arg, env) : undefined;
      if (gil && a?.type.kind === 'py' && !a.literal) {
        env.sink.add(line, PY_CALL, `Python operator \`${node.text.trim()[0] ?? '-'}\``);
        env.facts.raises = true;
      }
      return info;
    }
    case 'not_operator': {
      const arg = field(node, 'argument');
      if (arg) env.walk.condition(arg, env);
      return info;
    }
    case 'boolean_operator': {
      const l = field(node, 'left');
      const r = field(node, 'right');
      if (info.type.kind === 'py') {
        for (const side of [l, r]) if (side) env.walk.exprTo(side, PY_OBJECT, env);
        if (gil) env.sink.add(line, PYX_CALL, 'Python truth test in `and`/`or`');
      } else {
        for (const side of [l, r]) if (side) env.walk.condition(side, env);
      }
      return info;
    }
    case 'conditional_expression': {
      const parts = significantChildren(node);
      const [a, cond, b] = parts;
      if (cond) env.walk.condition(cond, env);
      for (const branch of [a, b]) if (branch) env.walk.exprTo(branch, info.type, env);
      return info;
    }
    case 'parenthesized_expression': {
      const inner = significantChildren(node)[0];
      return inner ? env.walk.expr(inner, env) : info;
    }
    case 'list': case 'set': case 'tuple': case 'expression_list':
      container(node, info.type.kind === 'unknown' && node.type === 'expression_list'
        ? { ...info, type: PY_OBJECT } : info, env);
      return info;
    case 'dictionary':
      dictionary(node, env);
      return info;
    case 'list_comprehension': case 'set_comprehension': case 'dictionary_comprehension':
    case 'generator_expression':
      comprehension(node, env);
      return info;
    case 'string':
      fString(node, env);
      return info;
    case 'concatenated_string':
      for (const part of significantChildren(node)) fString(part, env);
      return info;
    case 'cast_expression': {
      const v = field(node, 'value');
      if (v) {
        const vi = env.walk.expr(v, env);
        if (info.type.kind === 'py' && vi.type.kind !== 'py') convert(v, vi, info.type, env);
        else if (info.type.kind !== 'py' && vi.type.kind === 'py') convert(v, vi, info.type, env);
      }
      return info;
    }
    case 'lambda':
      if (gil) env.sink.add(line, PYX_CALL + MACRO, 'Python function object created for the lambda');
      return info;
    case 'await': case 'yield': {
      // Nodes.py YieldExprNode: the value handed over (a new reference unless it is a temp), the frame's exception
      // state saved (__Pyx_Coroutine_ResetAndClearException); `await`/`yield from` delegate through
      // __Pyx_Coroutine_Yield_From and release the awaitable. The sent value comes back as a new reference.
      const delegated = node.type === 'await' || node.children.some((c) => c?.text === 'from');
      const value = significantChildren(node)[0];
      const vi = value ? env.walk.exprTo(value, PY_OBJECT, env) : undefined;
      if (gil) {
        env.sink.add(line, delegated ? 2 * PYX_CALL : PYX_CALL + (vi?.temp ? 0 : MACRO),
          delegated ? 'coroutine suspension (await / yield from)' : 'generator suspension (yield)');
      }
      // the sent value is borrowed until stored (`x = yield`: INCREF'd; a bare `yield` statement drops it for free)
      return delegated ? info : { ...info, temp: false };
    }
    case 'keyword_argument': {
      const v = field(node, 'value');
      return v ? env.walk.expr(v, env) : info;
    }
    case 'integer': case 'float': case 'true': case 'false': case 'none': case 'ellipsis':
      return info;
    default:
      for (const c of significantChildren(node)) env.walk.expr(c, env);
      return info;
  }
}

function attribute(node: Node, info: ExprInfo, env: CostEnv): void {
  const obj = field(node, 'object');
  const attr = field(node, 'attribute')?.text ?? '';
  if (!obj) return;
  const gil = gilHeld(env);
  const oi = typeInfo(obj, env);
  // the lookup is where the attribute's name is (`x\n    .name`)
  const line = lineOf(field(node, 'attribute') ?? node);
  if (oi.symbol && (oi.symbol.kind === 'cimported-module' || oi.symbol.kind === 'cython-builtin')) {
    // `np.float64` where np is both imported and cimported: a module global lookup then an attribute lookup
    if (gil && info.pyAttribute) {
      env.sink.add(line, PYX_CALL + MACRO, `Python global lookup \`${obj.text}\``);
      env.sink.add(line, PYX_CALL + MACRO, `Python attribute lookup \`${label(node)}\``);
      env.facts.raises = true;
    }
    return;
  }
  const o = env.walk.expr(obj, env);
  if (info.type.kind === 'memview' && o.type.kind === 'py' && !info.pyAttribute && env.directives.initializedcheck) {
    // a memoryview attribute of an extension type is checked at every use (ExprNodes.py AttributeNode,
    // initializedcheck): PyErr_SetString(AttributeError, "Memoryview is not initialized"), with or without the GIL
    env.sink.add(line, PY_CALL, `memoryview attribute \`${label(node)}\` checked for initialisation (initializedcheck is on)`);
    env.facts.raises = true;
  }
  if (!gil) return;
  if (o.type.kind === 'memview' && MEMVIEW_PY_ATTRS.has(attr)) {
    env.sink.add(line, PYX_CALL + 2 * MACRO, `\`${label(node)}\` goes through a Python memoryview object`);
    env.facts.raises = true;
    return;
  }
  if (info.pyAttribute) {
    env.sink.add(line, PYX_CALL + MACRO, `Python attribute lookup \`${label(node)}\``);
    env.facts.raises = true;
  }
}

function indicesOf(node: Node): readonly Node[] {
  return fieldNodes(node, 'subscript');
}

/**
 * A subscript of a memoryview that makes a view (MemoryViewSliceNode): a slice, `...` or `None` among the indices, or
 * fewer indices than dimensions (the subscript's type is a view).
 */
export function isMemviewSlicing(indices: readonly Node[], info: ExprInfo): boolean {
  return info.type.kind === 'memview' || indices.some((i) => i.type === 'slice' || i.type === 'ellipsis' || i.type === 'none');
}

/**
 * The checks of slicing a memoryview (MemoryView.py generate_buffer_slice_code): a `start:stop:step` slice calls
 * `__pyx_memoryview_slice_memviewslice` and `:` copies the shape, neither counted by the annotation; an integer index
 * among slices (the SliceIndex template, MemoryView_C.c) with boundscheck raises IndexError by `PyErr_SetString`
 * (without the GIL it also takes it by `PyGILState_Ensure`/`Release`, which the annotation's pattern does not count).
 * Reference counting uses the uncounted `__PYX_INC_MEMVIEW` macros.
 */
export function memviewSliceChecks(node: Node, indices: readonly Node[], env: CostEnv): void {
  if (!env.directives.boundscheck) return;
  for (const i of indices) {
    if (i.type === 'slice' || i.type === 'ellipsis' || i.type === 'none') continue;
    env.sink.add(lineOf(i), PY_CALL, `bounds check of the index \`${i.text}\` when slicing \`${label(node)}\` (boundscheck is on)`);
    env.facts.raises = true;
  }
}

function subscript(node: Node, info: ExprInfo, env: CostEnv): void {
  const valueNode = field(node, 'value');
  if (!valueNode) return;
  const v = env.walk.expr(valueNode, env);
  const indices = indicesOf(node);
  const gil = gilHeld(env);
  const line = lineOf(node);
  const isSlice = indices.some((i) => i.type === 'slice');
  if (v.type.kind === 'memview') {
    for (const i of indices) {
      if (i.type === 'slice') for (const part of significantChildren(i)) env.walk.expr(part, env);
      else env.walk.expr(i, env);
    }
    if (isMemviewSlicing(indices, info)) {
      memviewSliceChecks(node, indices, env);
      return;
    } else if (env.directives.boundscheck) {
      env.sink.add(line, PYX_CALL, `bounds check on \`${label(node)}\` (boundscheck is on)`);
      env.facts.raises = true;
    }
    return;
  }
  if (v.type.kind === 'py' && gil && isBufferIndex(v, indices, env)) {
    // `cnp.ndarray[double, ndim=2] a; a[i, j]`: buffer access in C
    if (env.directives.boundscheck) env.sink.add(line, PYX_CALL, `bounds check on buffer \`${label(node)}\``);
    return;
  }
  if (v.type.kind === 'py' && gil) {
    env.facts.raises = true;
    if (isSlice) {
      for (const i of indices) for (const part of significantChildren(i)) env.walk.exprTo(part, PY_OBJECT, env);
      env.sink.add(line, PYX_CALL + MACRO, `Python slicing \`${label(node)}\``);
      return;
    }
    if (indices.length === 1) {
      const ii = env.walk.expr(indices[0]!, env);
      if (ii.type.kind === 'scalar' && ii.type.family !== 'float' && ii.type.family !== 'complex') {
        env.sink.add(line, PYX_CALL + MACRO, `Python indexing \`${label(node)}\``);
        return;
      }
      convert(indices[0]!, ii, PY_OBJECT, env);
    } else {
      for (const i of indices) env.walk.exprTo(i, PY_OBJECT, env);
      env.sink.add(line, PY_CALL + indices.length * MACRO, 'index tuple built for a Python subscript');
    }
    env.sink.add(line, PYX_CALL + MACRO, `Python indexing \`${label(node)}\``);
    return;
  }
  for (const i of indices) {
    if (i.type === 'slice') for (const part of significantChildren(i)) env.walk.expr(part, env);
    else env.walk.expr(i, env);
  }
}

const OPERATOR = /^(\*\*|\/\/|<<|>>|[-+*/%@&|^])$/;

function operatorOf(node: Node): string {
  return node.children.find((c) => c !== null && !c.isNamed && OPERATOR.test(c.text))?.text ?? '?';
}

function binary(node: Node, info: ExprInfo, env: CostEnv): void {
  const l = field(node, 'left');
  const r = field(node, 'right');
  if (!l || !r) return;
  const op = operatorOf(node);
  const gil = gilHeld(env);
  const opToken = node.children.find((c) => c !== null && !c.isNamed && OPERATOR.test(c.text));
  const line = opToken ? opToken.startPosition.row : lineOf(node);
  if (info.type.kind === 'py') {
    const a = env.walk.expr(l, env);
    const b = env.walk.expr(r, env);
    if (!gil) return;
    env.facts.raises = true;
    if (a.literal && b.literal) return; // folded at compile time
    const literalInt = (x: ExprInfo): boolean => x.literal === true && x.type.kind === 'scalar';
    if (literalInt(a) || literalInt(b)) {
      convert(literalInt(a) ? r : l, literalInt(a) ? b : a, PY_OBJECT, env);
      env.sink.add(line, PYX_CALL + MACRO, `Python operator \`${op}\` with a constant`);
      return;
    }
    convert(l, a, PY_OBJECT, env);
    convert(r, b, PY_OBJECT, env);
    env.sink.add(line, PY_CALL + MACRO, `Python operator \`${op}\` on objects`);
    return;
  }
  env.walk.expr(l, env);
  const b = env.walk.expr(r, env);
  if ((op === '/' || op === '//' || op === '%') && !env.directives.cdivision && info.type.kind === 'scalar') {
    const literalNonZero = b.literal && Number(r.text.replace(/[lLuU_]/g, '')) !== 0;
    if (literalNonZero) return;
    const acquire = gil ? 0 : 2 * PYX_CALL;
    env.sink.add(line, PY_CALL + acquire, gil ? 'division by zero check (cdivision is off)'
      : 'division by zero check acquires the GIL to raise (cdivision is off)');
    env.facts.raises = true;
    if (op !== '%' && info.type.family === 'int' && !/unsigned|size_t/.test(info.type.name)) {
      env.sink.add(line, PY_CALL + acquire + MACRO, 'integer division overflow check (cdivision is off)');
    }
  }
}

function comparison(node: Node, env: CostEnv, asCondition: boolean): void {
  if (flattenedInElements(node)) {
    flattenedIn(node, env);
    return;
  }
  const operands = significantChildren(node);
  const infos = operands.map((o) => env.walk.expr(o, env));
  const operators = node.children.filter((c) => c !== null && !c.isNamed).map((c) => c!.text);
  if (!gilHeld(env)) return;
  if (operators.every((op) => op === 'is' || op === 'not' || op === 'is not')) return;
  // a one-character string literal compared with a C character or integer is a C character constant
  const charLiteral = (o: Node, i: ExprInfo): boolean => i.literal === true && o.type === 'string'
    && /^[uUbB]?(['"])(\\?[^\\])\1$/.test(o.text);
  if (infos.some((i) => i.type.kind === 'scalar')
    && infos.every((i, k) => i.type.kind !== 'py' || charLiteral(operands[k]!, i))) return;
  // `c in 'abc'` on a C character: a switch over the characters (Optimize.py, _handle_simple_function... in-literal)
  if (operands.length === 2 && operators.includes('in') && infos[0]?.type.kind === 'scalar'
    && operands[1]!.type === 'string' && infos[1]?.literal && !/^[a-zA-Z]*[fF]/.test(operands[1]!.text)) return;
  const anyPy = infos.some((i) => i.type.kind === 'py' && !(i.literal && i.type.name === 'NoneType'));
  const info = typeInfo(node, env);
  if (!anyPy || info.type.kind !== 'py' && !operators.some((op) => op === 'in')) {
    if (!anyPy) return;
  }
  if (operators.includes('in') || operators.includes('not in')) {
    const container = infos[infos.length - 1];
    if (container?.type.kind !== 'py') return;
    convert(operands[0]!, infos[0]!, PY_OBJECT, env);
    const typed = container.type.name === 'set' || container.type.name === 'dict';
    env.sink.add(lineOf(node), typed ? PYX_CALL : PY_CALL, `Python containment test \`${label(node)}\``);
    env.facts.raises = true;
    return;
  }
  env.facts.raises = true;
  const literalOperand = infos.some((i) => i.literal);
  operands.forEach((o, k) => {
    const i = infos[k]!;
    if (!(i.literal && i.type.kind === 'scalar')) convert(o, i, PY_OBJECT, env);
  });
  const points = asCondition || literalOperand ? PYX_CALL : PY_CALL + MACRO;
  env.sink.add(lineOf(node), points * Math.max(1, operators.length), `Python comparison \`${label(node)}\``);
}

/** `x in (a, b)`: `x == a or x == b`, no sequence built (FlattenInListTransform); C tests when x is a C value. */
function flattenedIn(node: Node, env: CostEnv): void {
  const elements = flattenedInElements(node)!;
  const lhs = significantChildren(node)[0]!;
  const l = env.walk.expr(lhs, env);
  const infos = elements.map((e) => env.walk.expr(e, env));
  if (!gilHeld(env)) return;
  if (l.type.kind === 'py') {
    elements.forEach((e, k) => { if (!infos[k]!.literal) convert(e, infos[k]!, PY_OBJECT, env); });
    env.sink.add(lineOf(node), PYX_CALL * elements.length, `Python comparisons \`${label(node)}\``);
    env.facts.raises = true;
    return;
  }
  const objectTests = elements.filter((e, k) => !comparesInC(l.type, infos[k]!, e)).length;
  if (objectTests === 0 || l.type.kind === 'unknown') return;
  convert(lhs, l, PY_OBJECT, env);
  env.sink.add(lineOf(node), PYX_CALL * objectTests, `Python comparisons \`${label(node)}\``);
  env.facts.raises = true;
}

function container(node: Node, info: ExprInfo, env: CostEnv): void {
  const items = significantChildren(node);
  const infos = items.map((i) => env.walk.expr(i, env));
  if (!gilHeld(env) || info.type.kind !== 'py') return;
  // `max((a, b))`: the items are the operands of C comparisons, no sequence is built.
  if (isUnpackedMinMaxSequence(node, (n) => typeInfo(n, env))) return;
  const constant = infos.every((i) => i.literal);
  if ((node.type === 'tuple' || node.type === 'expression_list') && constant) return; // a cached constant tuple
  items.forEach((it, k) => convert(it, infos[k]!, PY_OBJECT, env));
  const kind = node.type === 'expression_list' ? 'tuple' : node.type;
  if (env.level !== 'function' && kind !== 'set') {
    // module initialisation code is generated for size: __Pyx_PyList_FromArray / __Pyx_PyTuple_FromArray
    env.sink.add(lineOf(node), PYX_CALL, `Python ${kind} built from an array of references`);
    return;
  }
  // per item: a borrowed value (a name, a constant) is INCREF'd, GIVEREF'd and stored; a temporary is handed over
  const perItem = (k: number): number => kind === 'set' ? PY_CALL
    : infos[k]!.literal || infos[k]!.type.kind === 'py' && !infos[k]!.temp ? 3 * MACRO : kind === 'list' ? 2 * MACRO : MACRO;
  env.sink.add(lineOf(items[0] ?? node), PY_CALL + items.reduce((sum, _, k) => sum + perItem(k), 0), `Python ${kind} built`);
}

function dictionary(node: Node, env: CostEnv): void {
  const pairs = significantChildren(node);
  if (gilHeld(env)) env.sink.add(lineOf(pairs[0] ?? node), PYX_CALL + MACRO, 'Python dict created');
  for (const p of pairs) {
    for (const part of significantChildren(p)) env.walk.exprTo(part, PY_OBJECT, env);
    if (gilHeld(env)) env.sink.add(lineOf(p), PY_CALL, 'item stored in a Python dict');
  }
}

function comprehension(node: Node, env: CostEnv): void {
  const body = field(node, 'body') ?? significantChildren(node)[0];
  const clauses = namedChildren(node).filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
  for (const c of clauses) {
    if (c.type === 'for_in_clause') {
      const right = field(c, 'right');
      const dict = right ? dictIteration(right, env) : undefined;
      if (dict) {
        // `[k for k in d.keys()]`: a dict iteration loop, as in a for statement
        env.walk.expr(dict.object, env);
        if (gilHeld(env)) env.sink.add(lineOf(c), dictIterationPoints(dict), 'dict/set iteration in a comprehension');
      } else if (right && env.model.typer.loopPlan(c, env.scope).kind === 'c' && !isCRange(right, env)) {
        // a C loop (a C array, a memoryview, a pointer slice: model/loop-iteration.ts): no iterator, C items
        env.walk.expr(right, env);
      } else if (right && !isCRange(right, env)) {
        const constant = constantIterable(right, env); // a constant tuple: nothing built
        const ri = constant ? undefined : env.walk.exprTo(right, PY_OBJECT, env);
        const seq = constant || ri!.type.kind === 'py' && (ri!.type.name === 'list' || ri!.type.name === 'tuple');
        // a list/tuple is indexed; anything else also gets the generic iterator path (as in a for loop)
        if (gilHeld(env)) env.sink.add(lineOf(c), seq ? 2 * PY_CALL + PYX_CALL : 8 * PY_CALL + 2 * PYX_CALL + 4 * MACRO,
          'Python iteration in a comprehension');
        const left = field(c, 'left');
        if (gilHeld(env) && (left?.type === 'pattern_list' || left?.type === 'tuple_pattern')) {
          // as in a for loop: tuple/list fast paths and the generic unpacking through an iterator
          env.sink.add(lineOf(c), 6 * PY_CALL + 8 * PYX_CALL + 5 * MACRO, 'comprehension item unpacked into several targets');
        }
      }
    } else {
      const cond = significantChildren(c)[0];
      if (cond) env.walk.condition(cond, env);
    }
  }
  if (body && body !== node) {
    if (body.type === 'pair') for (const part of significantChildren(body)) env.walk.exprTo(part, PY_OBJECT, env);
    else env.walk.exprTo(body, PY_OBJECT, env);
  }
  if (!gilHeld(env)) return;
  const what = node.type === 'generator_expression' ? 'generator object created' : 'Python container built';
  env.sink.add(lineOf(node), PY_CALL + PYX_CALL, `${what} by the comprehension`);
  env.facts.raises = true;
}

function fString(node: Node, env: CostEnv): void {
  const parts = namedChildren(node).filter((c) => c.type === 'interpolation');
  if (parts.length === 0) return;
  const gil = gilHeld(env);
  for (const p of parts) {
    const e = significantChildren(p).find((c) => c.type !== 'format_specifier' && c.type !== 'type_conversion');
    if (!e) continue;
    const info = env.walk.expr(e, env);
    if (gil) {
      const what = info.type.kind === 'py' ? 'Python object formatted' : 'C value formatted into a string';
      env.sink.add(lineOf(e), PYX_CALL + 2 * MACRO, `f-string: ${what} (\`${label(e, 30)}\`)`);
    }
  }
  if (gil) {
    env.sink.add(lineOf(node), PYX_CALL + MACRO, 'f-string joined into a Python str');
    env.facts.raises = true;
  }
}
