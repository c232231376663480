/**
 * Protocol-level fuzzing: the real CythonLensServer over an in-memory connection gets random didChange batches
 * interleaved with requests (hover, completion, signature help, code actions, GIL state, semantic tokens) at random,
 * stale or out-of-range positions, for open, closed and never-opened documents, some cancelled right after they were
 * sent. Every request must answer (a result or an error) within a bound; nothing may be logged as an internal error;
 * and once typing stops, the published diagnostics must equal those of the same text opened fresh.
 */
import { CancellationTokenSource, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Engine } from '../../server/src/engine';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { LspPair } from '../support/lsp-pair';
import { Random } from '../support/random';
import { EditGenerator } from './random-edits';
import { analyses } from '../../server/src/checks';

export interface ProtocolFuzzOptions {
  seed: number;
  text: string;
  steps: number;
  /** A request not answered within this many ms counts as a hang. */
  boundMs: number;
}

export interface ProtocolFuzzStats {
  changes: number;
  requests: number;
  cancelled: number;
  answered: number;
  hangs: number;
  crashes: number;
  problems: string[];
}

const REQUESTS = ['textDocument/hover', 'textDocument/completion', 'textDocument/signatureHelp', 'textDocument/codeAction',
  'cythonLens/gilState', 'textDocument/semanticTokens/full'];

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function fuzzProtocol(options: ProtocolFuzzOptions): Promise<ProtocolFuzzStats> {
  const stats: ProtocolFuzzStats = { changes: 0, requests: 0, cancelled: 0, answered: 0, hangs: 0, crashes: 0, problems: [] };
  // broken trees are settled after a short pause, as in the editor (300 ms there)
  const pair = new LspPair({ debounceMs: 2, settleDelayMs: 20 });
  const rnd = new Random(options.seed);
  const gen = new EditGenerator(new Random(options.seed + 1), 60_000);
  const uri = 'file:///ws/fuzz.pyx';
  const pending: Promise<void>[] = [];
  try {
    await pair.initialize();
    // the server's Python environment is known before the first edit (the fresh engine below discovers the same one)
    await pair.server.session?.discover('python3');
    let text = options.text;
    let version = 1;
    await pair.open(uri, text, version);
    for (let step = 0; step < options.steps; step++) {
      if (rnd.next() < 0.6) {
        const batch = gen.next(text);
        const changes = [];
        let t = text;
        for (const e of batch.edits) {
          const doc = TextDocument.create(uri, 'cython', 0, t);
          changes.push({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, text: e.text });
          t = t.slice(0, e.start) + e.text + t.slice(e.end);
        }
        text = batch.text;
        version++;
        stats.changes++;
        await pair.change(uri, version, changes);
      }
      const n = rnd.int(3);
      for (let i = 0; i < n; i++) {
        const method = rnd.pick(REQUESTS);
        const target = rnd.next() < 0.1 ? 'file:///ws/never-opened.pyx' : uri;
        const lines = text.split('\n').length;
        // stale, out-of-range and negative-looking positions as well as real ones
        const line = rnd.next() < 0.1 ? lines + rnd.int(50) : rnd.int(lines);
        const character = rnd.next() < 0.1 ? 10_000 : rnd.int(80);
        const position = { line, character };
        const params = method === 'textDocument/codeAction'
          ? { textDocument: { uri: target }, range: { start: position, end: position }, context: { diagnostics: [] } }
          : method === 'textDocument/semanticTokens/full' ? { textDocument: { uri: target } }
          : { textDocument: { uri: target }, position };
        const source = new CancellationTokenSource();
        const started = Date.now();
        const request = pair.client.sendRequest(method, params, source.token);
        stats.requests++;
        if (rnd.next() < 0.25) {
          source.cancel();
          stats.cancelled++;
        }
        pending.push(withTimeout(request.then(() => undefined, () => undefined), options.boundMs).then((r) => {
          if (r === 'timeout') {
            stats.hangs++;
            stats.problems.push(`hang (seed ${options.seed}, step ${step}): ${method} unanswered after ${options.boundMs} ms`);
          } else {
            stats.answered++;
          }
          void started;
        }));
      }
      if (rnd.next() < 0.3) await new Promise((r) => setTimeout(r, rnd.int(6)));
    }
    await Promise.all(pending);
    // typing stopped: the last version's diagnostics must equal a fresh analysis of the same text
    await pair.diagnostics(uri, version);
    // the pause: the last version is settled (parsed from scratch if broken) and published again
    await new Promise((r) => setTimeout(r, 400));
    const published = pair.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics'
      && (n.params as PublishDiagnosticsParams).uri === uri && (n.params as PublishDiagnosticsParams).version === version)
      .map((n) => n.params as PublishDiagnosticsParams).pop() as PublishDiagnosticsParams;
    const engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 60_000 });
    await engine.session.discover('python3');
    const freshUri = 'file:///ws/fresh/fuzz.pyx';
    engine.open(freshUri, text, version);
    const fresh = engine.analyze(freshUri, defaultSettings());
    engine.dispose();
    const a = JSON.stringify(published.diagnostics);
    const b = JSON.stringify(fresh?.diagnostics ?? []).split(freshUri).join(uri);
    if (a !== b) {
      stats.problems.push(`disagreement (seed ${options.seed}): published diagnostics of version ${version} differ from a fresh analysis`);
    }
    for (const n of pair.notifications) {
      if (n.method !== 'window/logMessage') continue;
      const message = (n.params as { message: string }).message;
      if (message.includes('[error]')) {
        stats.crashes++;
        stats.problems.push(`crash (seed ${options.seed}): ${message.slice(0, 400)}`);
      }
    }
  } finally {
    await Promise.allSettled(pending);
    // shut the server down before closing the streams (it stops its debounce timers), then let in-flight work end
    await withTimeout(pair.client.sendRequest('shutdown'), options.boundMs).catch(() => undefined);
    for (let seen = -1, waited = 0; seen !== pair.notifications.length && waited < 3000; waited += 150) {
      seen = pair.notifications.length;
      await new Promise((r) => setTimeout(r, 150));
    }
    // Only the client side is disposed: LspPair.dispose() also destroys the streams, and the server connection then
    // fails a late write (an unhandled rejection inside vscode-jsonrpc) once the event loop is next blocked.
    pair.client.dispose();
  }
  return stats;
}
