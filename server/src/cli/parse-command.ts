/** `cython-lens parse`: syntax-error regions per file (1-based line/column, UTF-16 columns like LSP). */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createParser } from '../tree/language';
import { findSyntaxErrors } from '../tree/syntax-errors';
import type { ParseArgs } from './args';
import { readSource } from './read-source';
import { expandPaths } from './source-files';

export interface ParseFileResult {
  file: string;
  errors: { line: number; column: number }[];
}

export async function runParse(args: ParseArgs, out: (s: string) => void): Promise<number> {
  const files = expandPaths(args.paths);
  const parser = await createParser();
  const results: ParseFileResult[] = [];
  try {
    for (const file of files) {
      const src = readSource(file);
      const tree = parser.parse(src.text);
      if (!tree) throw new Error(`the parser gave up on ${file}`);
      try {
        const doc = TextDocument.create(src.uri, 'cython', 0, src.text);
        const errors = findSyntaxErrors(tree).map((r) => {
          const p = doc.positionAt(r.startIndex);
          return { line: p.line + 1, column: p.character + 1 };
        });
        results.push({ file, errors });
      } finally {
        tree.delete();
      }
    }
  } finally {
    parser.delete();
  }
  if (args.format === 'json') {
    out(JSON.stringify(results, null, 2));
  } else {
    let total = 0;
    for (const r of results) {
      for (const e of r.errors) out(`${r.file}:${e.line}:${e.column}: syntax error`);
      total += r.errors.length;
    }
    const bad = results.filter((r) => r.errors.length > 0).length;
    out(`${results.length} file(s) parsed, ${bad} with syntax errors (${total} region(s))`);
  }
  return results.some((r) => r.errors.length > 0) ? 1 : 0;
}
