/**
 * Expands CLI paths: files are taken as given, folders are walked for .pyx/.pxd/.pxi and the .py files in pure Python
 * mode (that import `cython` or have a .pxd beside them; sorted, no dot-dirs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAnalysedSource, isPythonSourcePath } from '../model/pure-python-mode';
import { UsageError } from './args';

export const CYTHON_EXTENSIONS = ['.pyx', '.pxd', '.pxi'];

function walk(dir: string, out: string[]): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && CYTHON_EXTENSIONS.includes(path.extname(e.name))) out.push(p);
    else if (e.isFile() && isPythonSourcePath(e.name) && isPureModeFile(p)) out.push(p);
  }
}

/** A .py file Cython compiles in pure Python mode (an unreadable one is not). */
function isPureModeFile(file: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  return isAnalysedSource(file, text, (pxd) => fs.existsSync(pxd));
}

export function expandPaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new UsageError(`no such file or directory: ${p}`);
    }
    if (stat.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}
