/**
 * The workspace's Cython files (.pyx, .pxd, .pxi) for cross-file requests (references, rename, workspace symbols):
 * listed once in the background after start-up (asynchronously, yielding between directories), kept current by
 * file events (`workspace/didChangeWatchedFiles`) and open documents, which win over their copy on disk. Texts are
 * read when a request needs them and cached by modification time within a byte budget; derived data (outlines) is
 * memoised per file text. Nothing here runs per keystroke.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

export const CYTHON_EXTENSIONS = ['.pyx', '.pxd', '.pxi'];

/** Directories never listed: virtual environments, build output, VCS metadata, caches. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', 'env', '.env', '.tox', '.nox',
  '__pycache__', 'build', 'dist', 'site-packages', '.mypy_cache', '.pytest_cache', '.eggs', 'out']);
const MAX_FILES = 50_000;
const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** Texts kept in memory at most (bytes, UTF-16 length as a proxy). */
const TEXT_BUDGET = 96 * 1024 * 1024;

/** Parsed files (trees, models) kept between requests at most (bytes of their source text). */
const RETAINED_BUDGET = 8 * 1024 * 1024;
/**
 * A cached text or parsed file is checked against the disk (its modification time) at most this often, unless the
 * client watches the files for us (`watched`: its events drop what changed at once, nothing is checked). Without
 * this a warm references search spends most of its time in stat calls.
 */
const RECHECK_MS = 1000;
/** Values derived from open documents kept at most (`memo`). */
const MAX_MEMOS = 32;

interface Retained {
  stamp: string;
  /** When its file was last stat'ed (performance.now()). */
  checkedAt: number;
  value: unknown;
  size: number;
  dispose(): void;
}

interface CachedText {
  mtimeMs: number;
  checkedAt: number;
  text: string;
  derived: Map<string, unknown>;
}

export interface WorkspaceIndexOptions {
  /** The text of an open document at a path (open documents win over the disk). */
  openText(file: string): string | undefined;
  log(message: string): void;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;

/** The identifiers of a cached text (memoised with it). */
function wordsOf(e: CachedText): Set<string> {
  let words = e.derived.get('\u0000words') as Set<string> | undefined;
  if (!words) {
    words = new Set(e.text.match(WORD) ?? []);
    e.derived.set('\u0000words', words);
  }
  return words;
}

export class WorkspaceIndex {
  private roots: string[] = [];
  private files: Set<string> | undefined;
  private listing: Promise<Set<string>> | undefined;
  private readonly texts = new Map<string, CachedText>();
  private textBytes = 0;
  private generation = 0;
  private readonly retained = new Map<string, Retained>();
  private retainedBytes = 0;
  /** Requests in flight that may hold retained trees: nothing is freed until the last one ends. */
  private holds = 0;
  /** Values no longer retained (stale or over the budget) but maybe in use by a request: freed when none runs. */
  private readonly released: [string, Retained][] = [];
  private readonly memos = new Map<string, { stamp: string; value: unknown }>();
  /** The client watches the workspace's Cython files and tells us of changes (workspace/didChangeWatchedFiles). */
  private watched = false;
  /** The `file:` uris of files (`uriOf`). */
  private readonly uris = new Map<string, string>();

  constructor(private readonly options: WorkspaceIndexOptions) {}

  setRoots(roots: string[]): void {
    this.roots = [...new Set(roots.map((r) => path.resolve(r)))];
    this.files = undefined;
    this.listing = undefined;
    this.generation++;
  }

  /** Whether the client sends file events for the workspace's Cython files (then cached texts are not re-checked). */
  setWatched(watched: boolean): void {
    this.watched = watched;
  }

  private fresh(checkedAt: number, now: number): boolean {
    return checkedAt !== -Infinity && (this.watched || now - checkedAt < RECHECK_MS);
  }

  get rootDirs(): readonly string[] {
    return this.roots;
  }

  /** Whether a file lies inside one of the workspace folders (and not in a skipped directory such as .venv). */
  contains(file: string): boolean {
    const abs = path.resolve(file);
    return this.roots.some((r) => {
      const rel = path.relative(r, abs);
      if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
      return !rel.split(path.sep).slice(0, -1).some((d) => SKIPPED_DIRS.has(d));
    });
  }

  /** The Cython files of the workspace (listed on first use, then kept current by `changed`). */
  list(onProgress?: (count: number) => void): Promise<readonly string[]> {
    if (this.files) return Promise.resolve([...this.files]);
    if (!this.listing) {
      const generation = this.generation;
      this.listing = this.walk(onProgress).then((found) => {
        if (generation === this.generation) this.files = found;
        return found;
      });
    }
    return this.listing.then((s) => [...s]);
  }

