/**
 * Finds and loads the .pxd files behind cimports: the module's own .pxd, package-relative .pxd in the workspace,
 * include dirs from the settings, Cython's bundled includes and installed packages (found through the user's
 * Python, see python-environment.ts). Files are parsed with the same grammar and cached by path and mtime; a file
 * is stat-ed at most once every few seconds, so per-keystroke work does not grow with the number of cimports.
 * A .pxd is split into declaration units and a unit is parsed only when a name it declares is looked up
 * (lazy-declarations.ts); files the splitter does not understand are parsed and collected whole.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Tree } from 'web-tree-sitter';
import { builtinsScope } from './builtins';
import { augmentingPxdPath } from './pure-python-mode';
import type { CimportRequest, CimportResolver, ModuleDeclarations } from './declaration-types';
import { DeclarationCollector } from './declarations';
import { type LazyDeclarationStats, LazyPxdModule } from './lazy-declarations';
import { LazySignatures, LoggedScope } from './lazy-signatures';
import { splitPxdUnits } from './pxd-units';
import { significantChildren } from './syntax';
import type { ModuleSymbols } from './symbols';

export interface SearchPaths {
  /** Include dirs from settings / `-I`, absolute. */
  includeDirs: string[];
  /** Cython's `Cython/Includes` and site-packages of the configured Python, when known. */
  systemDirs: string[];
  /** Cython's own .pxd (libc, cpython, libcpp, posix), loaded once for every resolver (shared-includes.ts). */
  shared?: SharedPxd;
}

/**
 * .pxd files loaded by another resolver on behalf of this one: those under `root` that `covers` accepts (their
 * declarations are the same whichever include dirs the cimporting module has).
 */
export interface SharedPxd {
  readonly resolver: PxdResolver;
  covers(file: string): boolean;
  /** The sharing was found wrong (an exception to `covers`): every resolver loads its own copies again. */
  readonly broken: boolean;
}

interface CacheEntry {
  mtimeMs: number;
  checkedAt: number;
  module: ModuleDeclarations;
  /** Frees the trees the declarations were collected from. */
  release(): void;
}

export interface PxdResolverOptions {
  /** Collect a .pxd's declarations when they are looked up (default) rather than all when it is loaded. */
  lazy?: boolean;
}

const RECHECK_MS = 3000;
/** Larger .pxd files than this are not read (generated monsters); their cimports count as unresolved. */
const MAX_PXD_BYTES = 8 * 1024 * 1024;

export class PxdResolver implements CimportResolver {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly loading = new Set<string>();
  private readonly lookupCache = new Map<string, { at: number; file: string | undefined }>();
  /**
   * Parsed include files (.pxi), by path: a module's declarations are rebuilt on many keystrokes, its includes rarely
   * change.
   */
  private readonly includeTrees = new Map<string, { text: string; tree: Tree }>();
  /** Package roots by directory, checked again every few seconds. */
  private readonly packageRoots = new Map<string, { at: number; root: string | undefined }>();
  /**
   * Bumped whenever what a cimport resolves to may have changed: a .pxd was reloaded (its mtime changed) or became
   * readable, a lookup found a different file than before, the search paths changed (also in the shared resolver of
   * Cython's includes, or its sharing broke). Cached analyses keyed on it go stale. Loading a .pxd for the first time
   * does not bump it: no analysis can have seen it before.
   */
  get generation(): number {
    const shared = this.paths.shared;
    return this.ownGeneration + (shared ? shared.resolver.generation + (shared.broken ? 1 : 0) : 0);
  }
  private ownGeneration = 0;
  /** cimports this resolver was asked to resolve and found nowhere (the shared resolver's exception: see SharedPxd) */
  misses = 0;
  /** Files that failed to read, with the reason (reported once by the caller). */
  readonly failures = new Map<string, string>();
  /** Units of lazily collected .pxd files parsed, names they declared unlisted (for benchmarks and tests). */
  readonly lazyStats: LazyDeclarationStats = { unitsParsed: 0, unlisted: [] };
  /** cimports that led back to a .pxd being collected whole (such a cimport resolves to nothing) */
  cimportCycles = 0;
  private readonly lazy: boolean;

  constructor(private readonly parse: (text: string) => Tree, private paths: SearchPaths,
    private readonly now: () => number = Date.now, options: PxdResolverOptions = {}) {
    this.lazy = options.lazy ?? true;
  }

  /**
   * The client saw `file` change on disk (a file event): when it is a .pxd this resolver read, or one that appeared or
   * went away, it is read again before its next use and whatever was resolved before goes stale (the generation moves
   * at once, without waiting for the re-check interval). Whether anything here may have changed.
   */
  fileChanged(file: string, kind: 'created' | 'changed' | 'deleted'): boolean {
    const cached = this.cache.get(file);
    if (cached) cached.checkedAt = -Infinity;
    else if (kind === 'changed') return false;
    if (kind !== 'changed') this.lookupCache.clear();
    this.ownGeneration++;
    return true;
  }

