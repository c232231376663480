/**
 * The shared start of the navigation requests (definition, declaration, implementation, references, highlights,
 * rename): the document's analysis, the files the request may read (open documents win over the disk), and the
 * target at the position. The files' trees are freed when the request ends.
 */
import type { Location, Position, Range } from 'vscode-languageserver';
import { SourceFiles } from '../model/source-files';
import type { DeclLocation } from '../model/c-types';
import type { Node } from '../model/syntax';
import { analyseDocument, type DocumentAnalysis, offsetOf } from './document-analysis';
import type { FeatureDeps } from './feature';
import { type NavContext, type NavTarget, navigableNodeAt, resolveTarget } from './navigation-targets';
import { retainedFile } from './workspace-files';

export interface NavRequest {
  analysis: DocumentAnalysis;
  ctx: NavContext;
  node: Node;
  target: NavTarget | undefined;
}

/** Runs `fn` with the target at the position; undefined when the document is not open or nothing is there. */
export async function withTarget<T>(deps: FeatureDeps, uri: unknown, position: Position | undefined,
  fn: (req: NavRequest) => T | Promise<T>): Promise<T | undefined> {
  if (typeof uri !== 'string' || !position) return undefined;
  const analysis = await analyseDocument(deps, uri);
  if (!analysis) return undefined;
  const session = deps.session();
  const resolver = session.resolver(analysis.tree.language, analysis.includeDirs);
  const release = deps.workspace?.hold();
  const files = new SourceFiles(session, analysis.tree.language, analysis.includeDirs, (u) => deps.document(u),
    (u) => retainedFile(deps, u, resolver, analysis.includeDirs)?.file);
  try {
    const ctx: NavContext = { uri, model: analysis.model, root: analysis.tree.rootNode, files, resolver };
    const node = navigableNodeAt(analysis.tree.rootNode, offsetOf(analysis.doc, position));
    if (!node) return undefined;
    return await fn({ analysis, ctx, node, target: resolveTarget(ctx, node) });
  } finally {
    files.dispose();
    release?.();
  }
}

export function declRange(loc: DeclLocation): Range {
  return { start: { line: loc.line, character: loc.character }, end: { line: loc.endLine, character: loc.endCharacter } };
}

export function declLocation(loc: DeclLocation): Location {
  return { uri: loc.uri, range: declRange(loc) };
}