  /** A file was created, changed or deleted on disk. */
  changed(file: string, kind: 'created' | 'changed' | 'deleted'): void {
    const abs = path.resolve(file);
    this.release(abs); // built again on its next use (a request that uses it now keeps it until it ends)
    if (kind === 'deleted') {
      this.files?.delete(abs);
      this.forgetText(abs);
      // a deleted directory: its files go too
      if (this.files) for (const f of [...this.files]) if (f.startsWith(abs + path.sep)) this.files.delete(f);
      return;
    }
    if (!CYTHON_EXTENSIONS.includes(path.extname(abs)) || !this.contains(abs)) return;
    this.files?.add(abs);
    if (kind === 'changed') this.forgetText(abs);
  }

  /** The file's text: the open document's, else the disk's (cached by modification time). */
  async text(file: string): Promise<string | undefined> {
    return this.entry(file).then((e) => e?.text);
  }

  /**
   * Data derived from a file's text (e.g. its outline), computed once per text. Open documents are not memoised
   * (their text changes per keystroke): `compute` runs each time.
   */
  async derived<T>(file: string, key: string, compute: (text: string) => T): Promise<T | undefined> {
    const open = this.options.openText(file);
    if (open !== undefined) return compute(open);
    const e = await this.entry(file);
    if (!e) return undefined;
    if (e.derived.has(key)) return e.derived.get(key) as T;
    const value = compute(e.text);
    e.derived.set(key, value);
    return value;
  }

  /** The workspace files whose text contains `word` as a whole word (open documents as they are now). */
  async filesMentioning(word: string, isCancelled: () => boolean = () => false): Promise<string[]> {
    const files = await this.list();
    const re = new RegExp(`(?<![\\w])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w])`);
    // a file on disk: the set of its words, made once per text; an open document: its text as it is now
    const mentions = (e: CachedText): boolean => (e.mtimeMs < 0 ? re.test(e.text) : wordsOf(e).has(word));
    const hit = new Array<boolean>(files.length).fill(false);
    // texts that need no disk access are looked at at once, the others read in parallel batches (the stats and
    // first reads go to the thread pool together)
    const now = performance.now();
    const unread: number[] = [];
    files.forEach((f, i) => {
      const e = this.knownEntry(f, now);
      if (e) hit[i] = mentions(e);
      else unread.push(i);
    });
    for (let i = 0; i < unread.length; i += 64) {
      if (isCancelled()) break;
      const batch = unread.slice(i, i + 64);
      const entries = await Promise.all(batch.map((j) => this.entry(files[j]!)));
      batch.forEach((j, k) => {
        const e = entries[k];
        if (e) hit[j] = mentions(e);
      });
    }
    return files.filter((_, i) => hit[i]);
  }

  /** The `file:` uri of a workspace file (memoised: a search converts the same paths again and again). */
  uriOf(file: string): string {
    let uri = this.uris.get(file);
    if (uri === undefined) {
      uri = pathToFileURL(file).toString();
      if (this.uris.size >= MAX_FILES) this.uris.clear();
      this.uris.set(file, uri);
    }
    return uri;
  }

  /**
   * A value built from a file on disk (a parsed tree and its model) kept between requests while the file's
   * modification time and `key` stay the same, within a budget of source bytes (least recently used go first,
   * `dispose` frees them). Undefined when the file cannot be read or `build` gives nothing.
   */
  retain<T>(file: string, key: string, build: (text: string) => { value: T; dispose(): void } | undefined):
    T | undefined {
    const now = performance.now();
    const recent = this.retained.get(file);
    if (recent && this.fresh(recent.checkedAt, now) && recent.stamp.endsWith(`:${key}`)) {
      this.retained.delete(file); // most recently used last
      this.retained.set(file, recent);
      return recent.value as T;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      this.release(file);
      return undefined;
    }
    const stamp = `${stat.mtimeMs}:${stat.size}:${key}`;
    const hit = this.retained.get(file);
    if (hit && hit.stamp === stamp) {
      hit.checkedAt = now;
      this.retained.delete(file); // most recently used last
      this.retained.set(file, hit);
      return hit.value as T;
    }
    // stale (another modification time, resolver generation or include dirs): replaced now; freed at once or, when a
    // request may still be using it, once the last request ends
    this.release(file);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const built = build(text);
    if (!built) return undefined;
    this.retained.set(file, { stamp, checkedAt: now, value: built.value, size: text.length, dispose: built.dispose });
    this.retainedBytes += text.length;
    this.trim();
    return built.value;
  }

  /** Whether something built from the file is kept (a request reading it is then quick). */
  isRetained(file: string): boolean {
    return this.retained.has(path.resolve(file));
  }

