/**
 * Hover: on a name, its type (C type or Python object), where it is declared and the GIL state at that point; on a
 * BLAS/LAPACK routine (in its cimport line or at a call), the routine's documentation; on any other C function, its
 * declaration, exception spec and whether it can be called without the GIL. Everything comes from the document's
 * shared semantic model. On a compiler directive (`# cython:` comment, `cython.boundscheck`), its documentation.
 */
import type { Hover, HoverParams } from 'vscode-languageserver';
import { calleeSignature } from '../model/expression-types';
import { contextAt, type PositionContext } from '../model/document-model';
import type { Symbol } from '../model/symbols';
import { type Node, field } from '../model/syntax';
import { nodeRange, offsetRange } from '../text/positions';
import { directiveHoverAt } from './directive-hover';
import { analyseDocument, type DocumentAnalysis, guarded, identifierAt, offsetOf } from './document-analysis';
import type { Feature, FeatureDeps } from './feature';
import { describeGilState } from './gil-state-description';
import { describeLocation, describeSymbol, functionHover, routineHover } from './hover-content';
import { lapackCallSection } from './lapack-call-hover';
import {
  lapackModuleOf, lookupRoutine, routineOfModuleAttribute, routineOfSymbol, warmLapackDatabase,
} from '../lapack/symbols';

export async function hoverAt(deps: FeatureDeps, params: HoverParams): Promise<Hover | null> {
  const uri = params?.textDocument?.uri;
  if (typeof uri !== 'string' || !params.position) return null;
  const analysis = await analyseDocument(deps, uri);
  if (!analysis) return null;
  const directive = directiveHoverAt(analysis.doc.text, analysis.tree, offsetOf(analysis.doc, params.position));
  if (directive) {
    return { contents: { kind: 'markdown', value: directive.markdown }, range: offsetRange(analysis.doc, directive.start, directive.end) };
  }
  const id = identifierAt(analysis.tree, offsetOf(analysis.doc, params.position));
  if (!id) return null;
  const value = hoverMarkdown(analysis, id);
  return value ? { contents: { kind: 'markdown', value }, range: nodeRange(analysis.doc, id) } : null;
}

function hoverMarkdown(a: DocumentAnalysis, id: Node): string | undefined {
  const cimport = cimportItem(id);
  if (cimport) return cimportHover(a, cimport);
  const ctx = scopeFor(a, id);
  const gil = describeGilState(a.doc, ctx.state);
  const parent = id.parent;
  if (parent?.type === 'attribute' && field(parent, 'attribute')?.id === id.id) {
    return attributeHover(a, parent, id, ctx, gil);
  }
  const sym = ctx.scope.lookup(id.text);
  if (!sym) return undefined;
  const routine = routineOfSymbol(a.routines, sym);
  const section = routine ? lapackCallSection(a.routines, routine, id) : undefined;
  const base = symbolHover(a, id.text, sym, gil);
  return section ? `${base}\n\n---\n\n${section}` : base;
}

/** `gil` is the GIL-state sentence, left out where it means nothing (a cimport line). */
function symbolHover(a: DocumentAnalysis, name: string, sym: Symbol, gil: string | undefined): string {
  const routine = routineOfSymbol(a.routines, sym);
  if (routine) return gil ? `${routineHover(a.routines, routine)}\n\n---\n\n${gil}` : routineHover(a.routines, routine);
  const sig = sym.signature ?? calleeSignature(sym.type);
  if (sym.kind === 'c-function' && sig) return [...functionHover(sig, sym, a.model.uri), gil].filter((s) => s).join('\n\n');
  const where = [describeLocation(sym.location, a.model.uri), sym.origin].filter((s) => s).join(' · ');
  return [describeSymbol(name, sym), where, gil].filter((s) => s).join('\n\n');
}

function attributeHover(a: DocumentAnalysis, attr: Node, id: Node, ctx: PositionContext, gil: string):
  string | undefined {
  const obj = field(attr, 'object');
  const objSym = obj?.type === 'identifier' ? ctx.scope.lookup(obj.text) : undefined;
  const routine = routineOfModuleAttribute(a.routines, objSym, id.text);
  if (routine) {
    const section = lapackCallSection(a.routines, routine, id);
    return `${routineHover(a.routines, routine)}\n\n---\n\n${section ? `${section}\n\n---\n\n` : ''}${gil}`;
  }
  const info = a.model.typer.info(attr, ctx.scope);
  if (info.symbol) return symbolHover(a, attr.text, info.symbol, gil);
  const sig = info.callee ?? calleeSignature(info.type);
  if (sig) return [...functionHover(sig, undefined, a.model.uri), gil].join('\n\n');
  if (info.type.kind === 'unknown') return undefined;
  const title = info.type.kind === 'py'
    ? `\`${attr.text}\`: ${info.pyAttribute ? 'Python attribute lookup, ' : ''}Python object`
    : describeSymbol(attr.text, { name: attr.text, kind: 'c-variable', type: info.type, binding: 'class' })
      .replace('(C variable, attribute)', '(C field)');
  return [title, gil].join('\n\n');
}

/**
 * The scope that sees `id`: the one at its position, or for names in a function's header (parameters), the
 * function's own scope.
 */
function scopeFor(a: DocumentAnalysis, id: Node): PositionContext {
  const root = a.tree.rootNode;
  const ctx = contextAt(a.model, root, id.startIndex);
  if (ctx.scope.lookup(id.text)) return ctx;
  for (let n: Node | null = id.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'c_function_definition') {
      const body = field(n, 'body');
      if (body && id.startIndex < body.startIndex) {
        const inner = contextAt(a.model, root, body.startIndex);
        return inner.scope.lookup(id.text) ? inner : ctx;
      }
      break;
    }
  }
  return ctx;
}

interface CimportItem {
  statement: Node;
  module: string;
  /** The imported name (not the alias). */
  name: string;
  /** The name it is bound to. */
  bound: string;
}

/** When `id` names an item of `from M cimport a as b`, what it imports. */
function cimportItem(id: Node): CimportItem | undefined {
  let item: Node | null = id;
  let statement = id.parent;
  if (statement?.type === 'dotted_name') {
    item = statement;
    statement = statement.parent;
  }
  if (statement?.type === 'aliased_import') {
    item = statement;
    statement = statement.parent;
  }
  if (statement?.type !== 'cimport_from_statement' || !item) return undefined;
  const moduleNode = field(statement, 'module_name');
  if (!moduleNode || moduleNode.id === item.id) return undefined;
  const name = item.type === 'aliased_import' ? field(item, 'name')?.text : item.text;
  const bound = item.type === 'aliased_import' ? field(item, 'alias')?.text : item.text;
  if (!name || !bound) return undefined;
  return { statement, module: moduleNode.text.replace(/\s+/g, ''), name, bound };
}

function cimportHover(a: DocumentAnalysis, item: CimportItem): string | undefined {
  const lapack = lapackModuleOf(item.module);
  const routine = lapack ? lookupRoutine(a.routines, item.name, lapack) : undefined;
  if (routine) return routineHover(a.routines, routine);
  const sym = a.model.declarations.scope.lookup(item.bound);
  return sym ? symbolHover(a, item.bound, sym, undefined) : undefined;
}

export const hoverFeature: Feature = {
  id: 'hover',
  capabilities: { hoverProvider: true },
  start(deps) {
    warmLapackDatabase(deps.session(), (m) => deps.log(m));
  },
  register(connection, deps) {
    connection.onHover((params) => guarded(deps, 'hover', null, () => hoverAt(deps, params)));
  },
};
