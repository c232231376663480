/**
 * Is the cursor in the name list of a `from M cimport ...` statement (also a parenthesised, multi-line list, or
 * after a backslash continuation)? Read from the text before the cursor, which is usually incomplete code.
 */

export interface CimportContext {
  /** The module as written, dots kept: `scipy.linalg.cython_lapack`, `..utils._typedefs`. */
  module: string;
  /** Number of leading dots. */
  level: number;
  /** The partial name before the cursor. */
  prefix: string;
  /** Names already listed in the statement (before the cursor). */
  listed: string[];
}

const WINDOW = 4000;
const FROM_CIMPORT = /(?:^|[\n;])[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+cimport\b/g;

export function cimportContextAt(text: string, offset: number): CimportContext | undefined {
  const end = Math.max(0, Math.min(offset, text.length));
  const window = text.slice(Math.max(0, end - WINDOW), end);
  let last: RegExpExecArray | undefined;
  for (let m = FROM_CIMPORT.exec(window); m; m = FROM_CIMPORT.exec(window)) last = m;
  FROM_CIMPORT.lastIndex = 0;
  if (!last) return undefined;
  const tail = window.slice(last.index + last[0].length);
  let list: string;
  const paren = /^[ \t]*\(/.exec(tail);
  if (paren) {
    list = tail.slice(paren[0].length);
    if (list.includes(')')) return undefined;
    list = list.replace(/#[^\n]*/g, '');
  } else {
    // One logical line: newlines only after a backslash.
    if (/(?<!\\)\n/.test(tail)) return undefined;
    if (!/^[ \t]/.test(tail)) return undefined;
    list = tail.replace(/\\\n/g, ' ');
  }
  if (!/^[\w\s,]*$/.test(list)) return undefined;
  const items = list.split(',').map((s) => s.trim());
  const current = items.pop() ?? '';
  // `name as alias` and `name ` (a space after a complete name): no completion there.
  if (!/^\w*$/.test(current)) return undefined;
  const module = last[1];
  return {
    module, level: /^\.*/.exec(module)![0].length, prefix: current,
    listed: items.map((i) => i.split(/\s+/)[0]).filter((n) => n !== ''),
  };
}
