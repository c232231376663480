/**
 * The `call-arguments` check: calls of BLAS/LAPACK routines and of C functions with a known signature, checked the
 * way the compiler checks them (ExprNodes.SimpleCallNode / PyrexTypes assignability), with the compiler's messages:
 *
 * - "Call with wrong number of arguments (expected 8, got 4)" (also "at least" / "at most"), at the `(`;
 * - "Cannot assign type 'int' to 'int *'" — a value where a pointer is expected (the missing `&`; such diagnostics
 *   carry `data: {fix: 'add-address-of'}`), a pointer of another type, a pointer where a number is expected;
 * - "Cannot convert Python object to 'd *'" — a Python object where a C pointer is expected.
 *
 * Only certain errors are reported: any argument whose type or type name is not known exactly is skipped, as are
 * calls with keyword or starred arguments, C++ functions (overloads) and fused functions' argument types.
 * A warning (`lapack-workspace`) flags a constant LWORK/LIWORK/LRWORK below the documented minimum, computed from
 * the other constant arguments (lapack/workspace-rules.ts); the compiler accepts such calls, LAPACK rejects them.
 */
import * as fs from 'node:fs';
import type { Diagnostic } from 'vscode-languageserver';
import type { DiagnosticCode } from '../../../shared/src/diagnostic-codes';
import { DIAGNOSTIC_SOURCE, defaultSeverity, type CheckContext, type DocumentCheck, type TreeDocument } from '../engine/check-types';
import { checkWorkspaceArgs, describeBelow, type ArgValue, type LapackRoutine } from '../lapack';
import { lapackTypedefs, routineOfModuleAttribute, routineOfSymbol } from '../features/lapack-symbols';
import { SessionSlot, documentSlot } from '../model/analysis-session';
import { type CType, type FunctionSignature, type ClassInfo, scalarType } from '../model/c-types';
import { documentModel } from '../model/document-model';
import { DefinitionCache, placedAt } from '../engine/definition-cache';
import { definitionUnits, skippedMembers } from '../engine/definition-units';
import type { ModuleModel } from '../model/module-model';
import { type PxdResolver, uriToPath } from '../model/pxd-resolver';
import { splitTopLevel } from '../model/type-syntax';
import type { Scope, Symbol } from '../model/symbols';
import { type Node, field, isBrokenSyntax, namedChildren, significantChildren, stringValue } from '../model/syntax';
import { nodeRange, offsetRange } from '../text/positions';

export const CALL_ARGUMENTS_CODE = 'call-arguments' satisfies DiagnosticCode;
export const LAPACK_WORKSPACE_CODE = 'lapack-workspace' satisfies DiagnosticCode;

export const callArgumentsCheck: DocumentCheck = {
  id: CALL_ARGUMENTS_CODE,
  codes: [CALL_ARGUMENTS_CODE, LAPACK_WORKSPACE_CODE],
  run(doc: TreeDocument, ctx: CheckContext): Diagnostic[] {
    const session = ctx.session;
    const model = documentModel(session, doc, ctx.settings.includeDirs, ctx.settings.directives);
    const resolver = session.resolver(doc.tree.language, ctx.settings.includeDirs);
    const caches = session.slot(CACHES);
    let cache = caches.get(doc.uri);
    if (!cache) {
      cache = new DefinitionCache<Diagnostic>();
      caches.set(doc.uri, cache);
    }
    // whether every cimport and include resolved decides how unknown names are typed, as for the GIL check
    cache.begin(`${resolver.generation}\0${ctx.settings.includeDirs.join('\0')}\0${model.typer.complete() ? 'complete' : 'partial'}`);
    // Checked per top-level statement and cached like the GIL findings: a keystroke re-checks the calls of the
    // definition it touched (and of definitions using a declaration that changed), with rows relative to it.
    const scope = model.declarations.scope;
    const statements = doc.tree.rootNode.namedChildren.filter((n): n is NonNullable<typeof n> => n !== null);
    const out: Diagnostic[] = [];
    const units = statements.flatMap((s) => definitionUnits(s, session.splitClasses));
    for (const unit of units) {
      if (ctx.isCancelled()) break;
      const base = unit.node.startPosition.row;
      const relative = cache.get(unit, scope) ?? cache.record(unit, scope, () => {
        const checker = new CallChecker(doc, model, resolver, session.slot(SOURCES), () => ctx.isCancelled());
        checker.run(unit.statement, skippedMembers(unit));
        const rows = unit.rows;
        return checker.diagnostics
          .filter((d) => !rows || (d.range.start.line >= rows.first && d.range.start.line <= rows.last))
          .map((d) => shiftRows(d, -base));
      }, (ds) => !ctx.isCancelled() && ds.every((d) => !d.relatedInformation?.length));
      for (const d of placedAt(relative, base, shiftRows)) out.push(d);
    }
    cache.retain(units);
    return out;
  },
};

