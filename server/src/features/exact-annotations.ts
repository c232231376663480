/**
 * Exact mode (`cythonLens.annotations.exactMode`): after a save, runs the real compiler in the background
 * (`<python> -m cython -a -3 FILE -o TMPDIR/out.c`, async `execFile`, one run per file, a newer save aborts the older
 * run) and keeps its per-line scores and generated C for the saved document version. The publisher then shows these
 * scores instead of the estimate until the document changes. When Cython cannot be run it says so once.
 *
 * Wiring (server.ts): call `onSaved(uri, version, settings)` from `onDidSaveTextDocument` (the text sync options
 * need `save: true`), pass `scoresFor` to the AnnotationsPublisher, and register `exactAnnotationsFeature(exact)`
 * (the `cythonLens/generatedC` request and the client's `cythonLens/workspaceTrust` notification).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import {
  GENERATED_C_REQUEST, WORKSPACE_TRUST_NOTIFICATION, type CythonLensSettings, type GeneratedCParams, type GeneratedCResult,
  type LineAnnotation, type WorkspaceTrustParams,
} from '../../../shared/src/protocol';
import { type CompiledLine, parseAnnotationHtml } from '../annotations/cython-html';
import type { Feature } from './feature';

export interface ExactRun {
  uri: string;
  version: number;
  lines: CompiledLine[];
}

export interface ExactAnnotationsOptions {
  log(message: string): void;
  /** Shown to the user (once per problem kind): e.g. Cython is not installed. */
  warn(message: string): void;
  /** A run finished for `uri` at `version`: republish if that is still the current version. */
  onResult(uri: string, version: number): void;
  /** Runs a program asynchronously (tests inject a fake); default: child_process.execFile. */
  run?: (file: string, args: string[], options: { cwd: string; signal: AbortSignal; timeoutMs: number }) =>
    Promise<{ stdout: string; stderr: string }>;
  timeoutMs?: number;
}

function defaultRun(file: string, args: string[], options: { cwd: string; signal: AbortSignal; timeoutMs: number }):
  Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: options.cwd, signal: options.signal, timeout: options.timeoutMs,
      maxBuffer: 16 * 1024 * 1024, windowsHide: true }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

const INSTALL_HINT = 'Install it into that interpreter (`python -m pip install cython`) or set cythonLens.pythonPath '
  + 'to a Python that has it.';

export class ExactAnnotations {
  private readonly results = new Map<string, ExactRun>();
  private readonly running = new Map<string, AbortController>();
  private readonly warned = new Set<string>();
  private trusted = true;

  constructor(private readonly options: ExactAnnotationsOptions) {}

  /** The client says whether the workspace is trusted (untrusted: never run a compiler). */
  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    if (!trusted) for (const c of this.running.values()) c.abort();
  }

  /** Exact scores of `uri` when the last compiler run was for exactly this version. */
  scoresFor(uri: string, version: number): LineAnnotation[] | undefined {
    const r = this.results.get(uri);
    if (!r || r.version !== version) return undefined;
    return r.lines.filter((l) => l.score > 0)
      .map((l) => ({ line: l.line, score: l.score, reasons: ['exact score from `cython -a` (exact mode)'] }));
  }

  generatedC(params: GeneratedCParams): GeneratedCResult {
    const r = this.results.get(params.uri);
    if (!r) {
      return { available: false, message: 'No compiler output yet: enable cythonLens.annotations.exactMode and save the file.' };
    }
    const l = r.lines.find((x) => x.line === params.line);
    if (!l) return { available: false, message: `The compiler output has no line ${params.line + 1}.` };
    return { available: true, line: l.line, score: l.score, code: l.code, version: r.version };
  }

  forget(uri: string): void {
    this.running.get(uri)?.abort();
    this.running.delete(uri);
    this.results.delete(uri);
  }

  dispose(): void {
    for (const c of this.running.values()) c.abort();
    this.running.clear();
  }

  /** A document was saved: compile it in the background (aborting a run still going for an older save). */
  onSaved(uri: string, version: number, settings: CythonLensSettings): Promise<void> {
    if (!settings.annotations.exactMode || !this.trusted) return Promise.resolve();
    if (!uri.startsWith('file:') || uri.endsWith('.pxd') || uri.endsWith('.pxi')) return Promise.resolve();
    this.running.get(uri)?.abort();
    const controller = new AbortController();
    this.running.set(uri, controller);
    return this.compile(uri, version, settings, controller).finally(() => {
      if (this.running.get(uri) === controller) this.running.delete(uri);
    });
  }

  private async compile(uri: string, version: number, settings: CythonLensSettings, controller: AbortController):
    Promise<void> {
    const file = fileURLToPath(uri);
    const python = settings.pythonPath || 'python3';
    const dir = await mkdtemp(path.join(tmpdir(), 'cython-lens-exact-'));
    const out = path.join(dir, `${path.basename(file, path.extname(file))}.c`);
    const args = ['-m', 'cython', '-a', '-3', ...settings.includeDirs.flatMap((d) => ['-I', d]), file, '-o', out];
    const run = this.options.run ?? defaultRun;
    try {
      try {
        await run(python, args, { cwd: path.dirname(file), signal: controller.signal,
          timeoutMs: this.options.timeoutMs ?? 120_000 });
      } catch (err) {
        if (controller.signal.aborted) return;
        const e = err as NodeJS.ErrnoException & { stderr?: string };
        const stderr = e.stderr ?? '';
        if (e.code === 'ENOENT') {
          this.warnOnce('python', `Cython Lens exact mode: cannot run \`${python}\`. ${INSTALL_HINT}`);
          return;
        }
        if (/No module named cython/i.test(stderr)) {
          this.warnOnce('cython', `Cython Lens exact mode: Cython is not installed for \`${python}\`. ${INSTALL_HINT}`);
          return;
        }
        // Compile errors: cython still writes no HTML; keep the estimate.
        this.options.log(`[exact] cython failed on ${file}: ${stderr.split('\n').slice(-3).join(' ').trim()}`);
        return;
      }
      if (controller.signal.aborted) return;
      const html = await readFile(out.replace(/\.c$/, '.html'), 'utf8');
      this.results.set(uri, { uri, version, lines: parseAnnotationHtml(html) });
      this.options.onResult(uri, version);
    } catch (err) {
      if (!controller.signal.aborted) this.options.log(`[exact] ${file}: ${String(err)}`);
    } finally {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  private warnOnce(kind: string, message: string): void {
    if (this.warned.has(kind)) return;
    this.warned.add(kind);
    this.options.warn(message);
  }
}

/** The LSP side of exact mode: the generated-C request and the workspace-trust notification. */
export function exactAnnotationsFeature(exact: ExactAnnotations): Feature {
  return {
    id: 'exact-annotations',
    capabilities: {},
    register(connection: Connection): void {
      connection.onRequest(GENERATED_C_REQUEST, (params: GeneratedCParams) => exact.generatedC(params));
      connection.onNotification(WORKSPACE_TRUST_NOTIFICATION, (params: WorkspaceTrustParams) =>
        exact.setTrusted(params.trusted === true));
    },
  };
}
