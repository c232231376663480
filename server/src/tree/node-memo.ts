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
 *
 * With the runtime's memory at hand (`installNodeMemo(module)`, then `enableHeapReads(language, runtimeBytes)` for the
 * pinned runtime), a node's type, end, flags and children are read from the WASM memory (tree/heap-reader.ts) instead
 * of calls into the runtime: a child list costs no call at all, and its nodes come with these values as plain fields
 * (no memo object, no element store, the start position made when read). Field lookups, `parent` of nodes not
 * reached through a list, and everything else still ask the runtime. CYTHON_LENS_HEAP_READS=0 turns heap reads off.
 */
import { Language, Node, Parser, Tree } from 'web-tree-sitter';
import { HeapReader, type NodeFacts, type WasmModule } from './heap-reader';

interface Memo {
  typeId: number;
  type: string | undefined;
  endIndex: number;
  /** the end as numbers (heap reads), its object made when asked */
  endRow: number;
  endColumn: number;
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
}

type Memoised = Node & {
  _memo?: Memo; 0: number; _children?: (Node | null)[]; _namedChildren?: (Node | null)[];
  /** set on nodes listed from the heap (HeapNode) */
  _startRow?: number; _endRow?: number; _endColumn?: number; _endPosition?: Node['endPosition']; _text?: string;
  /** field answers so far: a field id and its child (null: none), or `~` a field id and its list, pairwise */
  _fields?: FieldAnswers;
};

/**
 * A node's field answers, one array: `[fieldId, child, ~fieldId, list, …]` (ids ≥ 0: `childForFieldId`, negative:
 * `childrenForFieldId`, whose key is the field id's complement; field ids are unsigned). A Map or two arrays per node cost more than the node: the array is
 * made at the first answer with its two entries and copied at its exact size for each later one (a node is asked
 * a few fields; `push` would give it room for 19 more).
 */
type FieldAnswers = (number | Node | Node[] | null)[];

function fieldAnswer(node: Memoised, key: number): Node | Node[] | null | undefined {
  const f = node._fields;
  if (f !== undefined) {
    for (let i = 0; i < f.length; i += 2) if (f[i] === key) return f[i + 1] as Node | Node[] | null;
  }
  return undefined;
}

function addFieldAnswer(node: Memoised, key: number, answer: Node | Node[] | null): void {
  const f = node._fields;
  if (f === undefined) {
    node._fields = [key, answer];
    return;
  }
  const n = f.length;
  const g: FieldAnswers = new Array(n + 2);
  for (let i = 0; i < n; i++) g[i] = f[i] as number | Node | Node[] | null;
  g[n] = key;
  g[n + 1] = answer;
  node._fields = g;
}
type MemoisedTree = Tree & { _root?: Node; _reader?: HeapReader | null };

/**
 * The own fields of a node listed from the heap (HeapNode in `installNodeMemo`): web-tree-sitter's Node fields (`0`,
 * the alias, and `startPosition` behind getters of its prototype, made when read), what the heap said, the lists.
 */
interface HeapNodeFields {
  id: number; tree: Tree; startIndex: number; _bits: number; _startRow: number; _startColumn: number;
  typeId: number; type: string; endIndex: number; _endRow: number;
  _endColumn: number; parent: Node;
  _children: Node[] | undefined; _namedChildren: Node[] | undefined; _endPosition: Node['endPosition'] | undefined;
  _text: string | undefined; _memo: Memo | undefined; _fields: FieldAnswers | undefined;
}

/** The runtime's own getters, kept at installation (once per process): the reference of `compareHeapReads`. */
let installed: Originals | undefined;
/** The runtime's module object (its memory views), given at installation. */
let wasmModule: WasmModule | undefined;
/** Languages whose nodes are read from the heap (null: not, the runtime is asked), set once per language. */
const heapReaders = new WeakMap<Language, HeapReader | null>();

