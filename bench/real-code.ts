/**
 * Real Cython code of a given length: scikit-learn .pyx files (the benchmark corpus) concatenated in a fixed order
 * until `lines` lines are reached (cut at a top-level statement boundary, so the text stays the kind of code people
 * edit: whole functions and classes).
 */
import * as fs from 'node:fs';

export function concatenatedCode(files: readonly string[], lines: number): string {
  const out: string[] = [];
  for (let round = 0; out.length < lines; round++) {
    for (const file of files) {
      const fileLines = fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n').split('\n');
      for (const line of fileLines) out.push(line);
      out.push('');
      if (out.length >= lines) break;
    }
    if (round > 100) throw new Error('real-code: the corpus has no text');
  }
  // cut at the last top-level line (column 0, not a comment/blank) at or before `lines`
  let cut = Math.min(lines, out.length);
  while (cut > 1 && !/^[A-Za-z@]/.test(out[cut] ?? 'x')) cut--;
  return out.slice(0, cut).join('\n') + '\n';
}
