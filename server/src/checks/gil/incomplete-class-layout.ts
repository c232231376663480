/**
 * One note per cdef class whose layout we cannot see whole (its attributes may be declared in a .pxd that was not
 * found; its body has a syntax error; its base class was not found) when its methods use members we do not know:
 * those members are unknown, so the GIL checks that depend on them are skipped (never reported as Python).
 */
import type { Node } from 'web-tree-sitter';
import { field, namedChildren } from '../../model/syntax';
import type { GilRule } from './rule';

export const incompleteClassLayout: GilRule = {
  code: 'incomplete-class-layout',
  nodeTypes: ['cdef_class_definition'],
  when: 'always',
  check(node, ctx) {
    const nameNode = field(node, 'name');
    // one method's unit of the class: the note (at the class's name) is the class's own unit's, spare the scan
    if (nameNode && !ctx.kept(nameNode)) return;
    const name = nameNode?.text.split('.').pop()?.trim();
    const sym = name ? ctx.scope.lookup(name) : undefined;
    const cls = sym?.type.kind === 'py' ? sym.type.cls : undefined;
    const body = field(node, 'body');
    if (!cls?.incomplete || !body || !nameNode) return;
    const unknown = firstUnknownMember(body, (attr) => cls.attributes.has(attr) || cls.methods.has(attr));
    if (!unknown) return;
    ctx.report(nameNode, `cdef class ${cls.name}: ${cls.incomplete}, so its members such as \`${unknown}\` are unknown `
      + 'and the GIL checks that depend on them are skipped.');
  },
};

/** The first `self.<name>` in the class body whose name the class does not declare. */
function firstUnknownMember(body: Node, known: (attr: string) => boolean): string | undefined {
  const stack: Node[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'attribute' && field(n, 'object')?.text === 'self') {
      const attr = field(n, 'attribute')?.text;
      if (attr && !known(attr) && !attr.startsWith('__')) return attr;
    }
    const cs = namedChildren(n);
    for (let i = cs.length - 1; i >= 0; i--) stack.push(cs[i]!);
  }
  return undefined;
}
