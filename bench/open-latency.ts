/**
 * Open in a running server, as an editor meets it: the bundled server (`cli.js lsp --stdio`, its own process, as the
 * VS Code client starts it), JIT warm from a few scikit-learn files and the Python environment discovered, then
 * `textDocument/didOpen` of a large real module and the time until its first diagnostics and line scores arrive (for a
 * large document the first screen: the publication is progressive, features/diagnostics.ts) and until the complete
 * scores (not marked partial). Cold: the module's include dirs differ from the warm-up files', so its resolver starts
 * with no .pxd parsed (not even libc's or cpython's); warm: reopened after a close (the .pxd cached; the document's
 * model and per-definition caches dropped with the close). CPU time: the server process's (Linux /proc; 10 ms ticks).
 *
 * The server warms the .pxd files its workspace cimports in idle time (features/pxd-warming.ts), which changes what
 * cold means. So cold is measured twice, each in a server of its own: right after start (warming off, as an open
 * that comes before the server had any idle time: the workspace's .pxd not parsed), and after warming (the server
 * left idle until it logs that the warm-up is done; the workspace, the module's folder, has the module's include
 * dirs in its settings, as an editor's workspace would).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection, type MessageConnection } from 'vscode-languageserver/node';
import { ANNOTATIONS_NOTIFICATION, type AnnotationsParams } from '../shared/src/protocol';
import type { CorpusFile } from './corpus';
import { benchCli } from './whole-process';

export interface OpenTiming {
  /** didOpen → the first publishDiagnostics and the first annotations notification, whichever comes last */
  firstMs: number;
  /** CPU time of the server process over the same span (undefined where /proc is missing) */
  firstCpuMs: number | undefined;
  /** didOpen → the complete scores (not partial) */
  fullMs: number;
  fullCpuMs: number | undefined;
  /** lines scored in the first and in the complete publication */
  firstLines: number;
  fullLines: number;
}

export interface OpenResult {
  file: CorpusFile;
  lines: number;
  /** right after start (warming off) */
  cold: OpenTiming;
  warm: OpenTiming;
  /** cold again, in a server whose idle-time warming ran to its end first; its log line */
  warmed: OpenTiming;
  warmup: string;
}

/** CPU time (user + system) of a process so far, ms (Linux: /proc/PID/stat, 100 ticks a second). */
function cpuOf(pid: number | undefined): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

interface Note {
  method: string;
  params: unknown;
}

class ServerProcess {
  readonly child: ChildProcess;
  readonly client: MessageConnection;
  readonly notes: Note[] = [];
  private readonly waiters: { test: (n: Note) => boolean; resolve: (n: Note) => void }[] = [];
  current: CorpusFile | undefined;

  /** the measured module: files under its folder get its include dirs (the workspace's settings) */
  workspace: CorpusFile | undefined;

  constructor(python: string) {
    this.child = spawn(process.execPath, [benchCli(), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.client = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.client.onRequest('workspace/configuration', (params: { items: unknown[] }) =>
      params.items.map((item: unknown) => ({ pythonPath: python, includeDirs: this.dirsFor(item) })));
    this.client.onRequest('client/registerCapability', () => null);
    this.client.onRequest('window/workDoneProgress/create', () => null);
    this.client.onNotification((method: string, params: unknown) => {
      const n = { method, params };
      this.notes.push(n);
      for (const w of [...this.waiters]) {
        if (w.test(n)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(n);
        }
      }
    });
    this.client.listen();
  }

  private dirsFor(item: unknown): string[] {
    const scope = (item as { scopeUri?: string } | undefined)?.scopeUri;
    const current = this.current && pathToFileURL(this.current.path).toString();
    if (scope !== undefined && scope !== current && this.workspace
      && scope.startsWith(pathToFileURL(path.dirname(this.workspace.path)).toString() + '/')) return this.workspace.includeDirs;
    return this.current?.includeDirs ?? [];
  }

  waitFor(test: (n: Note) => boolean, from: number, timeoutMs = 600_000): Promise<Note> {
    const seen = this.notes.slice(from).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bench open: no answer from the server')), timeoutMs);
      this.waiters.push({ test, resolve: (n) => { clearTimeout(timer); resolve(n); } });
    });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.client.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
      await this.client.sendNotification('exit');
    } catch {
      // gone already
    }
    this.client.dispose();
    setTimeout(() => this.child.kill(), 2000).unref();
  }
}

