/** Assigning to a Python-object variable without the GIL (NameNode.gil_assignment_check). */
import { field } from '../../model/syntax';
import { namesIn } from '../../model/declarations';
import type { GilRule } from './rule';

export const pythonAssignment: GilRule = {
  code: 'nogil-python-assignment',
  nodeTypes: ['assignment'],
  when: 'nogil',
  severity: 'error',
  check(node, ctx) {
    const left = field(node, 'left');
    if (!left) return;
    for (const name of namesIn(left)) {
      if (ctx.info(name).type.kind === 'py') {
        ctx.report(name, 'Assignment of Python object not allowed without gil');
      }
    }
  },
};
