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
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE, type CheckContext, type DocumentCheck, type TreeDocument } from '../engine/check-types';
import { checkWorkspaceArgs, describeBelow, type ArgValue, type LapackRoutine } from '../lapack';
import { lapackTypedefs, routineOfModuleAttribute, routineOfSymbol } from '../features/lapack-symbols';
import { analysisEnvironment } from '../model/analysis-environment';
import { type CType, type FunctionSignature, type ClassInfo, scalarType } from '../model/c-types';
import { documentModel } from '../model/document-model';
import type { ModuleModel } from '../model/module-model';
import { uriToPath } from '../model/pxd-resolver';
import type { Scope, Symbol } from '../model/symbols';
import { type Node, field, namedChildren, significantChildren, stringValue } from '../model/syntax';
import { nodeRange, offsetRange } from '../text/positions';

export const CALL_ARGUMENTS_CODE = 'call-arguments';
export const LAPACK_WORKSPACE_CODE = 'lapack-workspace';

export const callArgumentsCheck: DocumentCheck = {
  id: CALL_ARGUMENTS_CODE,
  run(doc: TreeDocument, ctx: CheckContext): Diagnostic[] {
    const model = documentModel(doc, ctx.settings.includeDirs);
    const checker = new CallChecker(doc, model, () => ctx.isCancelled());
    checker.walk(doc.tree.rootNode, model.declarations.scope, undefined);
    return checker.diagnostics;
  },
};

interface Callee {
  sig: FunctionSignature;
  routine?: LapackRoutine;
  /** Names of C typedefs visible where the function is declared (for deciding whether two types are the same). */
  typedef: (name: string) => string | undefined;
}

type Verdict = 'same' | 'different' | 'unknown';

class CallChecker {
  readonly diagnostics: Diagnostic[] = [];
  private visited = 0;
  /** The module is compiled as C++ (overloaded extern functions are possible). */
  private readonly cpp: boolean;

  constructor(private readonly doc: TreeDocument, private readonly model: ModuleModel,
    private readonly cancelled: () => boolean) {
    this.cpp = CPP_MODULE.test(doc.text.slice(0, 4000));
  }

  walk(node: Node, scope: Scope, cls: ClassInfo | undefined): void {
    for (const child of namedChildren(node)) {
      if ((++this.visited & 1023) === 0 && this.cancelled()) return;
      switch (child.type) {
        case 'class_definition': case 'cdef_class_definition': case 'cypclass_definition': {
          const name = field(child, 'name')?.text;
          const sym = name ? scope.lookup(name) : undefined;
          this.walk(child, scope, sym?.type.kind === 'py' ? sym.type.cls : undefined);
          break;
        }
        case 'function_definition': case 'c_function_definition': {
          const info = this.model.functionInfo(child, scope, cls);
          this.walk(child, info.scope, cls);
          break;
        }
        case 'call':
          this.checkCall(child, scope);
          this.walk(child, scope, cls);
          break;
        default:
          this.walk(child, scope, cls);
      }
    }
  }

  private checkCall(call: Node, scope: Scope): void {
    const args = field(call, 'arguments');
    if (!args || args.type !== 'argument_list' || args.hasError) return;
    const callee = this.callee(call, scope);
    if (!callee) return;
    const argNodes = significantChildren(args);
    if (argNodes.some((a) => /keyword_argument|splat/.test(a.type))) return;
    const { sig } = callee;
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
      if (param) this.checkArgument(arg, param.type, scope, callee);
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
    const typedefs = lapackTypedefs();
    if (routine) {
      const sig = sym?.kind === 'c-function' && sym.signature ? sym.signature : routineSignature(routine, typedefs);
      return { sig, routine, typedef: (n) => typedefs[n] ?? this.typedefIn(sig, n) };
    }
    if (sym?.kind !== 'c-function' || !sym.signature) return undefined;
    const sig = sym.signature;
    if (sig.exception.kind === 'cpp' || !this.trustworthy(sig)) return undefined;
    return { sig, typedef: (n) => this.typedefIn(sig, n) };
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
    return !(sig.origin === 'extern' && (this.cpp || cppDeclarations(uri)));
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
    return file ? analysisEnvironment.resolver(this.doc.tree.language).load(file)?.scope : undefined;
  }

