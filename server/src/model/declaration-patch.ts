/**
 * Incremental declarations: a keystroke that changes the interface (module-interface.ts) of one top-level function
 * (a C function's header, any function's name or decorators), the members or the bases of one cdef class, or the name
 * of a cdef class,
 * collects that one statement again into the module's scope instead of rebuilding every declaration
 * (document-model.ts).
 *
 * Exact only when collecting the statement last gives what collecting it in its place did. The collector reads the
 * scope as the statements before it left it, and later statements read (or overwrite, or flag `alsoPython` on) what it
 * defined; so a patch is made only when
 * - the function's old and new names are named by no other statement's interface (nothing else looked them up,
 *   defined them or flagged them; before the statement their symbol was the companion .pxd's, or none);
 * - for a class: its class object is refilled in place (declarations holding its type see the new members, as after a
 *   rebuild), and the cdef class statements after it that name it (a derived class copies its members when collected),
 *   transitively, are refilled and collected again after it, in order (none may come before the class it names); a
 *   renamed class: no other statement names its old or new name, and it gets a new class object;
 * - every other name each collection looks up is declared by no statement after its own (it denotes what it denoted at
 *   the statement's place; a C function, a class or a def declares its name only, a `from m cimport a as b` the names
 *   it binds, a struct, enum, ctypedef, fused type or `cdef extern from` block the names of what it declares, another
 *   statement any name it spells), or only by cimports that bind it to the same
 *   declaration as one before the statement (`from m cimport a` again further down: a copy of the same .pxd symbol,
 *   as in a file made of several modules' code);
 * - the module has no include and no star import (their names are in no interface text).
 * Otherwise the declarations are rebuilt. Each patch lists the names it changed on the scope (Scope.patches): the
 * per-definition caches compare only those again (engine/definition-cache.ts).
 */
import type { ClassInfo, FunctionSignature } from './c-types';
import { ATTRIBUTE_SEPARATOR, MEMBER_SEPARATOR, RecordedAttributes, RecordedMethods, memberEntries } from './recorded-methods';
import type { Scope, Symbol } from './symbols';
import type { ModuleBase } from './module-model';
import type { ModuleInterface } from './module-interface';
import { recordingLookups } from './lookup-recording';
import { parseDeclaratorText } from './type-syntax';
import { isPythonSourcePath } from './pure-python-mode';
import { type Node, childOfType, field, fields, significantChildren, undecorate } from './syntax';

const C_FUNCTIONS = new Set(['c_function_definition', 'c_function_declaration']);

/** Past this many patches of one base, the declarations are rebuilt (bounds the scope's list of patches). */
const PATCH_LIMIT = 500;

/**
 * What a top-level statement declares, as far as patches are concerned: a C function, a cdef class, a Python def
 * declare their name only (DeclarationCollector); other statements may declare any name they spell.
 */
interface Declared {
  kind: 'function' | 'class' | 'python' | 'cimport' | 'variables' | 'types' | 'other';
  name: string | undefined;
  /**
   * The names a cimport or a `cdef` variable line binds; for a cimport, to what (`module\u0001name`: cimport-binder.ts
   * collectCimportFrom).
   */
  binds?: ReadonlyMap<string, string>;
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
        const names = d?.kind === 'other' ? this.wordsOf(parts[k] as string) : d?.binds ? d.binds.keys()
          : d?.name ? [d.name] : [];
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

