/**
 * What the CLI's commands share: the settings their options make, an engine whose notes speak the CLI's words
 * (include dirs are `-I DIR`; a Python environment that cannot resolve cimports, e.g. without Cython, is said once
 * per run, not in every note), the Python environment discovered only once a file needs it, and the shape of a
 * per-file step that runs in this thread or in a worker (file-jobs.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CythonLensSettings, StatusParams } from '../../../shared/src/protocol';
import { analyses } from '../checks';
import { Engine } from '../engine';
import type { SessionHost } from '../model/analysis-session';
import type { PythonEnvironment } from '../model/python-environment';
import { applyProjectConfig, describeProjectConfig, ProjectConfigs } from '../settings/project/project-config';
import { defaultSettings } from '../settings/validate-settings';
import type { SourceFile } from './read-source';

export const CLI_HOST: SessionHost = {
  addIncludeDir: 'Pass its folder with -I DIR.',
  repeatEnvironmentError: false,
};

/** The settings of `-I DIR` and `-X NAME=VALUE` options (the rest as an editor's defaults). */
export function cliSettings(args: { includeDirs: string[]; directives: string[]; python?: string }, annotate: boolean): CythonLensSettings {
  const settings = defaultSettings();
  if (args.python) settings.pythonPath = args.python;
  settings.includeDirs = args.includeDirs.map((d) => path.resolve(d));
  settings.annotations.enabled = annotate;
  for (const d of args.directives) {
    const eq = d.indexOf('=');
    settings.directives[d.slice(0, eq)] = d.slice(eq + 1);
  }
  return settings;
}

/** The interpreter the CLI asks for Cython's and installed packages' .pxd files: CYTHON_LENS_PYTHON, else `python3`. */
export function cliPython(settings: CythonLensSettings): string {
  return process.env['CYTHON_LENS_PYTHON'] || settings.pythonPath || 'python3';
}

/**
 * The parse time limit of a batch run: no keystroke is waiting, so a big file (Cython's 25k-line
 * tests/run/extsubscript.py) is parsed to the end even on a loaded machine, where the server's 4 s
 * (PARSE_TIME_LIMIT_MS) would leave it "not analysed". Still finite: a pathological parse (tree-sitter's quadratic
 * error recovery) ends the file's analysis, not the run.
 */
export const CLI_PARSE_TIME_LIMIT_MS = 120_000;

/**
 * An engine for a batch run (no keystroke is waiting, so every check gets all the time it needs; `given`: the
 * caller's). Its Python environment is not discovered here (see PythonOnDemand); `discoverPython`: how (a worker
 * asks the main thread).
 */
export async function cliEngine(log: (s: string) => void, given?: Engine,
  discoverPython?: (python: string) => Promise<PythonEnvironment>): Promise<Engine> {
  return given ?? await Engine.create({ ...analyses, log, timeBudgetMs: 120_000, parseTimeLimitMs: CLI_PARSE_TIME_LIMIT_MS,
    session: { host: CLI_HOST, ...(discoverPython ? { discoverPython } : {}) } });
}

/**
 * Whether analysing a file may need the Python environment: it cimports or includes something (Cython's `libc`,
 * an installed package's .pxd), itself or through the .pxd of the same name beside a .pyx or .py. A file that does
 * neither is checked without running Python (start-up time: the interpreter's probe costs more than the check).
 */
export function mayNeedPython(file: string, text: string): boolean {
  // (`from cython.cimports.libc.math import sqrt`: a cimport in pure Python mode)
  if (/\bcimports?\b|^[ \t]*include\b/m.test(text)) return true;
  const stem = /\.pyx$/i.test(file) ? file.slice(0, -4) : /\.py$/i.test(file) ? file.slice(0, -3) : undefined;
  return stem !== undefined && fs.existsSync(`${stem}.pxd`);
}

/** The engine's Python environment, discovered once, on the first call of `ready()` (model/python-environment.ts). */
export class PythonOnDemand {
  private pending: Promise<void> | undefined;

  /** `log`: where a Python that cannot help is said (once); undefined when someone else says it (a worker). */
  constructor(private readonly engine: Engine, private readonly python: string, private readonly log?: (s: string) => void) {}

