/**
 * Files that are not open, parsed with their model once and kept by the workspace index between requests (the
 * references search reads the same files again and again): keyed by modification time, the .pxd cache
 * generation and the include dirs, within the index's budget; a request holds them (`WorkspaceIndex.hold`) so
 * none is freed while it runs.
 */
import type { Location } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DeclLocation } from '../model/c-types';
import type { SourceFile } from '../model/source-files';
import { buildModuleBase, type ModuleModel, moduleView } from '../model/module-model';
import { type PxdResolver, uriToPath } from '../model/pxd-resolver';
import type { FeatureDeps } from './feature';

/** What a search learnt about one version of a file, kept with it for the next search. */
export interface SearchMemo {
  /** What the identifier at an offset denotes (its navigation key; null: nothing). */
  keys: Map<number, string | null>;
  /** The offsets of a name's whole-word occurrences in the text. */
  offsets: Map<string, number[]>;
  /** The names bound to a name with `as` in the text. */
  aliases: Map<string, string[]>;
  /**
   * The occurrences a search kept in this text, per target (its keys and the names searched): in text order, with
   * their positions, so that a warm search of the file resolves and converts nothing.
   */
  matched: Map<string, readonly MatchedName[]>;
}

/** An occurrence of a name that denotes a search's target (reference-search.ts). */
export interface MatchedName {
  start: number;
  end: number;
  location: DeclLocation;
  /** The same in LSP's shape (read-only: answered as it is). */
  lsp: Location;
  /** It spells another name than the searched one (an alias). */
  alias: boolean;
}

export function searchMemo(): SearchMemo {
  return { keys: new Map(), offsets: new Map(), aliases: new Map(), matched: new Map() };
}

export interface RetainedFile {
  file: SourceFile;
  model: ModuleModel;
  /** Memoised for this version. */
  memo: SearchMemo;
}

function keyOf(resolver: PxdResolver, includeDirs: readonly string[]): string {
  return `${resolver.generation}\u0000${includeDirs.join('\u0000')}`;
}

/** The file at `uri` with its model, parsed now or kept from before; undefined without an index or a readable file. */
export function retainedFile(deps: FeatureDeps, uri: string, resolver: PxdResolver, includeDirs: readonly string[],
  /** The uri's path when the caller knows it. */
  known?: string): RetainedFile | undefined {
  const file = known ?? uriToPath(uri);
  if (!deps.workspace || !file) return undefined;
  return deps.workspace.retain<RetainedFile>(file, keyOf(resolver, includeDirs), (text) => {
    const tree = deps.session().parse(text);
    try {
      const base = buildModuleBase(tree, uri, resolver);
      const model = moduleView(base, tree.rootNode);
      const source: SourceFile = { uri, text, tree, lines: TextDocument.create(uri, 'cython', 0, text) };
      return { value: { file: source, model, memo: searchMemo() }, dispose: () => tree.delete() };
    } catch (err) {
      tree.delete();
      throw err;
    }
  });
}
