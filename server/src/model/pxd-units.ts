/**
 * Splits the text of a .pxd into its declaration units without parsing it: the top-level statements, and the
 * statements of `cdef extern from ...:` / `cdef:` blocks one by one (with the block's header). For each unit it
 * lists the names the unit may declare (a superset: the declared name of `int f(double x) nogil` is `f`, not
 * `double`; an enum lists every word of its body). lazy-declarations.ts parses and collects a unit only when one of
 * its names is looked up, so a module that uses `cnp.float64_t` never parses numpy's thousand other declarations.
 *
 * Anything this scanner does not understand (tabs in indentation, an unterminated string, unbalanced brackets, a
 * dedent that matches no block) makes it give up: the caller then parses the whole file as before. So do
 * `include`, compile-time `IF` and `from x cimport *`, whose names cannot be known from the text alone.
 */

export interface PxdUnit {
  /** Offset of the start of the unit's first line (so that columns are kept), and of the end of its last token. */
  start: number;
  end: number;
  /** Row of the unit's first line. */
  row: number;
  /** The enclosing block's header (`cdef extern from "h" nogil:`), for statements inside a block. */
  header?: { start: number; end: number; row: number; endRow: number };
  /** Names the unit may declare at module level. */
  names: string[];
}

interface Token {
  kind: 'id' | 'str' | 'op';
  text: string;
  depth: number;
}

interface LogicalLine {
  /** Offset of the start of the physical line the logical line begins on. */
  lineStart: number;
  end: number;
  row: number;
  endRow: number;
  indent: number;
  tokens: Token[];
}

class GiveUp extends Error {}

const STRING_PREFIX = /^[rRbBuUfFcC]{1,2}$/;
const CONTAINER_WORDS = new Set(['extern', 'from', 'namespace', 'nogil', 'noexcept', 'gil', 'with', 'public', 'api',
  'readonly', '*']);

/** The declaration units of a .pxd's text; undefined when the text must be parsed as a whole. */
export function splitPxdUnits(text: string): PxdUnit[] | undefined {
  try {
    return unitsOf(logicalLines(text));
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
}

function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0x80;
}

function isIdPart(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}

