/**
 * The BLAS/LAPACK routine database (data/lapack/routines.json.gz, built by scripts/build-lapack-db.py from the
 * pinned scipy's cython_lapack.pxd / cython_blas.pxd and LAPACK's Fortran sources).
 *
 * Loaded lazily: nothing is read until the first lookup; the parsed database is cached per file.
 * Depends only on Node's fs/path/zlib (zlib loaded on first read: it costs a few ms of the CLI's start-up).
 */
import * as fs from 'fs';
import * as path from 'path';

function zlib(): typeof import('zlib') {
  return require('zlib') as typeof import('zlib');
}

export const LAPACK_DB_SCHEMA = 1;
export const LAPACK_DB_RELATIVE_PATH = path.join('data', 'lapack', 'routines.json.gz');

export type LapackModule = 'cython_lapack' | 'cython_blas';
export type Intent = 'in' | 'out' | 'in,out';
export type WorkspaceRuleKind = 'minimum' | 'optimal' | 'sufficient';

export interface LapackParam {
  /** Name as scipy spells it (`lambda_`, `in_`, `type_bn`, ...). */
  readonly name: string;
  /** C type as scipy declares it, e.g. `d *`, `int *`, `cselect1 *`. */
  readonly type: string;
  /** The documented (Fortran) name, upper case; absent when LAPACK documents no such argument. */
  readonly fortranName?: string;
  readonly intent?: Intent;
  /** Documentation text, Doxygen markup removed, line layout kept. */
  readonly doc?: string;
}

export interface WorkspaceRule {
  /** `lwork`, `liwork` or `lrwork` (normalised name). */
  readonly param: string;
  /** The formula as stated, e.g. `3*min(M,N) + max( 2*min(M,N), max(M,N), NRHS )`. */
  readonly expr: string;
  /** Lower-cased names the formula refers to. */
  readonly names: readonly string[];
  readonly kind: WorkspaceRuleKind;
  /** Stated under a condition (`If JOBZ = 'V', ...`): one of several alternatives. */
  readonly conditional: boolean;
  /** The condition's text when it could be isolated (`JOBZ = 'V' and N > 1`). */
  readonly condition?: string;
  /** False when the prose continues the formula in a form we could not read (`2*N*lg N`). */
  readonly exact: boolean;
  /** The sentence stating the rule. */
  readonly text: string;
}

export interface WorkspaceDefinition {
  readonly name: string;
  readonly expr: string;
  readonly names: readonly string[];
}

export interface WorkspaceArray {
  readonly param: string;
  readonly dimension: string;
}

export interface WorkspaceInfo {
  readonly rules: readonly WorkspaceRule[];
  /** Local names defined in the docs (`Let mx = max(M,N) and mn = min(M,N).`). */
  readonly definitions: readonly WorkspaceDefinition[];
  /** Size parameters (scipy names) for which the value -1 is a workspace query. */
  readonly query: readonly string[];
  /** The subset of `query` the documentation states (the rest is read from the code: `LWORK.EQ.-1`). */
  readonly queryDocumented: readonly string[];
  /** Declared dimensions of WORK / IWORK / RWORK arrays. */
  readonly arrays: readonly WorkspaceArray[];
}

export interface LapackRoutine {
  readonly name: string;
  readonly module: LapackModule;
  /** C return type as scipy spells it (`void`, `d`, `int`, `bint`, ...). */
  readonly returns: string;
  /** The declaration as scipy writes it, without `cdef `: `void dgelss(int *m, ...) noexcept nogil`. */
  readonly decl: string;
  /** One line: LAPACK's `\brief`, or the first sentence of the Purpose section. */
  readonly summary: string;
  /** The Purpose section. */
  readonly purpose: string;
  /** Source file inside the LAPACK tree, e.g. `SRC/dgelss.f`, `BLAS/SRC/dnrm2.f90`. */
  readonly source: string;
  /** netlib explore-html page of the source file. */
  readonly url: string;
  readonly params: readonly LapackParam[];
  readonly workspace?: WorkspaceInfo;
}

export interface LapackDatabaseData {
  readonly schema: number;
  readonly scipyVersion: string;
  readonly lapackVersion: string;
  /** `d` → `double`, `z` → `double complex`, possibly `blas_int` → `int` / `int64_t`. */
  readonly typedefs: Readonly<Record<string, string>>;
  /** Callback types (`cselect1` → `bint (c*)`). */
  readonly callbacks: Readonly<Record<string, string>>;
  readonly routines: Readonly<Record<string, LapackRoutine>>;
}

export class LapackDatabaseError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validate(raw: unknown, file: string): LapackDatabaseData {
  if (!isRecord(raw)) throw new LapackDatabaseError(`${file}: not a JSON object`);
  if (raw.schema !== LAPACK_DB_SCHEMA) {
    throw new LapackDatabaseError(`${file}: schema ${String(raw.schema)}, expected ${LAPACK_DB_SCHEMA}`);
  }
  if (typeof raw.scipyVersion !== 'string' || typeof raw.lapackVersion !== 'string') {
    throw new LapackDatabaseError(`${file}: missing scipyVersion / lapackVersion`);
  }
  if (!isRecord(raw.typedefs) || !isRecord(raw.callbacks) || !isRecord(raw.routines)) {
    throw new LapackDatabaseError(`${file}: missing typedefs / callbacks / routines`);
  }
  for (const [name, r] of Object.entries(raw.routines)) {
    if (!isRecord(r) || r.name !== name || typeof r.decl !== 'string' || !Array.isArray(r.params)
      || (r.module !== 'cython_lapack' && r.module !== 'cython_blas')) {
      throw new LapackDatabaseError(`${file}: malformed routine ${name}`);
    }
  }
  return raw as unknown as LapackDatabaseData;
}

