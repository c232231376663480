/**
 * What the CLI's commands share: the settings their options make, an engine whose notes speak the CLI's words
 * (include dirs are `-I DIR`; a Python environment that cannot resolve cimports, e.g. without Cython, is said once
 * per run, not in every note), the Python environment discovered only once a file needs it, and the shape of a
 * per-file step that runs in this thread or in a worker (file-jobs.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CythonLensSettings } from '../../../shared/src/protocol';
import { analyses } from '../checks';
import { Engine } from '../engine';
import type { SessionHost } from '../model/analysis-session';
import type { PythonEnvironment } from '../model/python-environment';
import { defaultSettings } from '../settings/validate-settings';

export const CLI_HOST: SessionHost = {
  addIncludeDir: 'Pass its folder with -I DIR.',
  repeatEnvironmentError: false,
};

/** The settings of `-I DIR` and `-X NAME=VALUE` options (the rest as an editor's defaults). */
export function cliSettings(args: { includeDirs: string[]; directives: string[] }, annotate: boolean): CythonLensSettings {
  const settings = defaultSettings();
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
 * An engine for a batch run (no keystroke is waiting, so every check gets all the time it needs; `given`: the
 * caller's). Its Python environment is not discovered here (see PythonOnDemand); `discoverPython`: how (a worker
 * asks the main thread).
 */
export async function cliEngine(log: (s: string) => void, given?: Engine,
  discoverPython?: (python: string) => Promise<PythonEnvironment>): Promise<Engine> {
  return given ?? await Engine.create({ ...analyses, log, timeBudgetMs: 120_000,
    session: { host: CLI_HOST, ...(discoverPython ? { discoverPython } : {}) } });
}

/**
 * Whether analysing a file may need the Python environment: it cimports or includes something (Cython's `libc`,
 * an installed package's .pxd), itself or through the .pxd of the same name beside a .pyx. A file that does
 * neither is checked without running Python (start-up time: the interpreter's probe costs more than the check).
 */
export function mayNeedPython(file: string, text: string): boolean {
  if (/\bcimport\b|^[ \t]*include\b/m.test(text)) return true;
  return /\.pyx$/i.test(file) && fs.existsSync(`${file.slice(0, -4)}.pxd`);
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

/** What one file gives a command, wherever it was analysed: its result and the lines to log after it, in file order. */
export interface FileOutcome<T> {
  result: T | undefined;
  logs: string[];
  /** An analysis failed inside (exit status 2). */
  failed: boolean;
}

/** A command's per-file step with the engine it owns (in this thread, or one per worker). */
export interface FileStep<T> {
  run(file: string): Promise<FileOutcome<T>>;
  dispose(): void;
}
