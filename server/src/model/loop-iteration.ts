/**
 * How the compiler runs a `for ... in` loop (Optimize.py IterationTransform): as a plain C loop (over a range, a C
 * array, a pointer slice or a memoryview, also through `reversed()` and `enumerate()`), or by iterating over a Python
 * object (a literal tuple or list included). Decides whether the loop needs the GIL.
 */
import type { CType } from './c-types';
import { type Node, field, namedChildren, significantChildren } from './syntax';

export type LoopPlan =
  /**
   * A C loop. `pythonTarget`: a range loop over small literal bounds into an object variable (ForFromStatNode);
   * `pythonBounds`: object bounds unboxed into a C loop variable; `overMemoryview`: indexing a memoryview.
   */
  | { kind: 'c'; pythonTarget?: boolean; pythonBounds?: Node[]; overMemoryview?: boolean }
  /** Iterating over a Python object. `target`: the C type of the target variable, if the items are unboxed into it. */
  | { kind: 'python'; cTarget: boolean }
  /** Something we cannot see, or a compile error that is not about the GIL: say nothing. */
  | { kind: 'unknown' };

/** What the plan needs from the expression typer. */
export interface LoopTyping {
  type(node: Node): CType;
  literal(node: Node): boolean;
  /** Is this name the Python builtin of that name (not shadowed)? */
  isBuiltin(name: string): boolean;
}

/** The builtins IterationTransform optimises in a loop header (range and xrange, reversed, enumerate). */
export const LOOP_BUILTINS = new Set(['range', 'xrange', 'reversed', 'enumerate']);

const UNKNOWN: LoopPlan = { kind: 'unknown' };

/** The loop plan of a `for_statement` or `for_in_clause`. */
export function loopPlan(loop: Node, typing: LoopTyping): LoopPlan {
  const right = field(loop, 'right');
  const left = field(loop, 'left');
  if (!right || !left) return UNKNOWN;
  return plan(unparenthesised(right), left, typing, false);
}

/** The for loop whose iterable this call is (directly, or through `reversed()`/`enumerate()`), if any. */
export function loopOfIterableCall(call: Node): Node | undefined {
  let cur: Node = call;
  for (;;) {
    const parent = cur.parent;
    if (!parent) return undefined;
    if (parent.type === 'parenthesized_expression') {
      cur = parent;
      continue;
    }
    if ((parent.type === 'for_statement' || parent.type === 'for_in_clause') && field(parent, 'right')?.id === cur.id) {
      return parent;
    }
    // the first argument of an enclosing reversed()/enumerate() call
    if (parent.type === 'argument_list' && significantChildren(parent)[0]?.id === cur.id) {
      const outer = parent.parent;
      const name = outer?.type === 'call' ? field(outer, 'function')?.text : undefined;
      if (outer && (name === 'reversed' || name === 'enumerate')) {
        cur = outer;
        continue;
      }
    }
    return undefined;
  }
}

/** A call of range/reversed/enumerate (typed through the loop plan itself: not typed here). */
function isLoopBuiltinCall(node: Node, typing: LoopTyping): boolean {
  const fn = node.type === 'call' ? field(node, 'function') : null;
  return fn?.type === 'identifier' && LOOP_BUILTINS.has(fn.text) && typing.isBuiltin(fn.text);
}

function unparenthesised(node: Node): Node {
  let n = node;
  while (n.type === 'parenthesized_expression' && significantChildren(n).length === 1) n = significantChildren(n)[0];
  return n;
}

