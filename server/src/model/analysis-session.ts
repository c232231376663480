/**
 * Everything an analysis keeps between documents and versions, in one object the Engine owns (one per Engine: the
 * server and the CLI each create theirs, tests create as many as they like, and two sessions share nothing):
 *
 * - a parser for .pxd/.pxi files and one cimport resolver (with its .pxd cache) per set of include dirs, so that a
 *   document is always resolved against its own `cythonLens.includeDirs` (multi-root workspaces, CLI runs over
 *   several projects), whichever document was analysed last;
 * - the Python environment (discovered once per interpreter, asynchronously), which adds Cython's bundled includes
 *   and the installed packages to every resolver's search paths;
 * - the per-document caches of the model, the checks and the features, as typed slots (`SessionSlot`): the module
 *   that needs a cache declares its slot, the session holds the value and drops a document's part when it is closed;
 * - the session's options (e.g. whether classes are split into per-method units, which only a test turns off).
 */
import * as path from 'node:path';
import { Parser, type Language, type Tree } from 'web-tree-sitter';
import { discoverPythonEnvironment, type PythonEnvironment } from './python-environment';
import { PxdResolver } from './pxd-resolver';
import { SharedIncludes } from './shared-includes';

export interface SessionOptions {
  /**
   * Analyse a class as its own code plus one unit per method (engine/definition-units.ts); default true. Tests turn it
   * off to compare the split analysis with the analysis of whole statements.
   */
  splitClasses?: boolean;
  /** How a Python environment is discovered (tests inject one); default: running the interpreter's probe. */
  discoverPython?: (python: string) => Promise<PythonEnvironment>;
  /** How notes speak to the user where the session runs (the editor's settings, the CLI's options). */
  host?: SessionHost;
  /**
   * Cython's own .pxd (Cython/Includes) loaded once for all resolvers (model/shared-includes.ts); default true. Tests
   * turn it off to compare.
   */
  shareIncludes?: boolean;
}

/** The words of the place the analysis runs in, for the notes that tell a user what to do. */
export interface SessionHost {
  /** The sentence that says how to add a folder to the include dirs (the editor setting, the CLI's `-I DIR`). */
  addIncludeDir: string;
  /**
   * Whether each note about an unresolved cimport repeats why the Python environment could not help (e.g. Cython
   * is not installed): an editor shows it with each note, the CLI says it once per run.
   */
  repeatEnvironmentError: boolean;
}

const EDITOR_HOST: SessionHost = {
  addIncludeDir: 'Add its folder to cythonLens.includeDirs.', repeatEnvironmentError: true,
};

/**
 * A per-session value declared by the module that uses it (e.g. the GIL check's per-document definition caches).
 * The declaration is a constant; the value lives in each session, created on first use.
 */
export class SessionSlot<T> {
  constructor(
    readonly name: string,
    readonly create: (session: AnalysisSession) => T,
    readonly hooks: {
      /** Drops what the value holds for a closed document. */
      forget?: (value: T, uri: string) => void;
      /** Frees the value when the session is disposed. */
      dispose?: (value: T) => void;
    } = {},
  ) {}
}

/** A slot holding a Map by document URI (the common case); `forget` deletes the document's entry. */
export function documentSlot<V>(name: string, release?: (value: V) => void): SessionSlot<Map<string, V>> {
  return new SessionSlot(name, () => new Map<string, V>(), {
    forget: (map, uri) => {
      const v = map.get(uri);
      if (v !== undefined) release?.(v);
      map.delete(uri);
    },
    dispose: (map) => {
      if (release) for (const v of map.values()) release(v);
      map.clear();
    },
  });
}

export class AnalysisSession {
  readonly splitClasses: boolean;
  readonly host: SessionHost;
  private readonly shareIncludes: boolean;
  /** Analyses run so far (the engine counts them): what was built in the current one is told from what came before. */
  analyses = 0;
  private parser: Parser | undefined;
  private readonly resolvers = new Map<string, PxdResolver>();
  /** Cython's own .pxd, loaded once for every resolver (once the Python environment says where they are). */
  private shared: SharedIncludes | undefined;
  private python: PythonEnvironment | undefined;
  private discovering: Promise<PythonEnvironment> | undefined;
  private discoveredFor: string | undefined;
  /** Whether the last discovery started is still under way. */
  private pending = false;
  private readonly listeners: ((env: PythonEnvironment) => void)[] = [];
  private readonly slots = new Map<SessionSlot<unknown>, unknown>();
  private readonly discoverPython: (python: string) => Promise<PythonEnvironment>;

  constructor(options: SessionOptions = {}) {
    this.splitClasses = options.splitClasses ?? true;
    this.host = options.host ?? EDITOR_HOST;
    this.shareIncludes = options.shareIncludes ?? true;
    this.discoverPython = options.discoverPython ?? ((python) => discoverPythonEnvironment(python));
  }

