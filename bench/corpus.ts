/**
 * The benchmark corpus: scikit-learn 1.9.1 as the conformance suite prepares it (templates rendered, include dirs
 * and build directives recorded per file in $CYTHON_LENS_CACHE/conformance/sklearn/manifest.json). If the manifest
 * is missing, conformance/prepare.py builds it (needs scripts/setup-python.sh and scripts/fetch-sdists.sh first).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface CorpusFile {
  id: string;
  /** The broad corpus's project (scikit-learn's files: 'scikit-learn'). */
  project: string;
  path: string;
  module: string;
  cplus: boolean;
  includeDirs: string[];
  cythonArgs: string[];
}

interface ManifestEntry {
  id: string;
  project?: string;
  path: string;
  module: string;
  cplus: boolean;
  include_dirs: string[];
  cython_args: string[];
}

export function cacheDir(): string {
  return process.env['CYTHON_LENS_CACHE'] || path.join(os.homedir(), '.cache', 'cython-lens');
}

export function venvPython(repo: string): string {
  return path.join(repo, '.venv', 'bin', 'python');
}

/**
 * An include dir of a manifest with the .venv of whichever checkout prepared it (the shared cache may have been
 * prepared by another checkout, e.g. a fresh clone's CI run) replaced by this checkout's.
 */
export function ownVenv(repo: string, dir: string): string {
  const at = dir.indexOf('/.venv/');
  return at < 0 ? dir : path.join(repo, '.venv', dir.slice(at + '/.venv/'.length));
}

