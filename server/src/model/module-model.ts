/**
 * The semantic model of one document: its declarations (with cimports resolved), an expression typer, the local
 * scopes of its functions (built on demand), and compile-time constant evaluation for `with nogil(<cond>)`.
 */
import * as fs from 'node:fs';
import type { Tree } from 'web-tree-sitter';
import { type ClassInfo, type FunctionSignature } from './c-types';
import { builtinsScope } from './builtins';
import { DeclarationCollector, type ModuleDeclarations } from './declarations';
import { ExpressionTyper } from './expression-types';
import { type FunctionInfo, buildFunctionScope } from './function-scope';
import type { PxdResolver } from './pxd-resolver';
import { type Node, field, significantChildren } from './syntax';
import type { Scope } from './symbols';

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
   * Value of a compile-time condition; 'maybe' when it depends on the fused-type specialisation; undefined when it
   * is not a compile-time constant.
   */
  constantCondition(cond: Node): boolean | 'maybe' | undefined;
  /** Include files that were found and merged. */
  includedFiles: string[];
}

export function buildModuleModel(tree: Tree, uri: string, resolver: PxdResolver, parse: (text: string) => Tree):
  ModuleModel {
  const inPxd = uri.endsWith('.pxd');
  const companion = inPxd ? undefined : resolver.companionOf(uri);
  const collector = new DeclarationCollector({ uri, resolver, companion, inPxd }, builtinsScope());
  const declarations = collector.collectModule(tree.rootNode);
  const includedFiles: string[] = [];
  for (const inc of declarations.includes) {
    const file = resolver.locateInclude(inc.path, uri);
    if (!file) continue;
    const text = readText(file);
    if (text === undefined) continue;
    const incTree = parse(text);
    try {
      collector.collectStatements(significantChildren(incTree.rootNode), { extern: false, externNogil: false });
    } finally {
      incTree.delete();
    }
    includedFiles.push(file);
  }
  const complete = declarations.unresolved.length === 0 && includedFiles.length === declarations.includes.length
    && !hasStarImport(tree);
  const typer = new ExpressionTyper(collector, () => complete);
  const functions = new Map<number, FunctionInfo>();
  const model: ModuleModel = {
    uri, inPxd, declarations, collector, typer, includedFiles,
    functionInfo(fn, parent, cls) {
      let info = functions.get(fn.id);
      if (!info) {
        const sig = fn.type === 'c_function_definition' ? model.signatureOf(fn, cls) : undefined;
        info = buildFunctionScope(fn, parent, collector, sig, cls, (n, s) => typer.typeOf(n, s));
        functions.set(fn.id, info);
      }
      return info;
    },
    signatureOf(fn, cls) {
      const name = field(fn, 'name')?.text;
      if (!name) return undefined;
      const own = collector.signatureOf(fn, { extern: false, externNogil: false }, cls);
      const declared = cls ? cls.methods.get(name) : declarations.scope.lookupLocal(name)?.signature;
      if (!own) return declared;
      if (declared && declared.inPxd && !own.inPxd) {
        // Callers see the .pxd declaration; the body is nogil if either says so.
        return { ...own, nogil: own.nogil || declared.nogil, exception: own.exception };
      }
      return own;
    },
    constantCondition(cond) {
      return evaluateConstant(cond, collector);
    },
  };
  return model;
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
 * and fused-type tests (`floating is double`), which depend on the specialisation: those count as "may be true".
 */
function evaluateConstant(node: Node, collector: DeclarationCollector): boolean | 'maybe' | undefined {
  switch (node.type) {
    case 'true': return true;
    case 'false': return false;
    case 'integer': return Number(node.text.replace(/[lLuU_]/g, '')) !== 0;
    case 'parenthesized_expression': {
      const inner = significantChildren(node)[0];
      return inner ? evaluateConstant(inner, collector) : undefined;
    }
    case 'not_operator': {
      const arg = field(node, 'argument');
      const v = arg ? evaluateConstant(arg, collector) : undefined;
      return v === undefined || v === 'maybe' ? v : !v;
    }
    case 'boolean_operator': {
      const l = field(node, 'left');
      const r = field(node, 'right');
      const a = l ? evaluateConstant(l, collector) : undefined;
      const b = r ? evaluateConstant(r, collector) : undefined;
      if (a === undefined || b === undefined) return undefined;
      if (a === 'maybe' || b === 'maybe') return 'maybe';
      return node.children.some((c) => c?.text === 'and') ? a && b : a || b;
    }
    case 'identifier': {
      const value = collector.compileTimeValues.get(node.text);
      return value && value.id !== node.id ? evaluateConstant(value, collector) : undefined;
    }
    case 'none': return false;
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
      const isTypeTest = node.children.some((c) => c?.text === 'is' || c?.text === 'is not');
      if (isTypeTest && operands.some((o) => {
        const sym = collector.lookupDotted(o.text);
        return sym?.kind === 'c-type' && sym.type.kind === 'fused';
      })) return 'maybe';
      return undefined;
    }
    default:
      return undefined;
  }
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