  /**
   * The cimport resolver of documents whose include dirs are `includeDirs` (resolved to absolute paths), bound to the
   * grammar of the trees being analysed. One per distinct list: each keeps its own .pxd cache and lookups.
   */
  resolver(language: Language, includeDirs: readonly string[] = []): PxdResolver {
    if (!this.parser) {
      this.parser = new Parser();
      this.parser.setLanguage(language);
    }
    const dirs = includeDirs.map((d) => path.resolve(d));
    const key = dirs.join('\0');
    let resolver = this.resolvers.get(key);
    if (!resolver) {
      resolver = new PxdResolver((text) => this.parse(text), this.searchPaths(dirs));
      this.resolvers.set(key, resolver);
    }
    return resolver;
  }

  /** Parses a .pxd/.pxi (or a candidate fix's text) with the session's parser; the caller deletes the tree. */
  parse(text: string): Tree {
    const tree = this.parser?.parse(text);
    if (!tree) throw new Error('the .pxd parser is not ready');
    return tree;
  }

  /** A .pxd changed on disk (a file event): every resolver that read it reads it again. Whether any had. */
  pxdChanged(file: string, kind: 'created' | 'changed' | 'deleted'): boolean {
    let any = this.shared?.resolver.fileChanged(file, kind) ?? false;
    for (const r of this.resolvers.values()) any = r.fileChanged(file, kind) || any;
    return any;
  }

  /** The resolvers created so far, by include dirs (for the status, benchmarks and tests). */
  resolverCount(): number {
    return this.resolvers.size;
  }

  /** Number of .pxd files held by all resolvers. */
  get pxdCacheSize(): number {
    let n = 0;
    for (const r of this.resolvers.values()) n += r.size;
    return n;
  }

  get pythonEnvironment(): PythonEnvironment | undefined {
    return this.python;
  }

  /**
   * Starts (or reuses) discovery of `python`'s include dirs; listeners hear when it completes with an environment
   * that differs from the one known. `again`: probe the interpreter again even if it is known (a settings change:
   * Cython may have been installed since); a probe of the same interpreter under way is reused. A result equal to
   * the environment known keeps it (same object, search paths and caches untouched).
   */
  discover(python: string, again = false): Promise<PythonEnvironment> {
    if (this.discovering && this.discoveredFor === python && (again ? this.pending : true)) return this.discovering;
    this.discoveredFor = python;
    this.pending = true;
    const discovering: Promise<PythonEnvironment> = this.discoverPython(python).then((env) => {
      if (this.discovering === discovering) this.pending = false;
      if (this.discoveredFor !== python) return env;
      if (this.python && sameEnvironment(this.python, env)) return this.python;
      this.python = env;
      this.shared?.dispose();
      this.shared = undefined; // made again for the new environment's includes (searchPaths)
      for (const [key, r] of this.resolvers) r.setSearchPaths(this.searchPaths(key ? key.split('\0') : []));
      for (const l of this.listeners) l(env);
      return env;
    });
    this.discovering = discovering;
    return discovering;
  }

  onDiscovered(listener: (env: PythonEnvironment) => void): void {
    this.listeners.push(listener);
  }

  /** The session's value of a slot, created on first use. */
  slot<T>(slot: SessionSlot<T>): T {
    if (this.slots.has(slot as SessionSlot<unknown>)) return this.slots.get(slot as SessionSlot<unknown>) as T;
    const value = slot.create(this);
    this.slots.set(slot as SessionSlot<unknown>, value);
    return value;
  }

  /** The session's value of a slot if it was created (statistics must not create caches). */
  peek<T>(slot: SessionSlot<T>): T | undefined {
    return this.slots.get(slot as SessionSlot<unknown>) as T | undefined;
  }

  /** Drops everything held for a closed document. */
  forget(uri: string): void {
    for (const [slot, value] of this.slots) slot.hooks.forget?.(value, uri);
  }

  /** Frees every cache, resolver and the parser; the session can still be used (it starts cold). */
  dispose(): void {
    for (const [slot, value] of this.slots) slot.hooks.dispose?.(value);
    this.slots.clear();
    for (const r of this.resolvers.values()) r.dispose();
    this.resolvers.clear();
    this.shared?.dispose();
    this.shared = undefined;
    this.parser?.delete();
    this.parser = undefined;
  }

  private searchPaths(includeDirs: string[]): { includeDirs: string[]; systemDirs: string[] } {
    const system = this.python ? [this.python.cythonIncludes, ...this.python.sitePackages]
      .filter((d): d is string => !!d) : [];
    const includes = this.python?.cythonIncludes;
    if (includes && this.shareIncludes && !this.shared) {
      this.shared = new SharedIncludes(path.resolve(includes), (text) => this.parse(text));
    }
    return { includeDirs, systemDirs: system, ...(this.shared ? { shared: this.shared } : {}) };
  }
}

/** Whether two discoveries found the same environment (then nothing that depends on it changes). */
function sameEnvironment(a: PythonEnvironment, b: PythonEnvironment): boolean {
  return a.python === b.python && a.cythonIncludes === b.cythonIncludes && a.cythonVersion === b.cythonVersion
    && a.error === b.error && a.sitePackages.length === b.sitePackages.length
    && a.sitePackages.every((p, i) => p === b.sitePackages[i]);
}
