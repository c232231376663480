/**
 * Which names are scipy's BLAS/LAPACK routines: a symbol cimported from `scipy.linalg.cython_lapack` /
 * `cython_blas` (resolved or not), or an attribute of such a cimported module. The routine database is opened
 * lazily and shared; a missing database only disables the routine features.
 */
import { openDatabase, type LapackDatabase, type LapackModule, type LapackRoutine } from './database';
import type { Symbol } from '../model/symbols';

const MODULE_NAME = /^(?:scipy\.linalg\.|\.+(?:linalg\.)?)?(cython_lapack|cython_blas)$/;

/** `scipy.linalg.cython_lapack` → `cython_lapack`; also relative spellings used inside scipy. */
export function lapackModuleOf(moduleName: string): LapackModule | undefined {
  const m = MODULE_NAME.exec(moduleName.replace(/\s+/g, ''));
  return m ? (m[1] as LapackModule) : undefined;
}

let database: LapackDatabase | null | undefined;

/** The shared routine database, or undefined when its file is missing. */
export function lapackDatabase(): LapackDatabase | undefined {
  if (database === undefined) {
    try {
      database = openDatabase();
    } catch {
      database = null;
    }
  }
  return database ?? undefined;
}

/** Starts reading the database in the background (a server calls this once at start-up). */
export function warmLapackDatabase(log?: (message: string) => void): void {
  const db = lapackDatabase();
  if (!db) {
    log?.('[lapack] routine database not found: BLAS/LAPACK hovers are off');
    return;
  }
  db.loadAsync().catch((err: unknown) => log?.(`[lapack] ${err instanceof Error ? err.message : String(err)}`));
}

/** A routine by name within a module; undefined when unknown or the database is unreadable. */
export function lookupRoutine(name: string, module: LapackModule): LapackRoutine | undefined {
  try {
    return lapackDatabase()?.lookup(name, module);
  } catch {
    return undefined;
  }
}

/** The typedefs of scipy's pxd (`d` → `double`), or {} when the database is unreadable. */
export function lapackTypedefs(): Readonly<Record<string, string>> {
  try {
    return lapackDatabase()?.typedefs ?? {};
  } catch {
    return {};
  }
}

/** The module a symbol's origin names (`cimported from X`, `cimported from unresolved X`, `cimport X`). */
function originModule(sym: Symbol): string | undefined {
  const m = /^(?:cimported from (?:unresolved )?|cimport )(\S+)$/.exec(sym.origin ?? '');
  return m ? m[1] : undefined;
}

/** The routine a name bound by `from scipy.linalg.cython_lapack cimport dgelss [as x]` denotes. */
export function routineOfSymbol(sym: Symbol | undefined): LapackRoutine | undefined {
  if (!sym || sym.kind === 'cimported-module') return undefined;
  const mod = originModule(sym);
  const lapack = mod && /^cimported from/.test(sym.origin ?? '') ? lapackModuleOf(mod) : undefined;
  if (!lapack) return undefined;
  return lookupRoutine(sym.signature?.name ?? sym.name, lapack);
}

/** The routine `mod.attr` denotes when `mod` is `cython_lapack` / `cython_blas` cimported as a module. */
export function routineOfModuleAttribute(moduleSym: Symbol | undefined, attr: string): LapackRoutine | undefined {
  if (!moduleSym || (moduleSym.kind !== 'cimported-module' && moduleSym.kind !== 'unresolved')) return undefined;
  const mod = originModule(moduleSym);
  if (!mod) return undefined;
  // `cimport scipy.linalg.cython_lapack as L` / `from scipy.linalg cimport cython_lapack` (resolved or not)
  const candidates = [moduleSym.module?.name,
    /^cimport /.test(moduleSym.origin ?? '') ? mod : `${mod}.${moduleSym.name}`];
  const lapack = candidates.map((c) => (c ? lapackModuleOf(c) : undefined)).find((m) => m !== undefined);
  return lapack ? lookupRoutine(attr, lapack) : undefined;
}
