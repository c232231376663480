/**
 * Client side of the line annotations: receives `cythonLens/annotations`, keeps them per document version,
 * renders them with a fixed set of bucket decorations, shows their reasons on hover, offers
 * `cythonLens.showGeneratedC`, and tells the server whether the workspace is trusted (exact mode runs the compiler).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ANNOTATIONS_NOTIFICATION, SETTINGS_SECTION, WHAT_IF_REQUEST, type AnnotationsParams, type WhatIfParams, type WhatIfResult,
} from '../../../shared/src/protocol';
import { WORKSPACE_TRUST_NOTIFICATION } from '../../../shared/src/protocol';
import { AnnotationDecorations } from './annotation-decorations';
import { annotationHoverProvider } from './annotation-hover';
import { AnnotationStore } from './annotation-store';
import { showGeneratedC } from './generated-c';
import { DOCUMENT_SELECTOR, isCythonLensDocument } from '../languages';

export function registerAnnotationView(client: LanguageClient): vscode.Disposable {
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const enabled = (): boolean => config().get<boolean>('annotations.enabled', true);
  const store = new AnnotationStore();
  const decorations = new AnnotationDecorations(() => config().get<number>('annotations.intensity', 1));

  const render = (editor: vscode.TextEditor): void => {
    if (!isCythonLensDocument(editor.document)) return;
    decorations.render(editor, store.linesFor(editor.document), enabled());
  };
  const renderAll = (): void => vscode.window.visibleTextEditors.forEach(render);
  const documentOf = (uri: string): vscode.TextDocument | undefined =>
    vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  const sendTrust = (): void => {
    void client.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: vscode.workspace.isTrusted });
  };

  // the what-if of a yellow line, from the server; nothing when it is not running or does not answer in time
  const whatIf = async (document: vscode.TextDocument, line: number, token: vscode.CancellationToken):
    Promise<WhatIfResult | undefined> => {
    if (!client.isRunning()) return undefined;
    const params: WhatIfParams = { textDocument: { uri: document.uri.toString() }, line };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), 3000); });
    try {
      return await Promise.race([client.sendRequest<WhatIfResult>(WHAT_IF_REQUEST, params, token), late]);
    } finally {
      clearTimeout(timer);
    }
  };

  const subscriptions: vscode.Disposable[] = [
    decorations,
    client.onNotification(ANNOTATIONS_NOTIFICATION, (params: AnnotationsParams) => {
      if (!store.accept(params, documentOf(params.uri))) return; // for another version: ignored
      vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === params.uri).forEach(render);
    }),
    vscode.languages.registerHoverProvider(DOCUMENT_SELECTOR, annotationHoverProvider(store, enabled, whatIf)),
    vscode.commands.registerCommand('cythonLens.showGeneratedC', () => showGeneratedC(client)),
    vscode.window.onDidChangeVisibleTextEditors(renderAll),
    vscode.window.onDidChangeActiveColorTheme(() => {
      if (decorations.refresh()) renderAll();
    }),
    vscode.workspace.onDidCloseTextDocument((d) => store.forget(d.uri.toString())),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(`${SETTINGS_SECTION}.annotations`)) return;
      decorations.refresh();
      renderAll();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(sendTrust),
  ];
  // on every (re)start of the server
  subscriptions.push(client.onDidChangeState(() => {
    if (client.isRunning()) sendTrust();
  }));
  if (client.isRunning()) sendTrust();
  return new vscode.Disposable(() => subscriptions.forEach((s) => s.dispose()));
}
