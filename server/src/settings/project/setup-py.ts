/**
 * The directives and include path a setuptools build gives `cythonize(...)`, read from `setup.py` without running
 * it: the keyword arguments `compiler_directives=` and `include_path=` of every `cythonize(` call, when they are a
 * literal dict / list, `dict(name=value, ...)`, or a name assigned such a literal at module level
 * (`COMPILER_DIRECTIVES = {...}`). Literal values are strings, numbers, True/False/None; an entry whose value the
 * script computes (`"profile": sys.version_info < (3, 12)`) is reported and ignored, never guessed.
 */
import type { Origin, Sourced } from './origin';

interface Tok {
  t: 'str' | 'num' | 'name' | 'op' | 'nl';
  v: string;
  line: number;
  /** Column 0 (module-level statements start there). */
  col0: boolean;
  /** Offsets in the text. */
  start?: number;
  end?: number;
}

/** Python tokens (enough for literals and call arguments); f-strings and byte strings are kept as 'op' `?`. */
function pythonTokens(text: string): Tok[] {
  // one pass over char codes with sticky regular expressions for words and numbers: linear, no per-character strings
  const out: Tok[] = [];
  const word = /[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*/y;
  const number = /[0-9A-Za-z_.]*/y;
  const n = text.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let depth = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const start = i;
    const col0 = i === lineStart;
    if (c === 10 /* \n */) {
      if (depth === 0) out.push({ t: 'nl', v: '\n', line, col0, start, end: start });
      i++;
      line++;
      lineStart = i;
    } else if (c === 32 || c === 9 || c === 13 || c === 12) {
      i++;
    } else if (c === 92 /* \\ */ && text.charCodeAt(i + 1) === 10) {
      i += 2;
      line++;
      lineStart = i;
    } else if (c === 35 /* # */) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol;
    } else if (c === 95 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127) {
      word.lastIndex = i;
      word.test(text);
      i = word.lastIndex;
      const w = text.slice(start, i);
      const q = text.charCodeAt(i);
      if ((q === 34 || q === 39) && /^(r|u|b|f|br|rb|fr|rf)$/i.test(w)) {
        const startLine = line;
        const { value, end, lines } = readString(text, i, /r/i.test(w));
        i = end;
        line += lines;
        // only plain and raw strings are literal text
        out.push(/^[ru]$/i.test(w) ? { t: 'str', v: value, line: startLine, col0, start, end: i }
          : { t: 'op', v: '?', line: startLine, col0, start, end: i });
      } else {
        out.push({ t: 'name', v: w, line, col0, start, end: i });
      }
    } else if (c === 34 || c === 39) {
      const startLine = line;
      const { value, end, lines } = readString(text, i, false);
      i = end;
      line += lines;
      out.push({ t: 'str', v: value, line: startLine, col0, start, end: i });
    } else if ((c >= 48 && c <= 57) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      number.lastIndex = i;
      number.test(text);
      i = number.lastIndex;
      out.push({ t: 'num', v: text.slice(start, i), line, col0, start, end: i });
    } else {
      const op = operatorAt(text, i);
      if (op.length === 1) {
        if (c === 40 || c === 91 || c === 123) depth++;
        else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
      }
      i += op.length;
      out.push({ t: 'op', v: op, line, col0, start, end: i });
    }
  }
  return out;
}

const THREE_CHAR_OPS = new Set(['**=', '//=', '>>=', '<<=', '...']);
const TWO_CHAR_OPS = new Set(['==', '!=', '<=', '>=', '**', '//', '->', '+=', '-=', '*=', '/=', ':=', '<<', '>>']);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The operator (or other punctuation character) at i: the longest of three, two or one characters. */
function operatorAt(text: string, i: number): string {
  const three = text.slice(i, i + 3);
  if (THREE_CHAR_OPS.has(three)) return three;
  const two = text.slice(i, i + 2);
  return TWO_CHAR_OPS.has(two) ? two : text.charAt(i);
}

/**
 * A string literal from its opening quote, as Python reads it: in a raw string a backslash stays (it only keeps the
 * next character, a quote or a newline, from ending the string); otherwise the escapes of Python's string literals
 * (a backslash before any other character stays, as in Python).
 */
function readString(text: string, start: number, raw: boolean): { value: string; end: number; lines: number } {
  const q = text.charCodeAt(start);
  const quote = text.charAt(start);
  const triple = text.charCodeAt(start + 1) === q && text.charCodeAt(start + 2) === q;
  const close = triple ? quote.repeat(3) : quote;
  const n = text.length;
  let i = start + close.length;
  let value = '';
  let lines = 0;
  let run = i; // start of the characters not yet added to value
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === q && (!triple || (text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q))) break;
    if (ch === 10) {
      if (!triple) break;
      lines++;
    } else if (ch === 92 /* \\ */ && i + 1 < n) {
      if (text.charCodeAt(i + 1) === 10) lines++;
      if (raw) {
        i += 2;
        continue;
      }
      const { chars, length } = escapeAt(text, i);
      value += text.slice(run, i) + chars;
      i += length;
      run = i;
      continue;
    }
    i++;
  }
  value += text.slice(run, i);
  return { value, end: Math.min(n, i + close.length), lines };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** The characters a backslash escape at i (text[i] is the backslash) stands for in a Python str literal. */
