/**
 * The semantic model of one document: its declarations (with cimports resolved), an expression typer, the local
 * scopes of its functions (built on demand), and compile-time constant evaluation for `with nogil(<cond>)`.
 */
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Tree } from 'web-tree-sitter';
import { type ClassInfo, type FunctionSignature } from './c-types';
import { builtinsScope } from './builtins';
import { DeclarationCollector } from './declarations';
import { isPureModeCFunction, markPythonSourceTree } from './cython-names';
import { isPythonSourcePath } from './pure-python-mode';
import type { ModuleDeclarations } from './declaration-types';
import { ExpressionTyper } from './expression-types';
import { type FunctionInfo, buildFunctionScope } from './function-scope';
import { COMPLETENESS_LOOKUP, recordingLookups, replayLookups } from './lookup-recording';
import type { PxdResolver } from './pxd-resolver';
import { removesUnreachable } from './reachability';
import { DEFAULT_DIRECTIVES, type Directives, definitionDirectives, directivesFromEntries, fileDirectives }
  from './directives';
import { type Node, children, field, significantChildren, undecorate } from './syntax';
import type { Scope } from './symbols';
import { type Specialisation, fusedTypeTest } from './fused-specialisation';
import { printIsStatement } from './print-statement';
import { isCythonPlusModule } from './cypclass-capabilities';

export interface ModuleModel {
  uri: string;
  inPxd: boolean;
  declarations: ModuleDeclarations;
  collector: DeclarationCollector;
  typer: ExpressionTyper;
  /** The local scope of a function node (def or cdef), built once per model. */
  functionInfo(fn: Node, parent: Scope, cls: ClassInfo | undefined): FunctionInfo;
  /** The signature of a cdef function node as the module sees it (merged with its .pxd declaration). */
  signatureOf(fn: Node, cls: ClassInfo | undefined): FunctionSignature | undefined;
  /**
   * The signature a function node itself spells (`collector.signatureOf` without extern defaults), read once per
   * model: `signatureOf` merges it with the .pxd's, and the exception-clause rules read it as written.
   */
  ownSignatureOf(fn: Node, cls: ClassInfo | undefined): FunctionSignature | undefined;
  /**
   * Value of a compile-time condition; 'maybe' when it depends on the fused-type specialisation; undefined when it
   * is not a compile-time constant.
   */
  constantCondition(cond: Node, specialisation?: Specialisation): boolean | 'maybe' | undefined;
  /** Include files that were found and merged. */
  includedFiles: string[];
  /**
   * Whether a name that no scope declares is a Python global (true) or may be declared where we cannot see (false):
   * not noted as a lookup (the typer's `complete` is the noted question).
   */
  completeFor(name: string): boolean;
}

/**
 * What a module declares: built from the module's interface (declarations, signatures, class layouts, cimports,
 * includes), independent of function bodies, so it can serve several versions of a document (document-model.ts).
 */
export interface ModuleBase {
  uri: string;
  inPxd: boolean;
  declarations: ModuleDeclarations;
  collector: DeclarationCollector;
  /** Include files that were found and merged. */
  includedFiles: string[];
  /** Every cimport and include resolved and no star import: unknown names are Python globals. */
  complete: boolean;
}

export function buildModuleBase(tree: Tree, uri: string, resolver: PxdResolver): ModuleBase {
  if (isPythonSourcePath(uri)) markPythonSourceTree(tree);
  const inPxd = uri.endsWith('.pxd');
  const companion = inPxd ? undefined : resolver.companionOf(uri);
  const cythonPlus = isCythonPlusModule(tree.rootNode);
  const collector = new DeclarationCollector({ uri, resolver, companion, inPxd, cythonPlus }, builtinsScope());
  const declarations = collector.collectModule(tree.rootNode);
  const includedFiles: string[] = [];
  // The module's own includes come first; those of included files are appended as they are collected (their nodes
  // belong to trees freed after collection: they make the module incomplete, without a note of their own).
  const ownIncludes = declarations.includes.length;
  let nestedMissing = false;
  for (let i = 0; i < declarations.includes.length; i++) {
    const inc = declarations.includes[i]!;
    const file = resolver.locateInclude(inc.path, uri);
    const text = file === undefined ? undefined : readText(file);
    if (file === undefined || text === undefined) {
      if (i < ownIncludes) declarations.unresolved.push({ module: inc.path, node: inc.node, include: true });
      else nestedMissing = true;
      continue;
    }
    const incTree = resolver.includeTree(file, text);
    try {
      collector.collectIncluded(significantChildren(incTree.rootNode), pathToFileURL(file).toString());
    } finally {
      incTree.delete();
    }
    includedFiles.push(file);
  }
  // A .pxi is text pasted into the modules that include it: names it does not declare may come from its includer
  // (a C helper, a constant), so on its own it is never complete and such names are unknown, not Python globals.
  const complete = declarations.unresolved.length === 0 && !nestedMissing && !hasStarImport(tree) && !isIncludeFile(uri);
  return { uri, inPxd, declarations, collector, includedFiles, complete };
}