  ready(): Promise<void> {
    this.pending ??= this.engine.session.discover(this.python).then((env) => {
      if (env.error) this.log?.(`cython-lens: ${env.error}`);
    });
    return this.pending;
  }
}

/**
 * Opens a file's text in the engine with the Python environment ready when the file may need it: the discovery
 * (a process, maybe already under way: file-jobs.ts starts it early) runs while the file is parsed.
 */
export async function openWithPython(engine: Engine, python: PythonOnDemand, file: string, src: SourceFile): Promise<void> {
  const ready = mayNeedPython(file, src.text) ? python.ready() : undefined;
  const doc = engine.open(src.uri, src.text);
  if (!ready) return;
  // parsed now, not at the analysis (a plain .py file is parsed only if it is Cython's pure mode: left to the engine)
  if (!/\.py$/i.test(file)) void doc.tree;
  await ready;
}

/** What one file gives a command, wherever it was analysed: its result and the lines to log after it, in file order. */
export interface FileOutcome<T> {
  result: T | undefined;
  logs: string[];
  /** An analysis failed inside (exit status 2). */
  failed: boolean;
}

/**
 * The lines a file's analysis status gives the run: an internal failure (said per file), or part of the analysis off
 * for a reason outside the file (a data file missing from the installation: said once, `sayOutcomeLogs`).
 */
export function statusLogs(file: string, status: StatusParams): string[] {
  if (status.state === 'error') return [`${file}: ${status.message ?? 'internal error'}`];
  if (status.state === 'warning' && status.message) return [`cython-lens: ${status.message.replace(/^Cython Lens: /, '')}`];
  return [];
}

/** Says the lines of the outcomes, in file order, each distinct line once. */
export function sayOutcomeLogs(outcomes: readonly FileOutcome<unknown>[], log: (s: string) => void): void {
  const said = new Set<string>();
  for (const o of outcomes) {
    for (const l of o.logs) {
      if (said.has(l)) continue;
      said.add(l);
      log(l);
    }
  }
}

/** A command's per-file step with the engine it owns (in this thread, or one per worker). */
export interface FileStep<T> {
  run(file: string): Promise<FileOutcome<T>>;
  dispose(): void;
}

/**
 * The settings of each file of a run: the options' (`-I`, `-X` win) over the configuration of the file's project
 * (settings/project/project-config.ts), read once per folder. One per step (each worker has its own).
 */
export class CliProjectSettings {
  private readonly projects = new ProjectConfigs();

  constructor(private readonly base: CythonLensSettings) {}

  async of(file: string): Promise<CythonLensSettings> {
    const abs = path.resolve(file);
    return applyProjectConfig(this.base, await this.projects.forFile(abs), abs);
  }
}

/**
 * What the main thread settles before the files are analysed: the files no project's `exclude` leaves out, the
 * interpreter of the run (CYTHON_LENS_PYTHON, else the python-path of the first file's project, else `python3`),
 * the problems of each project's [tool.cython-lens] (said once), and with `--verbose` each folder's configuration
 * with where each value came from.
 */
export async function planProjectRun<A extends { verbose?: boolean; python?: string; includeDirs: string[]; directives: string[] }>(
  files: string[], args: A, log: (s: string) => void,
): Promise<{ files: string[]; args: A }> {
  const projects = new ProjectConfigs();
  const base = cliSettings(args, false);
  const said = new Set<string>();
  const say = (line: string): void => {
    if (said.has(line)) return;
    said.add(line);
    log(`cython-lens: ${line}`);
  };
  const kept: string[] = [];
  const shown = new Set<string>();
  let python: string | undefined;
  for (const file of files) {
    const abs = path.resolve(file);
    const config = await projects.forFile(abs);
    for (const p of config?.problems ?? []) say(p);
    if (args.verbose && config && !shown.has(path.dirname(abs))) {
      shown.add(path.dirname(abs));
      for (const line of describeProjectConfig(config, path.dirname(abs))) log(`cython-lens: ${line}`);
    }
    const settings = applyProjectConfig(base, config, abs);
    if (settings.excludedBy) {
      if (args.verbose) log(`cython-lens: ${file}: not analysed, ${settings.excludedBy}`);
      continue;
    }
    python ??= settings.pythonPath;
    kept.push(file);
  }
  return { files: kept, args: python && !args.python ? { ...args, python } : args };
}