/** The per-definition caches of a session's documents. */
const CACHES = documentSlot<DefinitionCache<Diagnostic>>('call-arguments caches');

/** Definitions and calls of a statement, found once per tree version for all its units (a class's methods). */
const sweeps = new WeakMap<Node, { defs: Node[]; calls: Node[] }>();

function sweepOf(root: Node): { defs: Node[]; calls: Node[] } {
  let found = sweeps.get(root);
  if (!found) {
    // Over the shared node objects (tree/node-memo.ts: the GIL walk read most of them already), in document order;
    // iterative, for code nested thousands deep.
    found = { defs: [], calls: [] };
    const scopes = (scopeSet ??= new Set(SCOPE_TYPES));
    const stack: Node[] = [root];
    while (stack.length) {
      const n = stack.pop() as Node;
      if (n.type === 'call') found.calls.push(n);
      else if (scopes.has(n.type)) found.defs.push(n);
      const cs = n.namedChildren;
      for (let i = cs.length - 1; i >= 0; i--) stack.push(cs[i] as Node);
    }
    sweeps.set(root, found);
  }
  return found;
}

let scopeSet: Set<string> | undefined;

function shiftRows(d: Diagnostic, by: number): Diagnostic {
  return { ...d, range: { start: { line: d.range.start.line + by, character: d.range.start.character },
    end: { line: d.range.end.line + by, character: d.range.end.character } } };
}

interface Callee {
  sig: FunctionSignature;
  /** Each parameter as declared (`const double *q`), when the declaration could be read: `const` lives only here. */
  paramTexts?: string[];
  routine?: LapackRoutine;
  /** Names of C typedefs visible where the function is declared (for deciding whether two types are the same). */
  typedef: (name: string) => string | undefined;
}

type Verdict = 'same' | 'different' | 'unknown';

interface Context {
  scope: Scope;
  cls: ClassInfo | undefined;
}

/** A function or class definition that contains the offsets being swept. */
interface OpenDefinition {
  end: number;
  /** Calls before the body (parameter defaults, decorators... ) are evaluated outside. */
  bodyStart: number;
  inside: Context;
  outside: Context;
}

const CLASS_TYPES = new Set(['class_definition', 'cdef_class_definition', 'cypclass_definition', 'decorated_definition',
  'block']);

/**
 * Inside a statement or definition holding a syntax error (not counting class bodies, whose well-formed methods are
 * checked): what error recovery made of it, and of the declarations around it, is no ground for an error.
 */
function inBrokenStatement(call: Node): boolean {
  if (!call.tree.rootNode.hasError) return false;
  for (let n = call.parent; n && n.parent; n = n.parent) {
    if (n.hasError ? !CLASS_TYPES.has(n.type) : isBrokenSyntax(n)) return true;
  }
  return false;
}

const SCOPE_TYPES = ['function_definition', 'c_function_definition', 'class_definition', 'cdef_class_definition',
  'cypclass_definition'];

class CallChecker {
  readonly diagnostics: Diagnostic[] = [];
  /** Callees already described in this run, by signature or routine (null: not checkable). */
  private readonly callees = new Map<object, Callee | null>();
  /** The module is compiled as C++ (overloaded extern functions are possible). */
  private readonly cpp: boolean;

