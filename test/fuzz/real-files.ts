/**
 * Real Cython files to fuzz: the repository's examples and fixtures (always there), and, when scripts/setup.sh has
 * unpacked the pinned sdists, scikit-learn's and Cython's own .pyx/.pxd files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/paths';
import type { FuzzFile } from './engine-fuzz';

function cythonFiles(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) cythonFiles(p, out);
    else if (/\.(pyx|pxd)$/.test(entry.name)) out.push(p);
  }
  return out.sort();
}

export function corpusDir(): string {
  return path.join(process.env['CYTHON_LENS_CACHE'] || path.join(os.homedir(), '.cache', 'cython-lens'), 'corpus');
}

/** Up to `max` real files below `maxBytes` each, the repository's own first; deterministic order. */
export function realFiles(max: number, maxBytes = 40_000): FuzzFile[] {
  const repo = [...cythonFiles(path.join(REPO_ROOT, 'examples')), path.join(REPO_ROOT, 'test', 'fixtures', 'kernels.pyx')];
  const corpus = [
    ...cythonFiles(path.join(corpusDir(), 'scikit-learn-1.9.1', 'sklearn')),
    ...cythonFiles(path.join(corpusDir(), 'cython-3.3.1', 'tests', 'run')).filter((f) => /nogil|gil|parallel/.test(f)),
  ];
  // spread the corpus picks over the sorted list, so that a short run sees different packages
  const picks: string[] = [];
  const step = Math.max(1, Math.floor(corpus.length / Math.max(1, max)));
  for (let i = 0; i < corpus.length && picks.length < max; i += step) picks.push(corpus[i] as string);
  return [...repo, ...picks]
    .filter((f) => fs.statSync(f).size <= maxBytes)
    .slice(0, max)
    .map((f) => ({ name: path.basename(f), text: fs.readFileSync(f).toString('utf8') }));
}
