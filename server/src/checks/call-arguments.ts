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
 * Calls of BLAS/LAPACK routines the compiler accepts are then checked against the routine's documented contract
 * (lapack-calls/: memory order, buffer sizes, leading dimensions, LWORK below the minimum, INFO, overwritten inputs).
 */
import type { Diagnostic } from 'vscode-languageserver';
import type { DiagnosticCode } from '../../../shared/src/diagnostic-codes';
import { DIAGNOSTIC_SOURCE, defaultSeverity, type CheckContext, type DocumentCheck, type TreeDocument } from '../engine/check-types';
import { DefinitionCache, placedAt } from '../engine/definition-cache';
import { treeUnits, skippedMembers, unitsInRows } from '../engine/definition-units';
import type { LapackRoutine } from '../lapack';
import { type CType, type ClassInfo, definedClassOf } from '../model/c-types';
import { documentSlot } from '../model/analysis-session';
import type { LapackDatabase } from '../lapack/database';
import { bindsLapackNames, lapackDatabase, lapackDatabaseProblem } from '../lapack/symbols';
import { documentModel } from '../model/document-model';
import type { ModuleModel } from '../model/module-model';
import type { PxdResolver } from '../model/pxd-resolver';
import type { Scope, Symbol } from '../model/symbols';
import { type Node, field, isBrokenSyntax, namedChildren, significantChildren } from '../model/syntax';
import { typeName } from '../model/type-names';
import { nodeRange, offsetRange } from '../text/positions';
import { type Callee, CalleeResolver, isCppModuleHeader, nodeAt } from './call-arguments/callee';
import { SOURCES, type SourceEntry } from './call-arguments/declaring-sources';
import { charLike, compatiblePointer, containsFused, sameType, targetName } from './call-arguments/type-compatibility';
import { BodyValues, checkLapackCall, lapackCallRules } from './lapack-calls';

export const CALL_ARGUMENTS_CODE = 'call-arguments' satisfies DiagnosticCode;

export const callArgumentsCheck: DocumentCheck = {
  id: CALL_ARGUMENTS_CODE,
  codes: [CALL_ARGUMENTS_CODE, ...lapackCallRules.map((r) => r.code)],
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
    // whether every cimport and include resolved decides how undeclared names are typed, as for the GIL check
    cache.begin(`${resolver.generation}\0${ctx.settings.includeDirs.join('\0')}`, model.completeFor);
    // Checked per top-level statement and cached like the GIL findings: a keystroke re-checks the calls of the
    // definition it touched (and of definitions using a declaration that changed), with rows relative to it.
    const scope = model.declarations.scope;
    // a module calling BLAS/LAPACK routines without the routine database: its lapack-* findings are off, say so
    // (asked only for such a module: deciding it loads the database, which a module without LAPACK never reads)
    if (bindsLapackNames(scope.symbols.values())) {
      const problem = lapackDatabaseProblem(session);
      if (problem) ctx.problem(problem);
    }
    const out: Diagnostic[] = [];
    const units = treeUnits(doc.tree.rootNode, session.splitClasses);
    let cpp: boolean | undefined;
    const cppModule = (): boolean => (cpp ??= isCppModuleHeader(doc.text.slice(0, 4000)));
    for (const unit of unitsInRows(units, ctx.rows)) {
      if (ctx.isCancelled()) break;
      const base = unit.node.startPosition.row;
      const relative = cache.get(unit, scope) ?? cache.record(unit, scope, () => {
        const checker = new CallChecker(doc, model, resolver, session.slot(SOURCES), lapackDatabase(session),
          () => ctx.isCancelled(), cppModule);
        checker.run(unit.statement, skippedMembers(unit));
        const rows = unit.rows;
        return checker.diagnostics
          .filter((d) => !rows || (d.range.start.line >= rows.first && d.range.start.line <= rows.last))
          .map((d) => shiftRows(d, -base));
      }, (ds) => !ctx.isCancelled() && ds.every((d) => !d.relatedInformation?.length));
      for (const d of placedAt(relative, base, shiftRows)) out.push(d);
    }
    if (!ctx.rows) cache.retain(units);
    return out;
  },
};

/** The per-definition caches of a session's documents. */
const CACHES = documentSlot<DefinitionCache<Diagnostic>>('call-arguments caches');

/**
 * Definitions and calls of a statement, in document order, without those inside `skipped` (class members that are
 * other units': engine/definition-units.ts). The sweep does not enter the skipped members: a keystroke in one method
 * of a long class sweeps that method and the class's own code, not every other method of the class (whose nodes the
 * other analyses do not read either). A whole statement's sweep is kept per tree version.
 */
function sweepOf(root: Node, skipped: readonly Node[]): { defs: Node[]; calls: Node[] } {
  let found = skipped.length ? undefined : sweeps.get(root);
  if (!found) {
    // Over the shared node objects (tree/node-memo.ts: the GIL walk read most of them already), pre-order: document
    // order of their starts; iterative, for code nested thousands deep.
    found = { defs: [], calls: [] };
    const scopes = (scopeSet ??= new Set(SCOPE_TYPES));
    const skip = skipped.length ? new Set(skipped.map((m) => m.id)) : undefined;
    const stack: Node[] = [root];
    while (stack.length) {
      const n = stack.pop() as Node;
      if (skip?.has(n.id)) continue;
      if (n.type === 'call') found.calls.push(n);
      else if (scopes.has(n.type)) found.defs.push(n);
      const cs = n.namedChildren;
      for (let i = cs.length - 1; i >= 0; i--) stack.push(cs[i] as Node);
    }
    if (!skip) sweeps.set(root, found);
  }
  return found;
}