  constructor(private readonly doc: TreeDocument, private readonly model: ModuleModel,
    private readonly resolver: PxdResolver, private readonly sources: Map<string, SourceEntry>,
    private readonly cancelled: () => boolean) {
    this.cpp = CPP_MODULE.test(doc.text.slice(0, 4000));
  }

  /**
   * Checks every call of the tree. Calls and definitions are found natively (`descendantsOfType`) and matched to
   * their enclosing function by a sweep over offsets, without walking the tree in JavaScript.
   */
  run(root: Node, skipped: readonly Node[] = []): void {
    // calls and definitions inside skipped class members are another unit's (engine/definition-units.ts)
    const kept = (n: Node | null): n is Node => n !== null
      && !skipped.some((m) => n.startIndex >= m.startIndex && n.startIndex < m.endIndex);
    const found = sweepOf(root);
    const defs = found.defs.filter(kept);
    const calls = found.calls.filter(kept);
    const module: Context = { scope: this.model.declarations.scope, cls: undefined };
    const open: OpenDefinition[] = [];
    let d = 0;
    for (let i = 0; i < calls.length; i++) {
      if ((i & 255) === 255 && this.cancelled()) return;
      const call = calls[i];
      const at = call.startIndex;
      while (d < defs.length && defs[d].startIndex <= at) {
        const def = defs[d++];
        while (open.length && open[open.length - 1].end <= def.startIndex) open.pop();
        open.push(this.openDefinition(def, open.length ? open[open.length - 1] : undefined, module));
      }
      while (open.length && open[open.length - 1].end <= at) open.pop();
      const top = open[open.length - 1];
      const ctx = !top ? module : at >= top.bodyStart ? top.inside : top.outside;
      this.checkCall(call, ctx.scope);
    }
  }

  private openDefinition(def: Node, enclosing: OpenDefinition | undefined, module: Context): OpenDefinition {
    const outside = !enclosing ? module : def.startIndex >= enclosing.bodyStart ? enclosing.inside : enclosing.outside;
    const body = field(def, 'body');
    let inside: Context;
    if (def.type === 'function_definition' || def.type === 'c_function_definition') {
      inside = { scope: this.model.functionInfo(def, outside.scope, outside.cls).scope, cls: outside.cls };
    } else {
      const name = field(def, 'name')?.text;
      const sym = name ? outside.scope.lookup(name) : undefined;
      inside = { scope: outside.scope, cls: sym?.type.kind === 'py' ? sym.type.cls : undefined };
    }
    return { end: def.endIndex, bodyStart: body ? body.startIndex : def.endIndex, inside, outside };
  }

  private checkCall(call: Node, scope: Scope): void {
    const args = field(call, 'arguments');
    if (!args || args.type !== 'argument_list' || args.hasError || inBrokenStatement(call)) return;
    const callee = this.callee(call, scope);
    if (!callee) return;
    const argNodes = significantChildren(args);
    if (argNodes.some((a) => /keyword_argument|splat/.test(a.type))) return;
    const { sig } = callee;
    // The declaration's text must list as many parameters as the model read (see declaredParams).
    if (callee.paramTexts === undefined) return;
    const total = sig.params.length;
    const required = sig.params.filter((p) => !p.hasDefault).length;
    const got = argNodes.length;
    let expected: string | undefined;
    if (sig.varargs || required !== total) {
      if (got < required) expected = `at least ${required}`;
      else if (!sig.varargs && got > total) expected = `at most ${total}`;
    } else if (got !== total) {
      expected = String(total);
    }
    if (expected !== undefined) {
      this.error(offsetRange(this.doc, args.startIndex, args.endIndex),
        `Call with wrong number of arguments (expected ${expected}, got ${got})`);
      return;
    }
    if (sig.params.some((p) => containsFused(p.type))) return;
    argNodes.forEach((arg, i) => {
      const param = sig.params[i];
      if (param) this.checkArgument(arg, i, param.type, scope, callee);
    });
    if (callee.routine?.workspace?.rules.length) this.checkWorkspace(call, argNodes, callee.routine);
  }

