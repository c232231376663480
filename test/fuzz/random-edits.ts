/**
 * Random edits for fuzzing, as an editor could send them: typing snippets (Cython, tabs, CRLF, non-ASCII, NUL,
 * U+FFFD for invalid UTF-8 bytes), deletions, pastes of other parts of the text, CRLF conversion of a region, and
 * undo-like reversals of the last edits. Offsets never split a surrogate pair or a CRLF (an LSP position cannot).
 */
import { Random } from '../support/random';

export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

export const SNIPPETS = [
  'x', ' ', '\n', '    ', '\t', '\r\n', '\r', ':', '(', ')', '[', ']', '{', '}', ',', '.', '"', "'", '"""', '#', '\\\n',
  'cdef ', 'cpdef ', 'nogil', 'with nogil:\n    ', 'with gil:\n        ', 'noexcept', 'except -1', 'ctypedef ',
  'cdef double f(double x) noexcept nogil:\n    return x\n', 'def g(a, b=1, *args, **kw):\n    pass\n',
  'cdef class C:\n    cdef int n\n', 'from libc.math cimport sqrt\n', 'cimport numpy as cnp\n', 'include "missing.pxi"\n',
  '<double*>', '&x', 'int[:, ::1]', 'prange(n, nogil=True)', 'print(x)', 'raise ValueError()', 'lambda: 1',
  'é', 'naïve', '😀', '→', 'σ', '\u00a0', '\ufeff', '\u2028', '\0', '\ufffd', '\ufffd\ufffd', 'DEF N = 3\n', 'IF N:\n',
];

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Moves an offset off the middle of a surrogate pair or a CRLF pair. */
export function snap(text: string, o: number): number {
  if (o > 0 && o < text.length && isLowSurrogate(text.charCodeAt(o))) return o - 1;
  if (o > 0 && o < text.length && text[o - 1] === '\r' && text[o] === '\n') return o - 1;
  return o;
}

export function applyEdit(text: string, e: OffsetEdit): string {
  return text.slice(0, e.start) + e.text + text.slice(e.end);
}

/** The edit that undoes `e` once it was applied to `before`. */
export function inverse(before: string, e: OffsetEdit): OffsetEdit {
  return { start: e.start, end: e.start + e.text.length, text: before.slice(e.start, e.end) };
}

export class EditGenerator {
  private readonly undo: OffsetEdit[][] = [];

  constructor(private readonly rnd: Random, private readonly maxLength = 200_000) {}

  /** One batch of edits (applied in order, each to the result of the previous one) and the resulting text. */
  next(text: string): { edits: OffsetEdit[]; text: string } {
    const r = this.rnd.next();
    if (r < 0.12 && this.undo.length > 0) {
      // undo-like: revert the last batch (its inverse edits, last first)
      const inverses = this.undo.pop() as OffsetEdit[];
      const edits = [...inverses].reverse();
      let t = text;
      for (const e of edits) t = applyEdit(t, e);
      return { edits, text: t };
    }
    const count = this.rnd.next() < 0.15 ? 2 + this.rnd.int(3) : 1;
    const edits: OffsetEdit[] = [];
    const inverses: OffsetEdit[] = [];
    let t = text;
    for (let i = 0; i < count; i++) {
      const e = this.one(t);
      inverses.push(inverse(t, e));
      edits.push(e);
      t = applyEdit(t, e);
    }
    this.undo.push(inverses);
    if (this.undo.length > 50) this.undo.shift();
    return { edits, text: t };
  }

  private offset(text: string): number {
    return snap(text, this.rnd.int(text.length + 1));
  }

  private range(text: string, maxSpan: number): { start: number; end: number } {
    const start = this.offset(text);
    let end = Math.min(text.length, start + this.rnd.int(maxSpan + 1));
    if (end > start) end = Math.max(start, snap(text, end));
    return { start, end };
  }

  private one(text: string): OffsetEdit {
    const kind = this.rnd.next();
    const growing = text.length > this.maxLength;
    if (kind < 0.45 && !growing) {
      let insert = '';
      const n = 1 + this.rnd.int(3);
      for (let i = 0; i < n; i++) insert += this.rnd.pick(SNIPPETS);
      const at = this.offset(text);
      return { start: at, end: at, text: insert };
    }
    if (kind < 0.65) {
      const { start, end } = this.range(text, this.rnd.next() < 0.1 ? 2000 : 12);
      return { start, end, text: '' };
    }
    if (kind < 0.8 && !growing) {
      // paste: a copy of another part of the text, possibly replacing a selection
      const src = this.range(text, 600);
      const dst = this.range(text, this.rnd.next() < 0.3 ? 40 : 0);
      return { start: dst.start, end: dst.end, text: text.slice(src.start, src.end) };
    }
    if (kind < 0.88) {
      // a region's line breaks converted to CRLF (a paste from another editor), or CRLF back to LF
      const { start, end } = this.range(text, 400);
      const region = text.slice(start, end);
      const converted = this.rnd.next() < 0.5 ? region.replace(/\r?\n/g, '\r\n') : region.replace(/\r\n/g, '\n');
      return { start, end, text: converted };
    }
    // replace a span with a snippet (typing over a selection)
    const { start, end } = this.range(text, 30);
    return { start, end, text: this.rnd.pick(SNIPPETS) };
  }
}

/** A real file damaged in a few places: lines dropped, duplicated, swapped, bytes replaced, the tail cut off. */
export function mutate(rnd: Random, text: string): string {
  let lines = text.split('\n');
  const n = 1 + rnd.int(6);
  for (let i = 0; i < n && lines.length > 1; i++) {
    const at = rnd.int(lines.length);
    const op = rnd.int(6);
    if (op === 0) lines.splice(at, 1);
    else if (op === 1) lines.splice(at, 0, lines[rnd.int(lines.length)] as string);
    else if (op === 2) {
      const other = rnd.int(lines.length);
      [lines[at], lines[other]] = [lines[other] as string, lines[at] as string];
    } else if (op === 3) {
      const l = lines[at] as string;
      const c = rnd.int(l.length + 1);
      lines[at] = l.slice(0, c) + rnd.pick(['\ufffd', '\0', '\t', '😀', '(', '"""', ':']) + l.slice(c);
    } else if (op === 4) lines[at] = (lines[at] as string).replace(/^ +/, (s) => (rnd.next() < 0.5 ? s.slice(1) : `${s}  `));
    else lines = lines.slice(0, Math.max(1, at));
  }
  return lines.join('\n');
}