function escapeAt(text: string, i: number): { chars: string; length: number } {
  const e = text.charAt(i + 1);
  const simple = SIMPLE_ESCAPES[e];
  if (simple !== undefined) return { chars: simple, length: 2 };
  const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4));
  if (octal) return { chars: String.fromCodePoint(parseInt(octal[0], 8)), length: 1 + octal[0].length };
  const digits = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
  if (digits > 0) {
    const hex = text.slice(i + 2, i + 2 + digits);
    const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === digits ? parseInt(hex, 16) : NaN;
    // an invalid escape is a SyntaxError in Python: kept as written (the script would not run anyway)
    if (code <= 0x10ffff) return { chars: String.fromCodePoint(code), length: 2 + digits };
  }
  return { chars: '\\' + e, length: 2 };
}

type Literal = { k: 'lit'; text: string; str: boolean } | { k: 'dict'; entries: [string | undefined, Literal, number][] }
  | { k: 'list'; items: [Literal, number][] } | { k: 'other'; text: string };

export interface SetupPyResult {
  directives: Sourced<[string, string]>[];
  /** include_path entries as written (relative to the folder of setup.py). */
  includePath: Sourced<string>[];
  ignored: { message: string; origin: Origin }[];
  /** Number of cythonize(...) calls found. */
  calls: number;
}

