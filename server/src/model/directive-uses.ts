/**
 * Directives written in code: `@cython.name(...)` / `@cython.name` decorators and `with cython.name(...):` items,
 * with the scope the compiler checks them against (InterpretCompilerDirectives: 'function' for def/cdef/cpdef
 * functions, 'class', 'cclass' for a cdef class, 'cppclass', 'with statement'). Found from the places the text
 * spells `cython.` (no walk of the whole tree), and only when the module imports or cimports `cython` under that
 * name (otherwise `cython` is some other object and its attributes are not directives).
 */
import type { Tree } from 'web-tree-sitter';
import type { DirectiveScope } from './directive-table';
import { type Node, field, namedChildren } from './syntax';
import { someLineMatches } from '../text/line-search';

export interface DirectiveUse {
  readonly kind: 'decorator' | 'with';
  /** The directive's name as written after `cython.` (dotted for `optimize.use_switch`). */
  readonly name: string;
  /** The `cython.name` attribute node. */
  readonly attribute: Node;
  /** The call when written with arguments. */
  readonly call?: Node;
  /** Positional and keyword arguments of the call (empty without a call). */
  readonly args: readonly Node[];
  readonly keywords: readonly Node[];
  readonly scope: DirectiveScope;
  /** The decorated definition (its `decorated_definition`) or the with statement. */
  readonly owner: Node;
  /**
   * Where the compiler reports scope errors of the definition (its node's position): a Python class at its `class`
   * line, a function or cdef class at its first decorator, a with statement at the statement.
   */
  readonly anchor: Node;
  /** A class whose decorators include `@cython.cclass` (the compiler then checks later ones as a cdef class). */
  readonly maybeCclass: boolean;
}

/** A line binding `cython` (every such line contains the word `cython`: text/line-search.ts). */
const IMPORTS_CYTHON = /^[ \t]*(?:c?import[ \t]+cython[ \t]*(?:#.*)?$|c?import[ \t]+cython[ \t]*,|c?import[ \t]+.*,[ \t]*cython[ \t]*(?:,|$|#))/;

/** Whether the module binds `cython` to the cython module (`cimport cython`, `import cython`). */
export function importsCython(text: string): boolean {
  return someLineMatches(text, 'cython', IMPORTS_CYTHON);
}

const SCOPE_OF: Readonly<Record<string, DirectiveScope>> = {
  function_definition: 'function', c_function_definition: 'function', class_definition: 'class',
  cdef_class_definition: 'cclass', cppclass_definition: 'cppclass',
};

/** `cython.a.b` → `a.b` when `node` is an attribute chain rooted at the identifier `cython`. */
export function cythonAttributeName(node: Node): string | undefined {
  if (node.type !== 'attribute') return undefined;
  let root: Node | null = node;
  while (root?.type === 'attribute') root = field(root, 'object');
  if (root?.type !== 'identifier' || root.text !== 'cython') return undefined;
  return node.text.replace(/\s+/g, '').slice('cython.'.length);
}

function callParts(call: Node): { args: Node[]; keywords: Node[] } {
  const list = field(call, 'arguments');
  const args: Node[] = [];
  const keywords: Node[] = [];
  for (const a of list ? namedChildren(list) : []) {
    if (a.type === 'comment') continue;
    (a.type === 'keyword_argument' ? keywords : args).push(a);
  }
  return { args, keywords };
}

/**
 * The range of a diagnostic the compiler gives at the definition's position: from there to the directive, or the
 * class's name when the class line comes after the decorator.
 */
export function anchoredRange(use: DirectiveUse): { start: number; end: number } {
  const start = use.anchor.startIndex;
  if (start <= use.attribute.startIndex) return { start, end: use.attribute.endIndex };
  return { start, end: field(use.anchor, 'name')?.endIndex ?? start };
}

/**
 * Where the matches of /\bcython[ \t]*\.[ \t]*[A-Za-z_]/g start, left to right without overlaps, found from the word
 * with indexOf (a regex starting with \b tries every offset of the text: this runs on every keystroke).
 */
export function cythonAttributeStarts(text: string): number[] {
  const out: number[] = [];
  const rest = /cython[ \t]*\.[ \t]*[A-Za-z_]/y;
  for (let at = text.indexOf('cython'), from = 0; at !== -1; at = text.indexOf('cython', from)) {
    rest.lastIndex = at;
    if ((at > 0 && isWordCharacter(text.charCodeAt(at - 1))) || !rest.test(text)) {
      from = at + 1;
      continue;
    }
    out.push(at);
    from = rest.lastIndex;
  }
  return out;
}

/** A character `\b` counts as a word character (no `u` flag): ASCII letters, digits and `_`. */
function isWordCharacter(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Every directive decorator and with item of the document. */
export function directiveUses(text: string, tree: Tree): DirectiveUse[] {
  if (!importsCython(text)) return [];
  const out: DirectiveUse[] = [];
  const seen = new Set<number>();
  for (const at of cythonAttributeStarts(text)) {
    const id = tree.rootNode.descendantForIndex(at, at) as Node | null;
    if (id?.type !== 'identifier' || id.parent?.type !== 'attribute') continue;
    let attr: Node = id.parent;
    while (attr.parent?.type === 'attribute' && field(attr.parent, 'object')?.id === attr.id) attr = attr.parent;
    if (seen.has(attr.id)) continue;
    seen.add(attr.id);
    const name = cythonAttributeName(attr);
    if (!name) continue;
    const call = attr.parent?.type === 'call' && field(attr.parent, 'function')?.id === attr.id ? attr.parent : undefined;
    const expr = call ?? attr;
    const holder = expr.parent;
    const parts = call ? callParts(call) : { args: [], keywords: [] };
    if (holder?.type === 'decorator') {
      const decorated = holder.parent;
      const def = decorated?.type === 'decorated_definition' ? field(decorated, 'definition')
        ?? namedChildren(decorated).find((c) => SCOPE_OF[c.type] !== undefined) : undefined;
      const scope = def ? SCOPE_OF[def.type] : undefined;
      if (!decorated || !def || !scope) continue;
      const maybeCclass = scope === 'class' && namedChildren(decorated).some((d) => d.type === 'decorator'
        && /^@\s*cython\s*\.\s*cclass\s*$/.test(d.text));
      const anchor = scope === 'class' ? def : decorated;
      out.push({ kind: 'decorator', name, attribute: attr, call, ...parts, scope, owner: decorated, anchor, maybeCclass });
    } else if (holder?.type === 'with_item' && holder.parent?.type === 'with_clause') {
      const statement = holder.parent.parent;
      if (statement?.type !== 'with_statement') continue;
      if (holder.namedChildCount > 1) continue; // `with cython.x(...) as y`: the compiler refuses the 'as'
      out.push({
        kind: 'with', name, attribute: attr, call, ...parts, scope: 'with statement', owner: statement, anchor: statement,
        maybeCclass: false,
      });
    }
  }
  return out;
}