export function loadCorpus(repo: string): { files: CorpusFile[]; root: string } {
  const manifest = path.join(cacheDir(), 'conformance', 'sklearn', 'manifest.json');
  if (!fs.existsSync(manifest)) {
    process.stderr.write('bench: preparing the scikit-learn corpus (conformance/prepare.py)\n');
    execFileSync(venvPython(repo), [path.join(repo, 'conformance', 'prepare.py'), '--corpus', 'sklearn'],
      { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const entries = JSON.parse(fs.readFileSync(manifest, 'utf8')) as ManifestEntry[];
  // A private snapshot of the prepared tree: the conformance suite may rebuild it while the benchmark runs.
  const source = path.join(cacheDir(), 'conformance', 'sklearn', 'src');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-bench-corpus-'));
  fs.cpSync(source, root, { recursive: true });
  process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  const moved = (p: string): string => (p === source || p.startsWith(`${source}${path.sep}`) ? root + p.slice(source.length) : p);
  const files = entries
    .map((e) => ({ id: e.id, project: 'scikit-learn', path: moved(e.path), module: e.module, cplus: e.cplus, includeDirs: e.include_dirs.map((d) => ownVenv(repo, moved(d))), cythonArgs: e.cython_args }))
    .filter((e) => fs.existsSync(e.path))
    .sort((a, b) => a.id.localeCompare(b.id));
  if (files.length === 0) throw new Error(`bench: no corpus files listed in ${manifest}`);
  return { files, root };
}

/** Every .pyx/.pxd/.pxi below `dir` (sorted). */
export function cythonFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(pyx|pxd|pxi)$/.test(entry.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * The largest module of each project of the broad conformance corpus (`conformance/prepare.py --corpus broad`:
 * real code of many Cython projects, each prepared as its build prepares it), the `projects` projects with the
 * largest such modules, largest first. Their trees (and those they cimport from) are copied to a private snapshot
 * like scikit-learn's. Undefined when the broad corpus cannot be prepared (its sdists are missing).
 */
export function loadBroadLargest(repo: string, projects: number): CorpusFile[] | undefined {
  const base = path.join(cacheDir(), 'conformance', 'broad');
  const manifest = path.join(base, 'manifest.json');
  if (!fs.existsSync(manifest)) {
    process.stderr.write('bench: preparing the broad corpus (conformance/prepare.py --corpus broad)\n');
    try {
      execFileSync(venvPython(repo), [path.join(repo, 'conformance', 'prepare.py'), '--corpus', 'broad'],
        { stdio: ['ignore', 'inherit', 'inherit'] });
    } catch (err) {
      process.stderr.write(`bench: the broad corpus could not be prepared: ${(err as Error).message}\n`);
      return undefined;
    }
  }
  const entries = readBroadManifest(manifest);
  const lines = (p: string): number => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8').split('\n').length : 0);
  const largest = new Map<string, { e: ManifestEntry; lines: number }>();
  for (const e of entries) {
    const n = lines(e.path);
    const best = largest.get(e.project ?? '');
    if (!best || n > best.lines || (n === best.lines && e.id < best.e.id)) largest.set(e.project ?? '', { e, lines: n });
  }
  const chosen = [...largest.values()].sort((a, b) => b.lines - a.lines || a.e.id.localeCompare(b.e.id)).slice(0, projects);
  return snapshotBroad(repo, base, chosen.map(({ e }) => e));
}

function readBroadManifest(manifest: string): ManifestEntry[] {
  return JSON.parse(fs.readFileSync(manifest, 'utf8')) as ManifestEntry[];
}

/** Copies the projects' trees (and those they cimport from) to a private snapshot; the entries there. */
function snapshotBroad(repo: string, base: string, chosen: readonly ManifestEntry[]): CorpusFile[] {
  const src = path.join(base, 'src');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-bench-broad-'));
  process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  const copied = new Set<string>();
  for (const e of chosen) {
    for (const d of [path.dirname(e.path), ...e.include_dirs]) {
      if (!d.startsWith(`${src}${path.sep}`)) continue;
      const project = d.slice(src.length + 1).split(path.sep)[0] as string;
      if (copied.has(project)) continue;
      copied.add(project);
      fs.cpSync(path.join(src, project), path.join(root, project), { recursive: true });
    }
  }
  const moved = (p: string): string => (p === src || p.startsWith(`${src}${path.sep}`) ? root + p.slice(src.length) : p);
  return chosen.map((e) => ({ id: e.id, project: e.project ?? '', path: moved(e.path), module: e.module, cplus: e.cplus,
    includeDirs: e.include_dirs.map((d) => ownVenv(repo, moved(d))), cythonArgs: e.cython_args.map((a) => ownVenv(repo, a)) }));
}

/**
 * Whole projects of the broad corpus (`names`: its project names), every corpus file of each (sorted), in a private
 * snapshot; and the broad corpus's file whose length is nearest `singleLines` (among all projects). Undefined when
 * the broad corpus is not prepared (loadBroadLargest prepares it).
 */
export function loadBroadProjects(repo: string, names: readonly string[], singleLines: number):
  { projects: { name: string; files: CorpusFile[] }[]; single: CorpusFile | undefined } | undefined {
  const base = path.join(cacheDir(), 'conformance', 'broad');
  const manifest = path.join(base, 'manifest.json');
  if (!fs.existsSync(manifest) && !loadBroadLargest(repo, 1)) return undefined;
  const entries = readBroadManifest(manifest).filter((e) => fs.existsSync(e.path));
  const lines = new Map(entries.map((e) => [e.id, fs.readFileSync(e.path, 'utf8').split('\n').length]));
  const single = [...entries].sort((a, b) => Math.abs((lines.get(a.id) ?? 0) - singleLines) - Math.abs((lines.get(b.id) ?? 0) - singleLines)
    || a.id.localeCompare(b.id))[0];
  const missing = names.filter((n) => !entries.some((e) => e.project === n));
  if (missing.length) throw new Error(`bench: no such project in the broad corpus: ${missing.join(', ')}`);
  const chosen = entries.filter((e) => names.includes(e.project ?? '')).sort((a, b) => a.id.localeCompare(b.id));
  const snap = snapshotBroad(repo, base, single ? [...chosen, single] : chosen);
  const files = single ? snap.slice(0, -1) : snap;
  return {
    projects: names.map((name) => ({ name, files: files.filter((f) => f.project === name) })),
    single: single ? snap[snap.length - 1] : undefined,
  };
}
