/**
 * Deterministic "typing" on a text: bursts of keystrokes at the end of an indented code line (a word, an operator,
 * an open bracket, a new line with `pass`), each burst then erased key by key like backspace. Intermediate states are
 * often syntactically broken, as while really typing.
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

/** Lines that are indented code (not blank, not comments): where people type. */
function codeLines(lines: readonly string[]): number[] {
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (/^ {4,}[A-Za-z_]/.test(l) && !/["'\\]\s*$/.test(l) && !l.includes('"""')) out.push(i);
  });
  return out;
}

/** Yields `count` keystrokes on `text` (every burst is erased again, so positions stay valid for the whole session). */
export function* typingSession(text: string, count: number, seed = 1): Generator<Keystroke> {
  const lines = text.split('\n');
  const candidates = codeLines(lines);
  if (candidates.length === 0) throw new Error('typing: no code lines');
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
    const line = candidates[rnd(candidates.length)] as number;
    const lineText = lines[line] as string;
    const indent = /^ */.exec(lineText)?.[0] ?? '';
    const burst = (BURSTS[rnd(BURSTS.length)] as string).replace('{indent}', indent);
    const base = lineStart[line] as number;
    let row = line;
    let col = lineText.length;
    let offset = base + lineText.length;
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
