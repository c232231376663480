/**
 * A module's interface as text: what its declarations are built from (module-level statements, function and method
 * headers, class layouts), with the position of each piece, and without function bodies.
 *
 * Two versions of a document with the same interface have the same module declarations at the same places, so the
 * document model built for one serves the other (document-model.ts): typing inside a function body does not
 * rebuild the module's declarations.
 */
import { type Node, children, field, significantChildren, undecorate } from './syntax';
import { isPureModeCFunction } from './cython-names';

const FUNCTIONS = new Set(['function_definition', 'c_function_definition']);
const CLASSES = new Set(['class_definition', 'cdef_class_definition', 'cypclass_definition']);

/** A module's interface: the part of each top-level statement and where the statement starts. */
export interface ModuleInterface {
  parts: string[];
  /** row and column of each statement, two numbers per part */
  positions: number[];
}

/**
 * The interface of the module under `root`. `memo` maps a top-level statement's text to its part (positions
 * relative to the statement): pass the map returned by the previous call so that unchanged statements are not
 * read again (and their parts are the same string objects, compared in constant time by sameInterface).
 */
export function moduleInterface(root: Node, memo: ReadonlyMap<string, string> = new Map(), pythonSource = false):
  { iface: ModuleInterface; memo: Map<string, string> } {
  const next = new Map<string, string>();
  const parts: string[] = [];
  const positions: number[] = [];
  for (const s of significantChildren(root)) {
    const text = s.text;
    let part: string;
    if (s.hasError || s.startPosition.column !== 0) {
      // the same text with a syntax error (or a fragment error recovery left away from column 0) can parse
      // differently depending on what precedes it: not memoised
      part = statementInterface(s, s.startPosition.row, false, pythonSource);
    } else {
      part = memo.get(text) ?? next.get(text) ?? statementInterface(s, s.startPosition.row, false, pythonSource);
      next.set(text, part);
    }
    parts.push(part);
    positions.push(s.startPosition.row, s.startPosition.column);
  }
  return { iface: { parts, positions }, memo: next };
}

export function sameInterface(a: ModuleInterface, b: ModuleInterface): boolean {
  if (a.parts.length !== b.parts.length) return false;
  for (let i = 0; i < a.positions.length; i++) if (a.positions[i] !== b.positions[i]) return false;
  for (let i = 0; i < a.parts.length; i++) if (a.parts[i] !== b.parts[i]) return false;
  return true;
}

/**
 * One statement's part, rows of nested pieces relative to `baseRow`. Definitions contribute their header (without
 * comments) and its shape, so that a body that becomes broken while typing, or an edited comment, keeps the
 * interface (Python defs and classes only their name: pythonDefinitionPart); other statements their text, and their
 * shape where their syntax is broken.
 */
function statementInterface(s: Node, baseRow: number, member = false, pythonSource = false): string {
  const def = undecorate(s);
  const body = FUNCTIONS.has(def.type) || CLASSES.has(def.type) ? field(def, 'body') : null;
  // the node type too: error recovery can leave the same text as another kind of node
  if (!body && isDocstring(s)) return 'docstring'; // its words declare nothing (its lines are in the positions)
  if (!body) return s.hasError ? `${s.type}\u0001${s.text}\u0002${structureOf(s).shape}` : `${s.type}\u0001${s.text}`;
  // A class may be an extension type whose body declares its layout (pure-classes.ts): a decorated class
  // (`@cython.cclass`), or in a `.py` module any top-level class (its .pxd may declare it `cdef class`).
  const layout = def.type === 'class_definition' && (s !== def || (pythonSource && !member));
  const python = def.type === 'function_definition' || (def.type === 'class_definition' && !layout)
    ? pythonDefinitionPart(s, def, baseRow, member) : undefined;
  if (python !== undefined) return python;
  const { shape, comments } = structureOf(s, body);
  let header = s.text.slice(0, body.startIndex - s.startIndex);
  for (let i = comments.length - 1; i >= 0; i--) {
    const [from, to] = comments[i] as [number, number];
    header = header.slice(0, from) + header.slice(to);
  }
  // spaces at line ends (where a removed comment was) move no token; every other offset is in the shape
  header = header.replace(/[ \t]+(?=\r?\n|$)/g, '');
  if (!CLASSES.has(def.type)) return `${header}\u0002${shape}`;
  const members = significantChildren(body).map((m) =>
    `${m.startPosition.row - baseRow}:${m.startPosition.column}:${statementInterface(m, baseRow, true)}`);
  return `${header}\u0002${shape}{${members.join('\u0000')}}`;
}

