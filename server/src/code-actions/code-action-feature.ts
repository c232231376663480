/**
 * The code-action feature: quick fixes for the diagnostics the client sends back (textDocument/codeAction) and
 * the source action "Fix all GIL issues in file" when the client asks for `source` / `source.fixAll` kinds.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Connection } from 'vscode-languageserver';
import { documentChecks } from '../checks';
import type { TreeDocument } from '../engine/check-types';
import type { AnalysisSession } from '../model/analysis-session';
import { documentModel } from '../model/document-model';
import type { CythonLensSettings } from '../../../shared/src/protocol';
import type { Feature, FeatureDeps } from '../features/feature';
import type { FixContext } from './fix-context';
import { FIX_ALL_KIND, fixAllAction } from './fix-all-gil-issues';
import { quickFixesFor } from './quick-fixes';
import { SourceFiles } from '../model/source-files';
import { lineWhatIf } from '../features/what-if-request';
import { SET_DIRECTIVE_KIND, setDirectiveActions } from './set-directive';

/** Does a requested kind (`only`) select `kind`? (`source` selects `source.fixAll.cythonLens`.) */
function selects(only: readonly string[] | undefined, kind: string): boolean {
  if (!only) return kind === CodeActionKind.QuickFix;
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

/** Computes the code actions for a request (exported for tests and the CLI). */
export function codeActions(session: AnalysisSession, doc: TreeDocument, settings: CythonLensSettings,
  params: CodeActionParams, openDocument: FeatureDeps['document']): CodeAction[] {
  const only = params.context.only;
  const wantQuickFix = selects(only, CodeActionKind.QuickFix);
  const wantFixAll = only !== undefined && selects(only, FIX_ALL_KIND);
  const wantDirective = only === undefined || selects(only, SET_DIRECTIVE_KIND);
  if (!wantQuickFix && !wantFixAll && !wantDirective) return [];
  const model = documentModel(session, doc, settings.includeDirs, settings.directives);
  const files = new SourceFiles(session, doc.tree.language, settings.includeDirs, openDocument);
  try {
    const file = files.get(doc.uri) ?? { uri: doc.uri, text: doc.text, tree: doc.tree, lines: doc.textDocument };
    const ctx: FixContext = { doc, model, file, files, memo: new Map() };
    const out: CodeAction[] = [];
    if (wantQuickFix) out.push(...distinct(params.context.diagnostics.flatMap((d) => quickFixesFor(d, ctx))));
    if (wantFixAll) {
      const checkCtx = { session, settings, deadline: Date.now() + 2000, isCancelled: () => false, log: () => undefined,
        problem: () => undefined };
      const diagnostics = documentChecks.flatMap((c) => c.run(doc, checkCtx));
      const all = fixAllAction(diagnostics, ctx);
      if (all) out.push(all);
    }
    if (wantDirective) {
      // the what-if of the line the range starts on (a yellow line): set a directive that lowers its score
      const w = lineWhatIf(model, doc.tree.rootNode, doc.text, settings.directives, params.range.start.line);
      if (w) out.push(...setDirectiveActions(doc, doc.tree.rootNode, w, doc.uri, /\.py$/i.test(doc.uri)));
    }
    return out;
  } finally {
    files.dispose();
  }
}

/**
 * One action per distinct fix: several diagnostics on one line (e.g. four calls that need the GIL) each propose the
 * same "Wrap in `with gil:`"; the first is kept and lists every diagnostic it fixes.
 */
export function distinct(actions: CodeAction[]): CodeAction[] {
  const byKey = new Map<string, CodeAction>();
  for (const a of actions) {
    const key = JSON.stringify([a.title, a.kind, a.edit ?? null, a.command ?? null]);
    const first = byKey.get(key);
    if (!first) {
      byKey.set(key, a);
      continue;
    }
    for (const d of a.diagnostics ?? []) {
      if (!(first.diagnostics ??= []).some((x) => JSON.stringify(x) === JSON.stringify(d))) first.diagnostics.push(d);
    }
    if (a.isPreferred) first.isPreferred = true;
  }
  return [...byKey.values()];
}

export const codeActionFeature: Feature = {
  id: 'code-actions',
  capabilities: {
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, SET_DIRECTIVE_KIND], resolveProvider: false },
  },
  register(connection: Connection, deps: FeatureDeps): void {
    connection.onCodeAction(async (params) => {
      const uri = params.textDocument.uri;
      const settings = await deps.settings(uri);
      const doc = deps.document(uri);
      if (!doc?.tree) return [];
      try {
        return codeActions(deps.session(), doc as TreeDocument, settings, params, (u) => deps.document(u));
      } catch (err) {
        deps.log(`[error] code actions for ${uri}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return [];
      }
    });
  },
};
