/**
 * GIL state of every scope, mirroring the compiler's three states (Nodes.NoGilState):
 * the GIL is held; it is released (`with nogil:`, `prange(nogil=True)`, `with nogil, parallel():`); or we are in the
 * body of a `nogil` function, where the caller may or may not hold it.
 */
import { cythonMemberOf, cythonNames as cythonNamesOf, inPythonSource } from './cython-names';
import { type Node, childrenOfType, field, namedChildren, significantChildren } from './syntax';

export type GilStateKind = 'held' | 'released' | 'nogil-function';

export interface GilState {
  kind: GilStateKind;
  /**
   * Set below `with nogil(<fused test>)` / `with gil(<fused test>)`: the state differs between fused
   * specialisations, so rules that need to know it stay silent (the compiler checks each specialisation).
   */
  uncertain?: boolean;
  /** The construct that released the GIL (a `with nogil` header or the `nogil` in a signature). */
  releasedBy?: Node;
}

export const HELD: GilState = { kind: 'held' };

export function needsNoGil(state: GilState): boolean {
  return state.kind !== 'held';
}

/** A `with nogil`/`with gil` statement, in any of its spellings. */
export interface GilTransition {
  to: 'nogil' | 'gil';
  condition: Node | null;
  header: Node;
  /** The `with_item` that is the transition (`with lock, nogil:`); absent when it is the statement's own keyword. */
  item?: Node;
}

/**
 * `nogil` / `gil` when an expression denotes one: `cython.nogil`, `cy.nogil` (`import cython as cy`), a name bound
 * by `from cython import nogil`; in Cython sources also the bare words (the parser's own `with nogil`), which in a
 * `.py` file are ordinary names.
 */
function gilWord(expr: Node): 'nogil' | 'gil' | undefined {
  const member = cythonMemberOf(expr);
  if (member === 'nogil' || member === 'gil') return member;
  if (expr.type === 'identifier' && (expr.text === 'nogil' || expr.text === 'gil') && !inPythonSource(expr)) {
    return expr.text;
  }
  return undefined;
}

/**
 * Is a `with_nogil_statement` / `with_gil_statement` (its keyword) a GIL transition? `with X.nogil:` when X is
 * the cython module (`cython`, or an alias); bare `with nogil:` in Cython sources, and in a `.py` file only when
 * `nogil` was imported from cython (`with nogil:` is then an ordinary with statement: Parsing.p_with_items).
 */
function keywordIsTransition(node: Node): boolean {
  const first = namedChildren(node)[0];
  const names = cythonNamesOf(node);
  if (first && first.type === 'identifier' && first.id !== field(node, 'condition')?.id) return names.modules.has(first.text);
  if (!inPythonSource(node)) return true;
  const word = node.type === 'with_nogil_statement' ? 'nogil' : 'gil';
  return names.members.get(word) === word;
}

/**
 * The first GIL transition of a `with` statement. Several items in one statement are nested with statements
 * (Parsing.p_with_items): `with lock, nogil:` acquires the lock with the GIL held and releases the GIL inside.
 */
export function gilTransition(node: Node): GilTransition | undefined {
  if ((node.type === 'with_nogil_statement' || node.type === 'with_gil_statement') && keywordIsTransition(node)) {
    return { to: node.type === 'with_nogil_statement' ? 'nogil' : 'gil', condition: field(node, 'condition'),
      header: headerOf(node) };
  }
  if (isWith(node)) {
    for (const item of withItems(node)) {
      const t = itemTransition(item, node);
      if (t) return t;
    }
  }
  return undefined;
}

/** Every GIL transition of a `with` statement, outermost first: its own keyword, then its `nogil`/`gil` items. */
export function gilTransitions(node: Node): GilTransition[] {
  const own = ownTransition(node);
  if (!isWith(node)) return [];
  const out = own ? [own] : [];
  for (const item of withItems(node)) {
    const t = itemTransition(item, node);
    if (t) out.push(t);
  }
  return out;
}

/** A `with` item that is `nogil`/`gil` (`cython.nogil`, `nogil(cond)`), which the parser makes a GILStatNode. */
function itemTransition(item: Node, statement: Node): GilTransition | undefined {
  const value = field(item, 'value') ?? significantChildren(item)[0];
  if (!value) return undefined;
  const word = gilWord(value);
  if (word) return { to: word, condition: null, header: headerOf(statement), item };
  if (value.type === 'call') {
    const fn = field(value, 'function');
    const to = fn ? gilWord(fn) : undefined;
    if (to) {
      const args = field(value, 'arguments');
      return { to, condition: args ? significantChildren(args)[0] ?? null : null, header: headerOf(statement), item };
    }
  }
  return undefined;
}

export type ConstantCondition = (cond: Node) => boolean | 'maybe' | undefined;

/** The state after one transition, given the state before it. */
function afterTransition(t: GilTransition, before: GilState, constantCondition: ConstantCondition): GilState {
  if (t.condition) {
    const value = constantCondition(t.condition);
    if (value === false) return before;
    if (value === undefined) return before; // reported as an error; the compiler does not analyse further
    if (value === 'maybe') return { kind: 'held', uncertain: true };
  }
  return t.to === 'nogil' ? { kind: 'released', releasedBy: t.header } : HELD;
}

