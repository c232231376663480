/** Shared by the navigation tests: a server on a fixture workspace (with the project's Python), positions, locations. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import type { Feature } from '../../server/src/features/feature';
import { LspPair } from '../support/lsp-pair';
import { REPO_ROOT, fixturePath } from '../support/paths';

export const FIXTURE_ROOT = fixturePath('navigation');

export class NavWorkspace {
  constructor(readonly root: string, readonly pair: LspPair) {}

  uri(rel: string): string {
    return pathToFileURL(path.join(this.root, rel)).toString();
  }

  text(rel: string): string {
    return fs.readFileSync(path.join(this.root, rel), 'utf8');
  }

  /** `rel:line:character` of a location, for readable assertions (files outside the workspace: their base name). */
  where(l: Location): string {
    const file = new URL(l.uri).pathname;
    const rel = file.startsWith(this.root + path.sep) ? path.relative(this.root, file) : path.basename(file);
    return `${rel}:${l.range.start.line}:${l.range.start.character}`;
  }

  async open(rel: string): Promise<void> {
    await this.pair.open(this.uri(rel), this.text(rel), 1);
    await this.pair.diagnostics(this.uri(rel), 1);
  }

  request<T>(method: string, rel: string, position: { line: number; character: number }, extra: object = {}): Promise<T> {
    return this.pair.client.sendRequest(method, { textDocument: { uri: this.uri(rel) }, position, ...extra });
  }

  dispose(): Promise<void> {
    return this.pair.dispose();
  }
}

/**
 * A server with `features` on the workspace `root` (trusted, the project's Python), `open` documents opened from the
 * disk and `unsaved` ones (not on disk) with their texts; `clientCapabilities` are added to the client's, `setup`
 * registers client handlers before initialize.
 */
export async function startNavigationServer(features: Feature[], open: string[], root = FIXTURE_ROOT,
  unsaved: { rel: string; text: string }[] = [], clientCapabilities: object = {},
  setup: (pair: LspPair) => void = () => undefined): Promise<NavWorkspace> {
  const pair = new LspPair({ debounceMs: 5, features });
  setup(pair);
  const python = path.join(REPO_ROOT, '.venv', 'bin', 'python');
  pair.config = { pythonPath: python };
  const rootUri = pathToFileURL(root).toString();
  await pair.client.sendRequest('initialize', {
    processId: null, rootUri, workspaceFolders: [{ uri: rootUri, name: 'navigation' }],
    capabilities: { workspace: { configuration: true }, ...clientCapabilities }, initializationOptions: { trusted: true },
  });
  await pair.client.sendNotification('initialized', {});
  const ws = new NavWorkspace(root, pair);
  for (const rel of open) await ws.open(rel);
  for (const u of unsaved) {
    await pair.open(ws.uri(u.rel), u.text, 1);
    await pair.diagnostics(ws.uri(u.rel), 1);
  }
  // each server's engine discovers its Python environment (its session's own)
  await pair.waitFor((n) => n.method === 'window/logMessage'
    && /Python environment: /.test((n.params as { message: string }).message), 15000);
  return ws;
}

/** Position of the `nth` occurrence of `needle` on the first line that contains `lineNeedle` (+ delta). */
export function pos(text: string, lineNeedle: string, needle = lineNeedle, delta = 0, nth = 0):
  { line: number; character: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(lineNeedle));
  assert.ok(line >= 0, `no line with ${lineNeedle}`);
  let col = -1;
  for (let i = 0; i <= nth; i++) col = lines[line]!.indexOf(needle, col + 1);
  assert.ok(col >= 0, `${needle} not on the line of ${lineNeedle}`);
  return { line, character: col + delta };
}
