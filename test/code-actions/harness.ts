/**
 * Test harness for the code actions: a fixture workspace copied to a temporary folder, an Engine holding its open
 * documents, the code-action Feature served over an in-memory LSP connection, and the pinned real Cython compiler.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, Range, WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  StreamMessageReader, StreamMessageWriter, createConnection, createMessageConnection, type MessageConnection,
} from 'vscode-languageserver/node';
import { codeActionFeature } from '../../server/src/code-actions/code-action-feature';
import { Engine } from '../../server/src/engine';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { REPO_ROOT } from '../support/paths';
import { analyses } from '../../server/src/checks';

export const CYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'cython');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'code-actions');

/** A copy of `test/fixtures/code-actions/<name>` (or of inline files) in a fresh temporary folder. */
export function workspace(name: string | Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-fix-'));
  if (typeof name === 'string') fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  else for (const [file, text] of Object.entries(name)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

export function uriOf(dir: string, file: string): string {
  return pathToFileURL(path.join(dir, file)).toString();
}

/** The code-action feature on one end of an in-memory LSP connection, documents held by a real Engine. */
export class CodeActionSession {
  private readonly toServer = new PassThrough();
  private readonly toClient = new PassThrough();
  private readonly server;
  readonly client: MessageConnection;

  private constructor(readonly engine: Engine) {
    this.server = createConnection(new StreamMessageReader(this.toServer), new StreamMessageWriter(this.toClient));
    codeActionFeature.register(this.server, {
      document: (uri) => engine.document(uri),
      session: () => engine.session,
      settings: async () => defaultSettings(),
      log: (m) => process.stderr.write(`${m}\n`),
    });
    this.server.listen();
    this.client = createMessageConnection(new StreamMessageReader(this.toClient), new StreamMessageWriter(this.toServer));
    this.client.listen();
  }

  static async create(): Promise<CodeActionSession> {
    return new CodeActionSession(await Engine.create({ ...analyses, log: () => undefined }));
  }

  /** Opens a file of `dir` and returns its diagnostics. */
  open(dir: string, file: string): { uri: string; diagnostics: Diagnostic[] } {
    const uri = uriOf(dir, file);
    this.engine.open(uri, fs.readFileSync(path.join(dir, file), 'utf8'), 1, file.endsWith('.py') ? 'python' : 'cython');
    return { uri, diagnostics: this.engine.analyze(uri)?.diagnostics ?? [] };
  }

  diagnostics(uri: string): Diagnostic[] {
    return this.engine.analyze(uri)?.diagnostics ?? [];
  }

  /** textDocument/codeAction over the protocol. */
  async actions(uri: string, diagnostics: Diagnostic[], only?: string[], range?: Range): Promise<CodeAction[]> {
    const r = range ?? diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const result = await this.client.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: r, context: { diagnostics, ...(only ? { only } : {}) },
    });
    return (result ?? []) as CodeAction[];
  }

  dispose(): void {
    this.client.dispose();
    this.server.dispose();
    this.toServer.destroy();
    this.toClient.destroy();
    this.engine.dispose();
  }
}

/** Writes a WorkspaceEdit to the files on disk. */
export function applyWorkspaceEdit(edit: WorkspaceEdit | undefined): string[] {
  const touched: string[] = [];
  for (const [uri, edits] of Object.entries(edit?.changes ?? {})) {
    const file = fileURLToPath(uri);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, TextDocument.applyEdits(TextDocument.create(uri, 'cython', 0, text), edits));
    touched.push(path.basename(file));
  }
  return touched.sort();
}

export interface CompilerMessage {
  kind: 'error' | 'warning' | 'performance hint';
  file: string;
  line: number;
  /** 0-based, as the compiler prints it. */
  column: number;
  message: string;
}

const LINE = /^(warning: |performance hint: )?([^\s:]+\.(?:p[yx][xdi]|py)):(\d+):(\d+): (.*)$/;

/** Compiles every .pyx (and pure-mode .py) of `dir` with the pinned `cython -3`; the messages of all of them. */
export function compileAll(dir: string): CompilerMessage[] {
  const out: CompilerMessage[] = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.pyx') || n.endsWith('.py')).sort()) {
    const r = spawnSync(CYTHON, ['-3', f, '-o', path.join(dir, `${f}.c`)], { cwd: dir, encoding: 'utf8' });
    if (r.error) throw r.error;
    const seen = new Set<string>();
    for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) {
      const m = LINE.exec(line.trim());
      if (!m || seen.has(line)) continue;
      seen.add(line);
      const kind = m[1] === 'warning: ' ? 'warning' : m[1] ? 'performance hint' : 'error';
      out.push({ kind, file: m[2], line: Number(m[3]), column: Number(m[4]), message: m[5] });
    }
  }
  return out;
}

/**
 * Messages of `after` that `before` did not have (counted by kind, file and text, so moved lines do not count).
 * When `before` had errors the compiler stopped early, so only errors and warnings are compared then (performance
 * hints come from later phases and appear once the code compiles).
 */
export function newMessages(before: CompilerMessage[], after: CompilerMessage[]): CompilerMessage[] {
  if (before.some((m) => m.kind === 'error')) {
    const serious = (list: CompilerMessage[]) => list.filter((m) => m.kind !== 'performance hint');
    return newMessagesOf(serious(before), serious(after));
  }
  return newMessagesOf(before, after);
}

function newMessagesOf(before: CompilerMessage[], after: CompilerMessage[]): CompilerMessage[] {
  const key = (m: CompilerMessage): string => `${m.kind}\0${m.file}\0${m.message}`;
  const left = new Map<string, number>();
  for (const m of before) left.set(key(m), (left.get(key(m)) ?? 0) + 1);
  const fresh: CompilerMessage[] = [];
  for (const m of after) {
    const n = left.get(key(m)) ?? 0;
    if (n > 0) left.set(key(m), n - 1);
    else fresh.push(m);
  }
  return fresh;
}

export function matching(messages: CompilerMessage[], text: string): CompilerMessage[] {
  return messages.filter((m) => m.message.includes(text));
}
