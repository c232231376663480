/** `cythonLens.showGeneratedC`: opens the C the compiler generated for the cursor's line (exact mode output). */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { isCythonLensDocument } from '../languages';
import {
  GENERATED_C_REQUEST,
  type GeneratedCParams,
  type GeneratedCResult,
} from '../../../shared/src/protocol';

export async function showGeneratedC(client: LanguageClient): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !isCythonLensDocument(editor.document)) {
    void vscode.window.showInformationMessage('Cython Lens: open a Cython file first.');
    return;
  }
  const line = editor.selection.active.line;
  const params: GeneratedCParams = { uri: editor.document.uri.toString(), line };
  const result = await client.sendRequest<GeneratedCResult>(GENERATED_C_REQUEST, params);
  if (!result.available) {
    void vscode.window.showInformationMessage(`Cython Lens: ${result.message}`);
    return;
  }
  const stale = result.version !== editor.document.version ? ' (from the last save; the file changed since)' : '';
  const header = `/* ${editor.document.fileName}:${line + 1} (score ${result.score})${stale} */\n`;
  const doc = await vscode.workspace.openTextDocument({ language: 'c', content: header + (result.code || '/* no C code */') });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}
