/**
 * What the CLI's commands share: the settings their options make, and an engine whose notes speak the CLI's words
 * (include dirs are `-I DIR`; a Python environment that cannot resolve cimports, e.g. without Cython, is said once
 * per run, at the start, not in every note).
 */
import * as path from 'node:path';
import type { CythonLensSettings } from '../../../shared/src/protocol';
import { analyses } from '../checks';
import { Engine } from '../engine';
import type { SessionHost } from '../model/analysis-session';
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

/**
 * An engine for a batch run (no keystroke is waiting, so every check gets all the time it needs; `given`: the
 * caller's), with the Python environment that resolves cimports of Cython's and installed packages' .pxd files
 * discovered (model/python-environment.ts): CYTHON_LENS_PYTHON, else `python3`.
 */
export async function cliEngine(log: (s: string) => void, settings: CythonLensSettings, given?: Engine): Promise<Engine> {
  const engine = given ?? await Engine.create({ ...analyses, log, timeBudgetMs: 120_000, session: { host: CLI_HOST } });
  const python = await engine.session.discover(process.env['CYTHON_LENS_PYTHON'] || settings.pythonPath || 'python3');
  if (python.error) log(`cython-lens: ${python.error}`);
  return engine;
}
