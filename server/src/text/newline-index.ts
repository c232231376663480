/**
 * Positions of '\n' in a text, kept up to date across edits, to turn UTF-16 offsets into tree-sitter points.
 *
 * Tree-sitter counts rows by '\n' only (a lone '\r' is not a row break for it, whereas LSP treats it as one),
 * and web-tree-sitter measures columns and indices in UTF-16 code units (it hands the parser UTF-16 text;
 * verified: `é = "😀"` gives the string node columns 4..8). So a point is (number of '\n' before the offset,
 * code units since the last '\n').
 */
import type { Point } from 'web-tree-sitter';

function newlinesIn(text: string, base: number): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out.push(base + i);
  return out;
}

/** Index of the first element >= value (array sorted ascending). */
function lowerBound(values: number[], value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The point reached after `text` when starting at `from`. */
export function advancePoint(from: Point, text: string): Point {
  const last = text.lastIndexOf('\n');
  if (last === -1) return { row: from.row, column: from.column + text.length };
  let rows = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) rows++;
  return { row: from.row + rows, column: text.length - last - 1 };
}

export class NewlineIndex {
  private newlines: number[];

  constructor(text: string) {
    this.newlines = newlinesIn(text, 0);
  }

  pointAt(offset: number): Point {
    const row = lowerBound(this.newlines, offset); // newlines strictly before offset
    const lineStart = row === 0 ? 0 : (this.newlines[row - 1] as number) + 1;
    return { row, column: offset - lineStart };
  }

  /** Replaces [start, oldEnd) by `inserted`. Work: O(log n + inserted + newlines after the edit). */
  replace(start: number, oldEnd: number, inserted: string): void {
    const from = lowerBound(this.newlines, start);
    const to = lowerBound(this.newlines, oldEnd);
    const delta = inserted.length - (oldEnd - start);
    const added = newlinesIn(inserted, start);
    const tail = this.newlines.slice(to);
    if (delta !== 0) for (let i = 0; i < tail.length; i++) tail[i] = (tail[i] as number) + delta;
    this.newlines.length = from;
    for (const n of added) this.newlines.push(n);
    for (const n of tail) this.newlines.push(n);
  }
}