/**
 * A model of one tree over a module base: the expression typer, function scopes and signatures are memoised per
 * node of that tree, so a new tree (a new document version) gets a new view.
 */
export function moduleView(base: ModuleBase, root?: Node, buildDirectives: Readonly<Record<string, string>> = {}):
  ModuleModel {
  const { uri, inPxd, declarations, collector, includedFiles } = base;
  if (root && isPythonSourcePath(uri)) markPythonSourceTree(root.tree);
  // A module-level syntax error may hide declarations (error recovery can swallow the statements after it): a name we
  // do not find may be declared there when the broken text spells it, so it is unknown rather than a Python global.
  // Per view: a body-only edit keeps the base (document-model.ts) but may break or mend the tree.
  const completeFor = completeness(base.complete, root);
  const scope = declarations.scope;
  // asking is noted like a lookup, per name: only the definitions that asked about a name depend on the answer
  // (engine/definition-cache.ts)
  const isComplete = (name: string): boolean => {
    scope.lookupLog?.push(COMPLETENESS_LOOKUP + name);
    return completeFor(name);
  };
  const typer = new ExpressionTyper(collector, isComplete, (c) => evaluateConstant(c, collector, undefined));
  const removeUnreachable = root ? removesUnreachable(root) : true;
  // the build's directives (`-X infer_types=True`), then the `# cython:` header comments
  const cliDirectives = directivesFromEntries(buildDirectives, DEFAULT_DIRECTIVES);
  const moduleDirectives = root ? fileDirectives(headerText(root), cliDirectives) : cliDirectives;
  const printStatements = root ? printIsStatement(root, moduleDirectives) : false;
  const functions = new Map<number, { info: FunctionInfo; names: readonly string[] }>();
  const signatures = new Map<number, { cls: ClassInfo | undefined; sig: FunctionSignature | undefined; names: readonly string[] }>();
  const ownSignatures = new Map<number, { cls: ClassInfo | undefined; sig: FunctionSignature | undefined; names: readonly string[] }>();
  const model: ModuleModel = {
    uri, inPxd, declarations, collector, typer, includedFiles, completeFor,
    functionInfo(fn, parent, cls) {
      const hit = functions.get(fn.id);
      if (hit) {
        replayLookups(scope, hit.names);
        return hit.info;
      }
      const { value: info, names } = recordingLookups(scope, () => {
        const sig = fn.type === 'c_function_definition' || (fn.parent && isPureModeCFunction(fn.parent))
          || isAugmentedDef(fn, cls) ? model.signatureOf(fn, cls) : undefined;
        return buildFunctionScope(fn, parent, collector, sig, cls, (n, s) => typer.typeOf(n, s), removeUnreachable,
          isComplete, scopeDirectives(fn, moduleDirectives).infer_types,
          (cond, spec) => evaluateConstant(cond, collector, spec), printStatements);
      });
      functions.set(fn.id, { info, names });
      return info;
    },
    signatureOf(fn, cls) {
      const hit = signatures.get(fn.id);
      if (hit && hit.cls === cls) {
        replayLookups(scope, hit.names);
        return hit.sig;
      }
      const { value: sig, names } = recordingLookups(scope, () => mergedSignature(fn, cls));
      signatures.set(fn.id, { cls, sig, names });
      return sig;
    },
    ownSignatureOf(fn, cls) {
      const hit = ownSignatures.get(fn.id);
      if (hit && hit.cls === cls) {
        replayLookups(scope, hit.names);
        return hit.sig;
      }
      const { value: sig, names } = recordingLookups(scope,
        () => collector.signatureOf(fn, { extern: false, externNogil: false }, cls));
      ownSignatures.set(fn.id, { cls, sig, names });
      return sig;
    },
    constantCondition(cond, specialisation) {
      return evaluateConstant(cond, collector, specialisation);
    },
  };
  function mergedSignature(fn: Node, cls: ClassInfo | undefined): FunctionSignature | undefined {
    const name = field(fn, 'name')?.text;
    if (!name) return undefined;
    const own = model.ownSignatureOf(fn, cls);
    const declared = cls ? cls.methods.get(name) : declarations.scope.lookupLocal(name)?.signature;
    if (!own && declared && fn.type === 'function_definition') {
      // A def of a .py module made a C function by its augmenting .pxd: the .pxd's types, the def's names.
      const names = collector.parametersOf(field(fn, 'parameters'), cls).params.map((p) => p.name);
      return { ...declared, params: declared.params.map((p, i) => ({ ...p, name: names[i] ?? p.name })) };
    }
    if (!own) return declared;
    if (declared && declared.inPxd && !own.inPxd) {
      // Callers see the .pxd declaration; the body is nogil if either says so.
      return { ...own, nogil: own.nogil || declared.nogil, exception: own.exception };
    }
    return own;
  }
  return model;

  /** A module-level def of a pure Python mode module that its augmenting .pxd declares as a C function. */
  function isAugmentedDef(fn: Node, cls: ClassInfo | undefined): boolean {
    if (fn.type !== 'function_definition' || !isPythonSourcePath(uri)) return false;
    const name = field(fn, 'name')?.text;
    // a method of a cclass that the .pxd declares `cdef`/`cpdef` (AlignFunctionDefinitions: the .pxd's signature)
    if (cls) return !!name && cls.methods.get(name)?.inPxd === true;
    const sym = name ? declarations.scope.lookupLocal(name) : undefined;
    return sym?.kind === 'c-function' && sym.signature?.inPxd === true && isModuleLevel(fn);
  }
}

