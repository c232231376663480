/**
 * Exceptions: `raise` (acquiring the GIL in nogil code), `try` with its saved exception state, except clauses
 * (pattern matching, fetching and binding the exception) and `finally` bodies generated once per way out.
 */
import { HELD } from '../model/gil-state';
import { type Node, field, fieldNodes, namedChildren, significantChildren } from '../model/syntax';
import { type CostEnv, gilHeld, isExtensionClassNode, lineOf } from './cost-env';
import { PY_OBJECT } from '../model/c-types';
import { isTerminator, lastLine } from './control-flow';
import { MACRO, PY_CALL, PYX_CALL } from './line-costs';

export function raiseStatement(node: Node, env: CostEnv): void {
  const special = builtinRaise(node, env);
  if (special === 'StopIteration') {
    // `raise StopIteration` in a cdef class's __next__ (outside a try): tp_iternext returns NULL, no exception set
    env.facts.raises = true;
    return;
  }
  if (special === 'MemoryError' && gilHeld(env)) {
    env.sink.add(lineOf(node), PY_CALL, 'MemoryError raised (PyErr_NoMemory)');
    env.facts.raises = true;
    return;
  }
  const acquire = !gilHeld(env);
  const inner: CostEnv = acquire ? { ...env, state: HELD } : env;
  for (const c of significantChildren(node)) env.walk.exprTo(c, PY_OBJECT, inner);
  const line = lineOf(node);
  env.sink.here(PYX_CALL, 'exception raised (__Pyx_Raise)');
  if (acquire) env.sink.add(line, 2 * PYX_CALL, 'raise in nogil code acquires the GIL');
  env.facts.raises = true;
}

export function tryStatement(node: Node, env: CostEnv): void {
  const line = lineOf(node);
  const clauses = significantChildren(node);
  const handlers = clauses.filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
  const fin = clauses.find((c) => c.type === 'finally_clause');
  // only a try with handlers saves the exception state (Nodes.py TryExceptStatNode); try/finally alone does not
  if (gilHeld(env) && handlers.length) env.sink.add(line, PYX_CALL + 7 * MACRO, 'exception state saved for `try`');
  const body = field(node, 'body');
  env.walk.block(body, env);
  for (const c of clauses) {
    if (c === fin) continue;
    if (c.type === 'except_clause' || c.type === 'except_group_clause') exceptClause(c, env);
    else if (c.type === 'else_clause') env.walk.statement(c, env);
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
    env.walk.block(b, env);
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
  for (const p of patterns) env.walk.expr(p, env);
  if (patterns.length) {
    const tests = patterns.length === 2 ? 1 : patterns.length;
    env.sink.add(line, tests * PYX_CALL + (builtin ? 0 : 2 * PYX_CALL), 'exception type matched');
  }
  const needs = alias !== null || !needsNoException(b);
  env.sink.add(line, needs ? 2 * PYX_CALL : PYX_CALL, needs ? 'exception fetched and its traceback recorded'
    : 'exception cleared');
  if (alias) env.sink.add(line, 6 * PYX_CALL, `exception bound to \`${alias.text}\` (deleted at the end of the clause)`);
  env.walk.block(b, env);
  const last = b ? significantChildren(b).filter((x) => x.type !== 'comment').pop() : undefined;
  if (!needs || !last || isTerminator(last)) return;
  if (alias) env.sink.add(line, 2 * PYX_CALL + 2 * MACRO, `\`${alias.text}\` deleted and the exception released`);
  else env.sink.add(lastLine(last), 3 * MACRO, 'exception references released');
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
    env.walk.block(b, env);
    return;
  }
  const copies = 2 + (containsJump(tryBody, JUMPS) ? 1 : 0);
  const saved = env.facts.raises;
  env.facts.raises = false;
  env.sink.scaled(copies, () => env.walk.block(b, env));
  const raises = env.facts.raises;
  env.facts.raises ||= saved;
  const last = significantChildren(b).filter((x) => x.type !== 'comment').pop();
  if (last) {
    env.sink.add(lastLine(last), 4 * PYX_CALL + 4 * MACRO + (raises ? PYX_CALL + 3 * MACRO : 0),
      'exception state saved and restored around `finally`');
  }
}

/**
 * The raises Nodes.py RaiseStatNode generates without `__Pyx_Raise`: a bare `MemoryError` (or `MemoryError()`) is
 * `PyErr_NoMemory()`; a bare `StopIteration` in the `__next__` of a cdef class, outside a try block, leaves
 * tp_iternext without an exception.
 */
function builtinRaise(node: Node, env: CostEnv): 'MemoryError' | 'StopIteration' | undefined {
  const parts = significantChildren(node);
  if (parts.length !== 1) return undefined;
  let exc = parts[0]!;
  if (exc.type === 'call') {
    const args = field(exc, 'arguments');
    if (args && significantChildren(args).length > 0) return undefined;
    exc = field(exc, 'function') ?? exc;
  }
  if (exc.type !== 'identifier' || env.scope.lookup(exc.text)?.kind !== 'builtin') return undefined;
  if (exc.text === 'MemoryError') return 'MemoryError';
  if (exc.text !== 'StopIteration' || !env.fn || field(env.fn.node, 'name')?.text !== '__next__') return undefined;
  let cls = env.fn.node.parent;
  while (cls && (cls.type === 'block' || cls.type === 'decorated_definition')) cls = cls.parent;
  if (!cls || !isExtensionClassNode(cls, env)) return undefined;
  for (let p = node.parent; p && p !== env.fn.node; p = p.parent) if (p.type === 'try_statement') return undefined;
  return 'StopIteration';
}