/** Whole statements' sweeps, per tree version (a memo of immutable nodes). */
const sweeps = new WeakMap<Node, { defs: Node[]; calls: Node[] }>();

let scopeSet: Set<string> | undefined;

function shiftRows(d: Diagnostic, by: number): Diagnostic {
  return { ...d, range: { start: { line: d.range.start.line + by, character: d.range.start.character },
    end: { line: d.range.end.line + by, character: d.range.end.character } } };
}

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
  /** The values of each function's variables, read once per run (lapack-calls/body-values.ts). */
  private readonly bodies = new Map<Node, BodyValues>();
  /** The functions this run's calls name, described once each. */
  private readonly callees: CalleeResolver;

  constructor(private readonly doc: TreeDocument, private readonly model: ModuleModel, resolver: PxdResolver,
    sources: Map<string, SourceEntry>, routines: LapackDatabase | undefined, private readonly cancelled: () => boolean,
    cppModule?: () => boolean) {
    this.callees = new CalleeResolver(doc, model, resolver, sources, routines, cppModule);
  }

  /**
   * Checks every call of the tree. Calls and definitions are found natively (`descendantsOfType`) and matched to
   * their enclosing function by a sweep over offsets, without walking the tree in JavaScript.
   */
  run(root: Node, skipped: readonly Node[] = []): void {
    // calls and definitions inside skipped class members are another unit's (engine/definition-units.ts)
    const { defs, calls } = sweepOf(root, skipped);
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
      inside = { scope: outside.scope, cls: definedClassOf(sym?.type) };
    }
    return { end: def.endIndex, bodyStart: body ? body.startIndex : def.endIndex, inside, outside };
  }

  private checkCall(call: Node, scope: Scope): void {
    const args = field(call, 'arguments');
    if (!args || args.type !== 'argument_list' || args.hasError || inBrokenStatement(call)) return;
    const callee = this.callees.callee(call, scope);
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
    const before = this.diagnostics.length;
    argNodes.forEach((arg, i) => {
      const param = sig.params[i];
      if (param) this.checkArgument(arg, i, param.type, scope, callee);
    });
    const rejected = this.diagnostics.length !== before;
    // a call the compiler rejects is not checked against the routine's contract
    if (callee.routine && !rejected) this.checkContract(call, argNodes, callee.routine, scope);
  }

  /** The call contract rules (lapack-calls/): memory order, buffer sizes, leading dimensions, workspace sizes... */
  private checkContract(call: Node, argNodes: readonly Node[], routine: LapackRoutine, scope: Scope): void {
    const definition = enclosingDefinition(call);
    let values = this.bodies.get(definition);
    if (!values) {
      values = new BodyValues(definition, (address) => this.readsOnly(address, scope),
        (address) => this.intentOf(address, scope) === 'out');
      this.bodies.set(definition, values);
    }
    for (const f of checkLapackCall(routine, call, argNodes, values)) {
      const fix = f.fix && { fix: 'copy-before-call', argument: nodeRange(this.doc, f.fix.argument), name: f.fix.name,
        routine: f.fix.routine, type: f.fix.type, method: f.fix.method };
      this.diagnostics.push({ range: nodeRange(this.doc, f.node), severity: defaultSeverity(f.code), code: f.code,
        source: DIAGNOSTIC_SOURCE, message: f.message, ...(fix ? { data: fix } : {}) });
    }
  }

  /** Whether `&x` is an argument a routine only reads (an `in` argument of a BLAS/LAPACK routine). */
  private readsOnly(address: Node, scope: Scope): boolean {
    return this.intentOf(address, scope) === 'in';
  }

  /** The documented intent of the routine parameter `&x` is passed for. */
  private intentOf(address: Node, scope: Scope): string | undefined {
    const args = address.parent;
    const call = args?.type === 'argument_list' ? args.parent : null;
    if (!args || call?.type !== 'call') return undefined;
    const routine = this.callees.callee(call, scope)?.routine;
    if (!routine) return undefined;
    const index = significantChildren(args).findIndex((a) => a.startIndex === address.startIndex);
    return routine.params[index]?.intent;
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
    let node: Node | null = nodeAt(this.doc, loc);
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
    let node: Node | null = nodeAt(this.doc, loc);
    while (node && node.type !== 'c_parameter' && node.type !== 'c_variable_declaration') node = node.parent;
    const type = node ? field(node, 'type') : null;
    if (!type || type.type !== 'memoryview_type') return undefined;
    const element = field(type, 'element');
    const axes = namedChildren(type).filter((c) => c.type === 'memoryview_axis').map((c) => c.text.replace(/\s+/g, ''));
    if (!element || axes.length === 0) return undefined;
    const prefix = type.text.slice(0, element.startIndex - type.startIndex).replace(/\s+/g, ' ');
    return `${prefix}${element.text.replace(/\s+/g, ' ')}[${axes.join(', ')}]`;
  }

  private error(range: Diagnostic['range'], message: string, data?: { fix: string }): void {
    const d: Diagnostic = { range, severity: defaultSeverity(CALL_ARGUMENTS_CODE), code: CALL_ARGUMENTS_CODE,
      source: DIAGNOSTIC_SOURCE, message };
    if (data) d.data = data;
    this.diagnostics.push(d);
  }
}

/** The function definition around a node (the module when there is none). */
function enclosingDefinition(node: Node): Node {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'c_function_definition' || !n.parent) return n;
  }
  return node;
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