/** Walks up from `start` looking for data/lapack/routines.json.gz (works from out/…, dist/ and the sources). */
export function findDatabaseFile(start: string = __dirname): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, LAPACK_DB_RELATIVE_PATH);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Normalises a routine name as written in code (`dgelss`, `DGELSS`, `cython_lapack.dgelss`). */
export function normaliseRoutineName(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot >= 0 ? name.slice(dot + 1) : name).trim().toLowerCase();
}

/** scipy's renames of keyword / typedef clashes: `lambda_` → `lambda`, `type_bn` → `type`, `d_` → `d`. */
export function normaliseParamName(name: string): string {
  let n = name.toLowerCase();
  if (n.endsWith('_bn')) n = n.slice(0, -3);
  return n.replace(/_+$/, '');
}

export class LapackDatabase {
  private data: LapackDatabaseData | undefined;
  private pending: Promise<LapackDatabaseData> | undefined;
  private byModule: Map<LapackModule, LapackRoutine[]> | undefined;

  constructor(readonly file: string) {}

  /** Whether the file has been read yet. */
  get loaded(): boolean {
    return this.data !== undefined;
  }

  /** Reads, decompresses and validates the database on first use; later calls return the cached object. */
  load(): LapackDatabaseData {
    if (this.data === undefined) {
      let text: string;
      try {
        text = zlib().gunzipSync(fs.readFileSync(this.file)).toString('utf8');
      } catch (err) {
        throw new LapackDatabaseError(`cannot read ${this.file}: ${(err as Error).message}`);
      }
      this.data = validate(JSON.parse(text) as unknown, this.file);
    }
    return this.data;
  }

  /**
   * Reads and decompresses off the main thread (JSON parsing stays synchronous); lets a server warm the cache at
   * start-up. Later `load()` calls return the same object.
   */
  loadAsync(): Promise<LapackDatabaseData> {
    if (this.data !== undefined) return Promise.resolve(this.data);
    if (this.pending === undefined) {
      this.pending = fs.promises.readFile(this.file)
        .then((buf) => new Promise<Buffer>((resolve, reject) =>
          zlib().gunzip(buf, (err, out) => (err ? reject(err) : resolve(out)))))
        .then((out) => {
          if (this.data === undefined) this.data = validate(JSON.parse(out.toString('utf8')) as unknown, this.file);
          return this.data;
        }, (err: unknown) => {
          this.pending = undefined;
          throw new LapackDatabaseError(`cannot read ${this.file}: ${(err as Error).message}`);
        });
    }
    return this.pending;
  }

  /** A routine by name (any case, optionally dotted); with `module`, only if it belongs to that module. */
  lookup(name: string, module?: LapackModule): LapackRoutine | undefined {
    const routines = this.load().routines;
    const key = normaliseRoutineName(name);
    if (!Object.prototype.hasOwnProperty.call(routines, key)) return undefined;
    const r = routines[key];
    return module === undefined || r.module === module ? r : undefined;
  }

  /** All routines, or those of one module, sorted by name. */
  routines(module?: LapackModule): readonly LapackRoutine[] {
    const data = this.load();
    if (this.byModule === undefined) {
      const map = new Map<LapackModule, LapackRoutine[]>([['cython_lapack', []], ['cython_blas', []]]);
      for (const name of Object.keys(data.routines).sort()) {
        const r = data.routines[name];
        map.get(r.module)?.push(r);
      }
      this.byModule = map;
    }
    if (module !== undefined) return this.byModule.get(module) ?? [];
    return [...(this.byModule.get('cython_lapack') ?? []), ...(this.byModule.get('cython_blas') ?? [])]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get typedefs(): Readonly<Record<string, string>> {
    return this.load().typedefs;
  }

  get callbacks(): Readonly<Record<string, string>> {
    return this.load().callbacks;
  }

  get scipyVersion(): string {
    return this.load().scipyVersion;
  }

  get lapackVersion(): string {
    return this.load().lapackVersion;
  }
}

const cache = new Map<string, LapackDatabase>();

/** The database for a file (default: found by walking up from this module); one instance per file. */
export function openDatabase(file?: string): LapackDatabase {
  const resolved = file ?? findDatabaseFile();
  if (resolved === undefined) {
    throw new LapackDatabaseError(`${LAPACK_DB_RELATIVE_PATH} not found above ${__dirname}`);
  }
  const key = path.resolve(resolved);
  let db = cache.get(key);
  if (db === undefined) {
    db = new LapackDatabase(key);
    cache.set(key, db);
  }
  return db;
}

/** Looks a routine up in the default database (loaded on first call). */
export function lookup(name: string, module?: LapackModule): LapackRoutine | undefined {
  return openDatabase().lookup(name, module);
}
