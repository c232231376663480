/**
 * A module's interface as text: what its declarations are built from (module-level statements, function and method
 * headers, class layouts), with the position of each piece, and without function bodies.
 *
 * Two versions of a document with the same interface have the same module declarations at the same places, so the
 * document model built for one serves the other (document-model.ts): typing inside a function body does not
 * rebuild the module's declarations.
 */
import { type Node, field, significantChildren, undecorate } from './syntax';

const FUNCTIONS = new Set(['function_definition', 'c_function_definition']);
const CLASSES = new Set(['class_definition', 'cdef_class_definition', 'cypclass_definition']);

/**
 * The interface of the module under `root`. `memo` maps a top-level statement's text to its part (positions
 * relative to the statement): pass the map returned by the previous call so that unchanged statements are not
 * read again.
 */
export function moduleInterface(root: Node, memo: ReadonlyMap<string, string> = new Map()):
  { iface: string; memo: Map<string, string> } {
  const next = new Map<string, string>();
  const parts: string[] = [];
  for (const s of significantChildren(root)) {
    const text = s.text;
    let part: string;
    if (s.hasError) {
      // the same text with a syntax error can parse differently depending on what precedes it: its structure counts
      part = `${statementInterface(s, s.startPosition.row)}\u0002${structureOf(s)}`;
    } else {
      part = memo.get(text) ?? next.get(text) ?? statementInterface(s, s.startPosition.row);
      next.set(text, part);
    }
    parts.push(`${s.startPosition.row}:${s.startPosition.column}:${part}`);
  }
  return { iface: parts.join('\u0000'), memo: next };
}

/** One statement's part, rows of nested pieces relative to `baseRow`. */
function statementInterface(s: Node, baseRow: number): string {
  const def = undecorate(s);
  const body = FUNCTIONS.has(def.type) || CLASSES.has(def.type) ? field(def, 'body') : null;
  if (!body) return s.text;
  const header = s.text.slice(0, body.startIndex - s.startIndex);
  if (!CLASSES.has(def.type)) return header;
  const members = significantChildren(body).map((m) =>
    `${m.startPosition.row - baseRow}:${m.startPosition.column}:${statementInterface(m, baseRow)}`);
  return `${header}{${members.join('\u0000')}}`;
}

/** Past this many nodes a broken statement's structure is not compared: the declarations are rebuilt. */
const STRUCTURE_LIMIT = 20_000;
let uncomparable = 0;

/**
 * The shape of a subtree (node kinds and offsets relative to its start), read with a cursor: iterative, so it works
 * at any depth (node.toString() recurses inside the WASM runtime and overflows its stack on deeply nested code).
 */
function structureOf(node: Node): string {
  const cursor = node.walk();
  const base = node.startIndex;
  const out: number[] = [];
  try {
    let visited = 0;
    for (;;) {
      if (++visited > STRUCTURE_LIMIT) return `uncomparable ${++uncomparable}`;
      out.push(cursor.nodeTypeId, cursor.startIndex - base, cursor.endIndex - base);
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return out.join(',');
      }
    }
  } finally {
    cursor.delete();
  }
}
