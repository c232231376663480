/**
 * The declarations of a .pxd, collected on demand: the file is split into units (pxd-units.ts) and a unit is parsed
 * and collected only when one of the names it may declare is looked up (`cnp.float64_t`, `from libc.math cimport
 * sqrt`). Enumerating the module (`from x cimport *`, completion, a .pyx's own .pxd) collects every unit, in file
 * order. Collection per unit follows the whole-file collection, which sees, at each statement, the statements above
 * it collected and the types below it predeclared (named, members still empty): while a unit is collected, a name
 * it needs from a unit above is collected first, a unit below only gets its types predeclared and is collected once
 * the outermost collection is done. Units that declare the same name are collected in file order (the later
 * declaration wins); a unit is collected once.
 */
import type { Tree } from 'web-tree-sitter';
import { builtinsScope } from './builtins';
import type { CimportResolver, ModuleDeclarations } from './declaration-types';
import { DeclarationCollector } from './declarations';
import { DefinitionLog, LazySignatures } from './lazy-signatures';
import type { PxdUnit } from './pxd-units';
import { Scope, type Symbol } from './symbols';

/** Counters for benchmarks and tests, kept by the resolver that loads the modules (PxdResolver.lazyStats). */
export interface LazyDeclarationStats {
  unitsParsed: number;
  /** Names a unit declared without listing them (pxd-units.ts missed them; the first 100): must stay empty. */
  unlisted: string[];
}

/** The symbol table of a lazily collected module: lookups collect the units that may declare the name. */
class LazySymbols extends Map<string, Symbol> {
  readonly log = new DefinitionLog();

  constructor(private readonly owner: LazyPxdModule) {
    super();
  }

  override get(name: string): Symbol | undefined {
    this.owner.materialize(name);
    return super.get(name);
  }

  override has(name: string): boolean {
    this.owner.materialize(name);
    return super.has(name);
  }

  override set(name: string, sym: Symbol): this {
    this.owner.beforeDefine(name);
    this.log.record(name, super.get(name));
    return super.set(name, sym);
  }

  override get size(): number {
    this.owner.materializeAll();
    return super.size;
  }

  override keys(): MapIterator<string> {
    this.owner.materializeAll();
    return super.keys();
  }

  override values(): MapIterator<Symbol> {
    this.owner.materializeAll();
    return super.values();
  }

  override entries(): MapIterator<[string, Symbol]> {
    this.owner.materializeAll();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, Symbol]> {
    return this.entries();
  }

  override forEach(cb: (value: Symbol, key: string, map: Map<string, Symbol>) => void, thisArg?: unknown): void {
    this.owner.materializeAll();
    super.forEach(cb, thisArg);
  }
}

class LazyScope extends Scope {
  declare readonly symbols: Map<string, Symbol>;

  constructor(symbols: LazySymbols) {
    super('module', builtinsScope());
    (this as { symbols: Map<string, Symbol> }).symbols = symbols;
  }
}

export class LazyPxdModule {
  readonly declarations: ModuleDeclarations;
  private readonly collector: DeclarationCollector;
  /** name → indices of the units that may declare it, ascending */
  private readonly unitsByName = new Map<string, number[]>();
  private readonly collected: boolean[];
  private readonly requested = new Set<string>();
  /** units being collected (innermost last) */
  private readonly stack: number[] = [];
  private complete = false;
  /** units below the one being collected whose types were predeclared: collected when the outermost one is done */
  private readonly deferred: number[] = [];
  private readonly unitTrees = new Map<number, Tree>();
  /** Units collected (or being collected) so far. */
  private collectedCount = 0;
  /** The whole file's tree, when it was enumerated before any unit was collected. */
  private wholeTree: Tree | undefined;
  private readonly symbolLog: DefinitionLog;