/**
 * A Python `def` or `class` declares its name and nothing else of its header or body (DeclarationCollector: at module
 * level `definePython`, in a cdef class an attribute of that name; a Python class's body declares nothing at module
 * level), so its part is its kind, its decorators (`@cython.cfunc` makes a C function of a def), its name and where
 * the name is, and for a class member whether its header is broken (a class with a broken member is incomplete;
 * module level, the collector does not look at errors in a def's header): typing in the
 * parameters of a def, or in the base classes or the body of a Python class, keeps the module's declarations
 * (incremental declarations, document-model.ts). A C function's header is its signature: it keeps its whole part, and
 * so does a pure Python mode C function (`@cython.cfunc` / `@cython.ccall` def: its annotations are its signature).
 */
function pythonDefinitionPart(s: Node, def: Node, baseRow: number, member: boolean): string | undefined {
  const name = field(def, 'name');
  if (!name || name.type !== 'identifier' || isPureModeCFunction(s)) return undefined;
  const decorators = s === def ? '' : s.text.slice(0, def.startIndex - s.startIndex);
  const start = name.startPosition;
  const end = name.endPosition;
  return `${s.type}\u0001${def.type}\u0001${decorators}\u0001${name.text}\u0001${start.row - baseRow}:${start.column}:`
    + `${end.row - baseRow}:${end.column}${member && interfaceHasError(s) ? '\u0001broken' : ''}`;
}

/**
 * Whether a syntax error lies in the part of a statement that its interface covers (decorators, a definition's
 * header, a class's members and method headers), not inside a function body. Declarations may depend on this, not
 * on errors inside bodies: those keep the interface, so the declarations built before the error are reused.
 */
export function interfaceHasError(s: Node): boolean {
  if (!s.hasError) return false;
  const def = undecorate(s);
  const body = FUNCTIONS.has(def.type) || CLASSES.has(def.type) ? field(def, 'body') : null;
  if (!body) return true;
  const stack = [...children(s)];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.startIndex === body.startIndex && n.endIndex === body.endIndex && n.typeId === body.typeId) continue;
    if (n.isError || n.isMissing) return true;
    if (n.hasError) stack.push(...children(n));
  }
  return CLASSES.has(def.type) && significantChildren(body).some(interfaceHasError);
}

/** Past this many nodes a broken statement's structure is not compared: the declarations are rebuilt. */
const STRUCTURE_LIMIT = 20_000;
let uncomparable = 0;

/**
 * The shape of a subtree (node kinds and offsets relative to its start, comments left out, `skip` (a body) only
 * marked as present), and where its comments are; read with a cursor: iterative, so it works at any depth (node.toString()
 * recurses inside the WASM runtime and overflows its stack on deeply nested code).
 */
function structureOf(node: Node, skip?: Node): { shape: string; comments: [number, number][] } {
  const cursor = node.walk();
  const base = node.startIndex;
  const raw: number[] = [];
  const comments: [number, number][] = [];
  try {
    let visited = 0;
    for (;;) {
      if (++visited > STRUCTURE_LIMIT) return { shape: `uncomparable ${++uncomparable}`, comments: [] };
      const start = cursor.startIndex - base;
      const end = cursor.endIndex - base;
      const skipped = skip !== undefined && start + base === skip.startIndex && end + base === skip.endIndex
        && cursor.nodeTypeId === skip.typeId;
      if (cursor.nodeType === 'comment') comments.push([start, end]);
      // a skipped body: only that it is there (class members are placed by their own rows); the statement's own end
      // is not recorded either
      else raw.push(cursor.nodeTypeId, skipped ? -1 : start, skipped || visited === 1 ? -1 : end);
      if (!skipped && cursor.gotoFirstChild()) continue;
      let done = false;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          done = true;
          break;
        }
      }
      if (done) break;
    }
  } finally {
    cursor.delete();
  }
  // offsets as if the comments were not there: editing a comment does not change the shape
  const withoutComments = (o: number): number => {
    if (o < 0) return o;
    let n = o;
    for (const [a, b] of comments) if (b <= o) n -= b - a;
    return n;
  };
  for (let i = 0; i < raw.length; i += 3) {
    raw[i + 1] = withoutComments(raw[i + 1] as number);
    raw[i + 2] = withoutComments(raw[i + 2] as number);
  }
  return { shape: raw.join(','), comments };
}

/** A statement made of string literals only (a docstring), well formed. */
function isDocstring(s: Node): boolean {
  if (s.type !== 'expression_statement' || s.hasError) return false;
  const parts = significantChildren(s);
  return parts.length > 0 && parts.every((p) => p.type === 'string' || p.type === 'concatenated_string');
}
