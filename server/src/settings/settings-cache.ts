/**
 * Per-resource settings, fetched once (workspace/configuration) and cached until the configuration changes.
 * Wrong values are reported once per distinct message and replaced by defaults.
 */
import type { CythonLensSettings } from '../../../shared/src/protocol';
import { defaultSettings, validateSettings } from './validate-settings';

export interface SettingsSource {
  /** Raw `cythonLens` section for a resource (may reject; may return anything). */
  fetch(uri: string): Promise<unknown>;
  /** Directory relative paths of that resource's settings are resolved against. */
  baseDir(uri: string): string | undefined;
  /** Called with problems not reported before. */
  report(problems: string[]): void;
  /**
   * The settings of a resource with its project's configuration applied (project/project-config.ts), and the
   * configuration's problems; absent: the settings as they are.
   */
  project?(uri: string, settings: CythonLensSettings): Promise<{ settings: CythonLensSettings; problems: string[] }>;
}

export class SettingsCache {
  private readonly cache = new Map<string, Promise<CythonLensSettings>>();
  private readonly resolved = new Map<string, CythonLensSettings>();
  private readonly reported = new Set<string>();
  private generation = 0;

  constructor(private readonly source: SettingsSource) {}

  get(uri: string): Promise<CythonLensSettings> {
    let p = this.cache.get(uri);
    if (!p) {
      const generation = this.generation;
      p = this.load(uri).then((s) => {
        if (generation === this.generation) this.resolved.set(uri, s);
        return s;
      });
      this.cache.set(uri, p);
    }
    return p;
  }

  /** Cached settings if already resolved (synchronous callers, e.g. the document size limit). */
  peek(uri: string): CythonLensSettings | undefined {
    return this.resolved.get(uri);
  }

  /** Forget everything (didChangeConfiguration); problems may be reported again. */
  clear(): void {
    this.generation++;
    this.cache.clear();
    this.resolved.clear();
    this.reported.clear();
  }

  delete(uri: string): void {
    this.cache.delete(uri);
    this.resolved.delete(uri);
  }

  private async load(uri: string): Promise<CythonLensSettings> {
    let raw: unknown;
    try {
      raw = await this.source.fetch(uri);
    } catch (err) {
      this.reportNew([`Could not read cythonLens settings (${String(err)}); using defaults.`]);
      return defaultSettings();
    }
    const { settings, problems } = validateSettings(raw, this.source.baseDir(uri));
    this.reportNew(problems);
    if (!this.source.project) return settings;
    try {
      const withProject = await this.source.project(uri, settings);
      this.reportNew(withProject.problems);
      return withProject.settings;
    } catch (err) {
      this.reportNew([`Could not read the project's configuration (${String(err)}); using the editor's settings only.`]);
      return settings;
    }
  }

  private reportNew(problems: string[]): void {
    const fresh = problems.filter((p) => !this.reported.has(p));
    for (const p of fresh) this.reported.add(p);
    if (fresh.length > 0) this.source.report(fresh);
  }
}