/** Reads `cythonize(...)` calls of a setup.py text. Never throws. */
export function readSetupPy(text: string, file: string): SetupPyResult {
  const result: SetupPyResult = { directives: [], includePath: [], ignored: [], calls: 0 };
  const toks = pythonTokens(text);
  const origin = (line: number): Origin => ({ file, line });

  /** Parses one expression starting at i (up to a ',' or closing bracket at its level). */
  const expression = (i: number): { value: Literal; end: number } => {
    const t = toks[i];
    if (!t) return { value: { k: 'other', text: '' }, end: i };
    if (t.t === 'op' && t.v === '{') return dict(i);
    if (t.t === 'op' && (t.v === '[' || t.v === '(')) {
      const list = sequence(i, t.v === '[' ? ']' : ')');
      if (list) return list;
    }
    if (t.t === 'name' && t.v === 'dict' && toks[i + 1]?.v === '(') return dictCall(i + 2);
    // a simple literal: strings (adjacent ones concatenated), a signed number, True/False/None
    let j = i;
    let textOut = '';
    let literal = true;
    if (t.t === 'str') {
      while (toks[j]?.t === 'str') textOut += (toks[j++] as Tok).v;
    } else if (t.t === 'num' || (t.t === 'op' && t.v === '-' && toks[i + 1]?.t === 'num')) {
      textOut = t.t === 'num' ? t.v : `-${(toks[i + 1] as Tok).v}`;
      j = t.t === 'num' ? i + 1 : i + 2;
    } else if (t.t === 'name' && ['True', 'False', 'None'].includes(t.v)) {
      textOut = t.v;
      j = i + 1;
    } else {
      literal = false;
    }
    const end = skipExpression(j);
    if (literal && end === j) return { value: { k: 'lit', text: textOut, str: t.t === 'str' }, end };
    const from = i;
    const to = skipExpression(i);
    return { value: { k: 'other', text: source(from, to) }, end: to };
  };

  /** Skips to the ',' or closing bracket that ends the expression starting at i. */
  const skipExpression = (i: number): number => {
    let depth = 0;
    let j = i;
    for (; j < toks.length; j++) {
      const t = toks[j] as Tok;
      if (t.t === 'nl' && depth === 0) break;
      if (t.t !== 'op') continue;
      if ('([{'.includes(t.v)) depth++;
      else if (')]}'.includes(t.v)) {
        if (depth === 0) break;
        depth--;
      } else if ((t.v === ',' || t.v === ':') && depth === 0) break;
    }
    return j;
  };

  const source = (from: number, to: number): string => {
    const a = toks[from]?.start;
    const b = toks[to - 1]?.end;
    return a === undefined || b === undefined || to <= from ? '' : text.slice(a, b).replace(/\s+/g, ' ').trim();
  };

  const dict = (i: number): { value: Literal; end: number } => {
    const entries: [string | undefined, Literal, number][] = [];
    let j = i + 1;
    while (j < toks.length && !(toks[j]?.t === 'op' && toks[j]?.v === '}')) {
      const keyTok = toks[j] as Tok;
      const key = expression(j);
      j = key.end;
      if (toks[j]?.v !== ':') return { value: { k: 'other', text: 'a dict comprehension' }, end: skipExpression(i + 1) };
      const value = expression(j + 1);
      entries.push([key.value.k === 'lit' && keyTok.t === 'str' ? key.value.text : undefined, value.value, keyTok.line]);
      j = value.end;
      if (toks[j]?.v === ',') j++;
      else if (toks[j]?.v !== '}') break;
    }
    return { value: { k: 'dict', entries }, end: j + 1 };
  };

  const dictCall = (i: number): { value: Literal; end: number } => {
    const entries: [string | undefined, Literal, number][] = [];
    let j = i;
    while (j < toks.length && toks[j]?.v !== ')') {
      const name = toks[j] as Tok;
      if (name.t !== 'name' || toks[j + 1]?.v !== '=') return { value: { k: 'other', text: 'dict(...)' }, end: skipExpression(i - 2) };
      const value = expression(j + 2);
      entries.push([name.v, value.value, name.line]);
      j = value.end;
      if (toks[j]?.v === ',') j++;
      else break;
    }
    return { value: { k: 'dict', entries }, end: j + 1 };
  };

  const sequence = (i: number, close: string): { value: Literal; end: number } | undefined => {
    const items: [Literal, number][] = [];
    let j = i + 1;
    while (j < toks.length && toks[j]?.v !== close) {
      const line = (toks[j] as Tok).line;
      const item = expression(j);
      if (item.end === j) return undefined;
      items.push([item.value, line]);
      j = item.end;
      if (toks[j]?.v === ',') j++;
      else if (toks[j]?.v !== close) return undefined;
    }
    return { value: { k: 'list', items }, end: j + 1 };
  };

  /** The literal a module-level `NAME = <literal>` assigns (the last such assignment before `before`). */
  const moduleLevel = (name: string, before: number): { value: Literal; line: number } | undefined => {
    let found: { value: Literal; line: number } | undefined;
    for (let j = 0; j < before; j++) {
      const t = toks[j] as Tok;
      if (t.t === 'name' && t.v === name && t.col0 && toks[j + 1]?.v === '=') {
        found = { value: expression(j + 2).value, line: t.line };
      }
    }
    return found;
  };

  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    if (t.t !== 'name' || t.v !== 'cythonize' || toks[i + 1]?.v !== '(' || toks[i - 1]?.v === 'def'
      || toks[i - 1]?.v === 'import' || toks[i - 1]?.v === ',') continue;
    result.calls++;
    let j = i + 2;
    while (j < toks.length && toks[j]?.v !== ')') {
      const a = toks[j] as Tok;
      if (a.t === 'name' && toks[j + 1]?.v === '=' && (a.v === 'compiler_directives' || a.v === 'include_path')) {
        let { value, end } = expression(j + 2);
        let line = a.line;
        const valueTok = toks[j + 2];
        if (value.k === 'other' && valueTok?.t === 'name' && end === j + 3) {
          const bound = moduleLevel(valueTok.v, i);
          if (bound) {
            value = bound.value;
            line = bound.line;
          }
        }
        if (a.v === 'compiler_directives') readDirectives(value, line);
        else readIncludePath(value, line);
        j = end;
      } else {
        j = skipExpression(j);
        if (toks[j]?.v === ':') j = skipExpression(j + 1); // a lambda or slice inside: move on
      }
      if (toks[j]?.v === ',') j++;
      else if (toks[j]?.v !== ')') break;
    }
  }
  return result;

  function readDirectives(value: Literal, line: number): void {
    if (value.k !== 'dict') {
      result.ignored.push({ message: `compiler_directives=${value.k === 'other' ? value.text : '…'} is not a literal dict`, origin: origin(line) });
      return;
    }
    for (const [key, v, keyLine] of value.entries) {
      if (key === undefined) {
        result.ignored.push({ message: 'a compiler_directives key is not a string literal', origin: origin(keyLine) });
      } else if (v.k !== 'lit' || v.text === 'None') {
        result.ignored.push({ message: `compiler_directives "${key}": ${v.k === 'other' ? v.text : 'the value'} is computed by the script`, origin: origin(keyLine) });
      } else {
        result.directives.push({ value: [key, v.text], origin: origin(keyLine), via: 'compiler_directives of cythonize()' });
      }
    }
  }

  function readIncludePath(value: Literal, line: number): void {
    if (value.k !== 'list') {
      result.ignored.push({ message: `include_path=${value.k === 'other' ? value.text : '…'} is not a literal list`, origin: origin(line) });
      return;
    }
    for (const [item, itemLine] of value.items) {
      if (item.k === 'lit' && item.str) {
        result.includePath.push({ value: item.text, origin: origin(itemLine), via: 'include_path of cythonize()' });
      } else {
        result.ignored.push({ message: `an include_path entry (${item.k === 'other' ? item.text : 'not a string'}) is computed by the script`, origin: origin(itemLine) });
      }
    }
  }
}