/** A definition at module level (possibly decorated, or inside module-level if/try blocks). */
function isModuleLevel(fn: Node): boolean {
  for (let n = fn.parent; n; n = n.parent) {
    if (n.type === 'module') return true;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'c_function_definition'
      || n.type === 'cdef_class_definition') return false;
  }
  return false;
}

/** The leading comments of a module (where `# cython:` directives are read). */
function headerText(root: Node): string {
  const lines: string[] = [];
  for (const c of root.namedChildren) {
    if (!c || c.type !== 'comment') break;
    lines.push(c.text);
  }
  return lines.join('\n');
}

/**
 * The directives of a function's scope: the module's, then the decorators of the enclosing classes and functions and
 * of the function itself (`@cython.infer_types(True)`). Type inference is per function scope, so `with` blocks do
 * not change it.
 */
function scopeDirectives(fn: Node, module: Readonly<Directives>): Readonly<Directives> {
  const defs: Node[] = [];
  for (let n: Node | null = fn; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'c_function_definition' || n.type === 'class_definition'
      || n.type === 'cdef_class_definition') defs.unshift(n);
  }
  let out = module;
  for (const d of defs) out = definitionDirectives(d, out);
  return out;
}

export function buildModuleModel(tree: Tree, uri: string, resolver: PxdResolver): ModuleModel {
  return moduleView(buildModuleBase(tree, uri, resolver), tree.rootNode);
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Compile-time constants as the compiler folds them before GilCheck: literals, DEF constants, `not`, `and`/`or`,
 * and fused-type tests (`floating is double`), decided in a specialisation (fused-specialisation.ts), else "maybe".
 */
function evaluateConstant(node: Node, collector: DeclarationCollector, spec: Specialisation | undefined):
  boolean | 'maybe' | undefined {
  switch (node.type) {
    case 'true': return true;
    case 'false': return false;
    case 'integer': return Number(node.text.replace(/[lLuU_]/g, '')) !== 0;
    case 'parenthesized_expression': {
      const inner = significantChildren(node)[0];
      return inner ? evaluateConstant(inner, collector, spec) : undefined;
    }
    case 'not_operator': {
      const arg = field(node, 'argument');
      const v = arg ? evaluateConstant(arg, collector, spec) : undefined;
      return v === undefined || v === 'maybe' ? v : !v;
    }
    case 'boolean_operator': {
      const l = field(node, 'left');
      const r = field(node, 'right');
      // A constant left operand decides (`False and x` is False, `True and x` is x: ConstantFolding.visit_BoolBinopNode).
      const and = node.children.some((c) => c?.text === 'and');
      const a = l ? evaluateConstant(l, collector, spec) : undefined;
      if (a === undefined) return undefined;
      if (a !== 'maybe' && a !== and) return a;
      const b = r ? evaluateConstant(r, collector, spec) : undefined;
      if (b === undefined) return undefined;
      return a === 'maybe' || b === 'maybe' ? 'maybe' : b;
    }
    case 'identifier': {
      const value = collector.compileTimeValues.get(node.text);
      return value && value.id !== node.id ? evaluateConstant(value, collector, spec) : undefined;
    }
    case 'none': return false;
    case 'conditional_expression': {
      // `a if TEST else b` with a constant test folds to the chosen operand (ConstantFolding.visit_CondExprNode).
      const [body, test, other] = significantChildren(node);
      const v = test ? evaluateConstant(test, collector, spec) : undefined;
      if (v === undefined || v === 'maybe' || !body || !other) return v === 'maybe' ? 'maybe' : undefined;
      return evaluateConstant(v ? body : other, collector, spec);
    }
    case 'float': return Number(node.text.replace(/_/g, '')) !== 0;
    case 'comparison_operator': {
      const operands = significantChildren(node);
      const ops = node.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
      const nums = operands.map((o) => numericConstant(o, collector));
      if (operands.length === 2 && ops.length === 1 && nums.every((n) => n !== undefined)) {
        const [a, b] = nums as number[];
        switch (ops[0]) {
          case '<': return a < b;
          case '<=': return a <= b;
          case '>': return a > b;
          case '>=': return a >= b;
          case '==': return a === b;
          case '!=': return a !== b;
          default: break;
        }
      }
      return fusedTypeTest(node, collector, spec);
    }
    default:
      return undefined;
  }
}

/**
 * Whether a name declared nowhere is a Python global: the module is complete (`complete`: every cimport and include
 * resolved, no star import) and no broken top-level statement of `root` may declare it. A broken statement may declare
 * the words it spells (error recovery keeps every character of the text in the tree: a statement it swallowed is
 * spelled inside the broken one), or anything when it holds an include or a star import. Not counted: the methods
 * without an error of a broken class, and the body of a broken function (or method) before its first error — body
 * statements parsed before the error declare locals (a module-level declaration there would have ended the body, or,
 * inside brackets, starts with a keyword that is itself the error).
 */
function completeness(complete: boolean, root: Node | undefined): (name: string) => boolean {
  if (!complete) return () => false;
  const broken = root?.hasError ? significantChildren(root).filter((s) => s.hasError) : [];
  if (broken.length === 0) return () => true;
  let words: Set<string> | 'any' | undefined;
  return (name) => {
    words ??= brokenWords(broken);
    return words !== 'any' && !words.has(name);
  };
}

const FUNCTIONS = new Set(['function_definition', 'c_function_definition']);
const METHODS = new Set([...FUNCTIONS, 'decorated_definition']);
const CLASSES = new Set(['class_definition', 'cdef_class_definition', 'cypclass_definition']);

/** The words broken statements spell ('any' when one may declare names it does not spell). */
function brokenWords(broken: readonly Node[]): Set<string> | 'any' {
  const words = new Set<string>();
  for (const s of broken) {
    const text = s.text;
    if (/\binclude\b/.test(text) || /\bc?import\s*(?:\\\r?\n\s*)*\(?\s*\*/.test(text)) return 'any';
    let from = 0;
    for (const [a, b] of notDeclaring(s)) {
      addWords(text.slice(from, a - s.startIndex), words);
      from = b - s.startIndex;
    }
    addWords(text.slice(from), words);
  }
  return words;
}

function addWords(text: string, words: Set<string>): void {
  for (const w of text.match(/[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/gu) ?? []) words.add(w);
}

/** The spans of a broken statement that cannot declare module-level names (see completeness), in order. */
function notDeclaring(statement: Node): [number, number][] {
  const out: [number, number][] = [];
  const def = undecorate(statement);
  if (FUNCTIONS.has(def.type)) bodyBeforeError(def, out);
  else if (CLASSES.has(def.type)) {
    const body = field(def, 'body');
    for (const m of body ? significantChildren(body) : []) {
      if (!METHODS.has(m.type)) continue;
      if (!m.hasError) out.push([m.startIndex, m.endIndex]);
      else if (FUNCTIONS.has(undecorate(m).type)) bodyBeforeError(undecorate(m), out);
    }
  }
  return out;
}

/** The span of a function's body before its first error (none when the error is in the header). */
function bodyBeforeError(fn: Node, out: [number, number][]): void {
  const body = field(fn, 'body');
  if (!body) return;
  let n = fn;
  while (!n.isError && !n.isMissing) {
    const next = children(n).find((c) => c.hasError || c.isError || c.isMissing);
    if (!next) break;
    n = next;
  }
  const at = Math.min(n.startIndex, body.endIndex);
  if (at > body.startIndex) out.push([body.startIndex, at]);
}

function hasStarImport(tree: Tree): boolean {
  return significantChildren(tree.rootNode).some((s) => (s.type === 'import_from_statement'
    || s.type === 'cimport_from_statement') && s.children.some((c) => c?.type === 'wildcard_import'));
}

function numericConstant(node: Node, collector: DeclarationCollector): number | undefined {
  if (node.type === 'integer' || node.type === 'float') {
    const n = Number(node.text.replace(/[lLuU_]/g, ''));
    return Number.isFinite(n) ? n : undefined;
  }
  if (node.type === 'identifier') {
    const value = collector.compileTimeValues.get(node.text);
    return value && value.id !== node.id ? numericConstant(value, collector) : undefined;
  }
  return undefined;
}

/** A `.pxi` file (include files are not modules of their own). */
function isIncludeFile(uri: string): boolean {
  return /\.pxi$/i.test(uri.replace(/[?#].*$/, ''));
}
