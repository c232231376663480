/**
 * Memoised node accessors for web-tree-sitter.
 *
 * Every property of a web-tree-sitter `Node` other than its start (type, end, fields, parent, flags) is a call into
 * the WASM runtime that first copies the node into a transfer buffer; `childForFieldName` and `parent` also build a
 * new `Node` object on every call. Our analyses (declarations, GIL walk, call checks, annotations) read the same
 * nodes many times, so most of their time went into these crossings (profile of a full check: ~40%).
 *
 * A node is an immutable snapshot of its tree, so these values never change: this module caches them on the node
 * object, makes field lookups return the same objects as `children` (so what is cached on a child is shared by
 * every path that reaches it), gives children their parent as they are listed, and caches `Tree.rootNode`, so that every analysis of one tree version walks one
 * shared set of node objects. It patches the prototypes once per process (`installNodeMemo`).
 */
import { Node, Tree } from 'web-tree-sitter';

interface Memo {
  typeId: number;
  type: string | undefined;
  endIndex: number;
  endPosition: Node['endPosition'] | undefined;
  text: string | undefined;
  /** 0 unknown, 1 false, 2 true */
  hasError: number;
  isNamed: number;
  isMissing: number;
  isError: number;
  parent: Node | null | undefined;
  childrenLinked: boolean;
  named: Node[] | undefined;
  /** children handed out (as field children) before their list was read: the list takes these objects */
  known: Node[] | undefined;
  /** field ids asked so far and their child (null: none), side by side (a Map per node costs more than the node) */
  fieldIds: number[] | undefined;
  fieldNodes: (Node | null)[] | undefined;
  /** the same for the lists of `childrenForFieldId` */
  fieldListIds: number[] | undefined;
  fieldLists: Node[][] | undefined;
}

type Memoised = Node & { _memo?: Memo };
type MemoisedTree = Tree & { _root?: Node };

let installed = false;

function memoOf(node: Memoised): Memo {
  let m = node._memo;
  if (!m) {
    m = {
      typeId: -1, type: undefined, endIndex: -1, endPosition: undefined, text: undefined, hasError: 0, isNamed: 0,
      isMissing: 0, isError: 0, parent: undefined, childrenLinked: false, named: undefined, fieldIds: undefined,
      fieldNodes: undefined, fieldListIds: undefined, fieldLists: undefined, known: undefined,
    };
    node._memo = m;
  }
  return m;
}

function getter<T>(proto: object, name: string): (this: Node) => T {
  const d = Object.getOwnPropertyDescriptor(proto, name);
  if (!d?.get) throw new Error(`node-memo: web-tree-sitter has no getter ${name}`);
  return d.get as (this: Node) => T;
}

function define(proto: object, name: string, get: (this: Memoised) => unknown): void {
  Object.defineProperty(proto, name, { get, configurable: true, enumerable: false });
}

function flag(proto: object, name: 'hasError' | 'isNamed' | 'isMissing' | 'isError'): void {
  const original = getter<boolean>(proto, name);
  define(proto, name, function (this: Memoised) {
    const m = memoOf(this);
    if (m[name] === 0) m[name] = original.call(this) ? 2 : 1;
    return m[name] === 2;
  });
}

/**
 * A node without errors: its children (already listed) have none either and none is missing — a node's error cost
 * is the sum of its children's and a missing node has one (ts_subtree_summarize_children) — so they need no WASM
 * call to tell. Children listed later are marked as they are listed (`children`, `namedChildren`).
 */
function markClean(node: Memoised, m: Memo): void {
  const stack: Memoised[] = [node];
  for (let n = stack.pop(); n; n = stack.pop()) {
    const nm = n === node ? m : memoOf(n);
    const kids = nm.childrenLinked ? (n as Node).children : [...(nm.named ?? []), ...(nm.known ?? [])];
    for (const c of kids) {
      if (!c) continue;
      const cm = memoOf(c as Memoised);
      cm.isMissing = 1;
      if (cm.hasError === 0) {
        cm.hasError = 1;
        stack.push(c as Memoised);
      }
    }
  }
}