  /**
   * Whether `derived(file, key, ...)` answers without reading the disk: a value for the file's cached text, or an
   * open document (computed from its text on each call).
   */
  hasDerived(file: string, key: string): boolean {
    return this.options.openText(file) !== undefined || !!this.texts.get(path.resolve(file))?.derived.has(key);
  }

  /**
   * Marks a request that reads retained values: until the returned function is called, nothing retained is freed
   * (the budget may be exceeded meanwhile); then the least recently used go until the budget holds again.
   */
  hold(): () => void {
    this.holds++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.holds--;
      this.trim();
    };
  }

  private trim(): void {
    if (this.holds > 0) return;
    for (const [f, e] of this.released.splice(0)) this.free(f, e);
    for (const [f, e] of [...this.retained]) {
      if (this.retainedBytes <= RETAINED_BUDGET) break;
      this.release(f, e);
    }
  }

  private release(file: string, e: Retained | undefined = this.retained.get(file)): void {
    if (!e) return;
    this.retained.delete(file);
    this.retainedBytes -= e.size;
    if (this.holds > 0) {
      this.released.push([file, e]);
      return;
    }
    this.free(file, e);
  }

  private free(file: string, e: Retained): void {
    try {
      e.dispose();
    } catch (err) {
      this.options.log(`[warn] workspace index: freeing ${file}: ${String(err)}`);
    }
  }

  /** An open document was opened, edited or closed: what was derived from open documents is stale. */
  openChanged(): void {
    this.memos.clear();
  }

  /**
   * A value derived from open documents (e.g. what each name of an open document denotes), kept until any open
   * document changes or `stamp` differs; a few at most (least recently used go first).
   */
  memo<T>(id: string, stamp: string, make: () => T): T {
    const hit = this.memos.get(id);
    this.memos.delete(id);
    const value = hit && hit.stamp === stamp ? hit.value as T : make();
    this.memos.set(id, { stamp, value });
    for (const k of this.memos.keys()) {
      if (this.memos.size <= MAX_MEMOS) break;
      this.memos.delete(k);
    }
    return value;
  }

  /** Frees everything retained. */
  dispose(): void {
    for (const [f, e] of [...this.retained, ...this.released.splice(0)]) {
      this.retained.delete(f);
      this.free(f, e);
    }
    this.retainedBytes = 0;
    this.texts.clear();
    this.textBytes = 0;
    this.memos.clear();
  }

  /** The file's text when it needs no disk access: an open document's, or a cached text that is fresh. */
  private knownEntry(file: string, now: number): CachedText | undefined {
    const open = this.options.openText(file);
    if (open !== undefined) return { mtimeMs: -1, checkedAt: 0, text: open, derived: new Map() };
    const recent = this.texts.get(file);
    return recent && this.fresh(recent.checkedAt, now) ? recent : undefined;
  }

  private async entry(file: string): Promise<CachedText | undefined> {
    const now = performance.now();
    const known = this.knownEntry(file, now);
    if (known) return known;
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      this.forgetText(file);
      return undefined;
    }
    const cached = this.texts.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs) {
      cached.checkedAt = now;
      return cached;
    }
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
    let text: string;
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    this.forgetText(file);
    if (this.textBytes + text.length > TEXT_BUDGET) this.evict(text.length);
    const e: CachedText = { mtimeMs: stat.mtimeMs, checkedAt: now, text, derived: new Map() };
    this.texts.set(file, e);
    this.textBytes += text.length;
    return e;
  }

  private forgetText(file: string): void {
    const e = this.texts.get(file);
    if (!e) return;
    this.textBytes -= e.text.length;
    this.texts.delete(file);
  }

  /** Drops the oldest texts until `needed` more bytes fit (Map order is insertion order). */
  private evict(needed: number): void {
    for (const [f, e] of this.texts) {
      if (this.textBytes + needed <= TEXT_BUDGET) break;
      this.textBytes -= e.text.length;
      this.texts.delete(f);
    }
  }

  private async walk(onProgress?: (count: number) => void): Promise<Set<string>> {
    const found = new Set<string>();
    const queue = [...this.roots];
    while (queue.length && found.size < MAX_FILES) {
      const dir = queue.shift()!;
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (e.isDirectory()) {
          if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) queue.push(path.join(dir, e.name));
        } else if (e.isFile() && CYTHON_EXTENSIONS.includes(path.extname(e.name))) {
          found.add(path.join(dir, e.name));
        }
      }
      onProgress?.(found.size);
    }
    if (found.size >= MAX_FILES) this.options.log(`[warn] workspace index: stopped at ${MAX_FILES} Cython files`);
    return found;
  }
}
