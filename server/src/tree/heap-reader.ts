/**
 * Reads a syntax tree's nodes straight from the WASM memory of web-tree-sitter 0.25.10, without a call into WASM.
 *
 * Every Node property of web-tree-sitter is a call into the runtime: the node is copied into a transfer buffer, the
 * runtime reads its subtree and answers through the buffer, and lists of children come back as new Node objects built
 * from that buffer. The subtrees themselves are plain data in the module's memory (`Subtree` in lib/subtree.h): a
 * node's `id` is the address of its subtree slot, and the type, size, flags and children of a node are a few loads
 * away. This module reads them with the layouts of the pinned runtime (wasm32, little-endian), and lists a node's
 * visible children as the runtime's tree cursor does (lib/tree_cursor.c: visible or aliased children, hidden nodes
 * with visible children flattened; aliases from the language's alias sequences).
 *
 * Layouts are not an API: they are used only with the runtime of the pinned version (tree/node-memo.ts
 * `enableHeapReads` checks the size of the tree-sitter.wasm that was loaded) whose language header agrees with the
 * `Language` object; otherwise the runtime keeps being asked. test/tree/node-memo.test.ts compares both readings on
 * every node of the GIL fixtures (whole and cut: errors, missing nodes) and fails on a web-tree-sitter upgrade.
 */
import type { Language } from 'web-tree-sitter';

/** The emscripten module object of web-tree-sitter (the options object given to `Parser.init` becomes it). */
export interface WasmModule {
  HEAPU8?: Uint8Array;
  HEAPU16?: Uint16Array;
  HEAPU32?: Uint32Array;
}

/** What a node's subtree says, in the units web-tree-sitter's JS API uses (UTF-16 code units). */
export interface NodeFacts {
  typeId: number;
  endIndex: number;
  endRow: number;
  endColumn: number;
  isNamed: boolean;
  isMissing: boolean;
  hasError: boolean;
}

/** Makes the object of a visible child found in the heap: its subtree slot (the node id), alias, start and facts. */
export type MakeChild<T> = (id: number, alias: number, startIndex: number, startRow: number, startColumn: number,
  facts: NodeFacts) => T;

// SubtreeHeapData (lib/subtree.h, wasm32)
const HEAP_PADDING = 4; // Length {bytes, row, column}
const HEAP_SIZE = 16;
const HEAP_ERROR_COST = 32;
const HEAP_CHILD_COUNT = 36;
const HEAP_SYMBOL = 40; // uint16
const HEAP_FLAGS = 44; // uint16: visible 0, named 1, extra 2, ..., is_missing 9
const HEAP_VISIBLE_CHILD_COUNT = 48;
const HEAP_PRODUCTION_ID = 66; // uint16
const SUBTREE_SIZE = 8;
// SubtreeInlineData: byte 0 flags (is_inline 0, visible 1, named 2, extra 3, has_changes 4, is_missing 5), 1 symbol,
// 4 padding columns, 5 padding rows (low 4 bits), 6 padding bytes, 7 size bytes
// TSLanguage (lib/parser.h, ABI 15)
const LANG_ABI = 0;
const LANG_SYMBOL_COUNT = 4;
const LANG_ALIAS_COUNT = 8;
const LANG_PRODUCTION_ID_COUNT = 28;
const LANG_FIELD_COUNT = 32;
const LANG_MAX_ALIAS_SEQUENCE = 36; // uint16
const LANG_FIELD_MAP_SLICES = 64; // TSMapSlice[] {uint16 index, uint16 length} by production id
const LANG_FIELD_MAP_ENTRIES = 68; // TSFieldMapEntry[] {uint16 field_id, uint8 child_index, bool inherited}
const LANG_SYMBOL_METADATA = 72; // TSSymbolMetadata[] {visible, named, supertype}
const LANG_PUBLIC_SYMBOL_MAP = 76;
const LANG_ALIAS_SEQUENCES = 84;

const ERROR_SYMBOL = 65535;