function memoOf(node: Memoised): Memo {
  let m = node._memo;
  if (!m) {
    m = {
      typeId: -1, type: undefined, endIndex: -1, endRow: -1, endColumn: -1, endPosition: undefined, text: undefined,
      hasError: 0, isNamed: 0,
      isMissing: 0, isError: 0, parent: undefined, childrenLinked: false, named: undefined, known: undefined,
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

/** The heap reader of a node's language, if heap reads are on for it (`enableHeapReads`); kept on the tree. */
function readerOf(node: Node): HeapReader | null {
  const tree = node.tree as MemoisedTree;
  let reader = tree._reader;
  if (reader === undefined) reader = tree._reader = heapReaders.get(tree.language) ?? null;
  return reader;
}

/** Fills the memo with what the heap says of the node (false: no reader, or a value the reader cannot tell). */
function fromHeap(node: Memoised, m: Memo, facts: NodeFacts): boolean {
  if (m.endRow >= 0) return true;
  const reader = readerOf(node);
  if (!reader) return false;
  const start = node.startPosition;
  if (!reader.facts(node.id, node[0], node.startIndex, start.row, start.column, facts)) return false;
  setFacts(m, facts);
  return true;
}

function setFacts(m: Memo, f: NodeFacts): void {
  m.typeId = f.typeId;
  m.endIndex = f.endIndex;
  m.endRow = f.endRow;
  m.endColumn = f.endColumn;
  m.isNamed = f.isNamed ? 2 : 1;
  m.isMissing = f.isMissing ? 2 : 1;
  m.hasError = f.hasError ? 2 : 1;
  m.isError = f.typeId === 65535 ? 2 : 1;
}

type TextCallback = (index: number, position: Node['startPosition'] | null) => string | null | undefined;

/**
 * The text of a node listed from the heap, as web-tree-sitter's `text` (its getText, 0.25.10) reads it, without
 * going through the node's `startPosition` getter (the callback of a string input ignores the position).
 */
function heapText(node: HeapNodeFields): string {
  const read = (node.tree as unknown as { textCallback: TextCallback }).textCallback;
  const start = { row: node._startRow, column: node._startColumn };
  let index = node.startIndex;
  const end = node.endIndex;
  let result = read(index, start);
  if (result) {
    index += result.length;
    while (index < end) {
      const more = read(index, start);
      if (more && more.length > 0) {
        index += more.length;
        result += more;
      } else break;
    }
    if (index > end) result = result.slice(0, end - node.startIndex);
  }
  return result ?? '';
}

/**
 * Patches web-tree-sitter's Node and Tree prototypes (idempotent). `module` is the options object given to
 * `Parser.init` (emscripten makes it the module: its memory views), for `enableHeapReads`.
 */
export function installNodeMemo(module?: WasmModule): void {
  if (module && !wasmModule) wasmModule = module;
  if (installed) return;
  const proto = Node.prototype as object;
  const typeId = getter<number>(proto, 'typeId');
  const endIndex = getter<number>(proto, 'endIndex');
  const endPosition = getter<Node['endPosition']>(proto, 'endPosition');
  installed = {
    typeId, endIndex, endPosition,
    isNamed: getter<boolean>(proto, 'isNamed'), isMissing: getter<boolean>(proto, 'isMissing'),
    hasError: getter<boolean>(proto, 'hasError'), children: getter<(Node | null)[]>(proto, 'children'),
    namedChildren: getter<(Node | null)[]>(proto, 'namedChildren'),
    childForFieldId: (Node.prototype as unknown as Originals).childForFieldId,
    childrenForFieldId: (Node.prototype as unknown as Originals).childrenForFieldId,
    text: getter<string>(proto, 'text'),
  };
  const text = installed.text;
  const parent = getter<Node | null>(proto, 'parent');
  const childForFieldId = (Node.prototype as unknown as { childForFieldId(id: number): Node | null }).childForFieldId;
  const facts: NodeFacts = { typeId: 0, endIndex: 0, endRow: 0, endColumn: 0, isNamed: false, isMissing: false, hasError: false };

  define(proto, 'typeId', function (this: Memoised) {
    const m = memoOf(this);
    if (m.typeId < 0 && !fromHeap(this, m, facts)) m.typeId = typeId.call(this);
    return m.typeId;
  });
  define(proto, 'type', function (this: Memoised) {
    const m = memoOf(this);
    if (m.type === undefined) m.type = this.tree.language.types[this.typeId] || 'ERROR';
    return m.type;
  });
  define(proto, 'endIndex', function (this: Memoised) {
    const m = memoOf(this);
    if (m.endIndex < 0 && !fromHeap(this, m, facts)) m.endIndex = endIndex.call(this);
    return m.endIndex;
  });
  define(proto, 'endPosition', function (this: Memoised) {
    if (this._endRow !== undefined) return (this._endPosition ??= { row: this._endRow, column: this._endColumn as number });
    const m = memoOf(this);
    if (!m.endPosition) {
      m.endPosition = m.endRow >= 0 || fromHeap(this, m, facts)
        ? { row: m.endRow, column: m.endColumn }
        : endPosition.call(this);
    }
    return m.endPosition;
  });
  define(proto, 'text', function (this: Memoised) {
    if (this._endRow !== undefined) return (this._text ??= heapText(this as unknown as HeapNodeFields));
    const m = memoOf(this);
    if (m.text === undefined) m.text = text.call(this);
    return m.text;
  });
  define(proto, 'parent', function (this: Memoised) {
    const m = memoOf(this);
    if (m.parent === undefined) m.parent = parent.call(this);
    return m.parent;
  });
  for (const name of ['isNamed', 'isMissing', 'isError'] as const) {
    const original = getter<boolean>(proto, name);
    define(proto, name, function (this: Memoised) {
      const m = memoOf(this);
      if (m[name] === 0 && !fromHeap(this, m, facts)) m[name] = original.call(this) ? 2 : 1;
      return m[name] === 2;
    });
  }
  const hasError = getter<boolean>(proto, 'hasError');
  define(proto, 'hasError', function (this: Memoised) {
    const m = memoOf(this);
    if (m.hasError === 0 && !fromHeap(this, m, facts)) {
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

  // Nodes listed from the heap: the fields web-tree-sitter's Node has (its constructor is internal), and what the
  // heap said of them as their own data properties (their prototype's data properties, in front of Node's getters,
  // let the constructor set them): reading `type`, `endIndex` or `parent` of a listed node is a field load; the flags
  // and the alias share one field (`_bits`: alias << 3 | hasError << 2 | isMissing << 1 | isNamed), read by getters
  // of the prototype (a node lives as long as its tree's analysis: each field is 8 bytes to copy and collect per node).
  // What is not known yet (end position, text, lists, fields) goes through Node's patched getters and the memo.
  const heapProto = Object.create(Node.prototype) as object;
  for (const name of ['typeId', 'type', 'endIndex', 'parent']) {
    Object.defineProperty(heapProto, name, { value: undefined, writable: true, enumerable: false, configurable: true });
  }
  const flag = (name: string, get: (this: HeapNodeFields) => boolean): void => {
    Object.defineProperty(heapProto, name, { get, enumerable: false, configurable: true });
  };
  flag('isNamed', function () { return (this._bits & 1) !== 0; });
  flag('isMissing', function () { return (this._bits & 2) !== 0; });
  flag('hasError', function () { return (this._bits & 4) !== 0; });
  flag('isError', function () { return this.typeId === 65535; });
  // web-tree-sitter reads `node[0]` (the alias) when it calls the runtime: behind a getter, no element store per node
  Object.defineProperty(heapProto, 0, {
    get(this: HeapNodeFields) { return this._bits >>> 3; }, enumerable: false, configurable: true,
  });
  // a new object per read, as web-tree-sitter gives (~2 reads per node asked: kept on the node, the objects were
  // survivors; an optimised caller reading `.row` allocates none)
  Object.defineProperty(heapProto, 'startPosition', {
    get(this: HeapNodeFields) { return { row: this._startRow, column: this._startColumn }; },
    enumerable: false, configurable: true,
  });
  const HeapNode = function (this: HeapNodeFields, tree: Tree, id: number, alias: number, startIndex: number, row: number,
    column: number, f: NodeFacts, parentNode: Node, types: readonly string[]) {
    this.id = id;
    this.tree = tree;
    this.startIndex = startIndex;
    this._bits = alias << 3 | (f.hasError ? 4 : 0) | (f.isMissing ? 2 : 0) | (f.isNamed ? 1 : 0);
    this._startRow = row;
    this._startColumn = column;
    this.typeId = f.typeId;
    this.type = types[f.typeId] || 'ERROR';
    this.endIndex = f.endIndex;
    this._endRow = f.endRow;
    this._endColumn = f.endColumn;
    this.parent = parentNode;
    this._children = undefined;
    this._namedChildren = undefined;
    this._endPosition = undefined;
    this._text = undefined;
    this._memo = undefined;
    this._fields = undefined;
  } as unknown as new (tree: Tree, id: number, alias: number, startIndex: number, row: number, column: number,
    f: NodeFacts, parentNode: Node, types: readonly string[]) => Node;
  HeapNode.prototype = heapProto;
  // the node being listed, and the objects a list read before this one made (a named list before the full one)
  let listing: Memoised | undefined;
  let listingTypes: readonly string[] = [];
  let reuse: readonly (Node | null)[] | undefined;
  let reuseAt = 0;
  const makeChild = (id: number, alias: number, startIndex: number, row: number, column: number, f: NodeFacts): Node => {
    if (reuse && reuseAt < reuse.length && reuse[reuseAt]!.id === id) return reuse[reuseAt++]!;
    const node = listing as Memoised;
    return new HeapNode(node.tree, id, alias, startIndex, row, column, f, node, listingTypes);
  };
  // Lists are gathered here, then copied at their size: an array grown by `push` from empty keeps room for 17
  // elements (a node has a few children; the lists live as long as the tree's analysis: ~110 bytes each to copy and
  // collect)
  const gathered: Node[] = [];
  const exact = (): Node[] => {
    const list = gathered.slice();
    gathered.length = 0;
    return list;
  };
  /** The children listed from the heap (undefined: the reader could not list them). */
  const heapChildren = (reader: HeapReader, node: Memoised, namedOnly: boolean,
    earlier: readonly (Node | null)[] | undefined): Node[] | undefined => {
    const out = gathered;
    out.length = 0;
    listing = node;
    listingTypes = node.tree.language.types;
    reuse = earlier;
    reuseAt = 0;
    const row = node._startRow ?? node.startPosition.row;
    const column = node._startRow !== undefined ? (node as unknown as HeapNodeFields)._startColumn : node.startPosition.column;
    const ok = reader.children(node.id, node.startIndex, row, column, namedOnly, makeChild, out);
    listing = undefined;
    reuse = undefined;
    const list = exact();
    return ok ? list : undefined;
  };
  /** The named ones of a listed node's children (as `filter` would give them, at their size). */
  const namedOf = (kids: readonly (Node | null)[]): Node[] => {
    gathered.length = 0;
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i];
      if (c !== null && c !== undefined && c.isNamed) gathered.push(c);
    }
    return exact();
  };

  // Lists: `_children` / `_namedChildren` hold them once made (from the heap: no memo object needed); the runtime's
  // lists (no heap reader) go through the memo, as web-tree-sitter made them.
  const children = getter<(Node | null)[]>(proto, 'children');
  const namedChildren = getter<(Node | null)[]>(proto, 'namedChildren');
  define(proto, 'children', function (this: Memoised) {
    const own = this._children;
    if (own !== undefined) return own;
    const reader = readerOf(this);
    if (reader) {
      const listed = heapChildren(reader, this, false, this._namedChildren);
      if (listed) return (this._children = listed);
    }
    const m = memoOf(this);
    const out = children.call(this);
    this._children = out;
    m.childrenLinked = true;
    adopt(out, m.named, m.known);
    m.known = undefined;
    link(this, m, out);
    return out;
  });
  define(proto, 'namedChildren', function (this: Memoised) {
    if (readerOf(this)) {
      const own = this._namedChildren;
      if (own !== undefined) return own;
      const kids = this._children;
      const listed = kids ? namedOf(kids) : heapChildren(readerOf(this) as HeapReader, this, true, undefined);
      if (listed) return (this._namedChildren = listed);
    }
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
    // from the heap: field children are named, but for a few (then all children are listed)
    if (readerOf(node)) return node.namedChildren.find(same) ?? node.children.find(same) ?? fresh;
    if (m.childrenLinked) return node.children.find(same) ?? fresh;
    const found = m.named?.find(same) ?? m.known?.find(same);
    if (found) return found;
    // not listed yet: this object becomes the child's (the lists read later take it)
    (m.known ??= []).push(fresh);
    link(node, m, [fresh]);
    return fresh;
  };

  /** A child listed from the heap by id (named list first, as `shared`), undefined if it is in neither list. */
  const listed = (node: Memoised, id: number): Node | undefined => {
    for (const c of node.namedChildren) if (c !== null && c.id === id) return c;
    for (const c of node.children) if (c !== null && c.id === id) return c;
    return undefined;
  };

  Object.defineProperty(proto, 'childForFieldId', {
    configurable: true, writable: true, enumerable: false,
    value(this: Memoised, fieldId: number): Node | null {
      const known = fieldAnswer(this, fieldId);
      if (known !== undefined) return known as Node | null;
      // from the heap: the child's id, then its listed object (the runtime is asked if it is not listed)
      const reader = readerOf(this);
      const id = reader ? reader.childByField(this.id, fieldId) : -1;
      let found = id === 0 ? null : id > 0 ? listed(this, id) : undefined;
      if (found === undefined) {
        const fresh = childForFieldId.call(this, fieldId);
        // the same object as in `children`, so what is memoised on it is shared
        found = fresh ? shared(this, memoOf(this), fresh) : null;
      }
      addFieldAnswer(this, fieldId, found);
      return found;
    },
  });

  // Lists of field children: memoised, as the objects of `children` (read-only for callers, like `children`).
  const childrenForFieldId = (Node.prototype as unknown as { childrenForFieldId(id: number): (Node | null)[] })
    .childrenForFieldId;
  Object.defineProperty(proto, 'childrenForFieldId', {
    configurable: true, writable: true, enumerable: false,
    value(this: Memoised, fieldId: number): Node[] {
      const known = fieldAnswer(this, ~fieldId);
      if (known !== undefined) return known as Node[];
      let found: Node[] | undefined;
      const reader = readerOf(this);
      if (reader) {
        const ids: number[] = [];
        reader.childrenByField(this.id, fieldId, ids);
        found = new Array<Node>(ids.length);
        for (let i = 0; i < ids.length; i++) {
          const c = listed(this, ids[i] as number);
          if (c === undefined) {
            found = undefined;
            break;
          }
          found[i] = c;
        }
      }
      if (!found) {
        found = [];
        const m = memoOf(this);
        for (const f of childrenForFieldId.call(this, fieldId)) if (f) found.push(shared(this, m, f));
      }
      addFieldAnswer(this, ~fieldId, found);
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

interface Originals {
  typeId: (this: Node) => number;
  endIndex: (this: Node) => number;
  endPosition: (this: Node) => Node['endPosition'];
  isNamed: (this: Node) => boolean;
  isMissing: (this: Node) => boolean;
  hasError: (this: Node) => boolean;
  children: (this: Node) => (Node | null)[];
  namedChildren: (this: Node) => (Node | null)[];
  childForFieldId: (this: Node, fieldId: number) => Node | null;
  childrenForFieldId: (this: Node, fieldId: number) => (Node | null)[];
  text: (this: Node) => string;
}

/**
 * Gives a node the string its `text` will answer: a string equal to its text (the caller's proof, e.g. the same range
 * of a text that is unchanged there, engine/unit-texts.ts), so that maps keyed by texts find the previous version's
 * key as the same string object (no hashing, no character comparison). Without the memo installed, nothing.
 */
export function shareText(node: Node, text: string): void {
  if (!installed) return;
  const n = node as Memoised;
  if (n._endRow !== undefined) n._text = text;
  else memoOf(n).text = text;
}

/**
 * Both readings of every node of `text`: the heap's (facts, full and named child lists, field answers, texts) and
 * the runtime's. Returns the first difference, or undefined when they agree (or heap reads are off for the language).
 * For the tests: the layouts are checked on real texts there, not at each start-up (a parse and a walk both ways cost
 * ~200 ms of CPU in a fresh process, warming WASM code the check does not need).
 */
export function compareHeapReads(language: Language, text: string): string | undefined {
  const reader = heapReaders.get(language);
  const o = installed;
  if (!reader || !o) return undefined;
  const parser = new Parser();
  parser.setLanguage(language);
  const tree = parser.parse(text);
  parser.delete();
  if (!tree) return 'no tree';
  try {
    const root = Object.getOwnPropertyDescriptor(Tree.prototype, 'rootNode')?.get?.call(tree) as Memoised | undefined;
    if (!root) return 'no root';
    const facts: NodeFacts = { typeId: 0, endIndex: 0, endRow: 0, endColumn: 0, isNamed: false, isMissing: false, hasError: false };
    type Seen = { id: number; alias: number; startIndex: number; row: number; column: number; facts: NodeFacts };
    const make = (id: number, alias: number, startIndex: number, row: number, column: number, f: NodeFacts): Seen =>
      ({ id, alias, startIndex, row, column, facts: { ...f } });
    const differs = (n: Memoised, f: NodeFacts): string | undefined => {
      const end = o.endPosition.call(n);
      const runtime: NodeFacts = {
        typeId: o.typeId.call(n), endIndex: o.endIndex.call(n), endRow: end.row, endColumn: end.column,
        isNamed: o.isNamed.call(n), isMissing: o.isMissing.call(n), hasError: o.hasError.call(n),
      };
      const a = JSON.stringify(runtime);
      const b = JSON.stringify(f);
      return a === b ? undefined : `node at ${n.startIndex}: runtime ${a}, heap ${b}`;
    };
    const stack: Memoised[] = [root];
    for (let n = stack.pop(); n; n = stack.pop()) {
      const start = n.startPosition;
      if (!reader.facts(n.id, n[0], n.startIndex, start.row, start.column, facts)) return `no facts at ${n.startIndex}`;
      const d = differs(n, facts);
      if (d) return d;
      const kids = o.children.call(n);
      const mine: Seen[] = [];
      if (!reader.children(n.id, n.startIndex, start.row, start.column, false, make, mine)) return `no list at ${n.startIndex}`;
      if (mine.length !== kids.length) return `children of the node at ${n.startIndex}: ${kids.length} vs ${mine.length}`;
      const named = o.namedChildren.call(n);
      const mineNamed: Seen[] = [];
      reader.children(n.id, n.startIndex, start.row, start.column, true, make, mineNamed);
      if (mineNamed.map((c) => c.id).join() !== named.map((c) => c?.id).join()) return `named children at ${n.startIndex}`;
      // field lookups: every field of the language asked of every node, both ways
      for (let f = 1; f <= language.fieldCount; f++) {
        const runtimeChild = o.childForFieldId.call(n, f)?.id ?? 0;
        const heapChild = reader.childByField(n.id, f);
        if (runtimeChild !== heapChild) return `field ${f} of the node at ${n.startIndex}: runtime ${runtimeChild}, heap ${heapChild}`;
        const runtimeList = o.childrenForFieldId.call(n, f).map((c) => c?.id ?? 0).join();
        const heapList: number[] = [];
        reader.childrenByField(n.id, f, heapList);
        if (runtimeList !== heapList.join()) return `field list ${f} of the node at ${n.startIndex}: runtime [${runtimeList}], heap [${heapList.join()}]`;
      }
      for (let i = 0; i < kids.length; i++) {
        const k = kids[i] as Memoised | null;
        const h = mine[i]!;
        if (!k || k.id !== h.id || k[0] !== h.alias || k.startIndex !== h.startIndex || k.startPosition.row !== h.row
          || k.startPosition.column !== h.column) return `child ${i} of the node at ${n.startIndex}`;
        const dk = differs(k, h.facts);
        if (dk) return dk;
        const heapNode = { tree, startIndex: h.startIndex, endIndex: h.facts.endIndex, _startRow: h.row, _startColumn: h.column };
        if (heapText(heapNode as HeapNodeFields) !== o.text.call(k)) return `text of child ${i} of the node at ${n.startIndex}`;
        stack.push(k);
      }
    }
    return undefined;
  } finally {
    tree.delete();
  }
}

/** The size of web-tree-sitter 0.25.10's runtime (tree-sitter.wasm): the layouts of tree/heap-reader.ts are its. */
export const PINNED_RUNTIME_BYTES = 205488;

/**
 * Reads the nodes of `language` from the WASM memory from now on, if the runtime's memory is known
 * (`installNodeMemo(module)`), the runtime is the pinned one (`runtimeBytes`: the size of the tree-sitter.wasm that
 * was loaded) and the language's header agrees with the `Language` object; else the runtime keeps being asked.
 * Returns whether heap reads are on for the language.
 */
export function enableHeapReads(language: Language, runtimeBytes: number): boolean {
  const known = heapReaders.get(language);
  if (known !== undefined) return known !== null;
  let reader: HeapReader | null = null;
  if (wasmModule && installed && runtimeBytes === PINNED_RUNTIME_BYTES) {
    try {
      reader = new HeapReader(wasmModule, language);
    } catch {
      reader = null;
    }
  }
  heapReaders.set(language, reader);
  return reader !== null;
}

/** The size of the runtime's memory now (for tests: it grows, detaching the views a reader holds). */
export function wasmMemoryBytes(): number {
  return wasmModule?.HEAPU8?.length ?? 0;
}

/** Whether the nodes of `language` are read from the heap (for tests and the benchmark). */
export function heapReadsEnabled(language: Language): boolean {
  return !!heapReaders.get(language);
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