  /** The C function a call's callee names, when its signature is known and plain C. */
  private callee(call: Node, scope: Scope): Callee | undefined {
    const fn = field(call, 'function');
    if (!fn) return undefined;
    let sym: Symbol | undefined;
    let routine: LapackRoutine | undefined;
    if (fn.type === 'identifier') {
      sym = scope.lookup(fn.text);
      routine = routineOfSymbol(sym);
    } else if (fn.type === 'attribute') {
      const obj = field(fn, 'object');
      const attr = field(fn, 'attribute')?.text;
      if (!obj || obj.type !== 'identifier' || !attr) return undefined;
      const moduleSym = scope.lookup(obj.text);
      routine = routineOfModuleAttribute(moduleSym, attr);
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
      const typedefs = lapackTypedefs();
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
      let n: Node | null = this.nodeAt(sig.location);
      while (n && n.type !== 'c_function_definition' && n.type !== 'c_function_declaration') {
        if (n.type === 'ERROR') return false;
        n = n.parent;
      }
      return n !== null && !n.hasError;
    }
    return !(sig.origin === 'extern' && (this.cpp || cppDeclarations(this.sources, uri)));
  }

  private nodeAt(loc: FunctionSignature['location']): Node | null {
    return loc ? this.doc.tree.rootNode.descendantForPosition({ row: loc.line, column: loc.character }) : null;
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

  private checkArgument(arg: Node, index: number, target: CType, scope: Scope, callee: Callee): void {
    if (arg.type === 'identifier' && arg.text === 'NULL') return;
    const info = this.model.typer.info(arg, scope);
    const actual = info.type;
    const to = (): string | undefined => targetName(target, callee.paramTexts?.[index]);
    if (target.kind === 'ptr') {
      // A list literal passed for a pointer becomes a temporary C array (ListNode.coerce_to); a tuple does not.
      if (arg.type === 'list' && target.base.kind !== 'void') return;
      if (actual.kind === 'py') {
        if (info.literal || !this.certainlyPython(arg, info.symbol) || charLike(target.base, callee) !== false
          || target.base.kind === 'func') return;
        const name = to();
        if (name) this.error(nodeRange(this.doc, arg), `Cannot convert Python object to '${name}'`);
        return;
      }
      if (actual.kind === 'ptr') {
        if (compatiblePointer(actual, target, callee) !== 'different') return;
        this.cannotAssign(arg, this.argTypeName(arg, actual, info.symbol, scope), to());
        return;
      }
      if (actual.kind === 'scalar') {
        const data = addressable(arg) && sameType(actual, target.base, callee) === 'same'
          ? { fix: 'add-address-of' } : undefined;
        this.cannotAssign(arg, this.argTypeName(arg, actual, info.symbol, scope), to(), data);
        return;
      }
      if (actual.kind === 'memview') this.cannotAssign(arg, this.memviewText(info.symbol), to());
      return;
    }
    if (target.kind === 'scalar' && actual.kind === 'ptr') {
      this.cannotAssign(arg, this.argTypeName(arg, actual, info.symbol, scope), to());
    }
  }

  private cannotAssign(arg: Node, from: string | undefined, to: string | undefined, data?: { fix: string }): void {
    // Types the compiler prints the same are assignable (ExprNodes.coerce_to: `str(src.type) == str(dst_type)`), e.g.
    // two typedefs of one name reached through different declarations.
    if (from && to && from !== to) this.error(nodeRange(this.doc, arg), `Cannot assign type '${from}' to '${to}'`, data);
  }

  /**
   * The compiler's spelling of an argument's type, when we can be sure of it: literals, and variables, their
   * addresses, elements and casts whose declaration in this document is not `const` (the model does not keep
   * `const`) and not an array written `T[N] x` / `T x[N]` (which the model may read as a plain `T`).
   */
  private argTypeName(arg: Node, actual: CType, sym: Symbol | undefined, scope: Scope): string | undefined {
    const name = typeName(actual);
    if (!name) return undefined;
    switch (arg.type) {
      case 'integer': case 'float':
        return /[jJlLuU]$/.test(arg.text) ? undefined : name;
      case 'identifier': {
        if (sym?.kind !== 'c-variable') return undefined;
        const written = this.writtenType(sym);
        if (plain(written, true)) return name;
        // `const T *p`: the one const placement the compiler spells `const T *`
        const leadingConst = written !== undefined && !written.includes('[') && /^\s*const\s/.test(written)
          && (written.match(/\bconst\b/g) ?? []).length === 1;
        return leadingConst && actual.kind === 'ptr' && actual.base.kind !== 'ptr' ? `const ${name}` : undefined;
      }
      case 'address_of': {
        const inner = field(arg, 'value') ?? significantChildren(arg)[0];
        if (inner?.type === 'identifier') return plain(this.writtenType(scope.lookup(inner.text)), true) ? name : undefined;
        const root = inner ? rootIdentifier(inner) : undefined;
        return root && plain(this.writtenType(scope.lookup(root.text)), false) ? name : undefined;
      }
      case 'subscript': {
        const root = rootIdentifier(arg);
        return root && plain(this.writtenType(scope.lookup(root.text)), false) ? name : undefined;
      }
      case 'cast_expression':
        return /\bconst\b/.test(field(arg, 'type')?.text ?? 'const') ? undefined : name;
      default:
        return undefined;
    }
  }

  /**
   * Python objects the model cannot have mistaken for something else: parameters and variables declared in this
   * document as objects, and list/tuple/dict/set displays. Inferred locals and attributes are left out (an attribute
   * of `self` may be a C attribute declared in a way the model missed).
   */
  private certainlyPython(arg: Node, sym: Symbol | undefined): boolean {
    if (arg.type === 'identifier') {
      return sym?.kind === 'py-variable' && (sym.binding === 'argument' || this.writtenType(sym) !== undefined);
    }
    return ['list', 'tuple', 'dictionary', 'set', 'list_comprehension', 'dictionary_comprehension',
      'set_comprehension'].includes(arg.type);
  }

  /** A variable's type as written in its declaration in this document (without its initial value). */
  private writtenType(sym: Symbol | undefined): string | undefined {
    const loc = sym?.location;
    if (!loc || loc.uri !== this.doc.uri) return undefined;
    let node: Node | null = this.nodeAt(loc);
    let declarator: Node | null = null;
    while (node && node.type !== 'c_parameter' && node.type !== 'c_variable_declaration') {
      if (node.type === 'c_declarator') declarator = node;
      node = node.parent;
    }
    if (!node) return undefined;
    declarator ??= field(node, 'declarator');
    const value = declarator ? (field(declarator, 'value') ?? field(node, 'default')) : field(node, 'default');
    const text = (field(node, 'type')?.text ?? '') + ' ' + (declarator ? declarator.text.slice(0,
      value && value.startIndex >= declarator.startIndex ? value.startIndex - declarator.startIndex : undefined) : '');
    return text;
  }

  /** A memoryview variable's type as the compiler prints it (`double[:, ::1]`), read from its declaration. */
  private memviewText(sym: Symbol | undefined): string | undefined {
    const loc = sym?.location;
    if (!loc || loc.uri !== this.doc.uri) return undefined;
    let node: Node | null = this.nodeAt(loc);
    while (node && node.type !== 'c_parameter' && node.type !== 'c_variable_declaration') node = node.parent;
    const type = node ? field(node, 'type') : null;
    if (!type || type.type !== 'memoryview_type') return undefined;
    const element = field(type, 'element');
    const axes = namedChildren(type).filter((c) => c.type === 'memoryview_axis').map((c) => c.text.replace(/\s+/g, ''));
    if (!element || axes.length === 0) return undefined;
    const prefix = type.text.slice(0, element.startIndex - type.startIndex).replace(/\s+/g, ' ');
    return `${prefix}${element.text.replace(/\s+/g, ' ')}[${axes.join(', ')}]`;
  }

  /** LWORK-style arguments whose constant value is below LAPACK's documented minimum. */
  private checkWorkspace(call: Node, argNodes: Node[], routine: LapackRoutine): void {
    const values: Record<string, ArgValue> = {};
    const body = enclosingBody(call);
    routine.params.forEach((p, i) => {
      const arg = argNodes[i];
      const inner = arg?.type === 'address_of' ? (field(arg, 'value') ?? significantChildren(arg)[0]) : undefined;
      if (inner?.type !== 'identifier') return;
      const v = constantValue(inner.text, body);
      if (v !== undefined) values[p.name] = v;
    });
    for (const below of checkWorkspaceArgs(routine, values)) {
      const index = routine.params.findIndex((p) => p.name === below.param);
      const arg = argNodes[index];
      if (!arg) continue;
      this.diagnostics.push({
        range: nodeRange(this.doc, arg), severity: defaultSeverity(LAPACK_WORKSPACE_CODE), code: LAPACK_WORKSPACE_CODE,
        source: DIAGNOSTIC_SOURCE, message: describeBelow(routine, below),
      });
    }
  }

  private error(range: Diagnostic['range'], message: string, data?: { fix: string }): void {
    const d: Diagnostic = { range, severity: defaultSeverity(CALL_ARGUMENTS_CODE), code: CALL_ARGUMENTS_CODE,
      source: DIAGNOSTIC_SOURCE, message };
    if (data) d.data = data;
    this.diagnostics.push(d);
  }
}

const CPP_MODULE = /^#\s*distutils:\s*language\s*=\s*c\+\+|^#\s*tag:.*\bcpp\b|^#\s*cython:.*\bcpp_locals\b/m;

interface SourceEntry {
  checked: number;
  text: string | undefined;
  lineStarts?: number[];
}

/** The texts of declaring .pxd files, by URI, in each session. */
const SOURCES = new SessionSlot('call-arguments .pxd texts', () => new Map<string, SourceEntry>());

/** The text of a declaring .pxd, read once every few seconds at most. */
function sourceEntry(sources: Map<string, SourceEntry>, uri: string): SourceEntry {
  const hit = sources.get(uri);
  if (hit && Date.now() - hit.checked < 5000) return hit;
  const file = uriToPath(uri);
  let text: string | undefined;
  try {
    text = file === undefined ? undefined : fs.readFileSync(file, 'utf8');
  } catch {
    text = undefined;
  }
  // Unchanged text keeps its entry (and what is cached on it).
  if (hit && hit.text === text) {
    hit.checked = Date.now();
    return hit;
  }
  const entry: SourceEntry = { checked: Date.now(), text };
  sources.set(uri, entry);
  return entry;
}

/** Offset of a (line, character) position in a source entry's text; line starts are computed once. */
function offsetIn(entry: SourceEntry, line: number, character: number): number | undefined {
  if (entry.text === undefined) return undefined;
  if (!entry.lineStarts) {
    const starts = [0];
    for (let i = entry.text.indexOf('\n'); i >= 0; i = entry.text.indexOf('\n', i + 1)) starts.push(i + 1);
    entry.lineStarts = starts;
  }
  const start = entry.lineStarts[line];
  return start === undefined ? undefined : start + character;
}

const cppVerdicts = new WeakMap<object, boolean>();

function cppDeclarations(sources: Map<string, SourceEntry>, uri: string): boolean {
  if (/\/libcpp\//.test(uri)) return true;
  const entry = sourceEntry(sources, uri);
  if (entry.text === undefined) return true;
  let cpp = cppVerdicts.get(entry);
  if (cpp === undefined) {
    cpp = /namespace\s*"|\bcppclass\b|except\s*\+/.test(entry.text);
    cppVerdicts.set(entry, cpp);
  }
  return cpp;
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

function pointerDepth(t: CType): number {
  return t.kind === 'ptr' ? 1 + pointerDepth(t.base) : 0;
}

/**
 * The parameter's type as the compiler prints it: `const` comes from the declaration's text (`const double *q` →
 * `const double *`); undefined when the text is unknown or `const` sits where we cannot place it.
 */
function targetName(target: CType, written: string | undefined): string | undefined {
  if (written === undefined) return undefined;
  // The model's reading must agree with the text (`int **restrict b` is not read as written, for one).
  if ((written.match(/\*/g) ?? []).length !== pointerDepth(target)) return undefined;
  const name = typeName(target);
  if (!name || !/\bconst\b/.test(written)) return name;
  if (target.kind === 'ptr' && target.base.kind !== 'ptr') return `const ${name}`;
  if (target.kind === 'scalar') return `const ${name}`;
  return undefined;
}

// ---- types as the compiler sees and prints them ----

/** Spellings Cython treats as the same builtin type. */
const ALIASES: Record<string, string> = {
  'long int': 'long', 'short int': 'short', 'long long int': 'long long', 'unsigned long int': 'unsigned long',
  'unsigned short int': 'unsigned short', 'unsigned long long int': 'unsigned long long', unsigned: 'unsigned int',
  'signed short int': 'signed short', 'signed long int': 'signed long',
};

function builtinName(name: string): string {
  return ALIASES[name] ?? name;
}

/** The type as the compiler prints it in "Cannot assign type ..." (undefined when we cannot spell it exactly). */
export function typeName(t: CType): string | undefined {
  switch (t.kind) {
    case 'scalar': return builtinName(t.name);
    case 'void': return 'void';
    case 'struct': return t.info.name;
    case 'ptr': {
      const base = typeName(t.base);
      if (base === undefined || t.base.kind === 'func' || t.base.kind === 'array') return undefined;
      return t.base.kind === 'ptr' ? `${base}*` : `${base} *`;
    }
    default: return undefined;
  }
}

/** A scalar's underlying builtin type after typedefs (`d` → `double`, `int32_t` → `signed int`). */
function canonical(name: string, callee: Callee): string | undefined {
  let n = name;
  for (let i = 0; i < 8; i++) {
    if (scalarType(n) && !callee.typedef(n)) return builtinName(n);
    const next = callee.typedef(n);
    if (next === undefined) return scalarType(n) ? builtinName(n) : undefined;
    n = next.replace(/\s+/g, ' ').trim();
  }
  return undefined;
}

function sameType(a: CType, b: CType, callee: Callee): Verdict {
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    // The model resolved typedef chains where it declared them (`cnp.intp_t` → `signed long`); names looked up in
    // the callee's tables are the fallback.
    const x = a.underlying ? builtinName(a.underlying) : canonical(a.name, callee);
    const y = b.underlying ? builtinName(b.underlying) : canonical(b.name, callee);
    if (x === undefined || y === undefined) return 'unknown';
    return x === y ? 'same' : 'different';
  }
  if (a.kind === 'void' && b.kind === 'void') return 'same';
  if (a.kind === 'ptr' && b.kind === 'ptr') return sameType(a.base, b.base, callee);
  if ((a.kind === 'void' && (b.kind === 'scalar' || b.kind === 'ptr'))
    || (b.kind === 'void' && (a.kind === 'scalar' || a.kind === 'ptr'))) return 'different';
  if ((a.kind === 'scalar' && b.kind === 'ptr') || (a.kind === 'ptr' && b.kind === 'scalar')) return 'different';
  if (a.kind === 'struct' && b.kind === 'struct' && a.info.name === b.info.name) return 'same';
  return 'unknown';
}

/** Can a pointer of type `actual` be passed for `target`? (`T *` → `void *` always can.) */
function compatiblePointer(actual: Extract<CType, { kind: 'ptr' }>, target: Extract<CType, { kind: 'ptr' }>,
  callee: Callee): Verdict {
  if (target.base.kind === 'void') return 'same';
  return sameType(actual.base, target.base, callee);
}

/** Is the pointed-to type a character type (Python bytes/str coerce to `char *`)? undefined: cannot tell. */
function charLike(t: CType, callee: Callee): boolean | undefined {
  if (t.kind !== 'scalar') return t.kind === 'void' ? false : t.kind === 'unknown' ? undefined : false;
  const c = canonical(t.name, callee);
  if (c === undefined) return undefined;
  return /^(?:(?:un)?signed )?char$|^Py_UNICODE$|^Py_UCS4$/.test(c);
}

function containsFused(t: CType): boolean {
  if (t.kind === 'fused' || t.kind === 'unknown') return true;
  if (t.kind === 'ptr' || t.kind === 'array' || t.kind === 'ref' || t.kind === 'memview') return containsFused(t.base);
  return false;
}

/** A declaration without `const` (and, for `noArray`, without array brackets). */
function plain(written: string | undefined, noArray: boolean): boolean {
  return written !== undefined && !/\bconst\b/.test(written) && !(noArray && written.includes('['));
}

/** `A` of `A[i, j]`, `A.x[i]`, `p[0].f`. */
function rootIdentifier(node: Node): Node | undefined {
  let n: Node | null = node;
  while (n && (n.type === 'subscript' || n.type === 'attribute')) n = field(n, n.type === 'subscript' ? 'value' : 'object');
  return n?.type === 'identifier' ? n : undefined;
}

function addressable(arg: Node): boolean {
  return arg.type === 'identifier' || arg.type === 'attribute' || arg.type === 'subscript';
}

// ---- constant arguments for the workspace rules ----

function enclosingBody(node: Node): Node {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'c_function_definition') return field(n, 'body') ?? n;
    if (!n.parent) return n;
  }
  return node;
}

