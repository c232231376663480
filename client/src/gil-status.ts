/**
 * Status bar item with the GIL state at the cursor ("GIL held", "GIL released", "nogil function"), asked from the
 * server (`cythonLens/gilState`) after the cursor rests for a moment. The tooltip names what released the GIL.
 * Hidden for editors that are not Cython and when the server cannot tell (document not analysed).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GIL_STATE_REQUEST, type GilStateParams, type GilStateResult } from '../../shared/src/protocol';
import { isCythonLensDocument } from './languages';

/** Wait after the last cursor move or edit before asking the server. */
export const GIL_STATUS_DEBOUNCE_MS = 120;

const LABEL: Record<Exclude<GilStateResult['state'], 'unknown'>, string> = {
  held: '$(lock) GIL held',
  released: '$(unlock) GIL released',
  'nogil-function': '$(zap) nogil function',
};

/** The releasing construct as written (first line of its range, at most 60 characters). */
export function releasingText(document: vscode.TextDocument, range: vscode.Range): string {
  const first = document.lineAt(Math.min(range.start.line, document.lineCount - 1)).text;
  const end = range.end.line === range.start.line ? range.end.character : first.length;
  const flat = first.slice(range.start.character, end).replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

/** The tooltip for a state: what released the GIL and where (line numbers 1-based). */
export function gilTooltip(document: vscode.TextDocument, result: GilStateResult): string {
  const directives = result.directives?.length
    ? `\n\nDirectives here: ${result.directives.map((d) => `${d.value === '' ? d.name : `${d.name}=${d.value}`} (${
      d.source === 'build' ? 'build settings' : d.source === 'header' ? '# cython: comment' : d.source === 'with' ? 'with block' : 'decorator'
    }${d.line !== undefined ? `, line ${d.line}` : ''})`).join(', ')}`
    : '';
  return gilStateTooltip(document, result) + directives;
}

function gilStateTooltip(document: vscode.TextDocument, result: GilStateResult): string {
  const by = result.releasedBy;
  const range = by ? new vscode.Range(by.start.line, by.start.character, by.end.line, by.end.character) : undefined;
  const what = range ? `\`${releasingText(document, range)}\` at line ${range.start.line + 1}` : undefined;
  switch (result.state) {
    case 'held':
      return 'The GIL is held here: Python objects and calls are allowed.';
    case 'released':
      return `The GIL is released here${what ? ` by ${what}` : ''}: only C operations and nogil functions are allowed.`;
    case 'nogil-function':
      return `Inside a nogil function${what ? ` (${what})` : ''}: it may run without the GIL, so its body must not `
        + 'touch Python objects; callers may hold the GIL.';
    case 'unknown':
      return 'The GIL state here is unknown.';
  }
}

export function registerGilStatus(client: LanguageClient): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('cythonLens.gilState', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Cython Lens: GIL state';
  item.command = 'cythonLens.showGilState';
  let timer: NodeJS.Timeout | undefined;
  let pending: vscode.CancellationTokenSource | undefined;

  const cancelPending = (): void => {
    pending?.cancel();
    pending?.dispose();
    pending = undefined;
  };

  const query = async (): Promise<void> => {
    timer = undefined;
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isCythonLensDocument(editor.document) || !client.isRunning()) {
      item.hide();
      return;
    }
    cancelPending();
    const source = new vscode.CancellationTokenSource();
    pending = source;
    const document = editor.document;
    const version = document.version;
    const active = editor.selection.active;
    const params: GilStateParams = {
      textDocument: { uri: document.uri.toString() },
      position: { line: active.line, character: active.character },
    };
    try {
      const result = await client.sendRequest<GilStateResult>(GIL_STATE_REQUEST, params, source.token);
      // a newer request took over, or the editor/document moved on: that one will answer
      if (source.token.isCancellationRequested || vscode.window.activeTextEditor !== editor
        || document.version !== version) return;
      if (result.state === 'unknown') {
        item.hide();
        return;
      }
      item.text = LABEL[result.state];
      item.tooltip = gilTooltip(document, result);
      item.show();
    } catch (err) {
      if (source.token.isCancellationRequested) return;
      client.outputChannel.appendLine(`[gil status] ${err instanceof Error ? err.message : String(err)}`);
      item.hide();
    } finally {
      if (pending === source) cancelPending();
    }
  };

  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isCythonLensDocument(editor.document)) {
      cancelPending();
      item.hide();
      return;
    }
    timer = setTimeout(() => void query(), GIL_STATUS_DEBOUNCE_MS);
  };

  const subscriptions: vscode.Disposable[] = [
    item,
    vscode.window.onDidChangeActiveTextEditor(schedule),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      if (e.textEditor === vscode.window.activeTextEditor) schedule();
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) schedule();
    }),
    // the document's language changed (e.g. "Change Language Mode")
    vscode.workspace.onDidOpenTextDocument(schedule),
    client.onDidChangeState(schedule),
  ];
  schedule();
  return new vscode.Disposable(() => {
    if (timer) clearTimeout(timer);
    cancelPending();
    subscriptions.forEach((s) => s.dispose());
  });
}