function logicalLines(text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let row = 0;
  let lineStart = i;
  let depth = 0;
  let cur: LogicalLine | undefined;
  let atLineStart = true;
  let column = 0;
  const token = (kind: Token['kind'], t: string, startRow = row): void => {
    if (!cur) {
      cur = { lineStart, end: i, row: startRow, endRow: row, indent: column, tokens: [] };
      lines.push(cur);
    }
    cur.tokens.push({ kind, text: t, depth });
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (atLineStart) {
      // indentation
      let j = i;
      while (j < n && text.charCodeAt(j) === 32) j++;
      const d = text.charCodeAt(j);
      if (d === 9 || d === 12) throw new GiveUp();
      column = j - i;
      atLineStart = false;
      i = j;
      continue;
    }
    if (c === 10) {
      if (cur && depth === 0) cur = undefined;
      i++;
      row++;
      lineStart = i;
      // Inside brackets the next physical line continues the logical one: its indentation does not count.
      atLineStart = cur === undefined;
      continue;
    }
    if (c === 32 || c === 13 || c === 9 || c === 12) { i++; continue; }
    if (c === 35) { // comment
      while (i < n && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 92) { // backslash continuation
      const next = text.charCodeAt(i + 1);
      if (next === 10 || (next === 13 && text.charCodeAt(i + 2) === 10)) {
        i += next === 10 ? 2 : 3;
        row++;
        lineStart = i;
        continue;
      }
      throw new GiveUp();
    }
    if (c === 34 || c === 39) {
      readString(i);
      continue;
    }
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdPart(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      const q = text.charCodeAt(j);
      if ((q === 34 || q === 39) && STRING_PREFIX.test(word)) {
        readString(j, i);
        continue;
      }
      token('id', word);
      i = j;
      if (cur) { cur.end = i; cur.endRow = row; }
      continue;
    }
    if (c >= 48 && c <= 57) {
      let j = i + 1;
      while (j < n && (isIdPart(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++;
      token('op', text.slice(i, j));
      i = j;
      if (cur) { cur.end = i; cur.endRow = row; }
      continue;
    }
    const ch = text[i]!;
    if (ch === '(' || ch === '[' || ch === '{') {
      token('op', ch);
      depth++;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth < 0) throw new GiveUp();
      token('op', ch);
    } else {
      token('op', ch);
    }
    i++;
    if (cur) { cur.end = i; cur.endRow = row; }
  }
  if (depth !== 0) throw new GiveUp();
  return lines;

  function readString(quoteAt: number, tokenStart = quoteAt): void {
    const q = text[quoteAt]!;
    const startRow = row;
    const triple = text.startsWith(q.repeat(3), quoteAt);
    let j = quoteAt + (triple ? 3 : 1);
    for (;;) {
      if (j >= n) throw new GiveUp();
      const d = text.charCodeAt(j);
      if (d === 92) { // escape (in raw strings too, a backslash keeps the quote after it in the string)
        if (text.charCodeAt(j + 1) === 10) row++;
        j += 2;
        continue;
      }
      if (d === 10) {
        if (!triple) throw new GiveUp();
        row++;
      }
      if (text[j] === q && (!triple || text.startsWith(q.repeat(3), j))) {
        j += triple ? 3 : 1;
        break;
      }
      j++;
    }
    i = tokenStart;
    token('str', text.slice(tokenStart, j), startRow);
    i = j;
    cur!.end = i;
    cur!.endRow = row;
  }
}

function unitsOf(lines: LogicalLine[]): PxdUnit[] {
  const units: PxdUnit[] = [];
  let k = 0;
  while (k < lines.length) {
    const head = lines[k]!;
    if (head.indent !== 0) throw new GiveUp();
    const group = [head];
    k++;
    // decorators belong to the statement they decorate
    while (group[group.length - 1]!.tokens[0]?.text === '@' && k < lines.length && lines[k]!.indent === 0) {
      group.push(lines[k]!);
      k++;
    }
    const body: LogicalLine[] = [];
    while (k < lines.length && lines[k]!.indent > 0) body.push(lines[k++]!);
    const stmt = group[group.length - 1]!;
    if (group.length === 1 && body.length && isContainer(stmt.tokens)) {
      units.push(...blockUnits(stmt, body));
    } else {
      units.push(unitOf(group, body, undefined));
    }
  }
  return units;
}

/** `cdef extern from "h" nogil:`, `cdef extern:`, `cdef:`, `cdef public:`: a block of declarations. */
function isContainer(tokens: Token[]): boolean {
  if (tokens.length < 2 || tokens[0]!.text !== 'cdef' || tokens[tokens.length - 1]!.text !== ':') return false;
  for (let t = 1; t < tokens.length - 1; t++) {
    const tok = tokens[t]!;
    if (tok.kind !== 'str' && !CONTAINER_WORDS.has(tok.text)) return false;
  }
  return true;
}

function blockUnits(header: LogicalLine, body: LogicalLine[]): PxdUnit[] {
  const indent = body[0]!.indent;
  const units: PxdUnit[] = [];
  const hdr = { start: header.lineStart, end: header.end, row: header.row, endRow: header.endRow };
  let k = 0;
  while (k < body.length) {
    const head = body[k]!;
    if (head.indent !== indent) throw new GiveUp(); // a dedent to no block: a syntax error
    const group = [head];
    k++;
    while (group[group.length - 1]!.tokens[0]?.text === '@' && k < body.length && body[k]!.indent === indent) {
      group.push(body[k]!);
      k++;
    }
    const inner: LogicalLine[] = [];
    while (k < body.length && body[k]!.indent > indent) inner.push(body[k++]!);
    if (isContainer(group[group.length - 1]!.tokens) && inner.length) throw new GiveUp(); // a block in a block
    units.push(unitOf(group, inner, hdr));
  }
  return units;
}

function unitOf(group: LogicalLine[], body: LogicalLine[], header: PxdUnit['header']): PxdUnit {
  const first = group[0]!;
  const last = body.length ? body[body.length - 1]! : group[group.length - 1]!;
  return { start: first.lineStart, end: last.end, row: first.row, header, names: namesOf(group, body, !!header) };
}

const ids = (tokens: Token[]): string[] => tokens.filter((t) => t.kind === 'id').map((t) => t.text);

function namesOf(group: LogicalLine[], body: LogicalLine[], inBlock: boolean): string[] {
  const all = (): string[] => [...new Set([...group, ...body].flatMap((l) => ids(l.tokens)))];
  if (group.length > 1) return all(); // decorated
  const tokens = group[0]!.tokens;
  const first = tokens[0]!;
  // a body on the header's line (`cdef enum: A, B`, `cdef extern from "h": int x`)
  const colon = tokens.findIndex((t) => t.depth === 0 && t.text === ':');
  if (colon >= 0 && colon < tokens.length - 1) return all();
  if (first.kind !== 'id') return all();
  switch (first.text) {
    case 'include': case 'IF': case 'ELIF': case 'ELSE':
      throw new GiveUp();
    case 'cimport':
      return ids(tokens);
    case 'from': {
      const at = tokens.findIndex((t) => t.text === 'cimport');
      if (at < 0) return all();
      if (tokens.some((t) => t.text === '*')) throw new GiveUp();
      return ids(tokens.slice(at + 1));
    }
    case 'DEF':
      return ids(tokens).slice(1, 2);
    case 'ctypedef': case 'cdef': case 'cpdef':
      break;
    default:
      // Inside a block: a bare declaration (`double sqrt(double x) nogil`). At the top level, anything else
      // (assignments, Python statements) counts as declaring every word it holds.
      if (inBlock) break;
      return all();
  }
  const head = headOf(tokens);
  if (head.some((t) => t.depth === 0 && t.text === 'enum')) return all();
  return declaratorNames(head);
}

/** The tokens of a statement's header: up to the `:` that opens its body. */
function headOf(tokens: Token[]): Token[] {
  const colon = tokens.findIndex((t) => t.depth === 0 && t.text === ':');
  return colon < 0 ? tokens : tokens.slice(0, colon);
}

/**
 * Declared names of `[cdef|ctypedef] <type> <declarator>, <declarator>...`: in each comma-separated part, the last
 * word before a call's `(` (a function's name), the words inside `(*name)` (function pointers), and the last
 * word of the part before `=` (variables, typedefs, structs, classes, `ctypedef class numpy.ndarray [...]`).
 */
function declaratorNames(head: Token[]): string[] {
  const names = new Set<string>();
  let lastId: string | undefined;
  let beforeEq: string | undefined;
  let seenEq = false;
  const endPart = (): void => {
    const name = seenEq ? beforeEq : lastId;
    if (name) names.add(name);
    lastId = undefined;
    beforeEq = undefined;
    seenEq = false;
  };
  for (let t = 0; t < head.length; t++) {
    const tok = head[t]!;
    if (tok.depth > 0) continue;
    if (tok.kind === 'id') {
      lastId = tok.text;
    } else if (tok.text === ',') {
      endPart();
    } else if (tok.text === '=') {
      if (!seenEq) beforeEq = lastId;
      seenEq = true;
    } else if (tok.text === '(') {
      const next = head[t + 1];
      if (next && (next.text === '*' || next.text === '&' || next.text === '(')) {
        // a pointer declarator: every word inside the parentheses
        for (let u = t + 1; u < head.length && head[u]!.depth > 0; u++) {
          if (head[u]!.kind === 'id') names.add(head[u]!.text);
        }
      } else if (lastId) {
        names.add(lastId);
      }
    }
  }
  endPart();
  return [...names];
}
