/**
 * How the engine's notes speak on the command line: include dirs are the CLI's `-I DIR`, and a Python environment
 * that cannot resolve cimports (no Cython in it) is said once per run, at the start, not in every note.
 */
import type { SessionHost } from '../model/analysis-session';

export const CLI_HOST: SessionHost = {
  addIncludeDir: 'Pass its folder with -I DIR.',
  repeatEnvironmentError: false,
};
