/**
 * `Cython Lens: Annotate with the Compiler Now`: runs exact mode (`cython -a` on the file, in the server) for the
 * active editor now. The server compiles on `didSave`: a modified file is saved (which sends it), an unmodified one
 * gets a `didSave` notification directly. Offers to turn on `cythonLens.annotations.exactMode` when it is off;
 * refuses in an untrusted workspace (the server never runs the compiler there).
 */
import * as vscode from 'vscode';
import { DidSaveTextDocumentNotification, type LanguageClient } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../../shared/src/protocol';
import { isCythonLensDocument } from './languages';

export async function annotateNow(client: LanguageClient): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !isCythonLensDocument(editor.document)) {
    void vscode.window.showInformationMessage('Cython Lens: open a Cython file first.');
    return;
  }
  const document = editor.document;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Cython Lens: the compiler is not run in an untrusted workspace. '
      + 'Trust the workspace to annotate with `cython -a`.');
    return;
  }
  if (document.uri.scheme !== 'file' || !/\.(pyx|py)$/.test(document.fileName)) {
    void vscode.window.showInformationMessage('Cython Lens: only .pyx and .py files on disk can be compiled.');
    return;
  }
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, document.uri);
  if (!config.get<boolean>('annotations.exactMode', false)) {
    const enable = 'Enable Exact Mode';
    const choice = await vscode.window.showInformationMessage(
      'Cython Lens: exact annotations run `cython -a` on every save (cythonLens.annotations.exactMode is off).', enable);
    if (choice !== enable) return;
    await config.update('annotations.exactMode', true, vscode.ConfigurationTarget.Global);
  }
  if (document.isDirty) {
    await document.save();
    return;
  }
  await client.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: document.uri.toString() } });
  vscode.window.setStatusBarMessage('$(sync~spin) Cython Lens: running cython -a…', 3000);
}
