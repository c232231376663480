/**
 * `cython-lens lsp --stdio`: the language server on stdin/stdout. Loaded by main.ts only for this command, so that
 * `check`, `report` and `parse` do not load the LSP connection libraries (start-up time).
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { CythonLensServer } from '../server';

/** Runs until the client sends exit (vscode-languageserver ends the process). */
export function runLsp(): Promise<number> {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  new CythonLensServer(connection);
  connection.listen();
  return new Promise<number>(() => {
    /* never resolves: the connection owns the process from here */
  });
}
