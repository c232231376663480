/** Assigning to a Python-object variable without the GIL (NameNode.gil_assignment_check). */
import { field, fieldNodes } from '../../model/syntax';
import { namesIn } from '../../model/assignment-targets';
import type { Node } from 'web-tree-sitter';
import { namedChildren } from '../../model/syntax';
import type { GilRule } from './rule';

const MESSAGE = 'Assignment of Python object not allowed without gil';

function targetsOf(left: Node): Node[] {
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list'].includes(left.type)) {
    return namedChildren(left).flatMap(targetsOf);
  }
  return [left];
}

export const pythonAssignment: GilRule = {
  code: 'nogil-python-assignment',
  nodeTypes: ['assignment', 'import_statement', 'function_definition'],
  when: 'nogil',
  check(node, ctx) {
    if (node.type === 'function_definition') {
      // A nested def binds its name to the new function object (the compiler says nothing of the kind for a class).
      ctx.report(node, MESSAGE);
      return;
    }
    if (node.type === 'import_statement') {
      // `import m` assigns the module object to the name m (the compiler reports it at the module name).
      for (const item of fieldNodes(node, 'name')) {
        const bound = item.type === 'aliased_import' ? field(item, 'alias') : item;
        if (bound) ctx.report(bound, MESSAGE);
      }
      return;
    }
    const left = field(node, 'left');
    if (!left) return;
    for (const name of namesIn(left)) {
      if (ctx.info(name).type.kind === 'py') ctx.report(name, MESSAGE);
    }
    // Storing into an item or attribute of a Python object.
    for (const target of targetsOf(left)) {
      if (target.type === 'subscript') {
        const value = field(target, 'value');
        if (value && ctx.info(value).type.kind === 'py' && ctx.info(target).type.kind === 'py') ctx.report(target, MESSAGE);
      } else if (target.type === 'attribute' && ctx.info(target).pyAttribute) {
        ctx.report(target, MESSAGE);
      }
    }
  },
};
