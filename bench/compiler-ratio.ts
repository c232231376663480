/**
 * Our full check of one file (parse + model + diagnostics + annotations, cold: no cached .pxd or analysis) next to
 * the real `cython -a` on the same file with scikit-learn's build directives and include dirs (the conformance
 * suite's manifest), run one after the other in the same run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Engine } from '../server/src/engine';
import { analyses } from '../server/src/checks';
import { defaultSettings } from '../server/src/settings/validate-settings';
import { type CorpusFile, venvPython } from './corpus';
import { directivesOf } from './whole-process';

export interface FileComparison {
  id: string;
  lines: number;
  /** cold: no .pxd parsed yet (the first file a fresh server opens) */
  oursMs: number;
  /** warm: the cimported .pxd files already parsed (every later file, every re-check in an editor); median of 3 */
  oursWarmMs: number;
  cythonMs: number;
  /** cython -a exit status (0: C and HTML produced) */
  cythonStatus: number;
  diagnostics: number;
  annotatedLines: number;
}

/** One cold analysis: fresh .pxd cache, fresh per-definition caches, the document opened from its text. */
export function checkOnce(engine: Engine, file: CorpusFile, uriSuffix: string): { ms: number; diagnostics: number; annotated: number } {
  const settings = defaultSettings();
  settings.includeDirs = file.includeDirs;
  for (const d of directivesOf(file)) settings.directives[d.slice(0, d.indexOf('='))] = d.slice(d.indexOf('=') + 1);
  const t0 = performance.now();
  const text = fs.readFileSync(file.path, 'utf8');
  const uri = pathToFileURL(file.path).href + uriSuffix;
  engine.open(uri, text, 1);
  const report = engine.analyze(uri, settings);
  const ms = performance.now() - t0;
  engine.close(uri); // drops the document's model and per-definition caches
  if (!report || report.status.state === 'error') throw new Error(`bench: our check failed on ${file.id}: ${report?.status.message ?? 'no report'}`);
  return { ms, diagnostics: report.diagnostics.length, annotated: report.annotations.filter((a) => a.score > 0).length };
}

export function runCython(repo: string, file: CorpusFile): { ms: number; status: number } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-bench-c-'));
  try {
    const out = path.join(tmp, `${file.module.replace(/\./g, '_')}.${file.cplus ? 'cpp' : 'c'}`);
    const argv = [...file.cythonArgs, ...(file.cplus ? ['--cplus'] : []), '-a', ...file.includeDirs.flatMap((d) => ['-I', d]), file.path, '-o', out];
    const t0 = performance.now();
    const r = spawnSync(path.join(repo, '.venv', 'bin', 'cython'), argv, { cwd: path.dirname(file.path), encoding: 'utf8', timeout: 600_000 });
    const ms = performance.now() - t0;
    if (r.error) throw r.error;
    if (r.status === 0 && !fs.existsSync(out.replace(/\.(c|cpp)$/, '.html'))) throw new Error(`bench: cython -a made no HTML for ${file.id}`);
    return { ms, status: r.status ?? -1 };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The first analysis of each file in a running engine (JIT warm from `warmUp`, the Python environment known), as a
 * server answers the opening of a file: with none of its cimported .pxd parsed yet (cold) and with them cached (warm,
 * median of 3).
 */
export async function openInRunningEngine(repo: string, files: readonly CorpusFile[], warmUp: readonly CorpusFile[]):
  Promise<{ coldMs: number; warmMs: number }[]> {
  const engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 60_000 });
  try {
    await engine.session.discover(venvPython(repo));
    for (let round = 0; round < 2; round++) for (const file of warmUp) checkOnce(engine, file, `#warmup${round}`);
    return files.map((file) => {
      const doc = engine.open('file:///bench-cold.pyx', 'x = 1\n');
      if (doc.tree) engine.session.resolver(doc.tree.language, file.includeDirs).dispose();
      engine.close('file:///bench-cold.pyx');
      const cold = checkOnce(engine, file, '#open');
      const warm = [0, 1, 2].map((i) => checkOnce(engine, file, `#open${i}`).ms).sort((a, b) => a - b)[1] as number;
      return { coldMs: cold.ms, warmMs: warm };
    });
  } finally {
    engine.dispose();
  }
}

/** Files checked (twice each, not measured) before the measured checks. */
const WARM_UP_FILES = 3;

export async function compareWithCompiler(repo: string, files: readonly CorpusFile[], onRow: (r: FileComparison) => void): Promise<FileComparison[]> {
  const engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 60_000 });
  await engine.session.discover(venvPython(repo));
  const resolver = (file: CorpusFile): void => {
    const doc = engine.open('file:///bench-warmup.pyx', 'x = 1\n');
    if (doc.tree) engine.session.resolver(doc.tree.language, file.includeDirs).dispose();
    engine.close('file:///bench-warmup.pyx');
  };
  // JIT warm-up (not measured), as in a running server: on a few files, so that the code paths of cimports (the
  // .pxd splitter, the resolver) are compiled too; the first file alone often cimports nothing.
  for (let round = 0; round < 2; round++) {
    for (const file of files.slice(0, WARM_UP_FILES)) checkOnce(engine, file, `#warmup${round}`);
  }
  const rows: FileComparison[] = [];
  for (const file of files) {
    resolver(file); // cold: drop every parsed .pxd (of the resolver of the file's include dirs)
    const ours = checkOnce(engine, file, '');
    // warm: the median of a few checks (one check on a busy machine is mostly noise)
    const warm = [0, 1, 2].map((i) => checkOnce(engine, file, `#warm${i}`)).sort((a, b) => a.ms - b.ms)[1];
    const cy = runCython(repo, file);
    const row = {
      id: file.id, lines: fs.readFileSync(file.path, 'utf8').split('\n').length, oursMs: ours.ms, oursWarmMs: warm.ms, cythonMs: cy.ms,
      cythonStatus: cy.status, diagnostics: ours.diagnostics, annotatedLines: ours.annotated,
    };
    rows.push(row);
    onRow(row);
  }
  engine.dispose();
  return rows;
}

/** `n` files spread over the list (all when n is undefined or larger). */
export function spread<T>(items: readonly T[], n: number | undefined): T[] {
  if (n === undefined || n >= items.length) return [...items];
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(items[Math.floor((i * items.length) / n)] as T);
  return out;
}