/**
 * The GIL state each item of a `with` statement is evaluated in, and the state of its body: the items are nested
 * with statements, so `with a, nogil, b:` evaluates `a` with the outer state and `b` without the GIL.
 * `transition` marks the items that are themselves `nogil`/`gil` (compile-time constructs, nothing to evaluate).
 */
export function withItemStates(node: Node, outer: GilState, constantCondition: ConstantCondition):
  { items: Map<number, { state: GilState; transition: boolean }>; body: GilState } {
  const items = new Map<number, { state: GilState; transition: boolean }>();
  let state = outer;
  const own = ownTransition(node);
  if (own) state = afterTransition(own, state, constantCondition);
  for (const item of withItems(node)) {
    const t = itemTransition(item, node);
    items.set(item.id, { state, transition: t !== undefined });
    if (t) state = afterTransition(t, state, constantCondition);
  }
  return { items, body: state };
}

/** The transition of a with_nogil_statement / with_gil_statement's own keyword, when it is one. */
function ownTransition(node: Node): GilTransition | undefined {
  if (node.type !== 'with_nogil_statement' && node.type !== 'with_gil_statement') return undefined;
  return keywordIsTransition(node) ? gilTransition(node) : undefined;
}

function isWith(node: Node): boolean {
  return node.type === 'with_statement' || node.type === 'with_nogil_statement' || node.type === 'with_gil_statement';
}

export function withItems(node: Node): Node[] {
  const clause = childrenOfType(node, 'with_clause')[0];
  // `with nogil, parallel():` parses as a with_nogil_statement with the further items as direct children.
  return (clause ? namedChildren(clause) : namedChildren(node)).filter((c) => c.type === 'with_item');
}

/** Items that are compile-time constructs, not context managers: `parallel()`, `cython.*` (directives, sections). */
const SPECIAL_ITEM = /^(cython\.)?(parallel\.)?(parallel|critical_section|nogil|gil)$|^cython\./;

/**
 * The context manager of a `with` item that is an ordinary (Python-level) one, with its `as` target; undefined for
 * `nogil`/`gil`, `parallel()`, `cython.critical_section(...)` and directives.
 */
export function contextManagerOf(item: Node): { manager: Node; target: Node | null } | undefined {
  const value = field(item, 'value') ?? namedChildren(item)[0];
  const manager = value?.type === 'as_pattern' ? namedChildren(value)[0] : value;
  if (!manager) return undefined;
  const callee = manager.type === 'call' ? field(manager, 'function') : manager;
  if (callee && (cythonMemberOf(callee) !== undefined || /^cython\./.test(callee.text)
    || (!inPythonSource(callee) && SPECIAL_ITEM.test(callee.text)))) return undefined;
  const alias = value?.type === 'as_pattern' ? field(value, 'alias') : null;
  return { manager, target: alias ? namedChildren(alias)[0] ?? null : null };
}

/** Is this `with` statement a `parallel()` block (from cython.parallel)? */
export function isParallelBlock(node: Node): boolean {
  if (node.type !== 'with_statement' && node.type !== 'with_nogil_statement') return false;
  return withItems(node).some((item) => {
    const value = field(item, 'value') ?? significantChildren(item)[0];
    const fn = value?.type === 'call' ? field(value, 'function') : null;
    return fn !== null && (/^((cython\.)?parallel\.)?parallel$/.test(fn.text) || cythonMemberOf(fn) === 'parallel.parallel');
  });
}

/** `prange(...)` call of a for loop, with whether it passes `nogil=True`. */
export function prangeOf(forNode: Node): { nogil: boolean } | undefined {
  if (forNode.type !== 'for_statement') return undefined;
  const right = field(forNode, 'right');
  if (!right || right.type !== 'call') return undefined;
  const fn = field(right, 'function');
  if (!fn || !(/^((cython\.)?parallel\.)?prange$/.test(fn.text) || cythonMemberOf(fn) === 'parallel.prange')) return undefined;
  const args = field(right, 'arguments');
  const nogil = args ? namedChildren(args).some((a) => a.type === 'keyword_argument'
    && field(a, 'name')?.text === 'nogil' && field(a, 'value')?.text === 'True') : false;
  return { nogil };
}

/** The header of a compound statement: from its start to the `:` (for related information and hovers). */
export function headerOf(node: Node): Node {
  const body = field(node, 'body');
  const first = node.child(0);
  if (!body || !first) return node;
  // Return the first child: callers use its start and the node's row for ranges.
  return first;
}

/** The state inside the body of `node`, given the state outside. `undefined` means "unchanged". */
export function bodyState(node: Node, outer: GilState, constantCondition: ConstantCondition): GilState | undefined {
  if (gilTransition(node)) return withItemStates(node, outer, constantCondition).body;
  const prange = prangeOf(node);
  if (prange) {
    if (prange.nogil || outer.kind !== 'held') return { kind: 'released', releasedBy: field(node, 'right') ?? node };
    return outer;
  }
  return undefined;
}
