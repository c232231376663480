/** Shows `cythonLens/status` (analysis skipped, partly off or failed) in the status bar for the active document. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { STATUS_NOTIFICATION, type StatusParams } from '../../shared/src/protocol';

export function registerStatus(client: LanguageClient): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('cythonLens.status', vscode.StatusBarAlignment.Left, 0);
  item.name = 'Cython Lens';
  item.command = 'cythonLens.restartServer';
  const statuses = new Map<string, StatusParams>();

  const update = (): void => {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const status = uri ? statuses.get(uri) : undefined;
    if (!status || status.state === 'ok') {
      item.hide();
      return;
    }
    item.text = status.state === 'error' ? '$(error) Cython Lens'
      : status.state === 'warning' ? '$(warning) Cython Lens' : '$(info) Cython Lens: not analysed';
    item.tooltip = status.message ?? '';
    item.show();
  };

  const subscriptions = [
    item,
    client.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => {
      statuses.set(params.uri, params);
      if ((params.state === 'error' || params.state === 'warning') && params.message) client.outputChannel.appendLine(params.message);
      update();
    }),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidCloseTextDocument((d) => statuses.delete(d.uri.toString())),
  ];
  return new vscode.Disposable(() => subscriptions.forEach((s) => s.dispose()));
}
