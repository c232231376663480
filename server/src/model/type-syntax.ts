/**
 * Reading C types and declarators from their source text.
 *
 * The grammar gives us the spans (`c_type`, `memoryview_type`, `c_declarator`); the shape inside them is read from
 * the text, which keeps the model independent of how the grammar nests pointer and array declarators.
 */

export interface TypeSyntax {
  /** Base type name without qualifiers: `int`, `unsigned long long`, `np.float64_t`, `vector`. */
  base: string;
  qualifiers: string[];
  templateArgs: TypeSyntax[];
  pointers: number;
  arrays: number;
  reference: boolean;
  /** Number of memoryview axes when written `T[:, ::1]`. */
  memviewAxes: number;
  /** A function pointer declarator `(*f)(...)`: the text of its parameter list, and GIL spec. */
  functionPointer?: { params: string; nogil: boolean; trailer?: string };
}

const QUALIFIERS = new Set(['const', 'volatile', 'lock', 'iso', 'active', 'locked', 'readonly', 'public']);
const SIGN_WORDS = new Set(['unsigned', 'signed', 'short', 'long']);

/** Split on top-level commas (outside brackets, parentheses and braces). */
export function splitTopLevel(text: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '[' || ch === '(' || ch === '{' || ch === '<') depth++;
    else if (ch === ']' || ch === ')' || ch === '}' || ch === '>') depth--;
    if (ch === sep && depth === 0) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (cur.trim() !== '' || out.length > 0) out.push(cur);
  return out.map((s) => s.trim());
}