/**
 * The value of a local that is written exactly once, by a declaration or assignment of an integer or
 * one-character literal (`cdef int lwork = 10`, `jobz = b'V'`); undefined otherwise.
 */
export function constantValue(name: string, body: Node): ArgValue | undefined {
  const writes: (Node | null)[] = [];
  const visit = (n: Node): void => {
    for (const c of namedChildren(n)) {
      if (c.type === 'function_definition' || c.type === 'c_function_definition' || c.type === 'lambda') continue;
      if (c.type === 'c_declarator' && field(c, 'name')?.text === name) writes.push(field(c, 'value'));
      else if ((c.type === 'assignment' || c.type === 'augmented_assignment')
        && targetsName(field(c, 'left'), name)) writes.push(c.type === 'assignment' ? field(c, 'right') : null);
      else if ((c.type === 'for_statement' && targetsName(field(c, 'left'), name))
        || (c.type === 'for_from_statement' && field(c, 'target')?.text === name)
        || (c.type === 'named_expression' && field(c, 'name')?.text === name)) writes.push(null);
      visit(c);
    }
  };
  visit(body);
  if (writes.length !== 1 || !writes[0]) return undefined;
  return literalValue(writes[0]);
}

function targetsName(target: Node | null, name: string): boolean {
  if (!target) return false;
  if (target.type === 'identifier') return target.text === name;
  if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern'
    || target.type === 'tuple' || target.type === 'list') {
    return namedChildren(target).some((c) => targetsName(c, name));
  }
  return false;
}

