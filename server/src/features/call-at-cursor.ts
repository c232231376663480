/**
 * The call being typed at the cursor, read from the text (not the tree: while `dgelss(a, ` is typed the tree is
 * in error recovery). Scans forward from a few lines back, skipping strings and comments, keeping a stack of open
 * brackets; the innermost open `(` is the call, its top-level commas give the active argument.
 */

export interface CallAtCursor {
  /** The callee as written, dots kept, spaces removed: `dgelss`, `cython_lapack.dgelss`. */
  callee: string;
  /** Offset of the callee's first character. */
  calleeStart: number;
  /** Offset of the `(`. */
  openParen: number;
  /** Index of the argument the cursor is in (number of top-level commas before it). */
  argumentIndex: number;
  /** The keyword of the current argument when it is written `name=...`. */
  keyword?: string;
}

interface Open {
  char: string;
  pos: number;
  commas: number;
  /** Offset just after the last top-level comma (or the bracket). */
  argStart: number;
}

const CLOSE: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const KEYWORDS = new Set(['if', 'elif', 'while', 'for', 'in', 'and', 'or', 'not', 'return', 'print', 'with', 'assert',
  'yield', 'del', 'is', 'lambda', 'nogil', 'gil', 'except', 'raise']);

/** How far back (in characters) the scan starts; calls spanning more than this are not found. */
const WINDOW = 6000;

export function callAtCursor(text: string, offset: number): CallAtCursor | undefined {
  const end = Math.max(0, Math.min(offset, text.length));
  let start = Math.max(0, end - WINDOW);
  if (start > 0) {
    const nl = text.indexOf('\n', start);
    start = nl < 0 || nl >= end ? end : nl + 1;
  }
  const stack: Open[] = [];
  let i = start;
  while (i < end) {
    const ch = text[i];
    if (ch === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0 || nl >= end) return undefined; // the cursor is in a comment
      i = nl + 1;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const close = stringEnd(text, i, end);
      if (close === undefined) return undefined; // the cursor is in a string
      i = close;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') {
      stack.push({ char: ch, pos: i, commas: 0, argStart: i + 1 });
    } else if (ch in CLOSE) {
      // Unbalanced closers (text before the window, broken code) reset what is open.
      while (stack.length && stack[stack.length - 1].char !== CLOSE[ch]) stack.pop();
      stack.pop();
    } else if (ch === ',' && stack.length) {
      const top = stack[stack.length - 1];
      top.commas++;
      top.argStart = i + 1;
    }
    i++;
  }
  const top = stack[stack.length - 1];
  if (!top || top.char !== '(') return undefined;
  const before = text.slice(Math.max(0, top.pos - 200), top.pos);
  const m = /([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*$/.exec(before);
  if (!m) return undefined;
  const callee = m[1].replace(/\s+/g, '');
  if (KEYWORDS.has(callee)) return undefined;
  const calleeStart = top.pos - before.length + m.index;
  const kw = /^\s*([A-Za-z_]\w*)\s*=(?!=)/.exec(text.slice(top.argStart, end));
  const result: CallAtCursor = { callee, calleeStart, openParen: top.pos, argumentIndex: top.commas };
  if (kw) result.keyword = kw[1];
  return result;
}

/** Offset after the string literal starting at `i` (a quote), or undefined if it is still open at `end`. */
function stringEnd(text: string, i: number, end: number): number | undefined {
  const quote = text[i];
  const triple = text.startsWith(quote.repeat(3), i);
  const delim = triple ? quote.repeat(3) : quote;
  let j = i + delim.length;
  while (j < end) {
    const c = text[j];
    if (c === '\\') {
      j += 2;
      continue;
    }
    if (!triple && c === '\n') return j; // an unterminated one-line string ends at the line end
    if (text.startsWith(delim, j)) return j + delim.length;
    j++;
  }
  return undefined;
}
