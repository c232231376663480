/** Where a value of the project's configuration came from, for the server's log and the CLI's verbose output. */
import * as path from 'node:path';

export interface Origin {
  /** Absolute path of the file that says it. */
  file: string;
  /** One-based line, when known. */
  line?: number;
}

/** A value of the build or of `[tool.cython-lens]` with where it was read. */
export interface Sourced<T> {
  value: T;
  origin: Origin;
  /** What said it, e.g. `-X boundscheck=False in cython_args`, `[tool.cython-lens.directives]`. */
  via: string;
}

/** `meson.build:186` relative to `root` (or the absolute path when the file is outside it). */
export function showOrigin(origin: Origin, root: string): string {
  const rel = path.relative(root, origin.file);
  const file = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : origin.file;
  return origin.line === undefined ? file : `${file}:${origin.line}`;
}