  /**
   * Other search paths (the Python environment was discovered, or changed): the cimports of every .pxd loaded so far
   * were resolved against the old ones (a `from libc.stdint cimport int64_t` in a project .pxd loaded before Cython's
   * includes were known stays unresolved in it), so each is read and collected again on its next use.
   */
  setSearchPaths(paths: SearchPaths): void {
    // the generation only moves forward: what the old shared resolver added to it is kept
    const old = this.paths.shared;
    this.ownGeneration += 1 + (old && old !== paths.shared ? old.resolver.generation + (old.broken ? 1 : 0) : 0);
    this.paths = paths;
    this.lookupCache.clear();
    for (const e of this.cache.values()) e.release();
    this.cache.clear();
  }

  resolve(request: CimportRequest, fromUri: string): ModuleSymbols | undefined {
    const file = this.locate(request.module, request.level, fromUri);
    if (!file) {
      this.misses++;
      return undefined;
    }
    const mod = this.load(file);
    if (mod) mod.name = request.module;
    return mod;
  }

  /**
   * The .pxd that declares a .pyx module's C interface (`foo.pyx` → `foo.pxd`), or augments a pure Python mode
   * module (`foo.py` → `foo.pxd`).
   */
  companionOf(uri: string): ModuleDeclarations | undefined {
    const file = uriToPath(uri);
    const pxd = !file ? undefined : file.endsWith('.pyx') ? file.slice(0, -4) + '.pxd' : augmentingPxdPath(file);
    if (!pxd) return undefined;
    return this.exists(pxd) ? this.load(pxd) : undefined;
  }

  /** Resolves an `include "x.pxi"` path relative to the including file, then the include dirs. */
  locateInclude(includePath: string, fromUri: string): string | undefined {
    const from = uriToPath(fromUri);
    const dirs = [from ? path.dirname(from) : undefined, ...this.paths.includeDirs].filter((d): d is string => !!d);
    for (const d of dirs) {
      const candidate = path.resolve(d, includePath);
      if (this.exists(candidate)) return candidate;
    }
    return undefined;
  }

  locate(module: string, level: number, fromUri: string): string | undefined {
    // The search depends on the importing file's directory only (its own folder first, then its package root).
    const from = uriToPath(fromUri);
    const key = `${level}:${module}:${from ? path.dirname(from) : fromUri}`;
    const cached = this.lookupCache.get(key);
    if (cached && this.now() - cached.at < RECHECK_MS) return cached.file;
    const file = this.search(module, level, fromUri);
    if (cached && cached.file !== file) this.ownGeneration++; // a .pxd appeared, disappeared or is shadowed now
    this.lookupCache.set(key, { at: this.now(), file });
    return file;
  }

  private search(module: string, level: number, fromUri: string): string | undefined {
    const from = uriToPath(fromUri);
    const parts = module ? module.split('.') : [];
    const bases: string[] = [];
    if (level > 0) {
      if (!from) return undefined;
      let dir = path.dirname(from);
      for (let i = 1; i < level; i++) dir = path.dirname(dir);
      const found = this.searchIn([dir], parts);
      if (found) return found;
      // The compiler qualifies a relative cimport with the module's package (`..ml.x` in spacy.pipeline.p is
      // spacy.ml.x) and searches it like an absolute one, in the package root and the include dirs but not on
      // sys.path (Main.Context.find_module, find_pxd_file with sys_path=False): the package's other .pxd files
      // may live in another tree than the module (a build directory, a copy).
      const root = this.packageRoot(from);
      if (!root) return undefined;
      const pkg = path.relative(root, path.dirname(from)).split(path.sep).filter((p) => p !== '');
      if (pkg.length < level - 1) return undefined;
      const qualified = [...pkg.slice(0, pkg.length - (level - 1)), ...parts];
      return qualified.length ? this.searchIn([root, ...this.paths.includeDirs], qualified) : undefined;
    } else {
      if (from) {
        bases.push(path.dirname(from));
        const root = this.packageRoot(from);
        if (root) bases.push(root);
      }
      bases.push(...this.paths.includeDirs, ...this.paths.systemDirs);
    }
    return this.searchIn(bases, parts);
  }

  private searchIn(bases: readonly string[], parts: readonly string[]): string | undefined {
    for (const base of bases) {
      const stem = path.join(base, ...parts);
      for (const candidate of [`${stem}.pxd`, path.join(stem, '__init__.cython-30.pxd'), path.join(stem, '__init__.pxd')]) {
        if (this.exists(candidate)) return candidate;
      }
    }
    return undefined;
  }

  private exists(file: string): boolean {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  }

