/**
 * An in-memory LSP client/server pair: the real CythonLensServer on one end of two PassThrough streams, a
 * vscode-jsonrpc MessageConnection acting as the client on the other.
 */
import { PassThrough } from 'node:stream';
import {
  StreamMessageReader,
  StreamMessageWriter,
  createConnection,
  createMessageConnection,
  type MessageConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { CythonLensServer, type ServerOptions } from '../../server/src/server';

export interface Received {
  method: string;
  params: unknown;
}

/**
 * The client's side of a connection to the server: requests, the notifications received, configuration answers.
 * LspPair runs the server in this process; LspProcess (lsp-process.ts) talks to it in its own process.
 */
export class LspClientSide {
  readonly client: MessageConnection;
  readonly notifications: Received[] = [];
  /** What workspace/configuration answers (the `cythonLens` section); a function answers per scope URI. */
  config: unknown = {};
  private readonly waiters: { test: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];

  constructor(reader: StreamMessageReader, writer: StreamMessageWriter) {
    this.client = createMessageConnection(reader, writer);
    this.client.onRequest('workspace/configuration', (params: { items: { scopeUri?: string }[] }) => params.items.map(
      (item) => (typeof this.config === 'function' ? (this.config as (scopeUri?: string) => unknown)(item.scopeUri) : this.config)));
    this.client.onRequest('client/registerCapability', () => null);
    this.client.onNotification((method: string, params: unknown) => {
      const r = { method, params };
      this.notifications.push(r);
      for (const w of [...this.waiters]) {
        if (w.test(r)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(r);
        }
      }
    });
    this.client.listen();
  }

  async initialize(capabilities: object = { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } },
    workspaceFolders: { uri: string; name: string }[] = [{ uri: 'file:///ws', name: 'ws' }]): Promise<any> {
    const result = await this.client.sendRequest('initialize', {
      processId: null,
      rootUri: workspaceFolders[0]?.uri ?? null,
      workspaceFolders,
      capabilities,
    });
    await this.client.sendNotification('initialized', {});
    return result;
  }

  /** Resolves with the first notification (already received or future) that matches. */
  waitFor(test: (r: Received) => boolean, timeoutMs = 5000, from = 0): Promise<Received> {
    const seen = this.notifications.slice(from).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout waiting for a notification; got ${JSON.stringify(this.notifications.map((n) => n.method))}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  }

  /** Next publishDiagnostics for `uri` (after the ones already received), optionally for a given version. */
  async diagnostics(uri: string, version?: number): Promise<PublishDiagnosticsParams> {
    const from = this.notifications.length;
    const r = await this.waitFor(
      (n) =>
        n.method === 'textDocument/publishDiagnostics' &&
        (n.params as PublishDiagnosticsParams).uri === uri &&
        (version === undefined || (n.params as PublishDiagnosticsParams).version === version),
      5000,
      version === undefined ? from : 0,
    );
    return r.params as PublishDiagnosticsParams;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'cython', version, text } });
  }

  change(uri: string, version: number, contentChanges: object[]): Promise<void> {
    return this.client.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

}

export class LspPair extends LspClientSide {
  private readonly toServer: PassThrough;
  private readonly toClient: PassThrough;
  private readonly serverConnection;
  /** The server under test (its analysis session is what some tests look at). */
  readonly server: CythonLensServer;

  constructor(options: ServerOptions = { debounceMs: 5 }) {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    super(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    this.toServer = toServer;
    this.toClient = toClient;
    this.serverConnection = createConnection(new StreamMessageReader(this.toServer), new StreamMessageWriter(this.toClient));
    // settle broken trees before every publish unless a test asks otherwise (tests read the first publish)
    this.server = new CythonLensServer(this.serverConnection, { settleDelayMs: 0, ...options });
    this.serverConnection.listen();
  }

  /** Shuts the server down (stops its timers) before closing both ends. */
  async dispose(): Promise<void> {
    try {
      await Promise.race([this.client.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
    } catch {
      // already shut down or never initialised
    }
    this.client.dispose();
    this.serverConnection.dispose();
    this.toServer.destroy();
    this.toClient.destroy();
  }
}
