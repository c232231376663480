/**
 * The configuration a project gives the analysis of its files, found by walking up from each file to the project's
 * root (the first folder with a pyproject.toml or a setup.py, not above the workspace folder):
 *
 * - `[tool.cython-lens]` of pyproject.toml (pyproject.ts): include dirs, directives, severity overrides, excluded
 *   globs, the Python interpreter;
 * - what the build passes the compiler: `cython_args` of the meson.build files on the way to the file's folder
 *   (meson-build.ts, cython-args.ts), `compiler_directives=` / `include_path=` of `cythonize(...)` in setup.py
 *   (setup-py.ts);
 * - the project root itself, which the build has on its include path (cythonize's default `include_path=['.']`).
 *
 * `[tool.cython-lens]` wins over the build files; the editor's settings or the CLI's options win over both
 * (`applyProjectConfig`). Files are read asynchronously and kept by mtime; a folder's result is kept while the mtimes
 * of the files it was made from stay the same. Every value keeps where it came from (`describeProjectConfig`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CythonLensSettings } from '../../../../shared/src/protocol';
import { readCythonArgs } from './cython-args';
import { compileGlob } from './globs';
import { mesonCythonArgs } from './meson-build';
import { showOrigin, type Origin, type Sourced } from './origin';
import { readPyproject } from './pyproject';
import { readSetupPy } from './setup-py';

export interface ProjectConfig {
  /** The project's root folder (where pyproject.toml or setup.py is). */
  root: string;
  /** The configuration files read (pyproject.toml, meson.build files, setup.py). */
  files: string[];
  /** Include dirs in search order: [tool.cython-lens], then the build's (meson -I, setup.py include_path). */
  includeDirs: Sourced<string>[];
  /** Directives in the order they apply (a later one wins): the build's, then [tool.cython-lens]'s. */
  directives: Sourced<[string, string]>[];
  severityOverrides: Sourced<[string, string]>[];
  exclude: Sourced<string>[];
  pythonPath?: Sourced<string>;
  /** Wrong keys or values of [tool.cython-lens] (the user should fix them). */
  problems: string[];
  /** What the build computes and the analysis does not read (logged). */
  notes: string[];
}

/** What project configs are read through (tests count the reads). */
export interface ProjectFs {
  /** mtime of a file, undefined when it is missing or not a file. */
  mtime(file: string): Promise<number | undefined>;
  read(file: string): Promise<string | undefined>;
}

/** (callback fs, not fs.promises: loading node:fs/promises costs a few ms of every CLI start) */
export const nodeProjectFs: ProjectFs = {
  mtime: (file) => new Promise((resolve) => {
    fs.stat(file, (err, s) => resolve(!err && s.isFile() ? s.mtimeMs : undefined));
  }),
  read: (file) => new Promise((resolve) => {
    fs.readFile(file, 'utf8', (err, t) => resolve(err ? undefined : t));
  }),
};

const ROOT_MARKERS = ['pyproject.toml', 'setup.py'];
/** A folder's result is used without looking at the files again for this long (a CLI run over many files). */
const RECHECK_MS = 2000;
const MAX_CONFIG_BYTES = 2 * 1024 * 1024;

export class ProjectConfigs {
  private readonly texts = new Map<string, { mtime: number; text: string | undefined }>();
  private readonly results = new Map<string, { stamp: string; checkedAt: number; config: ProjectConfig | undefined }>();
  private readonly inflight = new Map<string, Promise<ProjectConfig | undefined>>();
  /** Texts read from disk so far (for tests: a second lookup of unchanged files reads nothing). */
  reads = 0;

  constructor(private readonly options: { fs?: ProjectFs; log?: (message: string) => void; now?: () => number } = {}) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private get fs(): ProjectFs {
    return this.options.fs ?? nodeProjectFs;
  }

