/**
 * The process-wide state the semantic model needs besides the document: a parser for .pxd files, the cimport
 * resolver with its cache, and the Python environment (discovered once per interpreter, asynchronously).
 */
import * as path from 'node:path';
import { Parser, type Language, type Tree } from 'web-tree-sitter';
import { discoverPythonEnvironment, type PythonEnvironment } from './python-environment';
import { PxdResolver } from './pxd-resolver';

export class AnalysisEnvironment {
  private parser: Parser | undefined;
  private resolverInstance: PxdResolver | undefined;
  private includeDirs: string[] = [];
  private python: PythonEnvironment | undefined;
  private discovering: Promise<PythonEnvironment> | undefined;
  private discoveredFor: string | undefined;
  private readonly listeners: ((env: PythonEnvironment) => void)[] = [];

  /** A resolver bound to the grammar of the trees being analysed. */
  resolver(language: Language): PxdResolver {
    if (!this.parser) {
      this.parser = new Parser();
      this.parser.setLanguage(language);
    }
    if (!this.resolverInstance) {
      this.resolverInstance = new PxdResolver((text) => this.parse(text), this.searchPaths());
    }
    return this.resolverInstance;
  }

  parse(text: string): Tree {
    const tree = this.parser?.parse(text);
    if (!tree) throw new Error('the .pxd parser is not ready');
    return tree;
  }

  setIncludeDirs(dirs: string[]): void {
    const resolved = dirs.map((d) => path.resolve(d));
    if (resolved.join('\0') === this.includeDirs.join('\0')) return;
    this.includeDirs = resolved;
    this.resolverInstance?.setSearchPaths(this.searchPaths());
  }

  get pythonEnvironment(): PythonEnvironment | undefined {
    return this.python;
  }

  /** Starts (or reuses) discovery of `python`'s include dirs; listeners hear when it completes. */
  discover(python: string): Promise<PythonEnvironment> {
    if (this.discovering && this.discoveredFor === python) return this.discovering;
    this.discoveredFor = python;
    this.discovering = discoverPythonEnvironment(python).then((env) => {
      if (this.discoveredFor === python) {
        this.python = env;
        this.resolverInstance?.setSearchPaths(this.searchPaths());
        for (const l of this.listeners) l(env);
      }
      return env;
    });
    return this.discovering;
  }

  onDiscovered(listener: (env: PythonEnvironment) => void): void {
    this.listeners.push(listener);
  }

  private searchPaths(): { includeDirs: string[]; systemDirs: string[] } {
    const system = this.python ? [this.python.cythonIncludes, ...this.python.sitePackages]
      .filter((d): d is string => !!d) : [];
    return { includeDirs: this.includeDirs, systemDirs: system };
  }
}

/** One environment per process (the server and the CLI each have one). */
export const analysisEnvironment = new AnalysisEnvironment();
