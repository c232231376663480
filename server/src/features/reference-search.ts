/**
 * Finds the places that denote the same declaration as a navigation target: each whole-word occurrence of its
 * name in the candidate files is resolved with the same model (navigation-targets.ts) and kept when it denotes
 * the same declaration (equal keys). Candidates: the current document for locals and module-private names, else
 * the workspace files that mention the name (workspace-index.ts), the declaring file and the implementing .pyx.
 * In each file the names that alias it there are searched too (`from m cimport f as g`: the uses of g; `cimport
 * numpy as cnp`: the uses of cnp, for a module). Files that are not open come from the workspace index (kept
 * between requests within its budget) or are parsed for the request.
 */
import { performance } from 'node:perf_hooks';
import type { Location } from 'vscode-languageserver';
import type { DeclLocation } from '../model/c-types';
import { documentModel } from '../model/document-model';
import { buildModuleBase, moduleView } from '../model/module-model';
import { uriToPath } from '../model/pxd-resolver';
import type { SourceFile } from '../model/source-files';
import type { Node } from '../model/syntax';
import type { FeatureDeps } from './feature';
import { type NavContext, type NavTarget, keyOf, resolveTarget } from './navigation-targets';
import { declLocation, type NavRequest } from './navigation-request';
import { type MatchedName, retainedFile, type SearchMemo, searchMemo } from './workspace-files';

/** How long a search runs before it lets the event loop run (ms): a search that parses files, one that does not. */
const YIELD_MS = 15;
const YIELD_WARM_MS = 100;

export interface Occurrence {
  location: DeclLocation;
  /** The same in LSP's shape (shared between searches: read-only). */
  lsp: Location;
  /** The declaration or a definition with a body (not a use). */
  declaration: boolean;
  /** The occurrence spells another name than the declared one (a use of an alias, `f as g`: g). */
  alias: boolean;
}