  load(file: string): ModuleDeclarations | undefined {
    const shared = this.sharedFor(file);
    if (shared) {
      const mod = shared.resolver.load(file);
      const failure = shared.resolver.failures.get(file);
      if (failure !== undefined) this.failures.set(file, failure);
      return mod;
    }
    const now = this.now();
    const cached = this.cache.get(file);
    if (cached && now - cached.checkedAt < RECHECK_MS) return cached.module;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (e) {
      this.failures.set(file, (e as Error).message);
      return undefined;
    }
    if (cached && cached.mtimeMs === stat.mtimeMs) {
      cached.checkedAt = now;
      return cached.module;
    }
    if (this.loading.has(file)) { // a cimport cycle: the outer load completes it
      this.cimportCycles++;
      return undefined;
    }
    if (stat.size > MAX_PXD_BYTES) {
      this.failures.set(file, `larger than ${MAX_PXD_BYTES} bytes`);
      return undefined;
    }
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      this.failures.set(file, (e as Error).message);
      return undefined;
    }
    const uri = pathToFileURL(file).toString();
    const units = this.lazy ? splitPxdUnits(text) : undefined;
    let entry: CacheEntry;
    if (units) {
      const lazy = new LazyPxdModule(text, units, uri, this, this.parse, this.lazyStats);
      entry = { mtimeMs: stat.mtimeMs, checkedAt: now, module: lazy.declarations, release: () => lazy.dispose() };
    } else {
      this.loading.add(file);
      try {
        entry = this.collectWhole(text, uri, stat.mtimeMs, now);
      } finally {
        this.loading.delete(file);
      }
    }
    cached?.release();
    this.cache.set(file, entry);
    if (cached || this.failures.has(file)) this.ownGeneration++;
    this.failures.delete(file);
    return entry.module;
  }

  /** Parses the whole file and collects every declaration (with its includes). */
  private collectWhole(text: string, uri: string, mtimeMs: number, now: number): CacheEntry {
    const tree = this.parse(text);
    let collector: DeclarationCollector;
    if (this.lazy) {
      // function signatures read on first use (lazy-signatures.ts)
      const scope = new LoggedScope(builtinsScope());
      collector = new DeclarationCollector({ uri, resolver: this, inPxd: true }, builtinsScope(), scope);
      collector.lazySignatures = new LazySignatures(collector.ctx, scope, scope.symbols.log);
    } else {
      collector = new DeclarationCollector({ uri, resolver: this, inPxd: true }, builtinsScope());
    }
    const module = collector.collectModule(tree.rootNode);
    // an included file's tree is freed once collected: its declarations are read at once
    const lazy = collector.lazySignatures;
    collector.lazySignatures = undefined;
    for (const inc of module.includes) {
      const incFile = this.locateInclude(inc.path, uri);
      if (!incFile) continue;
      const incText = safeRead(incFile);
      if (incText === undefined) continue;
      const incTree = this.parse(incText);
      collector.collectIncluded(significantChildren(incTree.rootNode), pathToFileURL(incFile).toString());
      incTree.delete();
    }
    return { mtimeMs, checkedAt: now, module, release: () => {
      lazy?.settle(); // they are read from the tree freed here
      tree.delete();
    } };
  }

  /** The directory above the outermost package containing `file` (packages have __init__.py/.pxd/.pyx). */
  packageRoot(file: string | undefined): string | undefined {
    if (!file) return undefined;
    const start = path.dirname(file);
    const hit = this.packageRoots.get(start);
    if (hit && this.now() - hit.at < RECHECK_MS) return hit.root;
    const root = findPackageRoot(start);
    this.packageRoots.set(start, { at: this.now(), root });
    return root;
  }

  /** A copy of the tree of the include file `file` whose text is `text` (parsed again when it changed); the caller
   * deletes the copy. */
  includeTree(file: string, text: string): Tree {
    const known = this.includeTrees.get(file);
    if (known && known.text === text) return known.tree.copy();
    const tree = this.parse(text);
    known?.tree.delete(); // copies handed out keep what they use
    this.includeTrees.set(file, { text, tree });
    return tree.copy();
  }

  /** Whether `file` was loaded (it is in the cache, possibly stale; or in the shared resolver's). */
  isLoaded(file: string): boolean {
    const shared = this.sharedFor(file);
    return shared ? shared.resolver.isLoaded(file) : this.cache.has(file);
  }

  /** The shared resolver that loads `file` for this one, if any. */
  private sharedFor(file: string): SharedPxd | undefined {
    const shared = this.paths.shared;
    return shared && !shared.broken && shared.resolver !== this && shared.covers(file) ? shared : undefined;
  }

  /** Number of .pxd files held in the cache (for the status and benchmarks). */
  get size(): number {
    return this.cache.size;
  }

  /** Drops every loaded .pxd and every cached lookup (the next analysis starts cold). */
  dispose(): void {
    for (const e of this.cache.values()) e.release();
    this.cache.clear();
    this.lookupCache.clear();
    this.packageRoots.clear();
    for (const e of this.includeTrees.values()) e.tree.delete();
    this.includeTrees.clear();
  }
}

function safeRead(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function uriToPath(uri: string): string | undefined {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  }
  if (path.isAbsolute(uri)) return uri;
  return undefined;
}

function findPackageRoot(start: string): string | undefined {
  let dir = start;
  let root: string | undefined;
  for (let i = 0; i < 32; i++) {
    if (['__init__.py', '__init__.pxd', '__init__.pyx'].some((f) => fs.existsSync(path.join(dir, f)))) {
      root = path.dirname(dir);
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    } else {
      break;
    }
  }
  return root;
}
