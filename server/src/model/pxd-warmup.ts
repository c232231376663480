/**
 * Warming a resolver's .pxd cache ahead of an open: the cimports of a workspace file are read from its text (a
 * guess by regular expressions, not a parse) and done against the resolver its documents will use, as the analysis
 * of the file would do them: the module located and loaded, the names a `from x cimport a, b` takes looked up (which
 * collects their units of a lazily split .pxd), a star cimport and a .pyx's own .pxd enumerated, the names used as
 * `alias.name` after a `cimport x as alias` looked up. Nothing here decides a result: a later analysis finds the
 * same modules in the cache (a .pxd's declarations do not depend on the order their names are looked up in; the
 * lazy-pxd tests check that), and what the guess misses or over-reads is only collected on demand or in vain.
 *
 * The work is cut into steps (one cimport statement each) that the caller runs in idle time, one at a time. Before a
 * .pxd is loaded, the cimports of its own text are warmed first, in steps of their own (leaves first), so that a step
 * does one module's own collection rather than a cascade of the modules it cimports.
 */
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { PxdResolver } from './pxd-resolver';
import type { Symbol } from './symbols';

export interface GuessedCimport {
  /** The dotted module as written, without leading dots. */
  module: string;
  level: number;
  /** The names looked up in it; `all`: a star cimport (the module enumerated). */
  names: string[] | 'all';
}

const MAX_NAMES = 200;
/** Larger .pxd files are not read for their cimports (the resolver does not read them either). */
const MAX_PXD_BYTES = 8 * 1024 * 1024;
/** Symbols whose (lazily read) signatures one step reads, at most. */
const SYMBOLS_PER_STEP = 64;
const FROM_CIMPORT = /^[ \t]*(?:cdef[ \t]+extern[^\n]*\n)?[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+cimport[ \t]+(\([^)]*\)|(?:[^\n\\]|\\\n)*)/gm;
const PLAIN_CIMPORT = /^[ \t]*cimport[ \t]+((?:[^\n\\]|\\\n)*)/gm;

