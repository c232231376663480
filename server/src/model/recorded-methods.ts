/**
 * The methods of a cdef class declared in the module being analysed, noting which of them an analysis reads: through
 * the module scope's lookup log (Scope.lookupLog), as the pseudo-names `Class\u0003method` (one method,
 * present or not) and `Class\u0003*` (all of them: iteration, size). The per-definition caches then depend on the
 * methods a definition used, not on every method of the class (engine/definition-cache.ts): editing one method's
 * header re-checks the definitions that use that method, not every definition that uses the class.
 */
import type { CType, FunctionSignature } from './c-types';
import type { Scope } from './symbols';

/** Separates a class name from a member in a recorded pseudo-name (not an identifier character). */
export const MEMBER_SEPARATOR = '\u0003';

/**
 * A map whose reads are noted in the module scope's lookup log (Scope.lookupLog): a read of one key (present or not)
 * notes that key, size and iteration note `*`. Each kind of recorded members says what a read notes (`note`).
 */
abstract class NotedMap<V> extends Map<string, V> {
  /** `scope`: the module scope the type is declared in; `owner`: the type's name there. */
  constructor(readonly scope: Scope, readonly owner: string, entries?: Iterable<readonly [string, V]>) {
    super();
    if (entries) for (const [k, v] of entries) super.set(k, v);
  }

  /** Notes a read of `member` (a key, or `*` for all of them). */
  protected abstract note(member: string): void;

  override get(key: string): V | undefined {
    this.note(key);
    return super.get(key);
  }

  override has(key: string): boolean {
    this.note(key);
    return super.has(key);
  }

  override get size(): number {
    this.note('*');
    return super.size;
  }

  override forEach(fn: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    this.note('*');
    super.forEach(fn, thisArg);
  }

  override entries(): MapIterator<[string, V]> {
    this.note('*');
    return super.entries();
  }

  override keys(): MapIterator<string> {
    this.note('*');
    return super.keys();
  }

  override values(): MapIterator<V> {
    this.note('*');
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, V]> {
    this.note('*');
    return super[Symbol.iterator]();
  }

  /** The value of a key without noting the read (descriptors of the recorded reads). */
  peek(key: string): V | undefined {
    return super.get(key);
  }

  /** Every entry without noting the read. */
  all(): [string, V][] {
    return [...super.entries()];
  }
}

export class RecordedMethods extends NotedMap<FunctionSignature> {
  protected note(member: string): void {
    this.scope.lookupLog?.push(`${this.owner}${MEMBER_SEPARATOR}${member}`);
  }
}

/**
 * The members of a type declared in the module being analysed (a struct's fields, a cdef class's attributes, a C++
 * class's members), noting every read as a read of the type's name (`owner`): its descriptor lists these members
 * (engine/definition-cache.ts). A definition can reach a type without spelling its name (`b.a.v` through the type of
 * an attribute, `s.x` through a variable's type), so the name it did spell is not enough: editing a field's type must
 * re-check the definitions that read that struct's fields.
 */
export class RecordedMembers<V> extends NotedMap<V> {
  protected note(): void {
    this.scope.lookupLog?.push(this.owner);
  }
}

/** A members map's entries without noting the read (descriptors, copies). */
export function memberEntries<V>(members: Map<string, V>): [string, V][] {
  return [...Map.prototype.entries.call(members) as MapIterator<[string, V]>];
}

/** Separates a class name from an attribute in a recorded pseudo-name (not an identifier character). */
export const ATTRIBUTE_SEPARATOR = '\u0007';

/**
 * The attributes of a cdef class declared in the module being analysed, noting each read as `Class\u0007attr` (one
 * attribute, present or not) or `Class\u0007*` (all of them), like its methods: a cdef class's `def` methods are
 * attributes too, so a keystroke that breaks a method (error recovery swallowing the next `def` into its body)
 * re-checks the definitions that read that attribute, not every method that reads `self`. A read is also noted as a
 * read of the class's name, whichever way the class was reached: its descriptor (engine/definition-cache.ts) holds the
 * class's completeness and base, which decide what a member it does not declare is (not its attributes).
 */
export class RecordedAttributes extends NotedMap<CType> {
  protected note(member: string): void {
    this.scope.lookupLog?.push(this.owner, `${this.owner}${ATTRIBUTE_SEPARATOR}${member}`);
  }
}
