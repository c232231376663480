/**
 * Incremental declarations: a keystroke that changes the interface (module-interface.ts) of one top-level function
 * (a C function's header, any function's name or decorators), or the members of one cdef class (its header unchanged),
 * collects that one statement again into the module's scope instead of rebuilding every declaration
 * (document-model.ts).
 *
 * Exact only when collecting the statement last gives what collecting it in its place did. The collector reads the
 * scope as the statements before it left it, and later statements read (or overwrite, or flag `alsoPython` on) what it
 * defined; so a patch is made only when
 * - the function's old and new names are named by no other statement's interface (nothing else looked them up,
 *   defined them or flagged them; before the statement their symbol was the companion .pxd's, or none);
 * - for a class: no other class statement names it (a derived class copies its members when collected), and its
 *   class object is refilled in place (declarations holding its type see the new members, as after a rebuild);
 * - every other name the statement's collection looks up is declared by no statement after it (it denotes what it
 *   denoted at the statement's place; a C function, a class or a def declares its name only, another statement any
 *   name it spells);
 * - the module has no include and no star import (their names are in no interface text).
 * Otherwise the declarations are rebuilt. Each patch lists the names it changed on the scope (Scope.patches): the
 * per-definition caches compare only those again (engine/definition-cache.ts).
 */
import type { ClassInfo, FunctionSignature } from './c-types';
import { MEMBER_SEPARATOR, RecordedMethods } from './recorded-methods';
import type { Scope } from './symbols';
import type { ModuleBase } from './module-model';
import type { ModuleInterface } from './module-interface';
import { recordingLookups } from './lookup-recording';
import { isPythonSourcePath } from './pure-python-mode';
import { type Node, field, significantChildren, undecorate } from './syntax';

const C_FUNCTIONS = new Set(['c_function_definition', 'c_function_declaration']);

/** Past this many patches of one base, the declarations are rebuilt (bounds the scope's list of patches). */
const PATCH_LIMIT = 500;

/**
 * What a top-level statement declares, as far as patches are concerned: a C function, a cdef class, a Python def
 * declare their name only (DeclarationCollector); other statements may declare any name they spell.
 */
interface Declared {
  kind: 'function' | 'class' | 'python' | 'other';
  name: string | undefined;
}

/** What the patches of one module base need across versions (kept by document-model.ts beside the base). */
export class PatchMemo {
  /** The identifiers of each interface part. */
  private readonly words = new Map<string, ReadonlySet<string>>();
  /** What each statement declares now, by index (read from the tree the base was built from, then patched). */
  private declarations: Declared[] | undefined;
  /** Name → indices of the statements that may declare it (or flag it `alsoPython`). */
  private declarers: Map<string, number[]> | undefined;
  private star: boolean | undefined;

  /** `baseRoot`: the root of the tree the base was built from (alive as long as the base). */
  constructor(private readonly baseRoot: Node) {}

  wordsOf(part: string): ReadonlySet<string> {
    let w = this.words.get(part);
    if (!w) {
      w = new Set(part.match(/[A-Za-z_][A-Za-z_0-9]*/g) ?? []);
      this.words.set(part, w);
    }
    return w;
  }

  declared(index: number): Declared | undefined {
    this.declarations ??= significantChildren(this.baseRoot).map(declaredBy);
    return this.declarations[index];
  }

  /** Whether a statement after `index` may declare `name` (`parts`: the interface, for statements of other kinds). */
  declaredAfter(name: string, index: number, parts: readonly string[]): boolean {
    if (!this.declarers) {
      this.declarers = new Map();
      for (let k = 0; k < parts.length; k++) {
        const d = this.declared(k);
        const names = d?.kind === 'other' ? this.wordsOf(parts[k] as string) : d?.name ? [d.name] : [];
        for (const n of names) {
          const at = this.declarers.get(n);
          if (at) at.push(k);
          else this.declarers.set(n, [k]);
        }
      }
    }
    const at = this.declarers.get(name);
    return at !== undefined && at.some((k) => k > index);
  }

  /** Statement `index` (a function or a class, never of kind 'other') declares `d` now. */
  setDeclared(index: number, d: Declared): void {
    const old = this.declared(index);
    if (this.declarers && old?.name !== d.name) {
      if (old?.name) {
        const at = this.declarers.get(old.name)?.filter((k) => k !== index);
        if (at?.length) this.declarers.set(old.name, at);
        else this.declarers.delete(old.name);
      }
      if (d.name) {
        const at = this.declarers.get(d.name) ?? [];
        at.push(index);
        this.declarers.set(d.name, at);
      }
    }
    this.declarations![index] = d;
  }

  /** A star import or cimport among the statements (the names it binds are in no interface text). */
  hasStarImport(parts: readonly string[]): boolean {
    this.star ??= parts.some((p) => (p.startsWith('cimport_from_statement\u0001') || p.startsWith('import_from_statement\u0001'))
      && p.includes('*'));
    return this.star;
  }
}

