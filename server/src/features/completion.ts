/**
 * Completion of cimportable names: after `from scipy.linalg.cython_lapack cimport ` (and cython_blas) the routines
 * with their purpose; after `from <module> cimport ` the names the module's resolved .pxd declares, with their
 * kind and type as detail. Works in parenthesised multi-line cimport lists. After `cimport ` / `from `, the names
 * of modules and packages that have .pxd files. After `obj.`, the members the model knows (member-completion.ts).
 * Compiler directives in `# cython:` comments, `@cython.` decorators and `with cython.` items (directive-completion.ts).
 */
import {
  CompletionItemKind, type CompletionItem, type CompletionList, type CompletionParams,
} from 'vscode-languageserver';
import { routineCompletionItems } from '../lapack';
import type { AnalysisSession } from '../model/analysis-session';
import { signatureToString, typeToString } from '../model/c-types';
import type { ModuleSymbols, Symbol } from '../model/symbols';
import type { Tree } from 'web-tree-sitter';
import * as path from 'node:path';
import { uriToPath } from '../model/pxd-resolver';
import { cimportContextAt } from './cimport-context';
import { directiveCompletionItems, directiveContextAt } from './directive-completion';
import { cimportableModules, moduleNameContextAt } from './module-names';
import { analyseDocument, guarded, includeDirsOf, offsetOf } from './document-analysis';
import { memberAccessAt, memberCompletionItems } from './member-completion';
import { symbolItemDetail, symbolItemKind } from './symbol-items';
import type { Feature, FeatureDeps } from './feature';
import { lapackDatabase, lapackModuleOf } from '../lapack/symbols';

const EMPTY: CompletionList = { isIncomplete: false, items: [] };

export async function completionAt(deps: FeatureDeps, params: CompletionParams): Promise<CompletionList> {
  const uri = params?.textDocument?.uri;
  if (typeof uri !== 'string' || !params.position) return EMPTY;
  // cimport completions need only the text and the cimport resolver; member completions the model.
  const includeDirs = await includeDirsOf(deps, uri);
  const doc = deps.document(uri);
  const tree = doc?.tree;
  if (!doc || !tree) return EMPTY;
  const offset = offsetOf(doc, params.position);
  const directive = directiveContextAt(doc.text, offset);
  if (directive) {
    const range = { start: doc.textDocument.positionAt(directive.start), end: params.position };
    return { isIncomplete: false, items: directiveCompletionItems(directive, range) };
  }
  const ctx = cimportContextAt(doc.text, offset);
  if (!ctx) {
    const modules = moduleNameContextAt(doc.text, offset);
    if (modules) return { isIncomplete: false, items: moduleNameItems(deps.session(), tree, modules.parent, uri, includeDirs) };
    const member = memberAccessAt(doc.text, offset);
    if (!member) return EMPTY;
    // members need the model (member-completion.ts)
    const analysis = await analyseDocument(deps, uri);
    const items = analysis ? memberCompletionItems(analysis, offsetOf(analysis.doc, params.position), member.chain) : [];
    return { isIncomplete: false, items: items ?? [] };
  }
  const listed = new Set(ctx.listed);
  const lapack = lapackModuleOf(ctx.module);
  const db = lapack ? lapackDatabase(deps.session()) : undefined;
  if (lapack && db) {
    try {
      return { isIncomplete: false, items: routineCompletionItems(db, lapack).filter((i) => !listed.has(i.label)) };
    } catch (err) {
      deps.log(`[lapack] completion: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const name = ctx.module.slice(ctx.level);
  const module = deps.session().resolver(tree.language, includeDirs)
    .resolve({ module: name, level: ctx.level, node: tree.rootNode }, uri);
  if (!module) return EMPTY;
  return { isIncomplete: false, items: moduleItems(module).filter((i) => !listed.has(i.label)) };
}

/** Modules and packages that can be cimported under `parent` (`from scipy.linalg.` → `cython_lapack`, ...). */
function moduleNameItems(session: AnalysisSession, tree: Tree, parent: string, uri: string, includeDirs: string[]):
  CompletionItem[] {
  const file = uriToPath(uri);
  const env = session.pythonEnvironment;
  const root = session.resolver(tree.language, includeDirs).packageRoot(file);
  const dirs = [file ? path.dirname(file) : undefined, root, ...includeDirs, env?.cythonIncludes,
    ...(env?.sitePackages ?? [])].filter((d): d is string => d !== undefined);
  return cimportableModules(session, parent, [...new Set(dirs)]).map((m) => ({
    label: m.name,
    kind: m.isPackage ? CompletionItemKind.Folder : CompletionItemKind.Module,
    detail: `${m.isPackage ? 'package' : 'module'} ${parent ? `${parent}.` : ''}${m.name}`,
    labelDetails: { description: m.dir },
  }));
}

function moduleItems(module: ModuleSymbols): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const [name, sym] of module.symbols) {
    // Names the .pxd itself cimported are cimportable too, but the module's own declarations come first.
    const own = !sym.location || sym.location.uri === module.uri;
    items.push({ label: name, kind: symbolItemKind(sym), detail: symbolItemDetail(sym), sortText: `${own ? 0 : 1}${name}`,
      labelDetails: { description: module.name } });
  }
  return items;
}



export const completionFeature: Feature = {
  id: 'completion',
  capabilities: { completionProvider: { triggerCharacters: [' ', ',', '.', '=', '(', ':'], resolveProvider: false } },
  register(connection, deps) {
    connection.onCompletion((params) => guarded(deps, 'completion', EMPTY, () => completionAt(deps, params)));
  },
};