/** The heap reader of one language (its tables copied out of the WASM memory once). */
export class HeapReader {
  private u8: Uint8Array;
  private u16: Uint16Array;
  private u32: Uint32Array;
  /** public symbol by raw symbol (ts_language_public_symbol) */
  private readonly publicOf: Uint16Array;
  /** whether a (raw) symbol is named (ts_language_symbol_metadata) */
  private readonly namedOf: Uint8Array;
  private readonly aliasSequences: number;
  private readonly maxAliasSequence: number;
  /** the field map (ts_language_field_map): each production's slice of the entries, the entries' columns */
  private readonly sliceStart: Uint16Array;
  private readonly sliceEnd: Uint32Array;
  private readonly entryField: Uint16Array;
  private readonly entryChild: Uint8Array;
  private readonly entryInherited: Uint8Array;
  private readonly scratch: NodeFacts = {
    typeId: 0, endIndex: 0, endRow: 0, endColumn: 0, isNamed: false, isMissing: false, hasError: false,
  };

  constructor(private readonly module: WasmModule, language: Language) {
    const heap = views(module);
    if (!heap) throw new Error('heap-reader: no memory views');
    [this.u8, this.u16, this.u32] = heap;
    const at = (language as unknown as { 0: number })[0];
    const u32 = this.u32;
    const symbols = u32[(at + LANG_SYMBOL_COUNT) >> 2]! + u32[(at + LANG_ALIAS_COUNT) >> 2]!;
    if (u32[(at + LANG_ABI) >> 2] !== language.abiVersion || symbols !== language.types.length) {
      throw new Error('heap-reader: the language header does not match');
    }
    const pub = u32[(at + LANG_PUBLIC_SYMBOL_MAP) >> 2]!;
    const meta = u32[(at + LANG_SYMBOL_METADATA) >> 2]!;
    this.publicOf = this.u16.slice(pub >> 1, (pub >> 1) + symbols);
    this.namedOf = new Uint8Array(symbols);
    for (let s = 0; s < symbols; s++) this.namedOf[s] = this.u8[meta + 3 * s + 1]!;
    this.aliasSequences = u32[(at + LANG_ALIAS_SEQUENCES) >> 2]!;
    this.maxAliasSequence = this.u16[(at + LANG_MAX_ALIAS_SEQUENCE) >> 1]!;
    // the field map, copied (static tables of the language); a language without fields has empty slices
    const productions = u32[(at + LANG_PRODUCTION_ID_COUNT) >> 2]!;
    const hasFields = u32[(at + LANG_FIELD_COUNT) >> 2]! > 0;
    const slices = u32[(at + LANG_FIELD_MAP_SLICES) >> 2]!;
    const entries = u32[(at + LANG_FIELD_MAP_ENTRIES) >> 2]!;
    this.sliceStart = new Uint16Array(productions);
    this.sliceEnd = new Uint32Array(productions);
    let entryCount = 0;
    if (hasFields) {
      for (let i = 0; i < productions; i++) {
        const start = this.u16[(slices >> 1) + 2 * i]!;
        const end = start + this.u16[(slices >> 1) + 2 * i + 1]!;
        this.sliceStart[i] = start;
        this.sliceEnd[i] = end;
        if (end > entryCount) entryCount = end;
      }
    }
    this.entryField = new Uint16Array(entryCount);
    this.entryChild = new Uint8Array(entryCount);
    this.entryInherited = new Uint8Array(entryCount);
    for (let e = 0; e < entryCount; e++) {
      this.entryField[e] = this.u16[(entries + 4 * e) >> 1]!;
      this.entryChild[e] = this.u8[entries + 4 * e + 2]!;
      this.entryInherited[e] = this.u8[entries + 4 * e + 3]!;
    }
  }

  /**
   * The memory views, renewed after the memory grew (growing detaches the old buffer: its views' length is 0).
   * `length`, not `byteLength`: the latter costs ~100 ns on a view of WASM memory (Node 20), `length` ~10 ns.
   */
  private fresh(): void {
    if (this.u8.length !== 0) return;
    const heap = views(this.module);
    if (!heap) throw new Error('heap-reader: no memory views');
    [this.u8, this.u16, this.u32] = heap;
  }

  /** The public type id of a raw (alias or subtree) symbol; -1 when it is outside the tables. */
  private publicSymbol(raw: number): number {
    if (raw === ERROR_SYMBOL) return ERROR_SYMBOL;
    return raw < this.publicOf.length ? this.publicOf[raw]! : -1;
  }

  /** The facts of the node whose subtree slot is `id` (false: a symbol outside the tables, ask the runtime). */
  facts(id: number, alias: number, startIndex: number, startRow: number, startColumn: number, out: NodeFacts): boolean {
    this.fresh();
    return this.factsAt(id, alias, startIndex, startRow, startColumn, out);
  }

