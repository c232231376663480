/**
 * `prange(...)` without `nogil=True`, or a `parallel()` block, entered while the GIL is held (GilCheck
 * visit_ParallelRangeNode / visit_ParallelWithBlockNode): the compiler releases and re-acquires the GIL around it and
 * warns, unless the module is declared `freethreading_compatible`. Inside a nogil function or a `with nogil:` block
 * nothing is said.
 */
import type { Node } from 'web-tree-sitter';
import { field, namedChildren } from '../../model/syntax';
import type { GilRule } from './rule';

export const PRANGE_WITH_GIL_MESSAGE = 'prange without releasing the GIL will only work well on freethreaded Python';
export const PARALLEL_WITH_GIL_MESSAGE =
  'Parallel section without releasing the GIL will only work well on freethreaded Python';

const PRANGE = /^((cython\.)?parallel\.)?prange$/;
const PARALLEL = /^((cython\.)?parallel\.)?parallel$/;

export const parallelWithoutNogil: GilRule = {
  code: 'parallel-without-nogil',
  nodeTypes: ['call'],
  when: 'always',
  check(node, ctx) {
    if (ctx.directives.freethreading_compatible || ctx.state.kind !== 'held' || ctx.state.uncertain) return;
    const fn = field(node, 'function');
    const args = field(node, 'arguments');
    if (!fn || !args) return;
    if (PRANGE.test(fn.text) && isCythonName(fn, ctx.model.collector.lookupDotted.bind(ctx.model.collector))) {
      // the walker evaluates a loop's prange call in the state of its body: held means `nogil=True` is missing
      if (!passesNogil(args)) ctx.report(args, PRANGE_WITH_GIL_MESSAGE);
    } else if (PARALLEL.test(fn.text) && node.parent?.type === 'with_item'
      && isCythonName(fn, ctx.model.collector.lookupDotted.bind(ctx.model.collector))) {
      ctx.report(args, PARALLEL_WITH_GIL_MESSAGE);
    }
  },
};

function passesNogil(args: Node): boolean {
  return namedChildren(args).some((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'nogil'
    && field(a, 'value')?.text === 'True');
}

/** The name comes from `cython.parallel` (cimported or imported), not a user function of the same name. */
function isCythonName(fn: Node, lookup: (name: string) => { kind: string } | undefined): boolean {
  return lookup(fn.text)?.kind === 'cython-builtin';
}
