/** VS Code extension: starts dist/server.js over IPC and wires the commands. All analysis is in the server. */
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../../shared/src/protocol';
import { annotateNow } from './annotate-now';
import { registerAnnotationView } from './annotations/index';
import { showGilState } from './gil-state';
import { registerGilStatus } from './gil-status';
import { registerStatus } from './status';
import { PythonExtensionInterpreters } from './python-extension';
import { configurationMiddleware, trustInitializationOptions } from './workspace-trust';
import { DOCUMENT_SELECTOR, pythonMiddleware } from './languages';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const started = Date.now();
  const output = vscode.window.createOutputChannel('Cython Lens');
  // with cythonLens.pythonPath empty: the interpreter chosen in the Python extension, if it is installed
  const interpreters = new PythonExtensionInterpreters((m) => output.appendLine(m));
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { configurationSection: SETTINGS_SECTION },
    outputChannel: output,
    // read when the client (re)starts: a restart after trust is granted starts the server trusted
    initializationOptions: trustInitializationOptions,
    middleware: { workspace: configurationMiddleware((scopeUri) => interpreters.interpreterFor(scopeUri)), ...pythonMiddleware },
  };
  client = new LanguageClient('cythonLens', 'Cython Lens', serverOptions, clientOptions);
  const c = client;
  context.subscriptions.push(
    output,
    interpreters,
    registerAnnotationView(c),
    registerStatus(c),
    registerGilStatus(c),
    vscode.commands.registerCommand('cythonLens.restartServer', async () => {
      output.appendLine('Restarting the Cython Lens server…');
      await c.restart();
    }),
    vscode.commands.registerCommand('cythonLens.toggleAnnotations', async () => {
      const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
      const enabled = config.get<boolean>('annotations.enabled', true);
      await config.update('annotations.enabled', !enabled, vscode.ConfigurationTarget.Global);
    }),
    vscode.commands.registerCommand('cythonLens.showGilState', () => showGilState(c)),
    vscode.commands.registerCommand('cythonLens.annotateNow', () => annotateNow(c)),
    vscode.commands.registerCommand('cythonLens.showOutput', () => output.show(true)),
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      output.appendLine('Workspace trusted: restarting the server so it may run the configured Python.');
      await c.restart();
    }),
  );
  const trust = vscode.workspace.isTrusted ? 'trusted' : 'untrusted (no Python or compiler runs)';
  await client.start();
  // another interpreter picked in the Python extension: the server pulls its settings again
  if (interpreters.installed) {
    void interpreters.onDidChange(() => {
      output.appendLine('[client] The Python extension changed its interpreter: the server reads its settings again.');
      void c.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    });
  }
  const version = (context.extension.packageJSON as { version?: string }).version ?? '?';
  output.appendLine(`[client] Cython Lens ${version} activated in ${Date.now() - started} ms `
    + `(language server started and initialized; workspace ${trust})`);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