  /**
   * Whether `name`, declared after statement `index`, denotes there what it denotes now: every statement that
   * declares it is a cimport of the same declaration of a .pxd (`current`: the symbol bound now, found in the .pxd),
   * and one of them comes before the statement. (Each binds a copy of that .pxd symbol under the same name; an
   * unresolved one or a submodule gets the location of its own statement: not the same.)
   */
  sameCimportAround(name: string, index: number, current: Symbol | undefined): boolean {
    if (!current || current.kind === 'unresolved' || current.kind === 'cimported-module'
      || !current.origin?.startsWith('cimported from ')) return false;
    const at = this.declarers?.get(name);
    if (!at || !at.some((k) => k < index)) return false;
    let binds: string | undefined;
    for (const k of at) {
      const d = this.declared(k);
      const b = d?.kind === 'cimport' ? d.binds?.get(name) : undefined;
      if (b === undefined || (binds !== undefined && b !== binds)) return false;
      binds = b;
    }
    return true;
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
  if (s.type === 'cimport_from_statement') return cimportDeclares(s);
  if (s.type === 'cdef_statement') return variablesDeclared(s);
  if (TYPE_STATEMENTS.has(s.type)) return typesDeclared(s);
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

/** `from m cimport a, b as c` (well formed, not a star): binds a and c, to m's a and b. */
function cimportDeclares(s: Node): Declared {
  const module = field(s, 'module_name');
  if (s.hasError || !module || childOfType(s, 'wildcard_import')) return { kind: 'other', name: undefined };
  const from = module.text.replace(/\s+/g, '');
  const binds = new Map<string, string>();
  for (const item of fields(s, 'name')) {
    const name = item.type === 'aliased_import' ? field(item, 'name') : item;
    const alias = item.type === 'aliased_import' ? field(item, 'alias') : null;
    if (!name) return { kind: 'other', name: undefined };
    binds.set(alias?.text ?? name.text, `${from}\u0001${name.text}`);
  }
  return { kind: 'cimport', name: undefined, binds };
}

const TYPE_STATEMENTS = new Set(['struct_definition', 'enum_definition', 'ctypedef_statement', 'fused_type_definition',
  'extern_block']);

/**
 * A struct, union or enum definition, a `ctypedef` or a `cdef extern from` block (well formed): the names it declares
 * (structs-enums.ts, typedefs.ts, DeclarationCollector: a struct's fields go to its own scope, an enum's members and
 * an extern block's declarations to the module), not the words of the types it reads. 'other' for anything else in
 * it (C++ classes, nested blocks, Python statements).
 */
function typesDeclared(s: Node): Declared {
  const binds = new Map<string, string>();
  const other: Declared = { kind: 'other', name: undefined };
  if (s.hasError || !typeNames(s, binds)) return other;
  return { kind: 'types', name: undefined, binds };
}

function typeNames(s: Node, out: Map<string, string>): boolean {
  switch (s.type) {
    case 'struct_definition': {
      const name = field(s, 'name');
      if (name?.type !== 'identifier') return false;
      out.set(name.text, '');
      return true;
    }
    case 'enum_definition': {
      const name = field(s, 'name');
      if (name && name.type !== 'identifier') return false;
      if (name) out.set(name.text, '');
      const body = field(s, 'body');
      for (const c of body ? significantChildren(body) : []) {
        const member = c.type === 'enumerator' ? field(c, 'name') ?? childOfType(c, 'identifier') : null;
        if (!member) return false;
        out.set(member.text, '');
      }
      return true;
    }
    case 'fused_type_definition': {
      const name = field(s, 'name');
      if (name?.type !== 'identifier') return false;
      out.set(name.text, '');
      return true;
    }
    case 'ctypedef_statement': {
      const inner = significantChildren(s).filter((c) => c.type === 'struct_definition' || c.type === 'enum_definition'
        || c.type === 'fused_type_definition');
      if (inner.length === 1) return typeNames(inner[0]!, out);
      if (inner.length > 0 || significantChildren(s).some((c) => c.type === 'cppclass_definition')) return false;
      const declarator = field(s, 'declarator');
      const name = declarator ? parseDeclaratorText(declarator.text).name : undefined;
      if (!name) return false;
      out.set(name, '');
      return true;
    }
    case 'extern_block': {
      const body = field(s, 'body') ?? childOfType(s, 'block');
      for (const c of body ? significantChildren(body) : []) {
        if (c.type === 'c_function_declaration') {
          const name = field(c, 'name');
          if (name?.type !== 'identifier') return false;
          out.set(name.text, '');
        } else if (c.type === 'c_variable_declaration') {
          for (const d of fields(c, 'declarator')) {
            const name = parseDeclaratorText(d.text).name;
            if (!name) return false;
            out.set(name, '');
          }
        } else if (c.type === 'pass_statement' || (c.type === 'expression_statement' && c.text.startsWith('"'))) {
          continue;
        } else if (!TYPE_STATEMENTS.has(c.type) || c.type === 'extern_block' || !typeNames(c, out)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * `cdef T a, *b = v` at module level (well formed, nothing else in the statement): declares a and b only
 * (DeclarationCollector.collectVariables), not the words of its type.
 */
function variablesDeclared(s: Node): Declared {
  const inner = significantChildren(s);
  const decl = inner[0];
  if (s.hasError || inner.length !== 1 || decl?.type !== 'c_variable_declaration') return { kind: 'other', name: undefined };
  const binds = new Map<string, string>();
  for (const d of fields(decl, 'declarator')) {
    const name = parseDeclaratorText(d.text).name;
    if (!name) return { kind: 'other', name: undefined };
    binds.set(name, '');
  }
  return { kind: 'variables', name: undefined, binds };
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
  if (!statement || !old || old.kind === 'other' || old.kind === 'cimport' || old.kind === 'variables' || old.kind === 'types'
    || !old.name) return false;
  const now = declaredBy(statement);
  if (now.kind !== old.kind || !now.name) return false;
  const parts = to.parts;
  const named = (name: string, k: number): boolean => memo.wordsOf(parts[k] as string).has(name);
  let changed: string[];
  let collect: () => void;
  /** Statements collected again after this one (classes naming a class whose members changed), in order. */
  const after: { index: number; collect: () => void }[] = [];
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
  } else if (old.name !== now.name) {
    // a renamed cdef class: a new class object under the new name (nothing else named the old one)
    const [was, is] = [old.name, now.name];
    changed = [was, is];
    for (let k = 0; k < parts.length; k++) if (k !== index && (named(was, k) || named(is, k))) return false;
    const companion = base.collector.ctx.companion;
    const oldSym = scope.symbols.get(was);
    const oldCls = oldSym?.kind === 'ext-class' && oldSym.type.kind === 'py' ? oldSym.type.cls : undefined;
    if (!oldCls || scope.symbols.has(is) || companion?.symbols.has(was) || companion?.symbols.has(is)) return false;
    changed.push(...memberNames(was, oldCls), `${is}${MEMBER_SEPARATOR}*`, `${is}${ATTRIBUTE_SEPARATOR}*`);
    collect = () => {
      scope.symbols.delete(was);
      base.collector.collectTopLevel(statement);
      const sym = scope.symbols.get(is);
      const cls = sym?.type.kind === 'py' ? sym.type.cls : undefined;
      if (cls) changed.push(...memberNames(is, cls));
    };
  } else {
    // the same name at the same place (what comes before its bases unchanged): its symbol stays as it is
    if (beforeBases(from.parts[index] as string) !== beforeBases(parts[index] as string)) return false;
    const name = now.name;
    const sym = scope.symbols.get(name);
    const cls = sym?.kind === 'ext-class' && sym.type.kind === 'py' ? sym.type.cls : undefined;
    if (!sym || !cls) return false;
    // the class statements after it that name it (derived classes copied its members when collected; transitively)
    // are collected again after it, in order, each refilled in place
    const naming = classesNaming(name, index, parts, memo, named);
    if (!naming) return false;
    changed = [];
    const recollect = (s: Node, n: string): (() => void) | undefined => {
      const csym = scope.symbols.get(n);
      const ccls = csym?.kind === 'ext-class' && csym.type.kind === 'py' ? csym.type.cls : undefined;
      if (!csym || !ccls) return undefined;
      const declared = base.collector.ctx.companion?.symbols.get(n);
      const pre = declared?.kind === 'ext-class' && declared.type.kind === 'py' ? declared.type.cls : undefined;
      // the class, and its methods and attributes (reads of them are recorded one by one: recorded-methods.ts),
      // before and after
      const add = (x: string): void => {
        if (!changed.includes(x)) changed.push(x);
      };
      for (const x of [n, ...memberNames(n, ccls)]) add(x);
      return () => {
        refill(ccls, pre, csym.location, scope);
        base.collector.collectTopLevel(s);
        for (const x of memberNames(n, ccls)) add(x);
      };
    };
    const own = recollect(statement, name);
    if (!own) return false;
    collect = own;
    for (const k of naming) {
      const s = significantChildren(root)[k];
      const n = memo.declared(k)?.name;
      const step = s && n ? recollect(s, n) : undefined;
      if (!step) return false;
      after.push({ index: k, collect: step });
    }
  }
  // every other name each collection read denotes what it denoted at its statement's place: no later statement
  // declares it
  for (const step of [{ index, collect }, ...after]) {
    const { names } = recordingLookups(scope, step.collect);
    for (const n of names) {
      if (!changed.includes(n) && memo.declaredAfter(n, step.index, parts)
        && !memo.sameCimportAround(n, step.index, scope.symbols.get(n))) return false;
    }
  }
  (scope.patches ??= []).push(changed);
  memo.setDeclared(index, now);
  return true;
}

/**
 * The recorded pseudo-names of a class's members (recorded-methods.ts): all methods, each method, all attributes,
 * each attribute (read without noting).
 */
function memberNames(name: string, cls: ClassInfo): string[] {
  return [`${name}${MEMBER_SEPARATOR}*`,
    ...([...Map.prototype.keys.call(cls.methods)] as string[]).map((m) => `${name}${MEMBER_SEPARATOR}${m}`),
    `${name}${ATTRIBUTE_SEPARATOR}*`,
    ...([...Map.prototype.keys.call(cls.attributes)] as string[]).map((a) => `${name}${ATTRIBUTE_SEPARATOR}${a}`)];
}

/**
 * The class statements naming class `name` (statement `index`), and those naming them, transitively, in order;
 * undefined when one is not a cdef class after the class it names (collected before it: it saw the class empty).
 */
function classesNaming(name: string, index: number, parts: readonly string[], memo: PatchMemo,
  named: (name: string, k: number) => boolean): number[] | undefined {
  const out: number[] = [];
  const seen = new Set([index]);
  const queue: [string, number][] = [[name, index]];
  while (queue.length) {
    const [n, at] = queue.shift()!;
    for (let k = 0; k < parts.length; k++) {
      if (seen.has(k) || !named(n, k) || !(named('class', k) || named('cypclass', k))) continue;
      const d = memo.declared(k);
      if (k < at || d?.kind !== 'class' || !d.name) return undefined;
      seen.add(k);
      out.push(k);
      queue.push([d.name, k]);
    }
  }
  return out.sort((a, b) => a - b);
}

/**
 * A class part's header (decorators, name, bases: module-interface.ts) up to its bases (typing in the bases list
 * re-collects the class, in place).
 */
function beforeBases(part: string): string {
  const at = part.indexOf('\u0002');
  const header = at < 0 ? part : part.slice(0, at);
  const open = header.indexOf('(');
  return open < 0 ? header : header.slice(0, open);
}

/**
 * Empties a cdef class object in place, back to what it is before its statement is collected: a copy of its
 * companion .pxd's class (DeclarationCollector copies those), or a class with no members declared at its name.
 */
function refill(cls: ClassInfo, pre: ClassInfo | undefined, location: ClassInfo['location'], scope: Scope): void {
  const name = cls.name;
  const target = cls as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) delete target[key];
  const methods = new RecordedMethods(scope, name, pre ? memberEntries(pre.methods) : undefined);
  const attributes = new RecordedAttributes(scope, name, pre ? memberEntries(pre.attributes) : undefined);
  if (pre) Object.assign(cls, { ...pre, attributes, methods });
  else Object.assign(cls, { name, attributes, methods, location });
}
