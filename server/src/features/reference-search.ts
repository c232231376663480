/**
 * Finds the places that denote the same declaration as a navigation target: each whole-word occurrence of its
 * name in the candidate files is resolved with the same model (navigation-targets.ts) and kept when it denotes
 * the same declaration (equal keys). Candidates: the current document for locals and module-private names, else
 * the workspace files that mention the name (workspace-index.ts), the declaring file and the implementing .pyx.
 * Files that are not open are parsed and their declarations collected for the request only.
 */
import { pathToFileURL } from 'node:url';
import type { DeclLocation } from '../model/c-types';
import { documentModel } from '../model/document-model';
import { buildModuleBase, moduleView } from '../model/module-model';
import { uriToPath } from '../model/pxd-resolver';
import type { SourceFile } from '../code-actions/source-files';
import type { FeatureDeps } from './feature';
import { type NavContext, keyOf, resolveTarget } from './navigation-targets';
import type { NavRequest } from './navigation-request';

export interface Occurrence {
  location: DeclLocation;
  /** The declaration or a definition with a body (not a use). */
  declaration: boolean;
}

export interface SearchOptions {
  includeDeclaration: boolean;
  /** Only the current document (document highlights). */
  currentOnly?: boolean;
  isCancelled?: () => boolean;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function findReferences(deps: FeatureDeps, req: NavRequest, options: SearchOptions): Promise<Occurrence[]> {
  const target = req.target;
  if (!target) return [];
  const cancelled = options.isCancelled ?? (() => false);
  const current = req.ctx.uri;
  const declKeys = new Set<string>([target.declaration, ...target.implementations]
    .filter((l): l is DeclLocation => !!l).map(keyOf));
  const out = new Map<string, Occurrence>();
  const add = (file: SourceFile, start: number, end: number): void => {
    const p0 = file.lines.positionAt(start);
    const p1 = file.lines.positionAt(end);
    const location: DeclLocation = { uri: file.uri, line: p0.line, character: p0.character, endLine: p1.line,
      endCharacter: p1.character };
    const declaration = declKeys.has(keyOf(location));
    if (declaration && !options.includeDeclaration) return;
    out.set(`${file.uri}#${start}`, { location, declaration });
  };
  const searchIn = (uri: string, names: string[], range?: { start: number; end: number }): void => {
    const file = req.ctx.files.get(uri);
    if (!file) return;
    const ctx = uri === current ? req.ctx : contextOf(deps, req, file);
    if (!ctx) return;
    for (const name of names) {
      const re = new RegExp(`(?<![\\w])${escape(name)}(?![\\w])`, 'g');
      for (let m = re.exec(file.text); m; m = re.exec(file.text)) {
        const start = m.index;
        if (range && (start < range.start || start > range.end)) continue;
        const node = file.tree.rootNode.descendantForIndex(start, start + name.length);
        if (!node || node.type !== 'identifier' || node.startIndex !== start || node.endIndex !== start + name.length) {
          continue;
        }
        const t = resolveTarget(ctx, node);
        if (t && t.key === target.key) add(file, start, start + name.length);
      }
    }
  };
  const names = [...new Set([target.name, target.alias].filter((n): n is string => !!n))];
  if (target.local || options.currentOnly || target.file) {
    searchIn(current, names, target.local && target.local.uri === current ? target.local : undefined);
    return sorted(out);
  }
  // the current document (also an alias's uses), then every other file that mentions the declared name
  searchIn(current, names);
  const uris = new Set<string>();
  for (const l of [target.declaration, ...target.implementations]) if (l && l.uri !== current) uris.add(l.uri);
  const index = deps.workspace;
  if (index) {
    for (const f of await index.filesMentioning(target.name, cancelled)) uris.add(pathToFileURL(f).toString());
  }
  uris.delete(current);
  for (const uri of uris) {
    if (cancelled()) break;
    searchIn(uri, [target.name]);
  }
  return sorted(out);
}

function sorted(out: Map<string, Occurrence>): Occurrence[] {
  return [...out.values()].sort((a, b) => a.location.uri.localeCompare(b.location.uri)
    || a.location.line - b.location.line || a.location.character - b.location.character);
}

/** A navigation context for another file: its open document's model, or one built from the disk for this request. */
function contextOf(deps: FeatureDeps, req: NavRequest, file: SourceFile): NavContext | undefined {
  const open = deps.document(file.uri);
  const resolver = req.ctx.resolver;
  if (open?.tree) {
    const model = documentModel(deps.session(), { uri: open.uri, version: open.version, tree: open.tree }, req.analysis.includeDirs);
    return { uri: file.uri, model, root: open.tree.rootNode, files: req.ctx.files, resolver };
  }
  if (!uriToPath(file.uri)) return undefined;
  const base = buildModuleBase(file.tree, file.uri, resolver);
  const model = moduleView(base, file.tree.rootNode);
  return { uri: file.uri, model, root: file.tree.rootNode, files: req.ctx.files, resolver };
}