  private factsAt(id: number, alias: number, startIndex: number, startRow: number, startColumn: number,
    out: NodeFacts): boolean {
    const u8 = this.u8;
    const flags = u8[id]!;
    let symbol: number;
    let sizeBytes: number;
    let sizeRows: number;
    let sizeColumns: number;
    let named: boolean;
    let missing: boolean;
    let errorCost: number;
    if (flags & 1) {
      symbol = u8[id + 1]!;
      sizeBytes = sizeColumns = u8[id + 7]!;
      sizeRows = 0;
      named = (flags & 4) !== 0;
      missing = (flags & 32) !== 0;
      errorCost = 0;
    } else {
      const u32 = this.u32;
      const p = u32[id >> 2]!;
      symbol = this.u16[(p + HEAP_SYMBOL) >> 1]!;
      sizeBytes = u32[(p + HEAP_SIZE) >> 2]!;
      sizeRows = u32[(p + HEAP_SIZE + 4) >> 2]!;
      sizeColumns = u32[(p + HEAP_SIZE + 8) >> 2]!;
      const bits = this.u16[(p + HEAP_FLAGS) >> 1]!;
      named = (bits & 2) !== 0;
      missing = (bits & 512) !== 0;
      errorCost = u32[(p + HEAP_ERROR_COST) >> 2]!;
    }
    const typeId = this.publicSymbol(alias || symbol);
    if (typeId < 0 || (alias && alias >= this.namedOf.length)) return false;
    out.typeId = typeId;
    // positions: bytes of UTF-16 text in the runtime, code units (bytes / 2) in the JS API
    out.endIndex = startIndex + (sizeBytes >>> 1);
    out.endRow = startRow + sizeRows;
    out.endColumn = sizeRows > 0 ? sizeColumns >>> 1 : startColumn + (sizeColumns >>> 1);
    out.isNamed = alias ? this.namedOf[alias] === 1 : named;
    out.isMissing = missing;
    // ts_subtree_error_cost: a missing node costs, an inline one does not
    out.hasError = missing || errorCost > 0;
    return true;
  }

  /**
   * The visible children of a node, as the runtime's cursor lists them (false: a symbol outside the tables).
   * `startIndex`/`startColumn` in code units, like the node's own; `namedOnly`: only the named ones (as
   * `namedChildren`).
   */
  children<T>(id: number, startIndex: number, startRow: number, startColumn: number, namedOnly: boolean,
    make: MakeChild<T>, out: T[]): boolean {
    this.fresh();
    return this.visit(id, startIndex * 2, startRow, startColumn * 2, namedOnly, make, out);
  }

  private visit<T>(id: number, bytes: number, row: number, column: number, namedOnly: boolean, make: MakeChild<T>,
    out: T[]): boolean {
    const u8 = this.u8;
    const u16 = this.u16;
    const u32 = this.u32;
    if (u8[id]! & 1) return true; // inline subtrees are leaves
    const p = u32[id >> 2]!;
    const count = u32[(p + HEAP_CHILD_COUNT) >> 2]!;
    if (count === 0) return true;
    const production = u16[(p + HEAP_PRODUCTION_ID) >> 1]!;
    const sequence = production ? (this.aliasSequences >> 1) + production * this.maxAliasSequence : 0;
    let structural = 0;
    // the children precede the parent's data (ts_subtree_children)
    const first = p - SUBTREE_SIZE * count;
    for (let i = 0; i < count; i++) {
      const c = first + SUBTREE_SIZE * i;
      const flags = u8[c]!;
      let extra: boolean;
      let visible: boolean;
      let padBytes: number;
      let padRows: number;
      let padColumns: number;
      let sizeBytes: number;
      let sizeRows: number;
      let sizeColumns: number;
      let hiddenWithChildren = false;
      if (flags & 1) {
        extra = (flags & 8) !== 0;
        visible = (flags & 2) !== 0;
        padColumns = u8[c + 4]!;
        padRows = u8[c + 5]! & 15;
        padBytes = u8[c + 6]!;
        sizeBytes = sizeColumns = u8[c + 7]!;
        sizeRows = 0;
      } else {
        const q = u32[c >> 2]!;
        const bits = u16[(q + HEAP_FLAGS) >> 1]!;
        extra = (bits & 4) !== 0;
        visible = (bits & 1) !== 0;
        padBytes = u32[(q + HEAP_PADDING) >> 2]!;
        padRows = u32[(q + HEAP_PADDING + 4) >> 2]!;
        padColumns = u32[(q + HEAP_PADDING + 8) >> 2]!;
        sizeBytes = u32[(q + HEAP_SIZE) >> 2]!;
        sizeRows = u32[(q + HEAP_SIZE + 4) >> 2]!;
        sizeColumns = u32[(q + HEAP_SIZE + 8) >> 2]!;
        hiddenWithChildren = u32[(q + HEAP_CHILD_COUNT) >> 2]! > 0 && u32[(q + HEAP_VISIBLE_CHILD_COUNT) >> 2]! > 0;
      }
      let alias = 0;
      if (!extra) {
        if (sequence) alias = u16[sequence + structural]!;
        structural++;
      }
      if (i > 0) {
        bytes += padBytes;
        if (padRows > 0) {
          row += padRows;
          column = padColumns;
        } else column += padColumns;
      }
      if (visible || alias) {
        const facts = this.scratch;
        const startIndex = bytes >>> 1;
        const startColumn = column >>> 1;
        if (!this.factsAt(c, alias, startIndex, row, startColumn, facts)) return false;
        if (!namedOnly || facts.isNamed) out.push(make(c, alias, startIndex, row, startColumn, facts));
      } else if (hiddenWithChildren) {
        if (!this.visit(c, bytes, row, column, namedOnly, make, out)) return false;
      }
      bytes += sizeBytes;
      if (sizeRows > 0) {
        row += sizeRows;
        column = sizeColumns;
      } else column += sizeColumns;
    }
    return true;
  }

