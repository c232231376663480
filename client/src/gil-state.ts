/** `Cython Lens: Show GIL State at Cursor`: asks the server (cythonLens/gilState) and shows the answer. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GIL_STATE_REQUEST, type GilStateParams, type GilStateResult } from '../../shared/src/protocol';
import { isCythonLensDocument } from './languages';

const DESCRIPTION: Record<GilStateResult['state'], string> = {
  held: 'The GIL is held here.',
  released: 'The GIL is released here',
  'nogil-function': 'This is a nogil function: it may be called without the GIL.',
  unknown: 'The GIL state here is unknown.',
};

export async function showGilState(client: LanguageClient): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !isCythonLensDocument(editor.document)) {
    void vscode.window.showInformationMessage('Cython Lens: open a Cython file to see its GIL state.');
    return;
  }
  const params: GilStateParams = {
    textDocument: { uri: editor.document.uri.toString() },
    position: { line: editor.selection.active.line, character: editor.selection.active.character },
  };
  try {
    const result = await client.sendRequest<GilStateResult>(GIL_STATE_REQUEST, params);
    let text = DESCRIPTION[result.state];
    if (result.state === 'released' && result.releasedBy) {
      text += ` (by line ${result.releasedBy.start.line + 1}).`;
    } else if (result.state === 'released') {
      text += '.';
    }
    void vscode.window.showInformationMessage(`Cython Lens: ${text}`);
  } catch (err) {
    void vscode.window.showWarningMessage(`Cython Lens: GIL state unavailable (${err instanceof Error ? err.message : String(err)}).`);
  }
}
