/**
 * Per-definition memo of a check's (or an annotator's) results, so that a keystroke re-analyses only the unit it
 * touched (a top-level statement, or one method of a class: definition-units.ts).
 *
 * A unit's results depend on its own text and on what the rest of the module declares (function signatures, cdef
 * variables, classes, cimports), never on other function bodies. The key is therefore the unit's text (in the context
 * of its class header), and each entry remembers the module-level names its analysis looked up and what they denoted.
 * Results are stored relative to the unit's first line by the caller and placed at its row (placedAt).
 */
import type { Node } from 'web-tree-sitter';
import { type CType, type FunctionSignature, signatureToString, typeToString } from '../model/c-types';
import { ATTRIBUTE_SEPARATOR, MEMBER_SEPARATOR, RecordedAttributes, RecordedMethods, memberEntries } from '../model/recorded-methods';
import type { Scope } from '../model/symbols';
import type { DefinitionUnit } from './definition-units';
import { COMPLETENESS_LOOKUP, recordingLookups } from '../model/lookup-recording';

/** A module-level symbol as far as the analysis of another definition can tell: kind, type, signature, members. */
export function symbolDescriptor(scope: Scope, name: string): string {
  let memo = descriptors.get(scope);
  if (!memo) {
    memo = { generation: generationOf(scope), byName: new Map() };
    descriptors.set(scope, memo);
  } else if (memo.generation !== generationOf(scope)) {
    // the declarations were patched in place since (model/declaration-patch.ts): forget what the patches changed
    for (const names of scope.patches!.slice(memo.generation)) for (const n of names) memo.byName.delete(n);
    memo.generation = generationOf(scope);
  }
  let d = memo.byName.get(name);
  if (d === undefined) {
    d = describe(scope, name);
    memo.byName.set(name, d);
  }
  return d;
}

/**
 * Descriptors per module scope, as of a generation of the scope (a module's declarations change only by patches,
 * which list the names they changed: model/declaration-patch.ts).
 */
const descriptors = new WeakMap<Scope, { generation: number; byName: Map<string, string> }>();

function generationOf(scope: Scope): number {
  return scope.patches?.length ?? 0;
}

function describe(scope: Scope, name: string): string {
  const member = name.indexOf(MEMBER_SEPARATOR);
  if (member > 0) return describeMethods(scope, name.slice(0, member), name.slice(member + 1));
  const attribute = name.indexOf(ATTRIBUTE_SEPARATOR);
  if (attribute > 0) return describeAttributes(scope, name.slice(0, attribute), name.slice(attribute + 1));
  const sym = scope.symbols.get(name);
  if (!sym) return '-';
  let d = `${sym.kind}\u0001${sym.binding}\u0001${typeToString(sym.type)}\u0001${sym.alsoPython ? 1 : 0}`;
  if (sym.signature) d += `\u0001${signatureToString(sym.signature)}${sym.signature.exception.kind}${sym.signature.brokenDeclaration ? '\u0005' : ''}`;
  const cls = sym.type.kind === 'py' || sym.type.kind === 'cpp' ? sym.type.cls : undefined;
  if (cls) {
    if (cls.incomplete) d += `\u0004${cls.incomplete}`;
    // the attributes of this module's own classes are dependencies of their own, one by one (recorded-methods.ts)
    if (!ownAttributes(scope, name, cls.attributes)) for (const [a, t] of memberEntries(cls.attributes)) d += `\u0002${a}:${typeToString(t)}`;
    if (cls.base) d += `\u0006${cls.base}`;
    // the methods of this module's own classes are dependencies of their own, one by one (recorded-methods.ts)
    if (!ownMethods(scope, name, cls.methods)) {
      for (const [m, sig] of memberEntries(cls.methods)) d += `\u0003${m}:${describeSignature(sig)}`;
    }
  }
  // a struct's fields (read through a variable's type as a read of the struct's name: recorded-methods.ts)
  if (sym.type.kind === 'struct') for (const [f, t] of memberEntries(sym.type.info.fields)) d += `\u0002${f}:${typeToString(t)}`;
  return d;
}

function describeSignature(sig: FunctionSignature | undefined): string {
  return sig ? `${signatureToString(sig)}${sig.exception.kind}${sig.brokenDeclaration ? '\u0005' : ''}` : '-';
}

function ownMethods(scope: Scope, owner: string, methods: Map<string, FunctionSignature>): methods is RecordedMethods {
  return methods instanceof RecordedMethods && methods.scope === scope && methods.owner === owner;
}

function ownAttributes(scope: Scope, owner: string, attributes: Map<string, CType>): attributes is RecordedAttributes {
  return attributes instanceof RecordedAttributes && attributes.scope === scope && attributes.owner === owner;
}

/**
 * A recorded read of a class's attributes: one (`Class\u0007name`) or all of them (`Class\u0007*`); such a read is also
 * a read of `Class` (its completeness and base: recorded-methods.ts).
 */