function plan(iterable: Node, target: Node, typing: LoopTyping, reversed: boolean): LoopPlan {
  const python = (): LoopPlan => ({ kind: 'python', cTarget: isCValueTarget(target, typing) });
  if (iterable.type === 'call') {
    const fn = field(iterable, 'function');
    const name = fn?.type === 'identifier' ? fn.text : undefined;
    if (name && LOOP_BUILTINS.has(name) && typing.isBuiltin(name)) {
      const args = field(iterable, 'arguments');
      const items = args ? significantChildren(args) : [];
      const positional = items.filter((a) => a.type !== 'keyword_argument');
      const keywords = items.filter((a) => a.type === 'keyword_argument');
      if (items.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return python();
      if (name === 'range' || name === 'xrange') return rangePlan(positional, keywords, target, typing);
      if (name === 'reversed') {
        if (reversed || positional.length !== 1 || keywords.length) return python();
        const arg = unparenthesised(positional[0]);
        if (isLoopBuiltinCall(arg, typing)) return plan(arg, target, typing, true);
        const t = typing.type(arg);
        // reversed(list/tuple) iterates the Python sequence backwards.
        if (t.kind === 'py') return python();
        return plan(arg, target, typing, true);
      }
      // enumerate(iterable[, start])
      // enumerate(x, start=1) is a general call: not optimised.
      if (reversed || keywords.length || positional.length === 0 || positional.length > 2) return python();
      const targets = target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'tuple'
        ? namedChildren(target).filter((c) => c.type !== 'comment') : [];
      if (targets.length !== 2) return python();
      const counter = typing.type(targets[0]);
      if (counter.kind === 'unknown') return UNKNOWN;
      if (!(counter.kind === 'py' || (counter.kind === 'scalar' && counter.family === 'int'))) return python();
      const start = positional[1];
      if (start && counter.kind !== 'py' && typing.type(start).kind === 'py' && !typing.literal(start)) {
        return { kind: 'unknown' };
      }
      const arg = unparenthesised(positional[0]);
      if (isLoopBuiltinCall(arg, typing)) {
        const inner = plan(arg, targets[1], typing, false);
        return inner.kind === 'c' && counter.kind === 'py' ? UNKNOWN : inner;
      }
      const t = typing.type(arg);
      // enumerate(p[:n]) converts the pointer slice to an object first: a compile error, not ours to report.
      if (t.kind === 'ptr') return UNKNOWN;
      const inner = plan(arg, targets[1], typing, false);
      // an object counter is incremented as a Python object: not a plain C loop, and not a Python iteration
      if (inner.kind === 'c' && counter.kind === 'py') return UNKNOWN;
      return inner;
    }
  }
  const t = typing.type(iterable);
  switch (t.kind) {
    case 'array': return { kind: 'c' };
    case 'ptr': {
      // A C string iterates as bytes; a bare pointer has no end ("C array iteration requires known end index").
      if (t.base.kind === 'scalar' && t.base.family === 'char') return UNKNOWN;
      if (iterable.type !== 'subscript') return UNKNOWN;
      return { kind: 'c' };
    }
    // indexed with a length and bounds checks (_transform_indexable_iteration)
    case 'memview': return { kind: 'c', overMemoryview: true };
    case 'unknown': return UNKNOWN;
    case 'py':
      // A string literal iterates as characters through a Python object (and a type test) in the pinned compiler;
      // a literal tuple or list is built and iterated as a Python object (checked against cython 3.3.1).
      if (iterable.type === 'string' || iterable.type === 'concatenated_string') return UNKNOWN;
      return python();
    default: return UNKNOWN;
  }
}

/** `range(...)`: a C loop when its step is a constant and its target a C integer (or an object over small literals). */
function rangePlan(positional: Node[], keywords: Node[], target: Node, typing: LoopTyping): LoopPlan {
  const python = (): LoopPlan => ({ kind: 'python', cTarget: isCValueTarget(target, typing) });
  if (keywords.length || positional.length < 1 || positional.length > 3) return python();
  if (positional.length === 3) {
    const step = constantInteger(positional[2]);
    if (step === undefined) {
      // a step we cannot evaluate: a DEF or enum constant may be constant to the compiler
      return isConstantLike(positional[2], typing) ? UNKNOWN : python();
    }
    if (step === 0) return UNKNOWN;
  }
  const t = typing.type(target);
  if (t.kind === 'unknown') return UNKNOWN;
  if ((t.kind === 'scalar' && t.family !== 'float' && t.family !== 'complex') || t.kind === 'enum') {
    const pythonBounds = positional.slice(0, 2).filter((a) => typing.type(a).kind === 'py' && !typing.literal(a));
    if (positional.some((a) => typing.type(a).kind === 'unknown')) return UNKNOWN;
    return pythonBounds.length ? { kind: 'c', pythonBounds } : { kind: 'c' };
  }
  if (t.kind === 'py') {
    const small = positional.every((a) => {
      const v = constantInteger(a);
      return v !== undefined && unparenthesised(a).type === 'integer' && v >= -(2 ** 30) && v < 2 ** 30;
    });
    return small ? { kind: 'c', pythonTarget: true } : python();
  }
  return UNKNOWN;
}

/** An integer literal, possibly negated or parenthesised (what ConstantFolding leaves as an IntNode). */
function constantInteger(node: Node): number | undefined {
  const n = unparenthesised(node);
  if (n.type === 'integer' && !/[jJ]$/.test(n.text)) {
    const v = Number(n.text.replace(/_/g, '').replace(/[lLuU]+$/, ''));
    return Number.isFinite(v) ? v : undefined;
  }
  if (n.type === 'unary_operator') {
    const arg = field(n, 'argument');
    const op = n.child(0)?.text;
    const v = arg ? constantInteger(arg) : undefined;
    if (v === undefined) return undefined;
    return op === '-' ? -v : op === '+' ? v : undefined;
  }
  if (n.type === 'binary_operator') {
    const l = field(n, 'left');
    const r = field(n, 'right');
    const a = l ? constantInteger(l) : undefined;
    const b = r ? constantInteger(r) : undefined;
    const op = field(n, 'operator')?.text ?? n.child(1)?.text;
    if (a === undefined || b === undefined) return undefined;
    switch (op) {
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      default: return undefined;
    }
  }
  return undefined;
}

/** A name or expression that the compiler may fold to a constant (a DEF, a const or enum name). */
function isConstantLike(node: Node, typing: LoopTyping): boolean {
  const n = unparenthesised(node);
  if (n.type === 'identifier' || n.type === 'attribute') {
    const t = typing.type(n);
    return t.kind === 'unknown' || t.kind === 'enum';
  }
  if (n.type === 'unary_operator') {
    const arg = field(n, 'argument');
    return arg !== null && isConstantLike(arg, typing);
  }
  return false;
}

/** The loop target is a C variable: Python items are unboxed into it ("Coercion from Python"). */
function isCValueTarget(target: Node, typing: LoopTyping): boolean {
  if (target.type !== 'identifier') return false;
  const t = typing.type(target);
  return t.kind !== 'py' && t.kind !== 'unknown';
}