  /**
   * The subtree slot (node id) of a node's child for a field, as `ts_node_child_by_field_id` (lib/node.c) finds it:
   * the production's field map entries of that field, inherited ones searched inside the hidden child, a hidden
   * child with visible children answered by its first visible descendant. 0: none.
   */
  childByField(id: number, fieldId: number): number {
    this.fresh();
    return this.childByFieldAt(id, fieldId);
  }

  private childByFieldAt(self: number, fieldId: number): number {
    const u8 = this.u8;
    const u16 = this.u16;
    const u32 = this.u32;
    const entryField = this.entryField;
    for (;;) {
      // ts_node_child_count(self) == 0: a leaf, or no visible child
      if (!fieldId || visibleChildCount(u8, u32, self) === 0) return 0;
      const p = u32[self >> 2]!;
      const production = u16[(p + HEAP_PRODUCTION_ID) >> 1]!;
      if (production >= this.sliceStart.length) return 0;
      let map = this.sliceStart[production]!;
      let end = this.sliceEnd[production]!;
      if (map === end) return 0;
      while (entryField[map]! < fieldId) {
        map++;
        if (map === end) return 0;
      }
      while (entryField[end - 1]! > fieldId) {
        end--;
        if (map === end) return 0;
      }
      const count = u32[(p + HEAP_CHILD_COUNT) >> 2]!;
      const sequence = production ? (this.aliasSequences >> 1) + production * this.maxAliasSequence : 0;
      const first = p - SUBTREE_SIZE * count;
      let structural = 0;
      let next = 0; // a tail call: search inside this child
      for (let i = 0; i < count; i++) {
        const c = first + SUBTREE_SIZE * i;
        const shape = shapeOf(u8, u16, u32, c);
        if (shape & 2) continue; // extra
        const alias = sequence ? u16[sequence + structural]! : 0;
        const index = structural++;
        if (index < this.entryChild[map]!) continue;
        if (this.entryInherited[map]) {
          if (map + 1 === end) {
            next = c;
            break;
          }
          const found = this.childByFieldAt(c, fieldId);
          if (found !== 0) return found;
          map++;
          if (map === end) return 0;
        } else if ((shape & 1) || alias) {
          return c;
        } else if (visibleChildCount(u8, u32, c) > 0) {
          return this.firstVisibleChild(c);
        } else {
          map++;
          if (map === end) return 0;
        }
      }
      if (next === 0) return 0;
      self = next;
    }
  }

