/**
 * Which Python files Cython Lens analyses (pure Python mode): a `.py` file that imports the `cython` module
 * (`import cython`, `from cython.cimports.libc.math import sqrt`, `from cython import nogil`...) or that has a
 * same-named `.pxd` beside it (which gives it C types when it is compiled). Every other `.py` file is plain Python:
 * we leave it to the Python tools (no parse, no diagnostics, no decorations).
 */

/** `.py` (and `.pyw`) files are Python sources: analysed only in pure Python mode. */
export function isPythonSourcePath(pathOrUri: string): boolean {
  return /\.pyw?$/i.test(pathOrUri);
}

/** An `import cython...` / `from cython... import` statement at the start of a line (any indentation). */
const IMPORTS_CYTHON = /^[ \t]*(?:import[ \t]+(?:[\w.]+[ \t]*(?:as[ \t]+\w+[ \t]*)?,[ \t]*)*cython\b|from[ \t]+cython\b[\w.]*[ \t]+(?:c?import)\b)/m;

/** Does this Python text import the `cython` module? (a textual test, cheap on any size: one regex scan) */
export function importsCython(text: string): boolean {
  return IMPORTS_CYTHON.test(text);
}

/** The `.pxd` that augments a `.py` module (`foo.py` → `foo.pxd`), by path. */
export function augmentingPxdPath(pyPath: string): string | undefined {
  return isPythonSourcePath(pyPath) ? pyPath.replace(/\.pyw?$/i, '.pxd') : undefined;
}

/**
 * Is this file one we analyse? Cython sources always; a Python source when it imports `cython` or has an
 * augmenting `.pxd` (`pxdExists` is asked only when the text does not import cython).
 */
export function isAnalysedSource(pathOrUri: string, text: string, pxdExists: (pxdPath: string) => boolean): boolean {
  if (!isPythonSourcePath(pathOrUri)) return true;
  if (importsCython(text)) return true;
  const pxd = augmentingPxdPath(pathOrUri);
  return pxd !== undefined && pxdExists(pxd);
}