function describeAttributes(scope: Scope, owner: string, attribute: string): string {
  const sym = scope.symbols.get(owner);
  const cls = sym && (sym.type.kind === 'py' || sym.type.kind === 'cpp') ? sym.type.cls : undefined;
  if (!cls || !ownAttributes(scope, owner, cls.attributes)) return '-';
  if (attribute !== '*') {
    const t = Map.prototype.get.call(cls.attributes, attribute) as CType | undefined;
    return t ? typeToString(t) : '-';
  }
  return memberEntries(cls.attributes).map(([a, t]) => `${a}:${typeToString(t)}`).join('\u0002');
}

/** A recorded read of a class's methods: one (`Class\u0003name`) or all of them (`Class\u0003*`). */
function describeMethods(scope: Scope, owner: string, method: string): string {
  const sym = scope.symbols.get(owner);
  const cls = sym && (sym.type.kind === 'py' || sym.type.kind === 'cpp') ? sym.type.cls : undefined;
  if (!cls || !ownMethods(scope, owner, cls.methods)) return '-';
  if (method !== '*') return describeSignature(cls.methods.peek(method));
  return cls.methods.all().map(([m, sig]) => `${m}:${describeSignature(sig)}`).join('\u0003');
}

interface Entry<T> {
  findings: T[];
  /** Module-level names the analysis looked up, with what they were. */
  deps: Map<string, string>;
  /** The module scope the deps were last found valid in (a reused model: nothing to check). */
  validIn: Scope;
  /** The generation of `validIn` they were found valid in (a patched scope: only the names patched since). */
  validAt: number;
  /** The unit's node type (part of the key: error recovery can leave the same text as another kind of node). */
  type: string;
  /** A whole statement, or a class without its methods (the same text, different results). */
  whole: boolean;
  /**
   * The names declared nowhere the analysis asked about (COMPLETENESS_LOOKUP + name), with the answer: a Python
   * global (true), or unknown because the module is incomplete or a broken statement may declare it (false).
   * Undefined: it asked about none.
   */
  complete?: Map<string, boolean>;
}

/**
 * Findings per top-level statement, valid while the statement's text is the same and every module-level name its
 * analysis looked up still denotes the same thing. Editing one function's body re-walks that function only; editing
 * a signature re-walks the definitions that use it.
 */
export class DefinitionCache<T> {
  /** context ('' or a class header) → unit text → entry */
  private entries = new Map<string, Map<string, Entry<T>>>();
  private context = '';
  private complete: (name: string) => boolean = () => true;
  hits = 0;
  misses = 0;

  /**
   * Starts an analysis; `context` covers what every definition depends on (directives, include dirs, .pxd cache).
   * `complete`: whether a name declared nowhere is a Python global (every cimport and include resolved and no broken
   * top-level statement spelling the name: ModuleModel.completeFor). It is not part of the context: a keystroke that
   * breaks the text (or mends it) changes it for the names the broken statement spells, and only the entries whose
   * analysis asked about one of those depend on it.
   */
  begin(context: string, complete: (name: string) => boolean = () => true): void {
    if (context !== this.context) {
      this.entries = new Map();
      this.context = context;
    }
    this.complete = complete;
  }

  get(unit: DefinitionUnit, scope: Scope): T[] | undefined {
    if (!cacheable(unit)) {
      this.misses++;
      return undefined;
    }
    // A node's text is memoised (tree/node-memo.ts): its hash is computed once per version for every cache.
    const hit = this.entries.get(unit.context)?.get(unit.node.text);
    if (hit && hit.type === unit.node.type && hit.whole === (unit.skip === undefined)
      && (hit.complete === undefined || completeAsBefore(hit.complete, this.complete)) && depsHold(hit, scope)) {
      hit.validIn = scope;
      hit.validAt = generationOf(scope);
      this.hits++;
      return hit.findings;
    }
    this.misses++;
    return undefined;
  }

  /**
   * Runs `analyse` while recording the module-level names it looks up, and stores its findings (when `store` is
   * true or says so for these findings).
   */
  record(unit: DefinitionUnit, scope: Scope, analyse: () => T[], store: boolean | ((findings: T[]) => boolean)): T[] {
    const { value: findings, names } = recordingLookups(scope, analyse);
    if (cacheable(unit) && (typeof store === 'function' ? store(findings) : store)) {
      const deps = new Map<string, string>();
      let complete: Map<string, boolean> | undefined;
      for (const n of names) {
        if (!n.startsWith(COMPLETENESS_LOOKUP)) {
          if (!deps.has(n)) deps.set(n, symbolDescriptor(scope, n));
        } else {
          const name = n.slice(COMPLETENESS_LOOKUP.length);
          (complete ??= new Map()).set(name, this.complete(name));
        }
      }
      let byText = this.entries.get(unit.context);
      if (!byText) {
        byText = new Map();
        this.entries.set(unit.context, byText);
      }
      const entry: Entry<T> = { findings, deps, validIn: scope, validAt: generationOf(scope), type: unit.node.type, whole: unit.skip === undefined };
      if (complete) entry.complete = complete;
      byText.set(unit.node.text, entry);
    }
    return findings;
  }