  private checkArgument(arg: Node, target: CType, scope: Scope, callee: Callee): void {
    const info = this.model.typer.info(arg, scope);
    const actual = info.type;
    if (target.kind === 'ptr') {
      if (arg.type === 'identifier' && arg.text === 'NULL') return;
      if (actual.kind === 'py') {
        if (info.literal || arg.type === 'none' || charLike(target.base, callee) !== false
          || target.base.kind === 'func') return;
        const name = typeName(target);
        if (name) this.error(nodeRange(this.doc, arg), `Cannot convert Python object to '${name}'`);
        return;
      }
      if (actual.kind === 'ptr') {
        if (compatiblePointer(actual, target, callee) !== 'different') return;
        this.cannotAssign(arg, actual, target);
        return;
      }
      if (actual.kind === 'scalar' && reliablyNamed(arg, info.symbol) && this.plainDeclaration(arg, info.symbol)) {
        const data = addressable(arg) && sameType(actual, target.base, callee) === 'same'
          ? { fix: 'add-address-of' } : undefined;
        this.cannotAssign(arg, actual, target, data);
        return;
      }
      if (actual.kind === 'memview') {
        const written = this.memviewText(info.symbol);
        const name = typeName(target);
        if (written && name) this.error(nodeRange(this.doc, arg), `Cannot assign type '${written}' to '${name}'`);
      }
      return;
    }
    if (target.kind === 'scalar' && actual.kind === 'ptr' && !(arg.type === 'identifier' && arg.text === 'NULL')
      && this.plainDeclaration(arg, info.symbol)) {
      this.cannotAssign(arg, actual, target);
    }
  }

  private cannotAssign(arg: Node, actual: CType, target: CType, data?: { fix: string }): void {
    const from = typeName(actual);
    const to = typeName(target);
    if (from && to) this.error(nodeRange(this.doc, arg), `Cannot assign type '${from}' to '${to}'`, data);
  }

  /**
   * For a variable argument: its declaration is in this document and is not an array written `T[N] name` or
   * `T name[N]` (which the model may read as a plain `T`). Other arguments pass.
   */
  private plainDeclaration(arg: Node, sym: Symbol | undefined): boolean {
    if (arg.type !== 'identifier') return true;
    const loc = sym?.location;
    if (!loc || loc.uri !== this.doc.uri) return false;
    let node: Node | null = this.nodeAt(loc);
    let declarator: Node | null = null;
    while (node && node.type !== 'c_parameter' && node.type !== 'c_variable_declaration') {
      if (node.type === 'c_declarator') declarator = node;
      node = node.parent;
    }
    if (!node) return false;
    declarator ??= field(node, 'declarator');
    const value = declarator ? field(declarator, 'value') : null;
    const written = (field(node, 'type')?.text ?? '') + (declarator ? declarator.text.slice(0,
      value ? value.startIndex - declarator.startIndex : undefined) : '');
    return !written.includes('[');
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
        range: nodeRange(this.doc, arg), severity: DiagnosticSeverity.Warning, code: LAPACK_WORKSPACE_CODE,
        source: DIAGNOSTIC_SOURCE, message: describeBelow(routine, below),
      });
    }
  }

  private error(range: Diagnostic['range'], message: string, data?: { fix: string }): void {
    const d: Diagnostic = { range, severity: DiagnosticSeverity.Error, code: CALL_ARGUMENTS_CODE,
      source: DIAGNOSTIC_SOURCE, message };
    if (data) d.data = data;
    this.diagnostics.push(d);
  }
}

const CPP_MODULE = /^#\s*distutils:\s*language\s*=\s*c\+\+|^#\s*tag:.*\bcpp\b|^#\s*cython:.*\bcpp_locals\b/m;

const cppFiles = new Map<string, { checked: number; cpp: boolean }>();

/** A .pxd that declares C++ things (namespaces, classes, `except +`); its text is read once per few seconds. */
function cppDeclarations(uri: string): boolean {
  const hit = cppFiles.get(uri);
  if (hit && Date.now() - hit.checked < 5000) return hit.cpp;
  let cpp = /\/libcpp\//.test(uri);
  if (!cpp) {
    const file = uriToPath(uri);
    try {
      cpp = file !== undefined && /namespace\s*"|\bcppclass\b|except\s*\+/.test(fs.readFileSync(file, 'utf8'));
    } catch {
      cpp = true; // unreadable: do not trust it
    }
  }
  cppFiles.set(uri, { checked: Date.now(), cpp });
  return cpp;
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
    const x = canonical(a.name, callee);
    const y = canonical(b.name, callee);
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

/** Arguments whose C type name the model knows exactly as the compiler would print it. */
function reliablyNamed(arg: Node, sym: Symbol | undefined): boolean {
  if (arg.type === 'integer' || arg.type === 'float') return !/[jJlLuU]$/.test(arg.text);
  if (arg.type === 'identifier') return sym?.kind === 'c-variable' && !/^(enum|anonymous enum)/.test(sym.origin ?? '');
  // An element of a pointer, array or memoryview: its declared element type.
  return arg.type === 'subscript';
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
