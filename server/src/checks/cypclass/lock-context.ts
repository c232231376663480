/** Where a Cython+ node stands with respect to `with wlocked` / `with rlocked` blocks and its function. */
import { type Node, field } from '../../model/syntax';

const FUNCTIONS = new Set(['function_definition', 'c_function_definition', 'lambda']);

/** The `with rlocked/wlocked` statements whose body holds the node, innermost first (up to its function). */
export function enclosingLocks(node: Node): { mode: 'rlocked' | 'wlocked'; object: string; statement: Node }[] {
  const out: { mode: 'rlocked' | 'wlocked'; object: string; statement: Node }[] = [];
  let child = node;
  for (let n = node.parent; n && !FUNCTIONS.has(n.type); child = n, n = n.parent) {
    if (n.type !== 'with_locked_statement' || field(n, 'body')?.id !== child.id) continue;
    const mode = field(n, 'mode')?.text;
    const obj = field(n, 'object');
    if ((mode === 'rlocked' || mode === 'wlocked') && obj) out.push({ mode, object: obj.text, statement: n });
  }
  return out;
}

/** The function definition around a node, or undefined at module level. */
export function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (FUNCTIONS.has(n.type)) return n;
  return undefined;
}
