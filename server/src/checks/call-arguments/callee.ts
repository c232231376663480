/**
 * The function a call names, described for the argument checks: its signature, each parameter as declared (`const`
 * lives only in the text), the BLAS/LAPACK routine it is, and the typedefs visible where it is declared. A callee is
 * left out (not checkable) when its declaration cannot be relied on: C++ (overloads), syntax errors, `except +`.
 */
import type { TreeDocument } from '../../engine/check-types';
import type { LapackRoutine } from '../../lapack';
import type { LapackDatabase } from '../../lapack/database';
import { routineSignature } from '../../lapack/routine-signature';
import { lapackTypedefs, routineOfModuleAttribute, routineOfSymbol } from '../../lapack/symbols';
import type { FunctionSignature } from '../../model/c-types';
import type { ModuleModel } from '../../model/module-model';
import { type PxdResolver, uriToPath } from '../../model/pxd-resolver';
import type { Scope, Symbol } from '../../model/symbols';
import { type Node, field } from '../../model/syntax';
import { splitTopLevel } from '../../model/type-syntax';
import { someLineMatches } from '../../text/line-search';
import { type SourceEntry, cppDeclarations, offsetIn, sourceEntry } from './declaring-sources';

export interface Callee {
  sig: FunctionSignature;
  /** Each parameter as declared (`const double *q`), when the declaration could be read: `const` lives only here. */
  paramTexts?: string[];
  routine?: LapackRoutine;
  /** Names of C typedefs visible where the function is declared (for deciding whether two types are the same). */
  typedef: (name: string) => string | undefined;
}

/** Describes the callees of one run of the check (each once, by signature or routine). */
export class CalleeResolver {
  /** Callees already described in this run, by signature or routine (null: not checkable). */
  private readonly callees = new Map<object, Callee | null>();
  /**
   * `cppModule`: whether the module is compiled as C++ (overloaded extern functions are possible); the check's run
   * answers it once for all its units (a resolver per unit would search the header each time).
   */
  constructor(private readonly doc: TreeDocument, private readonly model: ModuleModel,
    private readonly resolver: PxdResolver, private readonly sources: Map<string, SourceEntry>,
    private readonly routines: LapackDatabase | undefined, private readonly cppModule?: () => boolean) {}

  private cppAnswer: boolean | undefined;

  private get cpp(): boolean {
    return (this.cppAnswer ??= this.cppModule ? this.cppModule() : isCppModuleHeader(this.doc.text.slice(0, 4000)));
  }

  /** The C function a call's callee names, when its signature is known and plain C. */
  callee(call: Node, scope: Scope): Callee | undefined {
    const fn = field(call, 'function');
    if (!fn) return undefined;
    let sym: Symbol | undefined;
    let routine: LapackRoutine | undefined;
    if (fn.type === 'identifier') {
      sym = scope.lookup(fn.text);
      routine = routineOfSymbol(this.routines, sym);
    } else if (fn.type === 'attribute') {
      const obj = field(fn, 'object');
      const attr = field(fn, 'attribute')?.text;
      if (!obj || obj.type !== 'identifier' || !attr) return undefined;
      const moduleSym = scope.lookup(obj.text);
      routine = routineOfModuleAttribute(this.routines, moduleSym, attr);
      sym = moduleSym?.kind === 'cimported-module' ? moduleSym.module?.symbols.get(attr) : undefined;
    } else {
      return undefined;
    }
    const key: object | undefined = routine ?? (sym?.kind === 'c-function' ? sym.signature : undefined);
    if (!key) return undefined;
    let callee = this.callees.get(key);
    if (callee === undefined) {
      callee = this.describeCallee(sym, routine) ?? null;
      this.callees.set(key, callee);
    }
    return callee ?? undefined;
  }

  /** Everything the argument checks need about a callee (computed once per callee and run). */
  private describeCallee(sym: Symbol | undefined, routine: LapackRoutine | undefined): Callee | undefined {
    if (routine) {
      const typedefs = lapackTypedefs(this.routines);
      const sig = sym?.kind === 'c-function' && sym.signature ? sym.signature : routineSignature(routine, typedefs);
      return { sig, routine, paramTexts: routine.params.map((p) => p.type),
        typedef: memo((n) => typedefs[n] ?? this.typedefIn(sig, n)) };
    }
    if (sym?.kind !== 'c-function' || !sym.signature) return undefined;
    const sig = sym.signature;
    if (sig.exception.kind === 'cpp' || !this.trustworthy(sig)) return undefined;
    const loc = sig.location;
    let params: string[] | undefined;
    if (loc?.uri === this.doc.uri) {
      params = declaredParams(this.doc.text, this.doc.textDocument.offsetAt({ line: loc.line, character: loc.character }),
        sig);
    } else if (loc) {
      const entry = sourceEntry(this.sources, loc.uri);
      if (entry.text !== undefined) params = declaredParams(entry.text, offsetIn(entry, loc.line, loc.character), sig);
    }
    return { sig, paramTexts: params,
      typedef: memo((n) => this.typedefIn(sig, n)) };
  }

