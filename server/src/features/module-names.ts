/**
 * Names of cimportable modules for completion after `cimport ` / `from `: the .pxd files and the packages holding
 * .pxd files in the search path (the document's folder and package root, include dirs, Cython's bundled includes,
 * site-packages). Directory listings are cached for a few seconds, so repeated completions stay cheap.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type AnalysisSession, SessionSlot } from '../model/analysis-session';

export interface ModuleNameContext {
  /** The package typed so far (`scipy.linalg`), '' at the top level. */
  parent: string;
  /** The partial name after the last dot. */
  prefix: string;
}

/** `cimport sci`, `from scipy.lin`, `cimport numpy as np, libc.` are not handled (one module per statement). */
export function moduleNameContextAt(text: string, offset: number): ModuleNameContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const m = /^[ \t]*(?:cimport|from)[ \t]+([A-Za-z_][\w.]*|)$/.exec(text.slice(lineStart, offset));
  if (!m) return undefined;
  const dotted = m[1];
  const dot = dotted.lastIndexOf('.');
  return { parent: dot < 0 ? '' : dotted.slice(0, dot), prefix: dot < 0 ? dotted : dotted.slice(dot + 1) };
}

const TTL_MS = 5000;
type Listings = Map<string, { at: number; entries: fs.Dirent[] }>;

/** Directory listings by path, in each session. */
const LISTINGS = new SessionSlot('directory listings', (): Listings => new Map());

function list(listings: Listings, dir: string): fs.Dirent[] {
  const hit = listings.get(dir);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.entries;
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    entries = [];
  }
  listings.set(dir, { at: Date.now(), entries });
  if (listings.size > 2000) listings.delete(listings.keys().next().value as string);
  return entries;
}

/** Directory listings one request may read that are not cached yet (bounds the first request in huge envs). */
const FRESH_LISTINGS_PER_REQUEST = 400;

/** Does `dir` hold .pxd files, directly or in a subpackage (`scipy` → `scipy/linalg/*.pxd`)? */
function holdsPxd(listings: Listings, dir: string, depth: number, budget: { left: number }): boolean {
  if (!listings.has(dir) && budget.left-- <= 0) return false;
  const entries = list(listings, dir);
  if (entries.some((e) => e.isFile() && e.name.endsWith('.pxd'))) return true;
  return depth > 1 && entries.some((e) => e.isDirectory() && /^[A-Za-z_]\w*$/.test(e.name)
    && holdsPxd(listings, path.join(dir, e.name), depth - 1, budget));
}

export interface ModuleName {
  name: string;
  isPackage: boolean;
  dir: string;
}

/** Modules and packages directly under `parent` in any of `dirs`, deduplicated (first directory wins). */
export function cimportableModules(session: AnalysisSession, parent: string, dirs: readonly string[]): ModuleName[] {
  const listings = session.slot(LISTINGS);
  const found = new Map<string, ModuleName>();
  const budget = { left: FRESH_LISTINGS_PER_REQUEST };
  const parts = parent ? parent.split('.') : [];
  for (const base of dirs) {
    const dir = path.join(base, ...parts);
    for (const e of list(listings, dir)) {
      if (e.isFile() && e.name.endsWith('.pxd') && !e.name.startsWith('__init__')) {
        const name = e.name.slice(0, -4);
        if (/^[A-Za-z_]\w*$/.test(name) && !found.has(name)) found.set(name, { name, isPackage: false, dir });
      } else if (e.isDirectory() && /^[A-Za-z_]\w*$/.test(e.name) && !found.has(e.name)
        && holdsPxd(listings, path.join(dir, e.name), 2, budget)) {
        found.set(e.name, { name: e.name, isPackage: true, dir });
      }
    }
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
