/**
 * The analysis a position-based feature (hover, signature help, completion, GIL state) needs: the open document
 * with its tree, its shared semantic model (document-model.ts, built once per version), and the offset.
 *
 * Settings are awaited first; everything after that is synchronous, so the tree cannot be replaced by an edit
 * while a feature reads it.
 */
import type { Position } from 'vscode-languageserver';
import type { Node, Tree } from 'web-tree-sitter';
import type { LapackDatabase } from '../lapack/database';
import { lapackDatabase } from '../lapack/symbols';
import { documentModel } from '../model/document-model';
import type { ModuleModel } from '../model/module-model';
import type { ParsedDocument } from '../text/parsed-document';
import type { FeatureDeps } from './feature';

export interface DocumentAnalysis {
  doc: ParsedDocument;
  tree: Tree;
  model: ModuleModel;
  includeDirs: string[];
  /** The session's BLAS/LAPACK routine database (undefined when its file is missing). */
  routines: LapackDatabase | undefined;
}

/** Resolves the settings, then returns the current document and its model (undefined: not open or no tree). */
export async function analyseDocument(deps: FeatureDeps, uri: string): Promise<DocumentAnalysis | undefined> {
  const { includeDirs, directives } = await buildSettingsOf(deps, uri);
  const doc = deps.document(uri);
  if (!doc || !doc.tree) return undefined;
  const model = documentModel(deps.session(), { uri: doc.uri, version: doc.version, tree: doc.tree }, includeDirs, directives);
  return { doc, tree: doc.tree, model, includeDirs, routines: lapackDatabase(deps.session()) };
}

/** The include dirs and build directives of a resource (none when the settings cannot be read). */
async function buildSettingsOf(deps: FeatureDeps, uri: string):
  Promise<{ includeDirs: string[]; directives: Readonly<Record<string, string>> }> {
  try {
    const s = await deps.settings(uri);
    return { includeDirs: s.includeDirs, directives: s.directives };
  } catch (err) {
    deps.log(`[warn] settings of ${uri}: ${err instanceof Error ? err.message : String(err)}`);
    return { includeDirs: [], directives: {} };
  }
}

/** The resolved `cythonLens.includeDirs` of a resource ([] when the settings cannot be read). */
export async function includeDirsOf(deps: FeatureDeps, uri: string): Promise<string[]> {
  try {
    return (await deps.settings(uri)).includeDirs;
  } catch (err) {
    deps.log(`[warn] settings of ${uri}: ${err instanceof Error ? err.message : String(err)}`);
    return [];
  }
}

/** The offset of an LSP position, clamped to the document. */
export function offsetOf(doc: ParsedDocument, position: Position): number {
  return doc.textDocument.offsetAt(position);
}

/** The identifier at (or just before) an offset, if any. */
export function identifierAt(tree: Tree, offset: number): Node | undefined {
  for (const at of [offset, offset - 1]) {
    if (at < 0) continue;
    const node = tree.rootNode.descendantForIndex(at, at);
    if (node && node.type === 'identifier') return node;
  }
  return undefined;
}

/** Runs a request handler; failures are logged and answered with `fallback` (bad input never crashes). */
export async function guarded<T>(deps: FeatureDeps, what: string, fallback: T, fn: () => Promise<T>): Promise<T> {
  deps.message?.();
  try {
    return await fn();
  } catch (err) {
    deps.log(`[error] ${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return fallback;
  }
}
