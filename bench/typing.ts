/**
 * Deterministic "typing" on a text: bursts of keystrokes at the end of an indented code line (a word, an operator,
 * an open bracket, a new line with `pass`), each burst then erased key by key like backspace. Intermediate states are
 * often syntactically broken, as while really typing.
 *
 * The `header` mode types where declarations change instead: in the parameter list of a function or method header
 * (a new parameter), after the name of a function or class (renaming it), and at the end of a module-level
 * declaration (`cdef`, `ctypedef`, `DEF` lines: a new name, an initialiser).
 */
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

export interface Keystroke {
  change: TextDocumentContentChangeEvent & { range: { start: { line: number; character: number }; end: { line: number; character: number } } };
  /** UTF-16 offset of the change and its effect, for applying it to a bare tree-sitter tree. */
  offset: number;
  deleted: number;
  inserted: string;
}

const BURSTS = [' + 1', 'x', ' * scale', '(a, b', '  # note', '[i]', ' if n else 0', '\n{indent}pass'];

export type TypingMode = 'body' | 'header';

/** Header mode: what is typed before the closing parenthesis of a parameter list, after a name, after a declaration. */
const PARAMETER_BURSTS = [', int k', ', x=None', ', double[:] w', ', *args'];
const NAME_BURSTS = ['2', '_fast'];
const DECLARATION_BURSTS = [', tmp', ' = 0', '_2'];

/** A place to type: a line and the column the burst starts at. */
interface Site {
  line: number;
  column: number;
  bursts: readonly string[];
}

/** Lines that are indented code (not blank, not comments): where people type. */
function codeLines(lines: readonly string[]): number[] {
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (/^ {4,}[A-Za-z_]/.test(l) && !/["'\\]\s*$/.test(l) && !l.includes('"""')) out.push(i);
  });
  return out;
}

/** Header mode: parameter lists and names of one-line function/class headers, module-level declaration lines. */
function headerSites(lines: readonly string[]): Site[] {
  const out: Site[] = [];
  lines.forEach((l, line) => {
    const header = /^( *)(?:(?:cp?def|def)\s+(?:[\w.*\[\], ]+\s+)?|(?:cdef\s+)?class\s+)(\w+)\s*\(.*\)[^()]*:\s*(#.*)?$/.exec(l);
    if (header && !l.includes('"') && !l.includes("'")) {
      const nameEnd = l.indexOf('(', (header[1] as string).length);
      // the name ends where its '(' starts (no space in these headers, else skip the rename)
      if (nameEnd > 0 && /\w/.test(l[nameEnd - 1] as string)) out.push({ line, column: nameEnd, bursts: NAME_BURSTS });
      const close = l.lastIndexOf(')');
      if (/^ *(?:cp?def|def)\b/.test(l) && close > nameEnd + 1) out.push({ line, column: close, bursts: PARAMETER_BURSTS });
      return;
    }
    if (/^(?:cdef|ctypedef|DEF)\s+[\w.* \[\]]+\w$/.test(l) && !/^cdef\s+(?:extern|class|enum|struct|union|cppclass|packed|public|api|inline)\b/.test(l)) {
      out.push({ line, column: l.length, bursts: DECLARATION_BURSTS });
    }
  });
  return out;
}

/**
 * Yields `count` keystrokes on `text` (every burst is erased again, so positions stay valid for the whole session).
 * `mode`: 'body' types at the end of indented code lines, 'header' in headers and module-level declarations.
 */
export function* typingSession(text: string, count: number, seed = 1, mode: TypingMode = 'body'): Generator<Keystroke> {
  const lines = text.split('\n');
  const sites: Site[] = mode === 'header' ? headerSites(lines)
    : codeLines(lines).map((line) => ({ line, column: (lines[line] as string).length, bursts: BURSTS }));
  if (sites.length === 0) throw new Error(`typing: no ${mode === 'header' ? 'headers or declarations' : 'code lines'}`);
  const lineStart: number[] = [];
  let acc = 0;
  for (const l of lines) {
    lineStart.push(acc);
    acc += l.length + 1;
  }
  let state = seed >>> 0;
  const rnd = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  let produced = 0;
  while (produced < count) {
    const site = sites[rnd(sites.length)] as Site;
    const line = site.line;
    const lineText = lines[line] as string;
    const indent = /^ */.exec(lineText)?.[0] ?? '';
    const burst = (site.bursts[rnd(site.bursts.length)] as string).replace('{indent}', indent);
    const base = lineStart[line] as number;
    let row = line;
    let col = site.column;
    let offset = base + site.column;
    const typed: { row: number; col: number; offset: number; ch: string }[] = [];
    for (const ch of burst) {
      if (produced >= count) return;
      yield { change: { range: { start: { line: row, character: col }, end: { line: row, character: col } }, text: ch }, offset, deleted: 0, inserted: ch };
      produced++;
      typed.push({ row, col, offset, ch });
      offset += ch.length;
      if (ch === '\n') {
        row++;
        col = 0;
      } else col += ch.length;
    }
    // backspace, key by key, back to the original line
    for (let i = typed.length - 1; i >= 0; i--) {
      if (produced >= count) return;
      const k = typed[i] as { row: number; col: number; offset: number; ch: string };
      const end = k.ch === '\n' ? { line: k.row + 1, character: 0 } : { line: k.row, character: k.col + k.ch.length };
      yield { change: { range: { start: { line: k.row, character: k.col }, end }, text: '' }, offset: k.offset, deleted: k.ch.length, inserted: '' };
      produced++;
    }
  }
}
