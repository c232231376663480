/**
 * What the cost functions ask about an expression without evaluating it: its typer view, its text for reasons,
 * whether it is a C `range(...)` or a buffer index. No costs are added here.
 */
import type { ExprInfo } from '../model/expression-types';
import { type Node, field, significantChildren } from '../model/syntax';
import type { CostEnv } from './cost-env';

export function label(node: Node, max = 40): string {
  const text = node.text.replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function typeInfo(node: Node, env: CostEnv): ExprInfo {
  return env.model.typer.info(node, env.scope);
}

export function unparen(node: Node): Node {
  let n = node;
  while (n.type === 'parenthesized_expression' && significantChildren(n).length === 1) n = significantChildren(n)[0]!;
  return n;
}

/** Indexing a numpy array declared with a buffer type (`ndarray[...]`) with C integers only. */
export function isBufferIndex(v: ExprInfo, indices: readonly Node[], env: CostEnv): boolean {
  if (v.type.kind !== 'py' || !/(^|\.)ndarray$/.test(v.type.name)) return false;
  return indices.length > 0 && indices.every((i) => {
    const t = typeInfo(i, env).type;
    return t.kind === 'scalar' && (t.family === 'int' || t.family === 'char');
  });
}

/** `range(...)` with C arguments (a C loop when iterated). */
export function isCRange(node: Node, env: CostEnv): boolean {
  if (node.type !== 'call') return false;
  const fn = field(node, 'function');
  if (!fn || !/^(x?range|prange|cython\.parallel\.prange|parallel\.prange)$/.test(fn.text)) return false;
  const args = field(node, 'arguments');
  return (args ? significantChildren(args) : []).filter((a) => a.type !== 'keyword_argument')
    .every((a) => typeInfo(a, env).type.kind !== 'py');
}

const OPERATOR_TOKENS = new Set(['(', ')', ',']);

/**
 * The line of the position the compiler gives an expression node (Parsing.py), which `generate_evaluation_code`
 * marks after evaluating the sub-expressions (ExprNodes.py: `code.mark_pos(self.pos)`): the `[` of an index, the `.`
 * of an attribute, the operator of a binary operation, the `if` of a conditional expression, a tuple's first item;
 * otherwise where the node starts. Code generated for the node itself (the lookup, a coercion of its result) goes to
 * that line. Undefined for nodes that mark no position of their own: Python calls (PyMethodCallNode marks its
 * position before its arguments), comparisons and `and`/`or` (PrimaryCmpNode, BoolBinopNode), number and string
 * constants; `callPositionLine` is where a C call is generated.
 */
export function positionLine(node: Node): number | undefined {
  // a token of a node on one row is on that row: no listing of its tokens for most expressions
  const token = (pred: (t: string) => boolean): number | undefined =>
    node.startPosition.row === node.endPosition.row ? node.startPosition.row
      : node.children.find((c) => c !== null && !c.isNamed && pred(c.text))?.startPosition.row;
  switch (node.type) {
    case 'call':
      return undefined;
    // constants have no evaluation code (ConstNode.generate_evaluation_code): no position marked
    case 'integer': case 'float':
      return undefined;
    case 'string': case 'concatenated_string':
      // an interpolation spans `{...}` (a missing `{` would make an error): most strings need no search
      if (!node.hasError && !node.text.includes('{')) return undefined;
      return node.descendantsOfType('interpolation').length > 0 ? node.startPosition.row : undefined;
    case 'subscript':
      return token((t) => t === '[') ?? node.startPosition.row;
    case 'attribute':
      return token((t) => t === '.') ?? node.startPosition.row;
    case 'binary_operator':
      return token((t) => !OPERATOR_TOKENS.has(t)) ?? node.startPosition.row;
    // PrimaryCmpNode and BoolBinopNode evaluate their operands and mark nothing of their own
    case 'comparison_operator': case 'boolean_operator':
      return undefined;
    case 'conditional_expression':
      return token((t) => t === 'if') ?? node.startPosition.row;
    case 'tuple': {
      // `(a, b)`: the tuple's position is its first item's (Parsing.py p_testlist_comp)
      const first = significantChildren(node)[0];
      return first ? first.startPosition.row : node.startPosition.row;
    }
    case 'parenthesized_expression': {
      const inner = unparen(node);
      return inner === node ? node.startPosition.row : positionLine(inner);
    }
    case 'keyword_argument': {
      const v = field(node, 'value');
      return v ? positionLine(v) : node.startPosition.row;
    }
    default:
      return node.startPosition.row;
  }
}

/** The `(` of a call: where the compiler generates a C function call or a C-API call replacing a builtin. */
export function callPositionLine(call: Node): number {
  const args = field(call, 'arguments');
  return args ? args.startPosition.row : call.startPosition.row;
}

/** What `_transform_dict_iteration` / `_transform_set_iteration` (Optimize.py) make of an iterable. */
export interface DictIteration {
  /** The mapping or set iterated (the object whose `.keys()`/`.values()`/`.items()` is called, or the dict/set). */
  object: Node;
  keys: boolean;
  values: boolean;
  /** Statically a `dict` (no run-time check of the type) / a `set`. */
  kind: 'dict' | 'object' | 'set';
}

const DICT_METHODS: Record<string, { keys: boolean; values: boolean }> = {
  keys: { keys: true, values: false }, iterkeys: { keys: true, values: false },
  values: { keys: false, values: true }, itervalues: { keys: false, values: true },
  items: { keys: true, values: true }, iteritems: { keys: true, values: true },
};

/**
 * Iteration that the compiler turns into `__Pyx_dict_iterator` / `__Pyx_set_iterator` loops: `x.keys()`,
 * `x.values()`, `x.items()` (and the `iter*` forms) without arguments on any object (the dict type is tested at run
 * time), a typed `dict` or `set` iterated directly.
 */
export function dictIteration(iterable: Node, env: CostEnv): DictIteration | undefined {
  const it = unparen(iterable);
  if (it.type === 'call') {
    const fn = field(it, 'function');
    const args = field(it, 'arguments');
    const method = fn?.type === 'attribute' ? DICT_METHODS[field(fn, 'attribute')?.text ?? ''] : undefined;
    const obj = fn ? field(fn, 'object') : null;
    if (!method || !obj || args?.type !== 'argument_list' || significantChildren(args).length > 0) return undefined;
    const t = typeInfo(obj, env).type;
    if (t.kind !== 'py') return undefined;
    return { object: obj, ...method, kind: t.name === 'dict' ? 'dict' : 'object' };
  }
  const t = typeInfo(it, env).type;
  if (t.kind !== 'py') return undefined;
  if (t.name === 'dict') return { object: it, keys: true, values: false, kind: 'dict' };
  if (t.name === 'set' || t.name === 'frozenset') return { object: it, keys: true, values: false, kind: 'set' };
  return undefined;
}

/** The loop code of a dict/set iteration (`__Pyx_dict_iterator` + `__Pyx_dict_iter_next`, their references). */
export function dictIterationPoints(d: DictIteration): number {
  if (d.kind === 'set') return 3;
  return (d.kind === 'dict' ? 7 : 8) + (d.keys && d.values ? 1 : 0);
}

/**
 * A list or tuple literal of constants being iterated: the compiler iterates a list literal as a tuple
 * (Optimize.py IterationTransform: `sequence.as_tuple()`), and a tuple of constants is a cached constant, so nothing
 * is built at the loop.
 */
export function constantIterable(node: Node, env: CostEnv): boolean {
  if (node.type !== 'list' && node.type !== 'tuple') return false;
  const items = significantChildren(node);
  return items.length > 0 && items.every((i) => i.type !== 'list_splat' && typeInfo(i, env).literal === true);
}
