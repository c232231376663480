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
export function isBufferIndex(v: ExprInfo, indices: Node[], env: CostEnv): boolean {
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