  /**
   * Whether the model's reading of a declaration can be relied on: not in C++ code (extern functions may be
   * overloaded there, and the model keeps one signature per name), not read from a declaration with syntax errors.
   */
  private trustworthy(sig: FunctionSignature): boolean {
    const uri = sig.location?.uri;
    if (!uri) return false;
    if (uri === this.doc.uri) {
      if (sig.origin === 'extern' && this.cpp) return false;
      let n: Node | null = nodeAt(this.doc, sig.location);
      while (n && n.type !== 'c_function_definition' && n.type !== 'c_function_declaration') {
        if (n.type === 'ERROR') return false;
        n = n.parent;
      }
      // the header's errors only, as the model read it (an error inside the body does not touch the reading, and the
      // signature is what the per-definition caches of the callers depend on: engine/definition-cache.ts)
      return n !== null && !sig.brokenDeclaration;
    }
    return !(sig.origin === 'extern' && (this.cpp || cppDeclarations(this.sources, uri)));
  }

  /**
   * The C type a typedef name stands for (`ctypedef signed int int32_t` → `signed int`), looked up in this module,
   * then where `sig` is declared; a cimported typedef is followed to the .pxd that declares it.
   */
  private typedefIn(sig: FunctionSignature, name: string): string | undefined {
    const scopes: Scope[] = [this.model.declarations.scope];
    const declaring = this.moduleScope(sig.location?.uri);
    if (declaring) scopes.push(declaring);
    for (const s of scopes) {
      let sym = s.lookup(name);
      for (let hop = 0; hop < 4 && sym?.kind === 'c-type' && sym.type.kind === 'scalar'; hop++) {
        const m = /^ctypedef\s+(.+)$/.exec(sym.origin ?? '');
        if (m) return /[*&[(]/.test(m[1]) ? undefined : m[1].trim();
        sym = this.moduleScope(sym.location?.uri)?.lookupLocal(name);
      }
    }
    return undefined;
  }

  /** The declarations of another module (a .pxd), from the resolver's cache. */
  private moduleScope(uri: string | undefined): Scope | undefined {
    if (!uri || uri === this.model.uri) return undefined;
    const file = uriToPath(uri);
    return file ? this.resolver.load(file)?.scope : undefined;
  }
}

/** The node at a declaration's location in the document. */
export function nodeAt(doc: TreeDocument, loc: FunctionSignature['location']): Node | null {
  return loc ? doc.tree.rootNode.descendantForPosition({ row: loc.line, column: loc.character }) : null;
}

/**
 * Whether a module's header says it is compiled as C++ (`# distutils: language = c++`, a test's `# tag: cpp`, the
 * `cpp_locals` directive): the answer of `/^#\s*distutils:\s*language\s*=\s*c\+\+|^#\s*tag:.*\bcpp\b|^#\s*cython:.*\bcpp_locals\b/m`,
 * found by the words each line must contain (a multiline regex with no literal is tried at every offset, and this
 * runs once per definition).
 */
export function isCppModuleHeader(head: string): boolean {
  return someLineMatches(head, 'distutils:', /^#\s*distutils:\s*language\s*=\s*c\+\+/)
    || someLineMatches(head, 'tag:', /^#\s*tag:.*\bcpp\b/)
    || someLineMatches(head, 'cython:', /^#\s*cython:.*\bcpp_locals\b/);
}

/** The parameter texts of the declaration of `sig` whose name starts at `nameOffset` in `source`. */
function declaredParams(source: string, nameOffset: number | undefined, sig: FunctionSignature): string[] | undefined {
  if (nameOffset === undefined) return undefined;
  const open = source.indexOf('(', nameOffset);
  if (open < 0 || source.slice(nameOffset, open).trim() !== sig.name) return undefined;
  let depth = 0;
  let close = -1;
  for (let i = open; i < source.length && i < open + 20000; i++) {
    if (source[i] === '(') depth++;
    else if (source[i] === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) return undefined;
  const params = splitTopLevel(source.slice(open + 1, close).replace(/#[^\n]*/g, ''))
    .map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p !== '' && p !== '...' && p !== 'void');
  return params.length === sig.params.length ? params : undefined;
}

function memo(f: (name: string) => string | undefined): (name: string) => string | undefined {
  const seen = new Map<string, string | undefined>();
  return (name) => {
    if (!seen.has(name)) seen.set(name, f(name));
    return seen.get(name);
  };
}
