/**
 * Which names are scipy's BLAS/LAPACK routines: a symbol cimported from `scipy.linalg.cython_lapack` /
 * `cython_blas` (resolved or not), or an attribute of such a cimported module. The routine database is the
 * session's (opened lazily, once per session); a missing database only disables the routine features.
 */
import { type AnalysisSession, SessionSlot } from '../model/analysis-session';
import { LAPACK_DB_RELATIVE_PATH, LapackDatabase, findDatabaseFile, type LapackModule, type LapackRoutine } from './database';
import type { Symbol } from '../model/symbols';

const MODULE_NAME = /^(?:scipy\.linalg\.|\.+(?:linalg\.)?)?(cython_lapack|cython_blas)$/;

/** `scipy.linalg.cython_lapack` → `cython_lapack`; also relative spellings used inside scipy. */
export function lapackModuleOf(moduleName: string): LapackModule | undefined {
  const m = MODULE_NAME.exec(moduleName.replace(/\s+/g, ''));
  return m ? (m[1] as LapackModule) : undefined;
}

/** The routine database of a session, opened on first use (null: its file is missing). */
const DATABASE = new SessionSlot('LAPACK routine database', (): LapackDatabase | null => {
  const file = findDatabaseFile();
  return file === undefined ? null : new LapackDatabase(file);
});

/** The session's routine database, or undefined when its file is missing. */
export function lapackDatabase(session: AnalysisSession): LapackDatabase | undefined {
  return session.slot(DATABASE) ?? undefined;
}

/**
 * Why the session's routine database cannot be used (its file is missing: a dist/ copied without data/; or it cannot
 * be read), in one sentence; undefined when it can. Decided once per session (by loading it, as its first use would).
 */
const PROBLEM = new SessionSlot('LAPACK routine database problem', (session): { message: string | undefined } => {
  const off = 'lapack-* diagnostics and BLAS/LAPACK hovers are off';
  const db = lapackDatabase(session);
  if (!db) {
    return { message: `Cython Lens: the BLAS/LAPACK routine database (${LAPACK_DB_RELATIVE_PATH}) was not found in ${__dirname} `
      + `or a folder above it: ${off} (install data/ beside dist/, or reinstall Cython Lens).` };
  }
  try {
    db.load();
    return { message: undefined };
  } catch (err) {
    return { message: `Cython Lens: the BLAS/LAPACK routine database cannot be used (${err instanceof Error ? err.message : String(err)}): ${off}.` };
  }
});

/** Why the session's routine database cannot be used, or undefined when it can. */
export function lapackDatabaseProblem(session: AnalysisSession): string | undefined {
  return session.slot(PROBLEM).message;
}

/** Starts reading the session's database in the background (a server calls this once, after initialize). */
export function warmLapackDatabase(session: AnalysisSession, log?: (message: string) => void): void {
  const db = lapackDatabase(session);
  if (!db) {
    log?.('[lapack] routine database not found: BLAS/LAPACK hovers are off');
    return;
  }
  db.loadAsync().catch((err: unknown) => log?.(`[lapack] ${err instanceof Error ? err.message : String(err)}`));
}

/** A routine by name within a module; undefined when unknown or the database is missing or unreadable. */
export function lookupRoutine(db: LapackDatabase | undefined, name: string, module: LapackModule): LapackRoutine | undefined {
  try {
    return db?.lookup(name, module);
  } catch {
    return undefined;
  }
}

/** The typedefs of scipy's pxd (`d` → `double`), or {} when the database is missing or unreadable. */
export function lapackTypedefs(db: LapackDatabase | undefined): Readonly<Record<string, string>> {
  try {
    return db?.typedefs ?? {};
  } catch {
    return {};
  }
}

/** The module a symbol's origin names (`cimported from X`, `cimported from unresolved X`, `cimport X`). */
function originModule(sym: Symbol): string | undefined {
  const m = /^(?:cimported from (?:unresolved )?|cimport )(\S+)$/.exec(sym.origin ?? '');
  return m ? m[1] : undefined;
}

/** The module of a name bound by `from scipy.linalg.cython_lapack cimport dgelss [as x]`. */
function lapackModuleOfName(sym: Symbol): LapackModule | undefined {
  if (sym.kind === 'cimported-module') return undefined;
  const mod = originModule(sym);
  return mod && /^cimported from/.test(sym.origin ?? '') ? lapackModuleOf(mod) : undefined;
}

/** The module a cimported module's name denotes, when it is `cython_lapack` / `cython_blas`. */
function lapackModuleOfModule(moduleSym: Symbol): LapackModule | undefined {
  if (moduleSym.kind !== 'cimported-module' && moduleSym.kind !== 'unresolved') return undefined;
  const mod = originModule(moduleSym);
  if (!mod) return undefined;
  // `cimport scipy.linalg.cython_lapack as L` / `from scipy.linalg cimport cython_lapack` (resolved or not)
  const candidates = [moduleSym.module?.name,
    /^cimport /.test(moduleSym.origin ?? '') ? mod : `${mod}.${moduleSym.name}`];
  return candidates.map((c) => (c ? lapackModuleOf(c) : undefined)).find((m) => m !== undefined);
}

/** The routine a name bound by `from scipy.linalg.cython_lapack cimport dgelss [as x]` denotes. */
export function routineOfSymbol(db: LapackDatabase | undefined, sym: Symbol | undefined): LapackRoutine | undefined {
  const lapack = sym ? lapackModuleOfName(sym) : undefined;
  if (!sym || !lapack) return undefined;
  return lookupRoutine(db, sym.signature?.name ?? sym.name, lapack);
}

/** The routine `mod.attr` denotes when `mod` is `cython_lapack` / `cython_blas` cimported as a module. */
export function routineOfModuleAttribute(db: LapackDatabase | undefined, moduleSym: Symbol | undefined, attr: string):
  LapackRoutine | undefined {
  const lapack = moduleSym ? lapackModuleOfModule(moduleSym) : undefined;
  return lapack ? lookupRoutine(db, attr, lapack) : undefined;
}

/** Whether a module binds a name of `cython_lapack` / `cython_blas` (a routine, or the module itself). */
export function bindsLapackNames(symbols: Iterable<Symbol>): boolean {
  for (const sym of symbols) if (lapackModuleOfName(sym) || lapackModuleOfModule(sym)) return true;
  return false;
}
