/**
 * What the user's Python knows: Cython's bundled includes (`Cython/Includes`) and the site-packages holding
 * installed .pxd files (scipy, numpy, scikit-learn). Found by running the interpreter once, asynchronously.
 */

export interface PythonEnvironment {
  python: string;
  cythonIncludes: string | undefined;
  cythonVersion: string | undefined;
  sitePackages: string[];
  error?: string;
}

const PROBE = [
  'import json, sys, os, site',
  'out = {"sys_path": [p for p in sys.path if p and os.path.isdir(p)]}',
  'try:',
  '    import Cython',
  '    out["cython"] = os.path.join(os.path.dirname(Cython.__file__), "Includes")',
  '    out["cython_version"] = Cython.__version__',
  'except Exception as e:',
  '    out["cython_error"] = str(e)',
  'print(json.dumps(out))',
].join('\n');

/** Runs `python -c <probe>` without blocking; resolves with what it found (never rejects). */
export async function discoverPythonEnvironment(python: string, timeoutMs = 15000): Promise<PythonEnvironment> {
  // loaded on first use: a CLI run whose files cimport nothing never runs Python (start-up time)
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile(python, ['-c', PROBE], { timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) {
        resolve({ python, cythonIncludes: undefined, cythonVersion: undefined, sitePackages: [],
          error: `could not run ${python}: ${err.message.split('\n')[0]}` });
        return;
      }
      try {
        const parsed = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
          sys_path?: string[]; cython?: string; cython_version?: string; cython_error?: string };
        resolve({
          python, cythonIncludes: parsed.cython, cythonVersion: parsed.cython_version,
          sitePackages: (parsed.sys_path ?? []).filter((p) => !p.endsWith('.zip')),
          error: parsed.cython ? undefined : `Cython is not installed for ${python} (pip install cython)`,
        });
      } catch (e) {
        resolve({ python, cythonIncludes: undefined, cythonVersion: undefined, sitePackages: [],
          error: `unexpected output from ${python}: ${(e as Error).message}` });
      }
    });
  });
}