  /** The configuration of the project holding `file` (undefined: no pyproject.toml / setup.py above it). */
  forFile(file: string, stopAt?: string): Promise<ProjectConfig | undefined> {
    const dir = path.dirname(path.resolve(file));
    const key = `${dir}\0${stopAt ?? ''}`;
    let p = this.inflight.get(key);
    if (!p) {
      p = this.load(dir, stopAt).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  /**
   * A configuration file changed: every folder's files are looked at again on its next lookup (texts are still
   * reused when their mtime is the same).
   */
  invalidate(): void {
    this.results.clear();
  }

  private async load(dir: string, stopAt: string | undefined): Promise<ProjectConfig | undefined> {
    const key = `${dir}\0${stopAt ?? ''}`;
    const recent = this.results.get(key);
    if (recent && this.now() - recent.checkedAt < RECHECK_MS) return recent.config;
    const root = await this.findRoot(dir, stopAt);
    if (!root) {
      this.results.set(key, { stamp: '', checkedAt: this.now(), config: undefined });
      return undefined;
    }
    // the files this folder's configuration is made of, with their mtimes
    const candidates = [path.join(root, 'pyproject.toml'), path.join(root, 'setup.py')];
    const rel = path.relative(root, dir);
    let d = root;
    candidates.push(path.join(root, 'meson.build'));
    for (const part of rel ? rel.split(path.sep) : []) {
      d = path.join(d, part);
      candidates.push(path.join(d, 'meson.build'));
    }
    const mtimes = await Promise.all(candidates.map((f) => this.fs.mtime(f)));
    const stamp = candidates.map((f, i) => `${f}@${mtimes[i] ?? '-'}`).join('\0');
    if (recent && recent.stamp === stamp) {
      recent.checkedAt = this.now();
      return recent.config;
    }
    const present = new Map(candidates.map((f, i) => [f, mtimes[i]] as const));
    const config = await this.build(root, dir, present);
    this.results.set(key, { stamp, checkedAt: this.now(), config });
    this.options.log?.(describeProjectConfig(config, dir).join('\n'));
    return config;
  }

  private async findRoot(dir: string, stopAt: string | undefined): Promise<string | undefined> {
    const stop = stopAt ? path.resolve(stopAt) : undefined;
    let d = dir;
    for (let i = 0; i < 64; i++) {
      const found = await Promise.all(ROOT_MARKERS.map((m) => this.fs.mtime(path.join(d, m))));
      if (found.some((m) => m !== undefined)) return d;
      if (stop !== undefined && d === stop) return undefined;
      const up = path.dirname(d);
      if (up === d) return undefined;
      d = up;
    }
    return undefined;
  }

  private async text(file: string, mtime: number | undefined): Promise<string | undefined> {
    if (mtime === undefined) return undefined;
    const known = this.texts.get(file);
    if (known && known.mtime === mtime) return known.text;
    this.reads++;
    const text = await this.fs.read(file);
    const kept = text !== undefined && text.length <= MAX_CONFIG_BYTES ? text : undefined;
    this.texts.set(file, { mtime, text: kept });
    return kept;
  }

  private async build(root: string, dir: string, mtimes: ReadonlyMap<string, number | undefined>): Promise<ProjectConfig> {
    const config: ProjectConfig = {
      root, files: [], includeDirs: [], directives: [], severityOverrides: [], exclude: [], problems: [], notes: [],
    };
    const note = (message: string, origin: Origin): void => {
      config.notes.push(`${showOrigin(origin, root)}: ${message}; not read`);
    };

    // the build: meson.build files, then setup.py
    const meson = await mesonCythonArgs(root, dir, { read: (f) => this.text(f, mtimes.get(f)) });
    config.files.push(...meson.files);
    for (const n of meson.notes) note(n.message, n.origin);
    if (meson.cythonArgs) {
      const args = readCythonArgs(meson.cythonArgs, 'cython_args');
      config.directives.push(...args.directives);
      config.includeDirs.push(...args.includeDirs);
      for (const n of args.ignored) note(n.message, n.origin);
    }
    const setupFile = path.join(root, 'setup.py');
    const setupText = await this.text(setupFile, mtimes.get(setupFile));
    if (setupText !== undefined) {
      config.files.push(setupFile);
      const setup = readSetupPy(setupText, setupFile);
      config.directives.push(...setup.directives);
      for (const p of setup.includePath) config.includeDirs.push({ ...p, value: path.resolve(root, p.value) });
      for (const n of setup.ignored) note(n.message, n.origin);
    }

    // [tool.cython-lens] wins over the build: its include dirs come first, its directives apply last
    const pyFile = path.join(root, 'pyproject.toml');
    const pyText = await this.text(pyFile, mtimes.get(pyFile));
    if (pyText !== undefined) {
      const py = readPyproject(pyText, pyFile);
      if (py.present) config.files.unshift(pyFile);
      config.includeDirs.unshift(...py.includeDirs);
      config.directives.push(...py.directives);
      config.severityOverrides.push(...py.severityOverrides);
      config.exclude.push(...py.exclude);
      if (py.pythonPath) config.pythonPath = py.pythonPath;
      config.problems.push(...py.problems);
    }
    return config;
  }
}

/** Lines for the server's log and the CLI's verbose output: each value and where it came from. */
export function describeProjectConfig(config: ProjectConfig, dir?: string): string[] {
  const at = (o: Origin): string => showOrigin(o, config.root);
  const where = dir && dir !== config.root ? ` (for ${path.relative(config.root, dir)}/)` : '';
  const lines = [`Project configuration of ${config.root}${where}: ${config.files.length
    ? config.files.map((f) => path.relative(config.root, f)).join(', ') : 'no configuration files'}`];
  for (const d of config.directives) lines.push(`  directive ${d.value[0]}=${d.value[1]}  (${at(d.origin)}: ${d.via})`);
  for (const d of config.includeDirs) lines.push(`  include dir ${d.value}  (${at(d.origin)}: ${d.via})`);
  for (const s of config.severityOverrides) lines.push(`  severity ${s.value[0]} = ${s.value[1]}  (${at(s.origin)})`);
  for (const e of config.exclude) lines.push(`  exclude ${e.value}  (${at(e.origin)})`);
  if (config.pythonPath) lines.push(`  python ${config.pythonPath.value}  (${at(config.pythonPath.origin)})`);
  lines.push(`  include root ${config.root}  (the project root, on the build's include path)`);
  for (const n of config.notes) lines.push(`  note: ${n}`);
  return lines;
}

/** The glob of `exclude` that matches `file` (a path relative to the project root is matched), if any. */
export function excludedBy(config: ProjectConfig, file: string): Sourced<string> | undefined {
  const rel = path.relative(config.root, path.resolve(file)).split(path.sep).join('/');
  if (rel.startsWith('..')) return undefined;
  return config.exclude.find((g) => compileGlob(g.value)(rel));
}

/**
 * The settings of a file: the editor's (or the CLI's options) over the project's. Include dirs: the given ones
 * first, then the project's, then the project root and `workspaceRoots` (include roots, as the build has its
 * source root); directives and severity overrides: the project's, each replaced by a given one of the same name;
 * the interpreter: the given one unless empty. A file an `exclude` glob matches gets `excludedBy`.
 */
export function applyProjectConfig(
  given: CythonLensSettings,
  config: ProjectConfig | undefined,
  file: string | undefined,
  workspaceRoots: readonly string[] = [],
): CythonLensSettings {
  const includeDirs: string[] = [];
  const add = (d: string): void => {
    const abs = path.resolve(d);
    if (!includeDirs.includes(abs)) includeDirs.push(abs);
  };
  for (const d of given.includeDirs) add(d);
  const out: CythonLensSettings = { ...given, includeDirs };
  if (config) {
    for (const d of config.includeDirs) add(d.value);
    add(config.root);
    const directives: Record<string, string> = {};
    for (const d of config.directives) directives[d.value[0]] = d.value[1];
    out.directives = { ...directives, ...given.directives };
    const severity: Record<string, CythonLensSettings['severityOverrides'][string]> = {};
    for (const s of config.severityOverrides) severity[s.value[0]] = s.value[1] as CythonLensSettings['severityOverrides'][string];
    out.severityOverrides = { ...severity, ...given.severityOverrides };
    if (!given.pythonPath && config.pythonPath) out.pythonPath = config.pythonPath.value;
    const excluded = file ? excludedBy(config, file) : undefined;
    if (excluded) {
      out.excludedBy = `excluded by "${excluded.value}" in ${showOrigin(excluded.origin, config.root)} [tool.cython-lens]`;
    }
  }
  for (const r of workspaceRoots) add(r);
  return out;
}
