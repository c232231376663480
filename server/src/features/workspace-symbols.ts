/**
 * Workspace symbols (Ctrl+T): the outlines (model/outline.ts) of every Cython file of the workspace index, each
 * computed once per file text (open documents as they are now), matched against the query as a case-insensitive
 * subsequence. The first query parses the files it has not seen, yielding between files and honouring
 * cancellation; later ones reuse the outlines until a file changes.
 */
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type SymbolInformation, type WorkspaceSymbolParams, WorkspaceSymbolRequest } from 'vscode-languageserver';
import type { AnalysisSession } from '../model/analysis-session';
import { moduleOutline, type OutlineItem, type OutlineKind } from '../model/outline';
import { loadGrammar } from '../tree/language';
import { guarded } from './document-analysis';
import { OUTLINE_SYMBOL_KINDS } from './document-symbols';
import type { Feature, FeatureDeps } from './feature';
import { type RequestProgress, requestProgress } from './work-progress';

interface FlatSymbol {
  name: string;
  kind: OutlineKind;
  container: string | undefined;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

const MAX_RESULTS = 1000;

function flatten(session: AnalysisSession, text: string): FlatSymbol[] {
  const tree = session.parse(text);
  try {
    const lines = TextDocument.create('file:///outline', 'cython', 0, text);
    const out: FlatSymbol[] = [];
    const visit = (items: OutlineItem[], container: string | undefined): void => {
      for (const it of items) {
        if (it.kind !== 'extern') {
          const s = lines.positionAt(it.nameStart);
          const e = lines.positionAt(it.nameEnd);
          out.push({ name: it.name, kind: it.kind, container, line: s.line, character: s.character, endLine: e.line,
            endCharacter: e.character });
        }
        visit(it.children, it.kind === 'extern' ? container : it.name);
      }
    };
    visit(moduleOutline(tree.rootNode), undefined);
    return out;
  } finally {
    tree.delete();
  }
}

/** `query` matches `name` when its characters appear in order (case-insensitive); empty matches everything. */
export function matchesQuery(name: string, query: string): boolean {
  const n = name.toLowerCase();
  let i = 0;
  for (const ch of query.toLowerCase()) {
    i = n.indexOf(ch, i);
    if (i < 0) return false;
    i++;
  }
  return true;
}

export async function workspaceSymbols(deps: FeatureDeps, params: WorkspaceSymbolParams, isCancelled: () => boolean,
  progress?: RequestProgress): Promise<SymbolInformation[]> {
  const index = deps.workspace;
  if (!index) return [];
  const query = typeof params?.query === 'string' ? params.query.trim() : '';
  const { language } = await loadGrammar();
  const session = deps.session();
  session.resolver(language); // makes sure the session's parser exists
  const out: SymbolInformation[] = [];
  let n = 0;
  const files = await index.list();
  // files not outlined yet: the first query reads and outlines them all, with progress
  const slow = files.some((f) => !index.hasDerived(f, 'outline'));
  if (slow) progress?.report(0, files.length);
  for (const file of files) {
    if (isCancelled() || out.length >= MAX_RESULTS) break;
    const symbols = await index.derived(file, 'outline', (text) => flatten(session, text));
    if (++n % 20 === 0) {
      if (slow) progress?.report(n, files.length);
      await new Promise((r) => setImmediate(r));
    }
    const uri = pathToFileURL(file).toString();
    for (const s of symbols ?? []) {
      if (!matchesQuery(s.name, query)) continue;
      const info: SymbolInformation = { name: s.name, kind: OUTLINE_SYMBOL_KINDS[s.kind], location: { uri, range: {
        start: { line: s.line, character: s.character }, end: { line: s.endLine, character: s.endCharacter } } } };
      if (s.container) info.containerName = s.container;
      out.push(info);
      if (out.length >= MAX_RESULTS) break;
    }
  }
  return out;
}

export const workspaceSymbolFeature: Feature = {
  id: 'workspace-symbols',
  capabilities: { workspaceSymbolProvider: { workDoneProgress: true } },
  register(connection, deps) {
    connection.onRequest(WorkspaceSymbolRequest.type, (p, token) => {
      const progress = requestProgress(connection, 'Cython Lens: indexing workspace symbols', p);
      return guarded(deps, 'workspaceSymbol', [], () => workspaceSymbols(deps, p, () => token.isCancellationRequested,
        progress)).finally(() => progress.end());
    });
  },
};
