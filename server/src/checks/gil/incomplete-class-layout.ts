/**
 * One note per cdef class whose layout we cannot see whole (its attributes may be declared in a .pxd that was not
 * found; its body has a syntax error; its base class was not found) when its methods use members we do not know:
 * those members are unknown, so the GIL checks that depend on them are skipped (never reported as Python).
 */
import type { Node } from 'web-tree-sitter';
import { field } from '../../model/syntax';
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

/**
 * The first `self.<name>` in the class body (in document order) whose name the class does not declare. The class's
 * own unit is analysed again at every keystroke in any of its methods (its text changed), so the body is not walked
 * node by node: the word `self` is searched in its text, and only an occurrence that may be an unknown member is looked
 * up in the tree (an occurrence whose spelled name the class declares is skipped whatever it is: the walk would skip
 * it too; `known` may be asked about more names than the walk would, which only adds dependencies).
 */
export function firstUnknownMember(body: Node, known: (attr: string) => boolean): string | undefined {
  const text = body.text;
  for (let i = text.indexOf('self'); i !== -1; i = text.indexOf('self', i + 4)) {
    const spelled = spelledMember(text, i);
    if (spelled === null) continue;
    if (spelled !== undefined && (known(spelled) || spelled.startsWith('__'))) continue;
    const attr = memberAt(body, body.startIndex + i);
    if (attr && !known(attr) && !attr.startsWith('__')) return attr;
  }
  return undefined;
}

const WORD = /[A-Za-z0-9_]/;

/**
 * What the text at `at` (the word `self`) spells: null when it cannot be the object of an attribute (part of a longer
 * word, or not followed by a dot); the ASCII name after the dot; undefined when not sure (non-ASCII text around):
 * the tree decides.
 */
function spelledMember(text: string, at: number): string | null | undefined {
  const before = at > 0 ? text.charCodeAt(at - 1) : 32;
  if (before > 127) return undefined;
  if (WORD.test(text[at - 1] ?? ' ')) return null;
  const after = text.charCodeAt(at + 4);
  if (after > 127) return undefined;
  if (WORD.test(text[at + 4] ?? ' ')) return null;
  const dot = skipGap(text, at + 4);
  if (dot < text.length && text.charCodeAt(dot) > 127) return undefined;
  if (text[dot] !== '.') return null;
  const from = skipGap(text, dot + 1);
  let end = from;
  while (end < text.length && WORD.test(text[end] as string)) end++;
  if (end === from || /[0-9]/.test(text[from] as string) || (end < text.length && text.charCodeAt(end) > 127)) return undefined;
  return text.slice(from, end);
}

/** Past spaces, line continuations and comments (what may stand between an attribute's object, dot and name). */
function skipGap(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') i++;
    else if (c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) i += 2;
    else if (c === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else return i;
  }
}

/** The member name when the word `self` at `offset` is the object of an attribute (`self.<name>`). */
function memberAt(body: Node, offset: number): string | undefined {
  const id = body.tree.rootNode.descendantForIndex(offset, offset) as Node | null;
  const attribute = id?.parent;
  if (id?.type !== 'identifier' || attribute?.type !== 'attribute') return undefined;
  const object = field(attribute, 'object');
  if (object?.startIndex !== id.startIndex || object.endIndex !== id.endIndex || object.text !== 'self') return undefined;
  return field(attribute, 'attribute')?.text;
}