async function openOnce(server: ServerProcess, file: CorpusFile): Promise<OpenTiming> {
  server.current = file;
  const uri = pathToFileURL(file.path).toString();
  const text = fs.readFileSync(file.path, 'utf8');
  const from = server.notes.length;
  const isDiag = (n: Note): boolean => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string }).uri === uri;
  const isScores = (n: Note): boolean => n.method === ANNOTATIONS_NOTIFICATION && (n.params as AnnotationsParams).uri === uri;
  const pid = server.child.pid;
  const t0 = performance.now();
  const c0 = cpuOf(pid);
  const since = (c: number | undefined): number | undefined => (c === undefined || c0 === undefined ? undefined : c - c0);
  const marks: Partial<OpenTiming> = {};
  const first = Promise.all([server.waitFor(isDiag, from), server.waitFor(isScores, from)]).then(([, s]) => {
    marks.firstMs = performance.now() - t0;
    marks.firstCpuMs = since(cpuOf(pid));
    marks.firstLines = (s.params as AnnotationsParams).lines.length;
  });
  const full = server.waitFor((n) => isScores(n) && !(n.params as AnnotationsParams).partial, from).then((n) => {
    marks.fullMs = performance.now() - t0;
    marks.fullCpuMs = since(cpuOf(pid));
    marks.fullLines = (n.params as AnnotationsParams).lines.length;
  });
  await server.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'cython', version: 1, text } });
  await Promise.all([first, full]);
  const closed = server.notes.length;
  await server.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await server.waitFor((n) => isScores(n) && (n.params as AnnotationsParams).lines.length === 0, closed, 60_000).catch(() => undefined);
  return marks as OpenTiming;
}

/** Each file in a server process of its own, started and warmed up for it. */
export async function openLatency(python: string, files: readonly CorpusFile[], warmUp: readonly CorpusFile[]): Promise<OpenResult[]> {
  const out: OpenResult[] = [];
  for (const file of files) {
    const start = async (warming: boolean): Promise<ServerProcess> => {
      const server = new ServerProcess(python);
      server.workspace = file;
      const rootUri = pathToFileURL(path.dirname(file.path)).toString();
      await server.client.sendRequest('initialize', { processId: process.pid, rootUri, workspaceFolders: null,
        capabilities: { workspace: { configuration: true } }, initializationOptions: { trusted: true, pxdWarmup: warming } });
      await server.client.sendNotification('initialized', {});
      // JIT warm-up (not measured); the first open also has the server discover the Python environment
      for (let round = 0; round < 2; round++) for (const f of warmUp) await openOnce(server, f);
      return server;
    };
    const lines = fs.readFileSync(file.path, 'utf8').split('\n').length;
    let server = await start(false);
    let cold: OpenTiming;
    let warm: OpenTiming;
    try {
      cold = await openOnce(server, file);
      warm = await openOnce(server, file);
    } finally {
      await server.stop();
    }
    server = await start(true);
    try {
      const isDone = (n: Note): boolean => n.method === 'window/logMessage'
        && String((n.params as { message?: unknown }).message).startsWith('.pxd warm-up done');
      // the run started once the Python environment was found (an earlier run could not find Cython's includes)
      const found = server.notes.findIndex((n) => n.method === 'window/logMessage'
        && String((n.params as { message?: unknown }).message).startsWith('Python environment:'));
      const done = await server.waitFor(isDone, Math.max(found, 0), 300_000);
      const warmed = await openOnce(server, file);
      out.push({ file, lines, cold, warm, warmed, warmup: String((done.params as { message: string }).message) });
    } finally {
      await server.stop();
    }
  }
  return out;
}
