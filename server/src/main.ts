/**
 * Entry point of dist/server.js: `node dist/server.js --stdio` or `--node-ipc` (what vscode-languageclient
 * uses); the transport is picked from the command line by vscode-languageserver.
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { CythonLensServer } from './server';

const connection = createConnection(ProposedFeatures.all);
new CythonLensServer(connection);
connection.listen();
