/**
 * A Python context manager entered without the GIL (`with nogil, lock:`, `with lock:` in a nogil function): the
 * compiler expands the with statement (`__enter__`/`__exit__` lookups and calls, the exit-arguments tuples, the
 * try/except around the body, re-raising) and each part reports at the manager (Nodes.WithStatNode).
 */
import { contextManagerOf, withItemStates } from '../../model/gil-state';
import { namedChildren } from '../../model/syntax';
import { type GilRule, notAllowedWithoutGil } from './rule';

const EXPANSION = ['Calling gil-requiring function', 'Accessing Python attribute', 'Constructing Python tuple',
  'Try-except statement', 'Operation', 'Raising exception'];

export const pythonContextManager: GilRule = {
  code: 'nogil-python-context-manager',
  nodeTypes: ['with_statement', 'with_nogil_statement', 'with_gil_statement'],
  when: 'always',
  check(node, ctx) {
    const { items } = withItemStates(node, ctx.state,
      (c) => ctx.model.constantCondition(c, ctx.specialisation));
    for (const item of namedChildren(node).flatMap((c) => (c.type === 'with_clause' ? namedChildren(c) : [c]))) {
      const step = items.get(item.id);
      if (!step || step.transition || step.state.kind === 'held') continue;
      const cm = contextManagerOf(item);
      if (!cm) continue;
      const { manager, target } = cm;
      if (ctx.info(manager).type.kind !== 'py') continue; // unknown is not Python
      for (const what of EXPANSION) ctx.report(manager, notAllowedWithoutGil(what));
      // `as target`: the result of __enter__ is assigned to it.
      if (target?.type === 'identifier' && ctx.info(target).type.kind === 'py') {
        ctx.report(target, notAllowedWithoutGil('Assignment of Python object'));
      }
    }
  },
};