function literalValue(v: Node): ArgValue | undefined {
  if (v.type === 'integer' && /^\d+$/.test(v.text)) return Number(v.text);
  if (v.type === 'unary_operator') {
    const arg = field(v, 'argument');
    if (arg?.type === 'integer' && /^\d+$/.test(arg.text) && v.text.trim().startsWith('-')) return -Number(arg.text);
    return undefined;
  }
  if (v.type === 'string') {
    const s = stringValue(v);
    return s.length === 1 ? s : undefined;
  }
  return undefined;
}

// ---- signatures of routines whose .pxd was not found ----

/** A routine's C signature from the database (`d *a` → pointer to the typedef `d`). */
export function routineSignature(routine: LapackRoutine, typedefs: Readonly<Record<string, string>>): FunctionSignature {
  const cType = (text: string): CType => {
    const stars = (text.match(/\*/g) ?? []).length;
    const base = text.replace(/\*/g, '').trim();
    const builtin = scalarType(base);
    const under = typedefs[base] !== undefined ? scalarType(typedefs[base]) : undefined;
    let t: CType = base === 'void' ? { kind: 'void' } : builtin ?? (under?.kind === 'scalar' ? { ...under, name: base }
      : { kind: 'unknown', reason: `callback type ${base}` });
    for (let i = 0; i < stars; i++) t = { kind: 'ptr', base: t };
    return t;
  };
  return {
    name: routine.name, returnType: cType(routine.returns),
    params: routine.params.map((p) => ({ name: p.name, type: cType(p.type), hasDefault: false })),
    varargs: false, nogil: true, withGil: false, exception: { kind: 'noexcept', explicit: true }, origin: 'cdef',
    inPxd: true,
  };
}
