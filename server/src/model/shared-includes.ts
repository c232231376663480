/**
 * Cython's own .pxd files (`Cython/Includes`: libc, cpython, libcpp, posix) loaded once per session for every
 * resolver, whatever its include dirs: a document of a project with other include dirs than the files opened before
 * finds `libc.stdlib` or `cpython.object` parsed and collected already.
 *
 * Why the declarations are the same for every resolver: a cimport inside a file under Includes is searched first in
 * the file's own folder and its package root, which is Includes itself (pxd-resolver.ts `search`), and only then in
 * the include dirs. So a file of Includes whose cimports all resolve inside Includes does not depend on the include
 * dirs. `covers` checks that before a file is shared: every module its text cimports (model/pxd-warmup.ts's guess
 * over the text's `cimport` statements), and every module those cimport in turn, is found inside Includes by the
 * shared resolver; an `include` makes a file not covered. What the guess cannot see is caught as it happens: the shared resolver counts the cimports it could not resolve at all (a name a `from m cimport
 * a` does not find in m is looked for as the submodule m.a, which the include dirs might hold); one such miss breaks
 * the sharing for the rest of the session (`broken`: each resolver loads its own copies again, and its generation
 * moves, so that analyses made with the shared copies are made again).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Tree } from 'web-tree-sitter';
import { PxdResolver, type SharedPxd } from './pxd-resolver';
import { guessCimports } from './pxd-warmup';

const INCLUDE = /^[ \t]*include[ \t]+['"]/m;

export class SharedIncludes implements SharedPxd {
  readonly resolver: PxdResolver;
  private readonly prefix: string;
  /** file → covered (its whole closure checked) */
  private readonly verdicts = new Map<string, boolean>();
  /** file → the files its text cimports, or undefined when the file itself cannot be shared */
  private readonly targets = new Map<string, string[] | undefined>();

  constructor(readonly root: string, parse: (text: string) => Tree) {
    this.prefix = root.endsWith(path.sep) ? root : root + path.sep;
    this.resolver = new PxdResolver(parse, { includeDirs: [], systemDirs: [root] });
  }

  get broken(): boolean {
    return this.resolver.misses > 0;
  }

  /** Whether `file` and every file it cimports, transitively, can be shared. */
  covers(file: string): boolean {
    const known = this.verdicts.get(file);
    if (known !== undefined) return known;
    const seen = new Set([file]);
    const queue = [file];
    let verdict = true;
    while (verdict && queue.length) {
      const next = this.targetsOf(queue.pop()!);
      if (!next) verdict = false;
      else for (const t of next) if (!seen.has(t)) { seen.add(t); queue.push(t); }
    }
    this.verdicts.set(file, verdict);
    return verdict;
  }

  private targetsOf(file: string): string[] | undefined {
    if (this.targets.has(file)) return this.targets.get(file);
    const found = this.read(file);
    this.targets.set(file, found);
    return found;
  }

  private read(file: string): string[] | undefined {
    if (!file.startsWith(this.prefix) || !file.endsWith('.pxd')) return undefined;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined; // each resolver finds so itself
    }
    if (INCLUDE.test(text)) return undefined;
    const uri = pathToFileURL(file).toString();
    const out: string[] = [];
    for (const c of guessCimports(text)) {
      if (c.module === 'cython' || c.module.startsWith('cython.')) continue; // never a file (cimport-binder.ts)
      const target = this.resolver.locate(c.module, c.level, uri);
      if (!target) return undefined;
      out.push(target);
    }
    return out;
  }

  dispose(): void {
    this.resolver.dispose();
    this.verdicts.clear();
    this.targets.clear();
  }
}