/** Patches web-tree-sitter's Node and Tree prototypes (idempotent). */
export function installNodeMemo(): void {
  if (installed) return;
  installed = true;
  const proto = Node.prototype as object;
  const typeId = getter<number>(proto, 'typeId');
  const endIndex = getter<number>(proto, 'endIndex');
  const endPosition = getter<Node['endPosition']>(proto, 'endPosition');
  const text = getter<string>(proto, 'text');
  const parent = getter<Node | null>(proto, 'parent');
  const childForFieldId = (Node.prototype as unknown as { childForFieldId(id: number): Node | null }).childForFieldId;

  define(proto, 'typeId', function (this: Memoised) {
    const m = memoOf(this);
    if (m.typeId < 0) m.typeId = typeId.call(this);
    return m.typeId;
  });
  define(proto, 'type', function (this: Memoised) {
    const m = memoOf(this);
    if (m.type === undefined) m.type = this.tree.language.types[this.typeId] || 'ERROR';
    return m.type;
  });
  define(proto, 'endIndex', function (this: Memoised) {
    const m = memoOf(this);
    if (m.endIndex < 0) m.endIndex = endIndex.call(this);
    return m.endIndex;
  });
  define(proto, 'endPosition', function (this: Memoised) {
    const m = memoOf(this);
    if (!m.endPosition) m.endPosition = endPosition.call(this);
    return m.endPosition;
  });
  define(proto, 'text', function (this: Memoised) {
    const m = memoOf(this);
    if (m.text === undefined) m.text = text.call(this);
    return m.text;
  });
  define(proto, 'parent', function (this: Memoised) {
    const m = memoOf(this);
    if (m.parent === undefined) m.parent = parent.call(this);
    return m.parent;
  });
  for (const name of ['isNamed', 'isMissing', 'isError'] as const) flag(proto, name);
  const hasError = getter<boolean>(proto, 'hasError');
  define(proto, 'hasError', function (this: Memoised) {
    const m = memoOf(this);
    if (m.hasError === 0) {
      m.hasError = hasError.call(this) ? 2 : 1;
      if (m.hasError === 1) markClean(this, m);
    }
    return m.hasError === 2;
  });

  // Children know their parent: walks go top-down, and `parent` in web-tree-sitter searches down from the root.
  // The children of a node known to have no errors are known to have none (markClean).
  const link = (node: Memoised, m: Memo, kids: readonly (Node | null)[]): void => {
    const clean = m.hasError === 1;
    for (const c of kids) {
      if (!c) continue;
      const cm = memoOf(c as Memoised);
      if (cm.parent === undefined) cm.parent = node;
      if (clean) {
        cm.hasError = 1;
        cm.isMissing = 1;
      }
    }
  };
  // One Node object per node: the named children may be listed on their own (most walks read only them: no objects
  // for punctuation and keywords), and a field child handed out before either list; a list read later takes the
  // objects that exist already.
  const adopt = (list: (Node | null)[], ...existing: (readonly Node[] | undefined)[]): void => {
    let byId: Map<number, Node> | undefined;
    for (const e of existing) for (const n of e ?? []) (byId ??= new Map()).set(n.id, n);
    if (!byId) return;
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      const same = c ? byId.get(c.id) : undefined;
      if (same) list[i] = same; // web-tree-sitter's own cached array: its entry replaced by an equal node
    }
  };
  const children = getter<(Node | null)[]>(proto, 'children');
  const namedChildren = getter<(Node | null)[]>(proto, 'namedChildren');
  define(proto, 'children', function (this: Memoised) {
    const m = memoOf(this);
    const out = children.call(this);
    if (!m.childrenLinked) {
      m.childrenLinked = true;
      adopt(out, m.named, m.known);
      m.known = undefined;
      link(this, m, out);
    }
    return out;
  });
  define(proto, 'namedChildren', function (this: Memoised) {
    const m = memoOf(this);
    if (!m.named) {
      if (m.childrenLinked) {
        // whether a node is named is a property of its (alias) symbol, as in ts_node_is_named
        const language = this.tree.language;
        m.named = this.children.filter((c): c is Node => c !== null && isNamedType(language, c.typeId));
      } else {
        const fresh = namedChildren.call(this);
        adopt(fresh, m.known);
        m.named = fresh.includes(null) ? fresh.filter((c): c is Node => c !== null) : fresh as Node[];
        link(this, m, m.named);
      }
    }
    return m.named;
  });

  /** The shared object of a child that web-tree-sitter answered with a new object. */
  const shared = (node: Memoised, m: Memo, fresh: Node): Node => {
    const id = fresh.id;
    const same = (c: Node | null): boolean => c !== null && c.id === id;
    if (m.childrenLinked) return node.children.find(same) ?? fresh;
    const found = m.named?.find(same) ?? m.known?.find(same);
    if (found) return found;
    // not listed yet: this object becomes the child's (the lists read later take it)
    (m.known ??= []).push(fresh);
    link(node, m, [fresh]);
    return fresh;
  };

  Object.defineProperty(proto, 'childForFieldId', {
    configurable: true, writable: true, enumerable: false,
    value(this: Memoised, fieldId: number): Node | null {
      const m = memoOf(this);
      const ids = (m.fieldIds ??= []);
      const nodes = (m.fieldNodes ??= []);
      const at = ids.indexOf(fieldId);
      if (at >= 0) return nodes[at] as Node | null;
      const fresh = childForFieldId.call(this, fieldId);
      // the same object as in `children`, so what is memoised on it is shared
      const found = fresh ? shared(this, m, fresh) : null;
      ids.push(fieldId);
      nodes.push(found);
      return found;
    },
  });

  // Lists of field children: memoised, as the objects of `children` (read-only for callers, like `children`).
  const childrenForFieldId = (Node.prototype as unknown as { childrenForFieldId(id: number): (Node | null)[] })
    .childrenForFieldId;
  Object.defineProperty(proto, 'childrenForFieldId', {
    configurable: true, writable: true, enumerable: false,
    value(this: Memoised, fieldId: number): Node[] {
      const m = memoOf(this);
      const ids = (m.fieldListIds ??= []);
      const lists = (m.fieldLists ??= []);
      const at = ids.indexOf(fieldId);
      if (at >= 0) return lists[at] as Node[];
      const found: Node[] = [];
      for (const f of childrenForFieldId.call(this, fieldId)) if (f) found.push(shared(this, m, f));
      ids.push(fieldId);
      lists.push(found);
      return found;
    },
  });

  const rootDescriptor = Object.getOwnPropertyDescriptor(Tree.prototype, 'rootNode');
  const rootNode = rootDescriptor?.get as ((this: Tree) => Node) | undefined;
  if (!rootNode) throw new Error('node-memo: web-tree-sitter has no getter Tree.rootNode');
  Object.defineProperty(Tree.prototype, 'rootNode', {
    configurable: true, enumerable: false,
    get(this: MemoisedTree): Node {
      if (!this._root) this._root = rootNode.call(this);
      return this._root;
    },
  });
}

const namedTypes = new WeakMap<object, boolean[]>();

/** Whether nodes of a type id are named (ERROR, id 65535, is), cached per language. */
function isNamedType(language: Node['tree']['language'], typeId: number): boolean {
  let table = namedTypes.get(language);
  if (!table) {
    table = [];
    namedTypes.set(language, table);
  }
  let named = table[typeId];
  if (named === undefined) {
    named = typeId === 65535 || language.nodeTypeIsNamed(typeId);
    table[typeId] = named;
  }
  return named;
}