  /**
   * Keeps only the entries of the given units (called at the end of an analysis, bounds memory). Entries are only
   * dropped once there are twice as many as units: a keystroke does not pay for a sweep of the whole cache.
   */
  retain(units: readonly DefinitionUnit[]): void {
    let size = 0;
    for (const byText of this.entries.values()) size += byText.size;
    if (size <= 2 * units.length + 16) return;
    const keep = new Map<string, Set<string>>();
    for (const u of units) {
      let texts = keep.get(u.context);
      if (!texts) {
        texts = new Set();
        keep.set(u.context, texts);
      }
      texts.add(u.node.text);
    }
    for (const [context, byText] of [...this.entries]) {
      const texts = keep.get(context);
      if (!texts) {
        this.entries.delete(context);
        continue;
      }
      for (const k of [...byText.keys()]) if (!texts.has(k)) byText.delete(k);
    }
  }
}

/** Whether every name declared nowhere that an entry's analysis asked about gets the same answer. */
function completeAsBefore(asked: ReadonlyMap<string, boolean>, complete: (name: string) => boolean): boolean {
  for (const [name, was] of asked) if (complete(name) !== was) return false;
  return true;
}

/** Whether every module-level name an entry's analysis looked up still denotes what it did. */
function depsHold(hit: Entry<unknown>, scope: Scope): boolean {
  if (hit.validIn !== scope) return [...hit.deps].every(([name, d]) => symbolDescriptor(scope, name) === d);
  const generation = generationOf(scope);
  if (hit.validAt === generation) return true;
  // the same scope, patched since: only the names the patches changed are compared again, going through the
  // shorter of the two lists (a class patch lists every method; a unit depends on a few dozen names)
  const index = patchIndex(scope);
  if ((index.sizes[generation] as number) - (index.sizes[hit.validAt] as number) <= hit.deps.size) {
    for (let g = hit.validAt; g < generation; g++) {
      for (const n of scope.patches![g] as readonly string[]) {
        const d = hit.deps.get(n);
        if (d !== undefined && symbolDescriptor(scope, n) !== d) return false;
      }
    }
    return true;
  }
  for (const [n, d] of hit.deps) {
    if ((index.last.get(n) ?? 0) > hit.validAt && symbolDescriptor(scope, n) !== d) return false;
  }
  return true;
}

/**
 * Per patched scope: the generation after the last patch of each name, and the number of names the patches before
 * each generation listed (`sizes[g]`); extended as patches are added (Scope.patches only grows).
 */
function patchIndex(scope: Scope): { last: Map<string, number>; sizes: number[] } {
  let index = patchIndexes.get(scope);
  if (!index) {
    index = { last: new Map(), sizes: [0] };
    patchIndexes.set(scope, index);
  }
  const patches = scope.patches ?? [];
  for (let g = index.sizes.length - 1; g < patches.length; g++) {
    const names = patches[g] as readonly string[];
    for (const n of names) index.last.set(n, g + 1);
    index.sizes.push((index.sizes[g] as number) + names.length);
  }
  return index;
}

const patchIndexes = new WeakMap<Scope, { last: Map<string, number>; sizes: number[] }>();

/**
 * Only well-formed units of statements starting at column 0 are cached: the same text with a syntax error inside, or
 * a fragment that error recovery left at the top level away from column 0, can parse differently depending on what
 * precedes it (error recovery, the indentation scanner). Those are analysed afresh each time.
 */
function cacheable(unit: DefinitionUnit): boolean {
  // a method without errors of a class being edited elsewhere (a member unit) is cached too
  return !unit.node.hasError && unit.statement.startPosition.column === 0;
}

/** Where a cached result array keeps its placement (a property of the array: no WeakMap entry per unit and call). */
const PLACED = Symbol('placed');

/**
 * A unit's results placed at its row (`place` turns a relative result into an absolute one), reused while the unit
 * stays on that row: a keystroke does not rebuild every result of the document. The placement is kept on the
 * relative array itself (cached results are never changed once made).
 */
export function placedAt<T, U>(relative: readonly T[], row: number, place: (item: T, row: number) => U): U[] {
  const holder = relative as { [PLACED]?: { row: number; out: unknown[] } };
  const known = holder[PLACED];
  if (known && known.row === row) return known.out as U[];
  const out = relative.map((item) => place(item, row));
  // not enumerable: the array compares and prints as before
  if (known) {
    known.row = row;
    known.out = out;
  } else Object.defineProperty(holder, PLACED, { value: { row, out }, writable: true, enumerable: false, configurable: true });
  return out;
}
