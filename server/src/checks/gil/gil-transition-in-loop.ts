/**
 * Our own hint (not the compiler's): acquiring or releasing the GIL as a statement of a loop body pays for the
 * transition on every iteration. Hoist the `with` block out of the loop when the loop allows it.
 */
import { contextManagerOf, gilTransition, withItems } from '../../model/gil-state';
import type { GilRule } from './rule';

export const gilTransitionInLoop: GilRule = {
  code: 'gil-transition-in-loop',
  nodeTypes: ['with_gil_statement', 'with_nogil_statement', 'with_statement'],
  when: 'always',
  check(node, ctx) {
    const t = gilTransition(node);
    if (!t || ctx.loopDepth === 0) return;
    // `with lock, nogil:` also enters a context manager on every iteration, on purpose: hoisting would change that.
    if (withItems(node).some((item) => contextManagerOf(item))) return;
    // Only a transition that runs on every iteration: a statement of the loop body itself, not one inside an `if`
    // (typically an error path that acquires the GIL to raise).
    const loop = node.parent?.type === 'block' ? node.parent.parent : null;
    if (!loop || !['for_statement', 'while_statement', 'for_from_statement'].includes(loop.type)) return;
    const what = t.to === 'nogil' ? 'releases and re-acquires' : 'acquires and releases';
    ctx.report(t.header, `\`with ${t.to}:\` inside a loop ${what} the GIL on every iteration; hoist it out of the loop `
      + 'if the loop body allows it.', { data: { transition: t.to } });
  },
};
