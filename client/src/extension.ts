/** VS Code extension: starts dist/server.js over IPC and wires the commands. All analysis is in the server. */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../../shared/src/protocol';
import { registerAnnotationView } from './annotations/index';
import { showGilState } from './gil-state';
import { registerStatus } from './status';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Cython Lens');
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'cython' }],
    synchronize: { configurationSection: SETTINGS_SECTION },
    outputChannel: output,
  };
  client = new LanguageClient('cythonLens', 'Cython Lens', serverOptions, clientOptions);
  const c = client;
  context.subscriptions.push(
    output,
    registerAnnotationView(c),
    registerStatus(c),
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
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
