/**
 * The texts and trees a request (a code action, a go-to-definition) reads besides the current document: the .pxd
 * that declares a function, the .pyx that defines it. Open documents win over the disk; trees parsed here are owned by the `SourceFiles` object
 * and freed by `dispose()` at the end of the request.
 */
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Language, Tree } from 'web-tree-sitter';
import type { AnalysisSession } from './analysis-session';
import type { ModuleModel } from './module-model';
import type { PxdResolver } from './pxd-resolver';
import { uriToPath } from './pxd-resolver';
import type { ParsedDocument } from '../text/parsed-document';

export interface SourceFile {
  uri: string;
  text: string;
  tree: Tree;
  /** Offset <-> LSP position. */
  lines: TextDocument;
}

export class SourceFiles {
  private readonly owned: Tree[] = [];
  private readonly byUri = new Map<string, SourceFile | null>();
  /** The uris read from open documents (their trees are the document store's). */
  private readonly fromOpen = new Set<string>();

  /** Models of the files read, built once per request (file-model.ts). */
  readonly models = new WeakMap<SourceFile, ModuleModel>();
  /** The cimport resolver of the request's document (its include dirs), shared with its model. */
  readonly resolver: PxdResolver;

  constructor(private readonly session: AnalysisSession, language: Language, includeDirs: readonly string[],
    private readonly openDocument: (uri: string) => ParsedDocument | undefined,
    /** Files parsed before and kept by their owner (not freed here); consulted after the open documents. */
    private readonly retained: (uri: string) => SourceFile | undefined = () => undefined) {
    this.resolver = session.resolver(language, includeDirs); // also makes sure the session's parser exists
  }


  /** The file at `uri` (open document, else read from disk), or undefined when it cannot be read or parsed. */
  get(uri: string): SourceFile | undefined {
    const known = this.byUri.get(uri);
    if (known !== undefined) return known ?? undefined;
    const file = this.load(uri);
    this.byUri.set(uri, file ?? null);
    return file;
  }

  /** Same as `get`, by file path. */
  getPath(file: string): SourceFile | undefined {
    const open = [...this.byUri.values()].find((f) => f && uriToPath(f.uri) === file);
    return open ?? this.get(pathToFileURL(file).toString());
  }

  /** Parses a text with the shared parser; the tree is freed with this object. */
  parse(text: string): Tree {
    const tree = this.session.parse(text);
    this.owned.push(tree);
    return tree;
  }

  /**
   * Forgets the open documents read so far (their trees may be replaced by an edit while a long request yields to
   * the event loop): the next `get` reads each one's current tree.
   */
  forgetOpenDocuments(): void {
    for (const uri of this.fromOpen) this.byUri.delete(uri);
    this.fromOpen.clear();
  }

  dispose(): void {
    for (const t of this.owned) t.delete();
    this.owned.length = 0;
    this.byUri.clear();
    this.fromOpen.clear();
  }

  private load(uri: string): SourceFile | undefined {
    const open = this.openDocument(uri);
    if (open?.tree) {
      this.fromOpen.add(uri);
      return { uri, text: open.text, tree: open.tree, lines: open.textDocument };
    }
    const kept = this.retained(uri);
    if (kept) return kept;
    const file = uriToPath(uri);
    if (!file) return undefined;
    let text: string;
    try {
      if (!fs.statSync(file).isFile()) return undefined;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    return { uri, text, tree: this.parse(text), lines: TextDocument.create(uri, 'cython', 0, text) };
  }
}