/** Parse a type as written: `const unsigned long long*`, `vector[pair[int, double]]`, `double[:, ::1]`. */
export function parseTypeText(raw: string): TypeSyntax {
  let text = raw.replace(/#.*$/gm, '').replace(/\s+/g, ' ').trim();
  // a parenthesized base type `(int*)`, `const (T*)` (not a ctuple: no comma inside)
  const paren = /^((?:(?:const|volatile) )*)\(([^(),]*)\)$/.exec(text);
  if (paren) text = `${paren[1]}${paren[2]}`.trim();
  const result: TypeSyntax = {
    base: '', qualifiers: [], templateArgs: [], pointers: 0, arrays: 0, reference: false, memviewAxes: 0,
  };
  // trailing pointer / reference markers; a qualifier after a star qualifies the pointer (`const char * const *`)
  for (;;) {
    if (text.endsWith('*')) { result.pointers++; text = text.slice(0, -1).trimEnd(); continue; }
    const qualified = /\*\s*(?:const|volatile|restrict)$/.exec(text);
    if (qualified) { text = text.slice(0, qualified.index + 1); continue; }
    if (text.endsWith('&')) { result.reference = true; text = text.slice(0, -1).trimEnd(); continue; }
    break;
  }
  // a bracket suffix: template arguments or memoryview axes
  const bracket = text.indexOf('[');
  if (bracket >= 0 && text.endsWith(']')) {
    const inner = text.slice(bracket + 1, -1);
    text = text.slice(0, bracket).trim();
    const parts = splitTopLevel(inner);
    if (parts.some((p) => p.includes(':'))) {
      result.memviewAxes = parts.length;
    } else {
      result.templateArgs = parts.map(parseTypeText);
    }
  }
  const words = text.split(' ').filter((w) => w);
  const baseWords: string[] = [];
  for (const w of words) {
    if (QUALIFIERS.has(w)) result.qualifiers.push(w);
    else baseWords.push(w);
  }
  result.base = normaliseBase(baseWords);
  return result;
}

function normaliseBase(words: string[]): string {
  if (words.length === 0) return '';
  const sign = words.filter((w) => w === 'unsigned' || w === 'signed');
  const rest = words.filter((w) => w !== 'unsigned' && w !== 'signed');
  if (rest.length === 0) return sign.join(' ') || 'int';
  const allSize = rest.every((w) => SIGN_WORDS.has(w) || w === 'int' || w === 'char' || w === 'double'
    || w === 'float' || w === 'complex');
  if (!allSize) return [...sign, ...rest].join(' ');
  return [...sign, ...rest].join(' ');
}

/**
 * Parse a declarator's text: `*p`, `**pp`, `a[10][3]`, `(*fp)(int, double) nogil`, `(__stdcall *fp)(int)`, `&r`,
 * `x = 3`, and a function declarator `f(double*, int) noexcept nogil` (`function: true`; as a parameter it is a
 * function pointer, as in C; after `ctypedef` it names a function type).
 * Returns the declared name and what the declarator adds to the base type.
 */
export function parseDeclaratorText(raw: string): { name: string; pointers: number; arrays: number;
  reference: boolean; functionPointer?: { params: string; nogil: boolean; trailer?: string }; function?: boolean } {
  let text = raw;
  const eq = topLevelIndexOf(text, '=');
  if (eq >= 0) text = text.slice(0, eq);
  text = text.trim();
  const fp = /^\(\s*(?:(?:__stdcall|__cdecl|__fastcall)\s*)?(\**)\s*([A-Za-z_]\w*)\s*\)\s*\(([\s\S]*)\)([\s\S]*)$/.exec(text);
  if (fp) {
    return {
      name: fp[2], pointers: Math.max(0, fp[1].length - 1), arrays: 0, reference: false,
      functionPointer: { params: fp[3], nogil: /\bnogil\b/.test(fp[4]), trailer: fp[4].trim() },
    };
  }
  // a parenthesized pointer declarator: `(*rows)[3]` (a pointer to arrays: the arrays apply first), `(*opaque)`
  const paren = /^\(\s*(\**)\s*([A-Za-z_]\w*)\s*(?:"[^"]*"\s*)?((?:\[[^\]]*\]\s*)*)\)\s*((?:\[[^\]]*\]\s*)*)$/.exec(text);
  if (paren) {
    return { name: paren[2], pointers: paren[1].length, arrays: (paren[3] + paren[4]).split('[').length - 1,
      reference: false };
  }
  // a function declarator: the parameter list is the first top-level `(` after the name
  const fn = /^(\**)\s*([A-Za-z_]\w*)\s*\(/.exec(text);
  if (fn) {
    const open = fn[0].length - 1;
    const close = matchingParen(text, open);
    if (close > open) {
      const trailer = text.slice(close + 1);
      return {
        name: fn[2], pointers: fn[1].length, arrays: 0, reference: false, function: true,
        functionPointer: { params: text.slice(open + 1, close), nogil: /\bnogil\b/.test(trailer), trailer: trailer.trim() },
      };
    }
  }
  let pointers = 0;
  let reference = false;
  let i = 0;
  for (;;) {
    if (i < text.length && (text[i] === '*' || text[i] === '&' || text[i] === ' ')) {
      if (text[i] === '*') pointers++;
      if (text[i] === '&') reference = true;
      i++;
      continue;
    }
    // a qualified pointer: `* const p`, `* restrict p`
    const qualifier = pointers > 0 ? /^(?:const|volatile|restrict)\b/.exec(text.slice(i)) : null;
    if (!qualifier) break;
    i += qualifier[0].length;
  }
  const m = /^([A-Za-z_]\w*)/.exec(text.slice(i));
  const name = m ? m[1] : '';
  const after = m ? text.slice(i + m[1].length) : '';
  const arrays = (after.match(/\[/g) ?? []).length;
  return { name, pointers, arrays, reference };
}

/** Index of the `)` closing the `(` at `open`, or -1. */
function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

function topLevelIndexOf(text: string, ch: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') depth--;
    else if (c === ch && depth === 0) {
      // `==` is not an assignment
      if (ch === '=' && (text[i + 1] === '=' || text[i - 1] === '=' || text[i - 1] === '!'
        || text[i - 1] === '<' || text[i - 1] === '>')) continue;
      return i;
    }
  }
  return -1;
}
