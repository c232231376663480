/**
 * The running server's idle time spent on the .pxd files the workspace cimports (model/pxd-warmup.ts), so that a
 * later open finds them parsed and collected: started once the workspace is listed, again after the Python
 * environment is discovered (Cython's includes become findable) and after each configuration change (another
 * resolver). Each step (one cimport statement of one file: a .pxd split or parsed, a few names collected) runs on its
 * own event-loop turn and only when the server is idle: nothing published or scheduled, no message for `idleMs`.
 * A message to the server postpones the next step; a new start abandons the run. Warming decides no result: the
 * analysis would load the same modules on demand.
 */
import * as path from 'node:path';
import { loadGrammar } from '../tree/language';
import { PxdWarmup } from '../model/pxd-warmup';
import type { FeatureDeps } from './feature';

export interface PxdWarmingOptions {
  /** Quiet time after the last message before a step runs (default 250 ms). */
  idleMs?: number;
  /** Workspace files whose cimports are warmed, at most (default 200; .pyx first). */
  maxFiles?: number;
  /** Whether other work of the server is pending (the diagnostics publisher). */
  busy?: () => boolean;
  /** Told when a run has done every step (for the log and the bench). */
  onDone?: (summary: PxdWarmingSummary) => void;
}

export interface PxdWarmingSummary {
  files: number;
  steps: number;
  modules: number;
  /** Time spent in the steps themselves. */
  busyMs: number;
}

export class PxdWarming {
  private run = 0;
  private lastMessage = 0;
  private readonly idleMs: number;
  private readonly maxFiles: number;
  private disposed = false;

  constructor(private readonly deps: FeatureDeps, private readonly options: PxdWarmingOptions = {}) {
    this.idleMs = options.idleMs ?? 250;
    this.maxFiles = options.maxFiles ?? 200;
  }

  /** A message reached the server: the next step waits for quiet again. */
  message(): void {
    this.lastMessage = Date.now();
  }

  /** Starts a run over the workspace (a run under way is abandoned). */
  start(): void {
    if (this.disposed) return;
    const run = ++this.run;
    this.warm(run).catch((err: unknown) => this.deps.log(`[warn] .pxd warm-up: ${String(err)}`));
  }

  dispose(): void {
    this.disposed = true;
    this.run++;
  }

  private async warm(run: number): Promise<void> {
    const index = this.deps.workspace;
    if (!index) return;
    const { language } = await loadGrammar();
    const listed = await index.list();
    const files = [...listed.filter((f) => f.endsWith('.pyx')), ...listed.filter((f) => f.endsWith('.pxd'))]
      .slice(0, this.maxFiles);
    const warmup = new PxdWarmup();
    let busyMs = 0;
    // settings asked once per folder (a guess for the folder's other files: warming decides no result)
    const dirsOf = new Map<string, Promise<readonly string[]>>();
    for (const file of files) {
      if (!(await this.quiet(run))) return;
      const folder = path.dirname(file);
      let dirs = dirsOf.get(folder);
      if (!dirs) dirsOf.set(folder, (dirs = this.deps.settings(index.uriOf(file)).then((s) => s.includeDirs)));
      const [includeDirs, text] = await Promise.all([dirs, index.text(file)]);
      if (run !== this.run || text === undefined) continue;
      warmup.add({ file, text, resolver: this.deps.session().resolver(language, includeDirs) });
      while (warmup.remaining > 0) {
        if (!(await this.quiet(run))) return;
        const t0 = performance.now();
        warmup.step();
        busyMs += performance.now() - t0;
      }
    }
    if (run !== this.run) return;
    this.options.onDone?.({ files: files.length, steps: warmup.done.steps, modules: warmup.done.modules.size,
      busyMs: Math.round(busyMs) });
  }

  /** Resolves once the server is idle (true), or false when this run was abandoned meanwhile. */
  private async quiet(run: number): Promise<boolean> {
    await new Promise((resolve) => setImmediate(resolve));
    for (;;) {
      if (run !== this.run) return false;
      const wait = this.lastMessage + this.idleMs - Date.now();
      if (wait <= 0 && !this.options.busy?.()) return true;
      await new Promise((resolve) => setTimeout(resolve, Math.max(wait, this.idleMs / 5)).unref());
    }
  }
}
