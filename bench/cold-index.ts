/**
 * Cold indexing: a fresh process loads the grammar, asks the Python for its include dirs, and analyses every .pyx,
 * .pxd and .pxi of the corpus (diagnostics + annotations; every cimport resolved and its .pxd parsed once, cached).
 * Run by main.ts in a child process so that its peak RSS is its own.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Engine } from '../server/src/engine';
import { analyses } from '../server/src/checks';
import { defaultSettings } from '../server/src/settings/validate-settings';
import { cythonFilesUnder } from './corpus';

export interface ColdIndexResult {
  files: number;
  lines: number;
  pxdCached: number;
  ms: number;
  /** CPU time of the process over the same span (user + system): on a shared machine wall time mostly waits */
  cpuMs: number;
  /** of which: grammar load + Python discovery */
  startupMs: number;
  peakRssMb: number;
}

export async function coldIndex(root: string, python: string, includeDirs: string[]): Promise<ColdIndexResult> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 60_000 });
  await engine.session.discover(python);
  const startupMs = performance.now() - t0;
  const settings = defaultSettings();
  settings.includeDirs = includeDirs;
  const files = cythonFilesUnder(root);
  let lines = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    lines += text.split('\n').length;
    const uri = pathToFileURL(file).href;
    engine.open(uri, text, 1, 'cython');
    const report = engine.analyze(uri, settings);
    if (!report || report.status.state === 'error') throw new Error(`cold index: analysis failed on ${file}: ${report?.status.message ?? ''}`);
    engine.close(uri);
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const pxdCached = engine.session.pxdCacheSize;
  engine.dispose();
  return { files: files.length, lines, pxdCached, ms, cpuMs: (cpu.user + cpu.system) / 1000, startupMs, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** Runs the measurement in a fresh Node process (this bundle with --cold-index-child) and returns its result. */
export function coldIndexInChild(repo: string): ColdIndexResult {
  const r = spawnSync(process.execPath, [process.argv[1] as string, '--repo', repo, '--cold-index-child'], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`cold index child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as ColdIndexResult;
}