export interface SearchOptions {
  includeDeclaration: boolean;
  /** Only the current document (document highlights). */
  currentOnly?: boolean;
  isCancelled?: () => boolean;
  /** Called now and then while other files are searched (the event loop runs between calls): done / to do. */
  progress?: (done: number, total: number) => void;
  /** Called for each occurrence kept, with its file's navigation context and identifier (call hierarchy). */
  onMatch?: (occurrence: Occurrence, ctx: NavContext, node: Node) => void;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The names a file binds to `name` with `as` (`from m cimport name as g`, `cimport a.name as g`): candidates only,
 * each occurrence is resolved before it is kept.
 */
export function aliasesIn(text: string, name: string): string[] {
  const out = new Set<string>();
  const re = new RegExp(`(?<![\\w])${escape(name)}[ \\t]+as[ \\t]+([A-Za-z_]\\w*)`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) if (m[1] !== name) out.add(m[1]!);
  return [...out];
}

/**
 * What an occurrence is compared by: its key, and for a module (the module's name in a cimport, or an alias of it)
 * also the module's file, so that the references of a module find its aliases' uses.
 */
function matchKey(t: NavTarget | undefined): string | null {
  if (!t) return null;
  return t.file ? `${t.key}\n${t.file}` : t.key;
}

/** Targets whose matches a file's search memo keeps at most (then it starts again). */
const MAX_MATCHED = 64;

export async function findReferences(deps: FeatureDeps, req: NavRequest, options: SearchOptions): Promise<Occurrence[]> {
  const target = req.target;
  if (!target) return [];
  const cancelled = options.isCancelled ?? (() => false);
  const current = req.ctx.uri;
  const decls = [target.declaration, ...target.implementations].filter((l): l is DeclLocation => !!l);
  const declKeys = new Set<string>(decls.map(keyOf));
  const declUris = new Set<string>(decls.map((l) => l.uri));
  // each file's occurrences kept, in text order
  const byFile = new Map<string, Occurrence[]>();
  // a module (not an alias of one): every use of the module, whatever it is called
  const moduleFile = target.file && target.key === `file:${target.file}` && target.file.endsWith('.pxd')
    ? target.file : undefined;
  // a module is mentioned by the last part of its dotted name (`cimport a.b`, `from a cimport b`, `b.f`)
  const searched = moduleFile ? target.name.split('.').pop()! : target.name;
  const keyWithFile = target.file ? `${target.key}\n${target.file}` : undefined;
  const moduleSuffix = moduleFile ? `\n${moduleFile}` : undefined;
  const matches = (k: string | null): boolean => k !== null
    && (k === target.key || k === keyWithFile || (moduleSuffix !== undefined && k.endsWith(moduleSuffix)));
  // what a file's matches depend on besides the file (its memo is per version and resolver generation)
  const signature = `${target.key}\u0000${target.file ?? ''}\u0000${searched}\u0000${target.local ? 'local' : ''}`;
  const keep = (file: SourceFile, matched: readonly MatchedName[], ctx: NavContext): void => {
    const list: Occurrence[] = [];
    for (const m of matched) {
      const declaration = declUris.has(m.location.uri) && declKeys.has(keyOf(m.location));
      if (declaration && !options.includeDeclaration) continue;
      const occurrence: Occurrence = { location: m.location, lsp: m.lsp, declaration, alias: m.alias };
      list.push(occurrence);
      if (options.onMatch) {
        const node = file.tree.rootNode.descendantForIndex(m.start, m.end);
        if (node) options.onMatch(occurrence, ctx, node);
      }
    }
    if (!list.length) return;
    const before = byFile.get(file.uri);
    if (!before) {
      byFile.set(file.uri, list);
      return;
    }
    // the same file reached by two uris: each occurrence once, in text order
    const seen = new Set(before.map((o) => keyOf(o.location)));
    byFile.set(file.uri, [...before, ...list.filter((o) => !seen.has(keyOf(o.location)))].sort((a, b) =>
      a.location.line - b.location.line || a.location.character - b.location.character));
  };
  const searchIn = (uri: string, declared: string[], range?: { start: number; end: number }, file?: string): void => {
    const found = fileContext(deps, req, uri, file);
    if (!found) return;
    const { memo } = found;
    const id = `${signature}\u0000${declared.join(',')}${range ? `\u0000${range.start}-${range.end}` : ''}`;
    let matched = memo?.matched.get(id);
    if (!matched) {
      matched = matchesIn(found, declared, range);
      if (memo) {
        if (memo.matched.size >= MAX_MATCHED) memo.matched.clear();
        memo.matched.set(id, matched);
      }
    }
    keep(found.file, matched, found.ctx);
  };
  /** The occurrences of the declared names (and their aliases) in a file that denote the target, in text order. */
  const matchesIn = ({ file, ctx, memo }: FoundFile, declared: string[], range?: { start: number; end: number }):
    MatchedName[] => {
    const keys = memo?.keys;
    const names = new Set(declared);
    if (!target.local) {
      for (const d of declared) {
        let aliases = memo?.aliases.get(d);
        if (!aliases) {
          aliases = aliasesIn(file.text, d);
          memo?.aliases.set(d, aliases);
        }
        for (const a of aliases) names.add(a);
      }
    }
    const out: MatchedName[] = [];
    for (const name of names) {
      for (const start of occurrences(file.text, name, memo)) {
        if (range && (start < range.start || start > range.end)) continue;
        let key = keys?.get(start);
        if (key === undefined) {
          const node = file.tree.rootNode.descendantForIndex(start, start + name.length);
          key = node && node.type === 'identifier' && node.startIndex === start && node.endIndex === start + name.length
            ? matchKey(resolveTarget(ctx, node)) : null;
          keys?.set(start, key);
        }
        if (!matches(key)) continue;
        const end = start + name.length;
        const p0 = file.lines.positionAt(start);
        const p1 = file.lines.positionAt(end);
        const location: DeclLocation = { uri: file.uri, line: p0.line, character: p0.character, endLine: p1.line,
          endCharacter: p1.character };
        out.push({ start, end, alias: name !== searched, location, lsp: declLocation(location) });
      }
    }
    return names.size > 1 ? out.sort((a, b) => a.start - b.start) : out;
  };
  const names = moduleFile ? [searched] : [...new Set([target.name, target.alias].filter((n): n is string => !!n))];
  if (target.local || options.currentOnly || (target.file && !moduleFile)) {
    searchIn(current, names, target.local && target.local.uri === current ? target.local : undefined);
    return sorted(byFile);
  }
  // the current document (also an alias's uses), then every other file that mentions the declared name
  searchIn(current, names);
  const index = deps.workspace;
  // uri -> its path when known (the workspace's files)
  const uris = new Map<string, string | undefined>();
  for (const l of [target.declaration, ...target.implementations]) if (l && l.uri !== current) uris.set(l.uri, undefined);
  if (index) {
    for (const f of await index.filesMentioning(searched, cancelled)) uris.set(index.uriOf(f), f);
  }
  uris.delete(current);
  // a first search parses and models each file: the event loop runs every few milliseconds meanwhile (edits,
  // cancellation, progress), and open documents are read again after each pause (an edit replaces their tree)
  let paused = performance.now();
  let done = 0;
  // files to parse (neither open nor kept from an earlier search): a slow search, whose progress is shown
  const slow = [...uris].some(([u, f]) => {
    const p = f ?? uriToPath(u);
    return !deps.document(u) && p !== undefined && !!index && !index.isRetained(p);
  });
  if (slow) options.progress?.(0, uris.size);
  for (const [uri, file] of uris) {
    if (cancelled()) break;
    searchIn(uri, [searched], undefined, file);
    done++;
    if (performance.now() - paused > (slow ? YIELD_MS : YIELD_WARM_MS) && done < uris.size) {
      if (slow) options.progress?.(done, uris.size);
      await new Promise<void>((resolve) => setImmediate(resolve));
      req.ctx.files.forgetOpenDocuments();
      paused = performance.now();
    }
  }
  return sorted(byFile);
}

/** The offsets of `name`'s whole-word occurrences in `text` (memoised with the file's version when it can be). */
function occurrences(text: string, name: string, memo: SearchMemo | undefined): readonly number[] {
  const hit = memo?.offsets.get(name);
  if (hit) return hit;
  const out: number[] = [];
  const re = new RegExp(`(?<![\\w])${escape(name)}(?![\\w])`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index);
  memo?.offsets.set(name, out);
  return out;
}

/** The order of `String.prototype.localeCompare` (default locale), without making a collator per comparison. */
const URI_ORDER = new Intl.Collator();

function sorted(byFile: Map<string, Occurrence[]>): Occurrence[] {
  return [...byFile.keys()].sort(URI_ORDER.compare).flatMap((uri) => byFile.get(uri)!);
}

/**
 * A file with a navigation context: the current document's, an open document's model, or a file from the disk
 * with its model (kept by the workspace index between requests, else parsed for this request).
 */
interface FoundFile {
  file: SourceFile;
  ctx: NavContext;
  memo?: SearchMemo;
}

function fileContext(deps: FeatureDeps, req: NavRequest, uri: string, path?: string): FoundFile | undefined {
  const { resolver, files } = req.ctx;
  const open = deps.document(uri);
  // what an open document's names denote, kept until an open document changes (workspace-index.ts `memo`)
  const openMemo = (version: number): SearchMemo | undefined => deps.workspace?.memo(`search:${uri}`,
    `${version}\u0000${resolver.generation}\u0000${req.analysis.includeDirs.join('\u0000')}`, searchMemo);
  if (uri === req.ctx.uri) {
    const file = files.get(uri);
    const memo = open ? openMemo(open.version) : undefined;
    return file ? { file, memo, ctx: { ...req.ctx, keyOnly: true } } : undefined;
  }
  if (open?.tree) {
    const file = files.get(uri);
    const model = documentModel(deps.session(), { uri: open.uri, version: open.version, tree: open.tree }, req.analysis.includeDirs);
    return file ? { file, memo: openMemo(open.version), ctx: { uri, model, root: open.tree.rootNode, files, resolver,
      keyOnly: true } } : undefined;
  }
  if (!path && !uriToPath(uri)) return undefined;
  const kept = retainedFile(deps, uri, resolver, req.analysis.includeDirs, path);
  if (kept) {
    return { file: kept.file, memo: kept.memo,
      ctx: { uri, model: kept.model, root: kept.file.tree.rootNode, files, resolver, keyOnly: true } };
  }
  const file = files.get(uri);
  if (!file) return undefined;
  const base = buildModuleBase(file.tree, uri, resolver);
  const model = moduleView(base, file.tree.rootNode);
  return { file, ctx: { uri, model, root: file.tree.rootNode, files, resolver, keyOnly: true } };
}
