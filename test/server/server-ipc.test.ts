/** The bundled server as VS Code starts it: `dist/server.js --node-ipc` in a forked Node process. */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  IPCMessageReader,
  IPCMessageWriter,
  createMessageConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { REPO_ROOT } from '../support/paths';

describe('dist/server.js over node IPC', () => {
  it('initializes, publishes diagnostics for an opened document and exits cleanly', async () => {
    const child = fork(path.join(REPO_ROOT, 'dist', 'server.js'), ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const conn = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) =>
      conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => resolve(p)),
    );
    conn.listen();
    try {
      const init = (await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as {
        capabilities: { textDocumentSync: { change: number } };
      };
      assert.equal(init.capabilities.textDocumentSync.change, 2);
      await conn.sendNotification('initialized', {});
      await conn.sendNotification('textDocument/didOpen', {
        textDocument: { uri: 'file:///ipc.pyx', languageId: 'cython', version: 3, text: 'def f(:\n' },
      });
      const d = await diagnostics;
      assert.equal(d.uri, 'file:///ipc.pyx');
      assert.equal(d.version, 3);
      assert.ok(d.diagnostics.some((x) => x.code === 'syntax'));
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      assert.equal(await exited, 0);
    } finally {
      conn.dispose();
      if (child.exitCode === null) child.kill();
    }
  });
});
