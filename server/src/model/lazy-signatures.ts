/**
 * C function signatures of a .pxd read on first use. Enumerating a .pxd (`from pysam.libchtslib cimport *`, a .pyx's
 * own .pxd) binds every name it declares, but a module uses the types of few of them: as in the compiler, a star
 * cimport binds the names (Symtab.ModuleScope.add_imported_entry); reading a signature's types is what costs (a
 * 1,500-line .pxd of 900 functions: most of its collection). A function declared in a .pxd collected in one pass
 * gets a symbol whose `signature` and `type` are read the first time they are asked for.
 *
 * The result is the one an eager collection gives: the signature is read against the module scope as it was when
 * the declaration was met (a name defined or redefined further down is not seen), through the scope's definition log
 * (`LoggedSymbols`). Reading needs the declaration's tree: whoever frees it settles the pending signatures first.
 */
import type { FunctionSignature } from './c-types';
import type { DeclarationContext } from './declaration-types';
import { type Node, field, locationOf } from './syntax';
import { type Symbol, Scope } from './symbols';
import { SignatureReader } from './signature-reader';
import { TypeResolver } from './type-resolution';

/** Every definition made in a module scope, in order, with what each replaced: the scope as it was at any point. */
export class DefinitionLog {
  /** definitions so far */
  seq = 0;
  /** name → its definitions: [sequence number, the symbol it replaced] */
  private readonly history = new Map<string, [number, Symbol | undefined][]>();

  record(name: string, prev: Symbol | undefined): void {
    const seq = ++this.seq;
    const h = this.history.get(name);
    if (h) h.push([seq, prev]);
    else this.history.set(name, [[seq, prev]]);
  }

  /** The symbol `name` had after the first `cutoff` definitions, given the one it has now. */
  valueAt(name: string, cutoff: number, current: Symbol | undefined): Symbol | undefined {
    const h = this.history.get(name);
    if (!h) return current;
    for (const [seq, prev] of h) if (seq > cutoff) return prev;
    return current;
  }
}

/** A module scope's symbol table that logs its definitions. */
export class LoggedSymbols extends Map<string, Symbol> {
  readonly log = new DefinitionLog();

  override set(name: string, sym: Symbol): this {
    this.log.record(name, Map.prototype.get.call(this, name) as Symbol | undefined);
    return super.set(name, sym);
  }
}

/** A module scope whose symbols log their definitions (a .pxd collected in one pass). */
export class LoggedScope extends Scope {
  declare readonly symbols: LoggedSymbols;

  constructor(parent: Scope) {
    super('module', parent);
    (this as { symbols: Map<string, Symbol> }).symbols = new LoggedSymbols();
  }
}

/** The symbols of a logged module scope as they were after `cutoff` definitions (read only). */
class SymbolsAt extends Map<string, Symbol> {
  constructor(private readonly live: Map<string, Symbol>, private readonly log: DefinitionLog,
    private readonly cutoff: number) {
    super();
  }

  override get(name: string): Symbol | undefined {
    return this.log.valueAt(name, this.cutoff, this.live.get(name));
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

class ScopeAt extends Scope {
  declare readonly symbols: Map<string, Symbol>;

  constructor(scope: Scope, log: DefinitionLog, cutoff: number) {
    super('module', scope.parent);
    (this as { symbols: Map<string, Symbol> }).symbols = new SymbolsAt(scope.symbols, log, cutoff);
  }
}

/** The signatures of one collection read on first use, and those not read yet. */
export class LazySignatures {
  private readonly pending = new Set<() => void>();
  /** the context as it was when the last declaration was met (its uri changes while an include is collected) */
  private ctxCopy: DeclarationContext | undefined;

  /** `scope`: the module scope collected into; `log`: the log of its definitions. */
  constructor(private readonly ctx: DeclarationContext, private readonly scope: Scope,
    private readonly log: DefinitionLog) {}

  /**
   * The symbol of a C function declared at module level in a .pxd (`defineFunction` of declarations/functions.ts for a
   * signature not yet read), or undefined when this declaration is read at once.
   */
  functionSymbol(node: Node, env: { extern: boolean; externNogil: boolean }): Symbol | undefined {
    if (node.type === 'function_definition') return undefined; // pure mode: its decorators are read with it
    const nameNode = field(node, 'name');
    if (!nameNode) return undefined;
    // `cpdef` (not extern) also binds a Python name (signature-reader.ts: origin 'cpdef')
    const cpdef = !env.extern && field(node, 'kind')?.text === 'cpdef'
      && !(node.type === 'c_function_declaration' && node.children.some((c) => c?.type === 'extern'));
    if (this.ctxCopy?.uri !== this.ctx.uri) this.ctxCopy = { ...this.ctx };
    const ctx = this.ctxCopy;
    const log = this.log;
    const cutoff = log.seq;
    const scope = this.scope;
    let sig: FunctionSignature | undefined;
    const sym = { name: nameNode.text, kind: 'c-function' } as Symbol;
    const read = (): FunctionSignature => {
      if (!sig) {
        this.pending.delete(read);
        const at = new ScopeAt(scope, log, cutoff);
        sig = new SignatureReader(ctx, new TypeResolver(at), at).signatureOf(node, env, undefined)!;
        settle(sym, sig);
      }
      return sig;
    };
    // the keys in the order of an eagerly collected symbol (defineFunction, declarations/functions.ts)
    Object.defineProperty(sym, 'type', { enumerable: true, configurable: true,
      get: () => {
        read();
        return sym.type; // settled: a plain property now
      },
      set: (v) => settleProperty(sym, 'type', v) });
    sym.binding = 'module';
    Object.defineProperty(sym, 'signature', { enumerable: true, configurable: true,
      get: read, set: (v) => settleProperty(sym, 'signature', v) });
    sym.location = locationOf(ctx.uri, nameNode);
    sym.alsoPython = cpdef;
    this.pending.add(read);
    return sym;
  }

  /** Reads every signature not read yet (before the trees they are read from are freed). */
  settle(): void {
    for (const read of [...this.pending]) read();
    this.pending.clear();
  }

  get size(): number {
    return this.pending.size;
  }
}

/** The symbol's signature and type, read: plain properties from now on (same keys, same order). */
function settle(sym: Symbol, sig: FunctionSignature): void {
  const type = Object.getOwnPropertyDescriptor(sym, 'type');
  if (type?.get) settleProperty(sym, 'type', { kind: 'func', sig });
  const signature = Object.getOwnPropertyDescriptor(sym, 'signature');
  if (signature?.get) settleProperty(sym, 'signature', sig);
}

function settleProperty(sym: Symbol, key: 'type' | 'signature', value: unknown): void {
  Object.defineProperty(sym, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Whether `sym` is a function symbol whose signature has not been read yet. */
export function signaturePending(sym: Symbol): boolean {
  return Object.getOwnPropertyDescriptor(sym, 'signature')?.get !== undefined;
}
