/**
 * Reading the projects' configuration (settings/project/): every .pyx/.pxd of the unpacked sdists (scikit-learn's
 * meson build, spaCy's setup.py, ...) asks for its project's configuration, as the CLI and the server do per file.
 * Cold: a fresh ProjectConfigs (every pyproject.toml / meson.build / setup.py read and evaluated once per folder);
 * warm: the same lookups again once the 2 s window has passed (only mtimes looked at).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ProjectConfigs } from '../server/src/settings/project/project-config';
import { cacheDir } from './corpus';

export interface ProjectConfigResult {
  files: number;
  projects: number;
  coldMs: number;
  warmMs: number;
  reads: number;
}

function sources(dir: string, out: string[]): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith('.')) sources(p, out);
    else if (e.isFile() && /\.(pyx|pxd)$/.test(e.name)) out.push(p);
  }
}

export async function projectConfigBench(): Promise<ProjectConfigResult> {
  const files: string[] = [];
  sources(path.join(cacheDir(), 'corpus'), files);
  let clock = 0;
  const configs = new ProjectConfigs({ now: () => clock });
  const roots = new Set<string>();
  const t0 = performance.now();
  for (const f of files) {
    const c = await configs.forFile(f);
    if (c) roots.add(c.root);
  }
  const coldMs = performance.now() - t0;
  clock += 10_000;
  const t1 = performance.now();
  for (const f of files) await configs.forFile(f);
  return { files: files.length, projects: roots.size, coldMs, warmMs: performance.now() - t1, reads: configs.reads };
}