  /** ts_node_child(node, 0) of a hidden node: its first visible (or aliased) descendant through hidden ones. */
  private firstVisibleChild(id: number): number {
    const u8 = this.u8;
    const u16 = this.u16;
    const u32 = this.u32;
    for (;;) {
      if (u8[id]! & 1) return 0;
      const p = u32[id >> 2]!;
      const count = u32[(p + HEAP_CHILD_COUNT) >> 2]!;
      const production = u16[(p + HEAP_PRODUCTION_ID) >> 1]!;
      const sequence = production ? (this.aliasSequences >> 1) + production * this.maxAliasSequence : 0;
      const first = p - SUBTREE_SIZE * count;
      let structural = 0;
      let inner = 0;
      for (let i = 0; i < count; i++) {
        const c = first + SUBTREE_SIZE * i;
        const shape = shapeOf(u8, u16, u32, c);
        let alias = 0;
        if (!(shape & 2)) {
          if (sequence) alias = u16[sequence + structural]!;
          structural++;
        }
        if ((shape & 1) || alias) return c;
        if (visibleChildCount(u8, u32, c) > 0) {
          inner = c;
          break;
        }
      }
      if (inner === 0) return 0;
      id = inner;
    }
  }

  /**
   * The subtree slots (node ids) of a node's visible children that carry a field, in order, as web-tree-sitter's
   * `childrenForFieldId` lists them (a tree cursor over the visible children, `ts_tree_cursor_current_field_id`:
   * a child's own field in its parent's production, else that of the hidden node it was reached through; none for
   * an extra).
   */
  childrenByField(id: number, fieldId: number, out: number[]): void {
    this.fresh();
    if (fieldId) this.fieldsVisit(id, 0, fieldId, out);
  }

  private fieldsVisit(id: number, carried: number, fieldId: number, out: number[]): void {
    const u8 = this.u8;
    const u16 = this.u16;
    const u32 = this.u32;
    if (u8[id]! & 1) return;
    const p = u32[id >> 2]!;
    const count = u32[(p + HEAP_CHILD_COUNT) >> 2]!;
    if (count === 0) return;
    const production = u16[(p + HEAP_PRODUCTION_ID) >> 1]!;
    const sequence = production ? (this.aliasSequences >> 1) + production * this.maxAliasSequence : 0;
    const first = p - SUBTREE_SIZE * count;
    let structural = 0;
    for (let i = 0; i < count; i++) {
      const c = first + SUBTREE_SIZE * i;
      const shape = shapeOf(u8, u16, u32, c);
      const extra = (shape & 2) !== 0;
      let alias = 0;
      let index = -1;
      if (!extra) {
        if (sequence) alias = u16[sequence + structural]!;
        index = structural++;
      }
      const visible = (shape & 1) !== 0 || alias !== 0;
      if (!visible && visibleChildCount(u8, u32, c) === 0) continue;
      const field = extra ? 0 : (this.ownField(production, index) || carried);
      if (visible) {
        if (field === fieldId) out.push(c);
      } else this.fieldsVisit(c, field, fieldId, out);
    }
  }

  /** The field of a production's structural child (a non-inherited entry of the field map), 0 if none. */
  private ownField(production: number, index: number): number {
    if (production >= this.sliceStart.length) return 0;
    const end = this.sliceEnd[production]!;
    for (let e = this.sliceStart[production]!; e < end; e++) {
      if (!this.entryInherited[e] && this.entryChild[e] === index) return this.entryField[e]!;
    }
    return 0;
  }
}

/** A subtree's flags as the field lookups need them: visible 1, extra 2; its child count and visible child count. */
function shapeOf(u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, c: number): number {
  const flags = u8[c]!;
  if (flags & 1) return ((flags & 2) ? 1 : 0) | ((flags & 8) ? 2 : 0);
  const q = u32[c >> 2]!;
  const bits = u16[(q + HEAP_FLAGS) >> 1]!;
  return ((bits & 1) ? 1 : 0) | ((bits & 4) ? 2 : 0);
}

/** ts_subtree_visible_child_count: a heap subtree's visible children (0 for a leaf). */
function visibleChildCount(u8: Uint8Array, u32: Uint32Array, c: number): number {
  if (u8[c]! & 1) return 0;
  const q = u32[c >> 2]!;
  return u32[(q + HEAP_CHILD_COUNT) >> 2]! > 0 ? u32[(q + HEAP_VISIBLE_CHILD_COUNT) >> 2]! : 0;
}

function views(module: WasmModule): [Uint8Array, Uint16Array, Uint32Array] | undefined {
  const { HEAPU8, HEAPU16, HEAPU32 } = module;
  return HEAPU8 && HEAPU16 && HEAPU32 ? [HEAPU8, HEAPU16, HEAPU32] : undefined;
}