  constructor(private readonly text: string, private readonly units: PxdUnit[], uri: string,
    resolver: CimportResolver, private readonly parse: (text: string) => Tree,
    private readonly stats: LazyDeclarationStats = { unitsParsed: 0, unlisted: [] }) {
    units.forEach((u, index) => {
      for (const name of u.names) {
        let list = this.unitsByName.get(name);
        if (!list) this.unitsByName.set(name, (list = []));
        list.push(index);
      }
    });
    this.collected = units.map(() => false);
    const symbols = new LazySymbols(this);
    const scope = new LazyScope(symbols);
    this.collector = new DeclarationCollector({ uri, resolver, inPxd: true }, scope.parent!, scope);
    this.symbolLog = symbols.log;
    this.declarations = {
      name: '', uri, symbols: scope.symbols, scope, unresolved: this.collector.unresolved,
      includes: this.collector.includes,
    };
  }

  materialize(name: string): void {
    if (this.complete || this.requested.has(name)) return;
    this.requested.add(name);
    for (const index of this.unitsByName.get(name) ?? []) this.collect(index);
  }

  materializeAll(): void {
    if (this.complete) return;
    if (this.collectedCount === 0 && this.stack.length === 0) {
      // Enumerated before any name was looked up (`from x cimport *`, a .pyx's own .pxd): one parse of the whole file,
      // collected as the whole-file resolver does (one parse per unit costs ~0.3 ms each: a 1,500-line .pxd of 900
      // units took ~300 ms to parse unit by unit, ~30 ms whole).
      this.complete = true;
      this.collected.fill(true);
      this.collectedCount = this.units.length;
      this.wholeTree = this.parse(this.text);
      // collected in one pass, in file order: its function signatures are read on first use
      this.collector.lazySignatures = new LazySignatures(this.collector.ctx, this.collector.scope, this.symbolLog);
      this.collector.collectModule(this.wholeTree.rootNode);
      return;
    }
    for (let index = 0; index < this.units.length; index++) this.collect(index);
    this.complete = true;
  }

  /** A unit is about to define `name`: earlier units that may declare it too come first (the later one wins). */
  beforeDefine(name: string): void {
    const current = this.stack[this.stack.length - 1];
    if (current === undefined) return;
    const units = this.unitsByName.get(name);
    if (!units?.includes(current) && this.stats.unlisted.length < 100) {
      this.stats.unlisted.push(`${this.declarations.uri}: ${name}`);
    }
    for (const index of units ?? []) {
      if (index >= current) break;
      this.collect(index);
    }
  }

  private collect(index: number): void {
    if (this.collected[index]) return;
    const current = this.stack[this.stack.length - 1];
    if (current !== undefined && index > current) {
      this.predeclare(index);
      return;
    }
    this.collected[index] = true;
    this.collectedCount++;
    const tree = this.treeOf(index);
    this.stack.push(index);
    try {
      this.collector.collectModule(tree.rootNode);
    } finally {
      this.stack.pop();
    }
    if (this.stack.length === 0) {
      while (this.deferred.length) this.collect(this.deferred.shift()!);
    }
  }

  /** The types a unit declares, named but not yet filled in (as the whole-file collection starts with). */
  private predeclare(index: number): void {
    if (this.deferred.includes(index)) return;
    this.deferred.push(index);
    this.deferred.sort((a, b) => a - b);
    this.stack.push(index);
    try {
      this.collector.predeclareTypes(this.treeOf(index).rootNode);
    } finally {
      this.stack.pop();
    }
  }

  private treeOf(index: number): Tree {
    let tree = this.unitTrees.get(index);
    if (!tree) {
      tree = this.parse(unitSource(this.text, this.units[index]!));
      this.unitTrees.set(index, tree);
      this.stats.unitsParsed++;
    }
    return tree;
  }

  dispose(): void {
    this.collector.lazySignatures?.settle(); // they are read from the trees freed here
    for (const t of this.unitTrees.values()) t.delete();
    this.unitTrees.clear();
    this.wholeTree?.delete();
    this.wholeTree = undefined;
  }
}

/**
 * The text parsed for one unit: the unit (with its block's header) at its original rows and columns, every other
 * line left empty, so that declaration locations are those of the file.
 */
export function unitSource(text: string, unit: PxdUnit): string {
  let out = '';
  let row = 0;
  if (unit.header) {
    out += '\n'.repeat(unit.header.row) + text.slice(unit.header.start, unit.header.end) + '\n';
    row = unit.header.endRow + 1;
  }
  return out + '\n'.repeat(unit.row - row) + text.slice(unit.start, unit.end) + '\n';
}