function declaredBy(s: Node): Declared {
  const def = undecorate(s);
  if (C_FUNCTIONS.has(def.type)) return { kind: 'function', name: field(def, 'name')?.text };
  if (def.type === 'cdef_class_definition') return { kind: 'class', name: field(def, 'name')?.text.split('.').pop()?.trim() };
  // a decorated class may be an extension type (`@cython.cclass`, pure-classes.ts): its body declares its layout
  if (def.type === 'class_definition' && def !== s) return { kind: 'other', name: undefined };
  // (a Python class may be a pure-mode cdef class, `@cython.cclass`, with members and a class object: not patched)
  if (def.type === 'function_definition') {
    const name = field(def, 'name');
    if (name?.type === 'identifier') return { kind: 'python', name: name.text };
  }
  return { kind: 'other', name: undefined };
}

/**
 * Patches `base` (built for the interface `from`) to the interface `to` of the tree under `root`, when they differ in
 * one statement that can be collected again alone (see above); false when the declarations must be rebuilt (the base
 * may then have been changed: it must not be used any more).
 */
export function patchDeclarations(base: ModuleBase, memo: PatchMemo, from: ModuleInterface, to: ModuleInterface,
  root: Node): boolean {
  if (from.parts.length !== to.parts.length || from.positions.length !== to.positions.length) return false;
  for (let k = 0; k < from.positions.length; k++) if (from.positions[k] !== to.positions[k]) return false;
  let index = -1;
  for (let k = 0; k < from.parts.length; k++) {
    if (from.parts[k] === to.parts[k]) continue;
    if (index >= 0) return false;
    index = k;
  }
  if (index < 0) return false;
  const scope = base.declarations.scope;
  if ((scope.patches?.length ?? 0) >= PATCH_LIMIT || isPythonSourcePath(base.uri) || base.declarations.includes.length > 0
    || base.includedFiles.length > 0 || memo.hasStarImport(from.parts)) return false;
  const statement = significantChildren(root)[index];
  const old = memo.declared(index);
  if (!statement || !old || old.kind === 'other' || !old.name) return false;
  const now = declaredBy(statement);
  if (now.kind !== old.kind || !now.name) return false;
  const parts = to.parts;
  const named = (name: string, k: number): boolean => memo.wordsOf(parts[k] as string).has(name);
  let changed: string[];
  let collect: () => void;
  if (now.kind !== 'class') {
    changed = old.name === now.name ? [now.name] : [old.name, now.name];
    for (let k = 0; k < parts.length; k++) if (k !== index && changed.some((n) => named(n, k))) return false;
    const companion = base.collector.ctx.companion;
    // a companion's class is copied into the module's scope (DeclarationCollector): not a pre-state to restore here
    if (changed.some((n) => companion?.symbols.get(n)?.kind === 'ext-class')) return false;
    collect = () => {
      // before the statement, its names were the companion .pxd's declarations (or nothing)
      for (const n of changed) {
        const declared = companion?.symbols.get(n);
        if (declared) scope.define(declared);
        else scope.symbols.delete(n);
      }
      base.collector.collectTopLevel(statement);
    };
  } else {
    if (old.name !== now.name || headerOf(from.parts[index] as string) !== headerOf(parts[index] as string)) return false;
    const name = now.name;
    const sym = scope.symbols.get(name);
    const cls = sym?.kind === 'ext-class' && sym.type.kind === 'py' ? sym.type.cls : undefined;
    if (!sym || !cls) return false;
    for (let k = 0; k < parts.length; k++) {
      if (k !== index && named(name, k) && (named('class', k) || named('cypclass', k))) return false;
    }
    const declared = base.collector.ctx.companion?.symbols.get(name);
    const pre = declared?.kind === 'ext-class' && declared.type.kind === 'py' ? declared.type.cls : undefined;
    // the class, and its methods (reads of them are recorded one by one: recorded-methods.ts), before and after
    const methodNames = (): string[] => [...Map.prototype.keys.call(cls.methods)] as string[];
    changed = [name, `${name}${MEMBER_SEPARATOR}*`, ...methodNames().map((m) => `${name}${MEMBER_SEPARATOR}${m}`)];
    collect = () => {
      refill(cls, pre, sym.location, scope);
      base.collector.collectTopLevel(statement);
      for (const m of methodNames()) {
        const member = `${name}${MEMBER_SEPARATOR}${m}`;
        if (!changed.includes(member)) changed.push(member);
      }
    };
  }
  const { names } = recordingLookups(scope, collect);
  // every other name it read denotes what it denoted at the statement's place: no later statement declares it
  for (const n of names) if (!changed.includes(n) && memo.declaredAfter(n, index, parts)) return false;
  (scope.patches ??= []).push(changed);
  memo.setDeclared(index, now);
  return true;
}

/** A class part's header (decorators, name, bases: module-interface.ts), without its members. */
function headerOf(part: string): string {
  const at = part.indexOf('\u0002');
  return at < 0 ? part : part.slice(0, at);
}

/**
 * Empties a cdef class object in place, back to what it is before its statement is collected: a copy of its
 * companion .pxd's class (DeclarationCollector copies those), or a class with no members declared at its name.
 */
function refill(cls: ClassInfo, pre: ClassInfo | undefined, location: ClassInfo['location'], scope: Scope): void {
  const name = cls.name;
  const target = cls as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) delete target[key];
  const methods = new RecordedMethods(scope, name, pre ? Map.prototype.entries.call(pre.methods) as Iterable<[string, FunctionSignature]> : undefined);
  if (pre) Object.assign(cls, { ...pre, attributes: new Map(pre.attributes), methods });
  else Object.assign(cls, { name, attributes: new Map(), methods, location });
}