/** The cimports a text seems to make (comments and strings are not told apart: a guess for warming only). */
export function guessCimports(text: string): GuessedCimport[] {
  const out: GuessedCimport[] = [];
  for (const m of text.matchAll(FROM_CIMPORT)) {
    const list = m[3]!.replace(/^\(|\)$/g, '').replace(/#[^\n]*/g, '').replace(/\\\n/g, ' ');
    const names: string[] = [];
    let all = false;
    for (const item of list.split(',')) {
      const name = item.trim().split(/\s+/)[0];
      if (name === '*') all = true;
      else if (name && /^[A-Za-z_]\w*$/.test(name)) names.push(name);
    }
    out.push({ module: m[2]!, level: m[1]!.length, names: all ? 'all' : names });
  }
  for (const m of text.matchAll(PLAIN_CIMPORT)) {
    const list = m[1]!.replace(/#[^\n]*/g, '').replace(/\\\n/g, ' ');
    for (const item of list.split(',')) {
      const words = item.trim().split(/\s+/);
      const module = words[0];
      if (!module || !/^[A-Za-z_][\w.]*$/.test(module)) continue;
      const bound = words[1] === 'as' && words[2] ? words[2] : module;
      out.push({ module, level: 0, names: usedAttributes(text, bound) });
    }
  }
  return out;
}

/** The names read as `bound.name` in the text (`cnp.float64_t`), at most MAX_NAMES. */
function usedAttributes(text: string, bound: string): string[] {
  const names = new Set<string>();
  const re = new RegExp(`(?<![\\w.])${bound.replace(/\./g, '\\.')}\\.([A-Za-z_]\\w*)`, 'g');
  for (const m of text.matchAll(re)) {
    names.add(m[1]!);
    if (names.size >= MAX_NAMES) break;
  }
  return [...names];
}

/** One workspace file to warm for: its path, its text and the resolver its documents use. */
export interface WarmupFile {
  file: string;
  text: string;
  resolver: PxdResolver;
}

/** Steps of a warm-up over files, one cimport statement (or one own .pxd) a step. */
export class PxdWarmup {
  private readonly steps: (() => void)[] = [];
  private next = 0;
  /** Modules loaded and names looked up so far (for the log and the bench). */
  readonly done = { steps: 0, modules: new Set<string>() };
  /** .pxd files whose own cimports were put before their load, per resolver */
  private readonly planned = new Map<PxdResolver, Set<string>>();

  add(target: WarmupFile): void {
    const uri = pathToFileURL(target.file).toString();
    const { resolver } = target;
    if (target.file.endsWith('.pyx')) {
      // a .pyx's own .pxd is enumerated when its module is built (declarations.ts)
      const ownFile = target.file.slice(0, -4) + '.pxd';
      const ownStep = (): void => {
        if (this.dependenciesFirst(resolver, ownFile, ownStep)) return;
        const own = resolver.companionOf(uri);
        if (!own) return;
        this.done.modules.add(own.uri);
        this.read([...own.symbols.values()]); // enumerates a lazily split .pxd
      };
      this.steps.push(ownStep);
    }
    for (const c of guessCimports(target.text)) this.steps.push(this.cimportStep(resolver, uri, c, target.text));
  }

  /**
   * The step of one cimport; `text` is the cimporting file's. A name `from m cimport name` does not find in m (or m
   * not found: `from . cimport sibling`) is a module of its own, as the analysis binds it (cimport-binder.ts): warmed
   * in a step of its own, with the names the text reads as `name.attr` (`submodule`: no further level).
   */
  private cimportStep(resolver: PxdResolver, uri: string, c: GuessedCimport, text: string, submodule = false): () => void {
    const step = (): void => {
      const file = resolver.locate(c.module, c.level, uri);
      if (file && this.dependenciesFirst(resolver, file, step)) return;
      const mod = file ? resolver.load(file) : undefined;
      if (mod) this.done.modules.add(mod.uri);
      if (c.names === 'all') {
        if (mod) this.read([...mod.symbols.values()]);
        return;
      }
      const found: Symbol[] = [];
      const modules: GuessedCimport[] = [];
      for (const name of c.names) {
        const sym = mod?.symbols.get(name);
        if (sym) found.push(sym);
        else if (!submodule) {
          modules.push({ module: c.module ? `${c.module}.${name}` : name, level: c.level, names: usedAttributes(text, name) });
        }
      }
      this.read(found);
      this.steps.splice(this.next, 0, ...modules.map((m) => this.cimportStep(resolver, uri, m, text, true)));
    };
    return step;
  }

  /**
   * Before `file` is loaded the first time, the cimports of its text are put first as steps of their own, then
   * `again` (the step that asked); whether it did so (the asking step then ends).
   */
  private dependenciesFirst(resolver: PxdResolver, file: string, again: () => void): boolean {
    if (resolver.isLoaded(file)) return false;
    let planned = this.planned.get(resolver);
    if (!planned) this.planned.set(resolver, (planned = new Set()));
    if (planned.has(file)) return false;
    planned.add(file);
    let text: string;
    try {
      if (fs.statSync(file).size > MAX_PXD_BYTES) return false;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return false; // not there: the step finds so itself
    }
    const uri = pathToFileURL(file).toString();
    const deps = guessCimports(text).map((c) => this.cimportStep(resolver, uri, c, text));
    if (!deps.length) return false;
    this.steps.splice(this.next, 0, ...deps, again);
    return true;
  }

  /**
   * The next steps read the symbols' types and signatures, which a .pxd collected in one pass reads on first use
   * (lazy-signatures.ts: against the scope as it was at the declaration, so whenever they are read they are the same).
   */
  private read(symbols: Symbol[]): void {
    const chunks: (() => void)[] = [];
    for (let i = 0; i < symbols.length; i += SYMBOLS_PER_STEP) {
      const chunk = symbols.slice(i, i + SYMBOLS_PER_STEP);
      chunks.push(() => {
        for (const sym of chunk) {
          void sym.type;
          void sym.signature;
        }
      });
    }
    this.steps.splice(this.next, 0, ...chunks);
  }

  get remaining(): number {
    return this.steps.length - this.next;
  }

  /** Runs one step; false when none was left. A step that throws is skipped (warming decides nothing). */
  step(): boolean {
    const s = this.steps[this.next];
    if (!s) return false;
    this.next++;
    this.done.steps++;
    try {
      s();
    } catch {
      // the analysis meets the same input later and reports it there
    }
    return true;
  }
}
