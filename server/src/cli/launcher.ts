/**
 * Entry point of dist/cli.js (`cython-lens`): a small script that loads the CLI's bundle (dist/cli-main.js, built
 * from main.ts) through V8's code cache, so a run does not compile the 1.8 MB bundle again (issue 15: the CLI starts
 * checking in <= 100 ms; compiling the bundle was ~60 ms of every run, the functions a check runs ~35 ms more).
 *
 * The cache is the bundle's compiled code as V8 serialises it after a run (the functions that run compiled too), in
 * the user's cache folder (`$XDG_CACHE_HOME` or `~/.cache`, `%LOCALAPPDATA%`, `~/Library/Caches`, then
 * `cython-lens/compile-cache/`), one file per installed bundle, Node version and architecture, stamped with the
 * bundle's size and modification time. It is rewritten when it is missing, stale or rejected by V8, or when this run
 * compiled more of the CLI than the run that wrote it (a `check --annotate` after a `--help`); files not used for 30
 * days are removed then. A cache that cannot be read or written (read-only home) only costs the compile.
 * `CYTHON_LENS_COMPILE_CACHE=0` turns it off; an absolute folder puts it there instead.
 *
 * Node 22's `module.enableCompileCache` does the same for modules it loads; Node 20 (our minimum) has no such API,
 * so the bundle is compiled here with `vm.Script` and its `cachedData`. The bundle has no `import()` (scripts/
 * bundle.mjs turns them into `require`), which a `vm.Script` could not run without a dynamic-import callback.
 */
import * as fs from 'node:fs';
import { createRequire, wrap } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** The bundle's exports the launcher calls (main.ts). */
interface CliBundle {
  start(workerScript: string): void;
}

/** The file name of the bundle beside this launcher. */
export const CLI_BUNDLE = 'cli-main.js';

/** How much of the CLI a run compiles: the cache written by a richer run is kept. */
export function coverageOf(argv: readonly string[]): number {
  const command = argv.find((a) => !a.startsWith('-'));
  if (command === 'report') return 3;
  if (command === 'check') return argv.some((a) => a === '--annotate' || a === '-a') ? 3 : 2;
  if (command === 'parse' || command === 'lsp') return 1;
  return 0;
}

/** The folder of the compile cache; undefined when there is no home to put it in. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env['CYTHON_LENS_COMPILE_CACHE'];
  if (given === '0') return undefined;
  if (given && path.isAbsolute(given)) return given;
  const home = os.homedir();
  const base = env['XDG_CACHE_HOME'] || (process.platform === 'win32' ? env['LOCALAPPDATA']
    : process.platform === 'darwin' && home ? path.join(home, 'Library', 'Caches') : undefined)
    || (home ? path.join(home, '.cache') : undefined);
  return base ? path.join(base, 'cython-lens', 'compile-cache') : undefined;
}

/**
 * The cache file's header: what it was made from (a line of text before V8's data) and the data's checksum: V8 checks
 * only the data's length and versions, and a damaged cache would crash it (a fatal error, not an exception).
 */
interface CacheStamp {
  bundle: string;
  coverage: number;
  checksum: string;
}

/**
 * A checksum of the cache's data, against damage (not tampering: the cache is the user's own file): CRC-32 and the
 * length (zlib.crc32, Node >= 20.15: ~1 ms for 0.9 MB with zlib's load; node:crypto's load alone cost ~15 ms of
 * every start), SHA-256 on older Node.
 */
function checksum(data: Uint8Array): string {
  const zlib = require('node:zlib') as typeof import('node:zlib') & { crc32?: (d: Uint8Array) => number };
  if (typeof zlib.crc32 === 'function') return `crc32:${data.length}:${zlib.crc32(data).toString(16)}`;
  const crypto = require('node:crypto') as typeof import('node:crypto');
  return `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`;
}

function readCache(file: string, bundleStamp: string): { data: Buffer; coverage: number } | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const eol = bytes.indexOf(10);
  if (eol < 0) return undefined;
  try {
    const stamp = JSON.parse(bytes.subarray(0, eol).toString('utf8')) as CacheStamp;
    const data = bytes.subarray(eol + 1);
    if (stamp.bundle !== bundleStamp || stamp.checksum !== checksum(data)) return undefined;
    return { data, coverage: stamp.coverage };
  } catch {
    return undefined;
  }
}

function writeCache(file: string, stamp: Omit<CacheStamp, 'checksum'>, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const header: CacheStamp = { ...stamp, checksum: checksum(data) };
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), data]));
    fs.renameSync(tmp, file); // whole or not at all for a run starting meanwhile
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing to clean up
    }
  }
}

/** A short hash of a path (which installed bundle a cache file belongs to). */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

const STALE_MS = 30 * 24 * 3600 * 1000;

/** Removes the cache files of other bundles (or Node versions) not used for 30 days. */
function pruneCaches(dir: string, keep: string): void {
  try {
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      if (file === keep || !/^cli-.*\.bin$/.test(name)) continue;
      const st = fs.statSync(file);
      if (Date.now() - Math.max(st.mtimeMs, st.atimeMs) > STALE_MS) fs.rmSync(file, { force: true });
    }
  } catch {
    // another run pruned it, or the folder is not ours to change
  }
}

/** Loads and starts the bundle; `self`: this launcher (what worker threads run). */
export function launch(self: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const bundle = path.join(path.dirname(self), CLI_BUNDLE);
  const source = fs.readFileSync(bundle, 'utf8');
  const dir = compileCacheDir(env);
  let cacheFile: string | undefined;
  let bundleStamp = '';
  let cached: { data: Buffer; coverage: number } | undefined;
  if (dir) {
    const st = fs.statSync(bundle);
    bundleStamp = `${source.length}:${st.size}:${st.mtimeMs}:${path.resolve(bundle)}`;
    cacheFile = path.join(dir, `cli-${process.version}-${process.arch}-${fnv1a(path.resolve(bundle))}.bin`);
    cached = readCache(cacheFile, bundleStamp);
  }
  const script = new vm.Script(wrap(source), { filename: bundle, ...(cached ? { cachedData: cached.data } : {}) });
  const coverage = coverageOf(argv);
  if (cacheFile && (!cached || script.cachedDataRejected === true || coverage > cached.coverage)) {
    const file = cacheFile;
    // after the run: the functions it compiled are in the cache too (written by the main thread only)
    process.once('exit', () => {
      if (!isMainThread()) return;
      writeCache(file, { bundle: bundleStamp, coverage }, script.createCachedData());
      pruneCaches(path.dirname(file), file);
    });
  }
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  const mod = { exports: {} as Partial<CliBundle> };
  run.call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, path.dirname(bundle));
  if (typeof mod.exports.start !== 'function') throw new Error(`${bundle}: not the CLI bundle`);
  mod.exports.start(self);
}

function isMainThread(): boolean {
  // loaded only when a cache is written (worker_threads costs a few ms of every start)
  return (require('node:worker_threads') as typeof import('node:worker_threads')).isMainThread;
}

if (require.main === module) launch(__filename, process.argv.slice(2));
