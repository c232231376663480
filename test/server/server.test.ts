/** Drives the real CythonLensServer over an in-memory LSP connection. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import { DiagnosticSeverity, type PublishDiagnosticsParams } from 'vscode-languageserver';
import { STATUS_NOTIFICATION, type StatusParams } from '../../shared/src/protocol';
import { LspPair } from '../support/lsp-pair';

const URI = 'file:///ws/demo.pyx';
const BROKEN = 'x = 1\ny = (2 +\nz = 3\n';

describe('CythonLensServer over LSP', () => {
  let pair: LspPair;
  afterEach(() => pair?.dispose());

  it('initialize: incremental sync; nothing else unless a feature adds it', async () => {
    pair = new LspPair({ debounceMs: 5, features: [] });
    const result = await pair.initialize();
    assert.deepEqual(result.capabilities, { textDocumentSync: { openClose: true, change: 2, save: { includeText: false } } });
    assert.equal(result.serverInfo.name, 'cython-lens');
  });

  it('registered features add their capabilities and handlers, reading documents through the engine', async () => {
    pair = new LspPair({
      debounceMs: 5,
      features: [
        {
          id: 'echo-hover',
          capabilities: { hoverProvider: true },
          register(connection, deps) {
            connection.onHover(async ({ textDocument }) => {
              const doc = deps.document(textDocument.uri);
              const settings = await deps.settings(textDocument.uri);
              return { contents: `${doc?.tree?.rootNode.type} v${doc?.version} intensity=${settings.annotations.intensity}` };
            });
          },
        },
      ],
    });
    pair.config = { annotations: { intensity: 2 } };
    const result = await pair.initialize();
    assert.equal(result.capabilities.hoverProvider, true);
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    await pair.open(URI, 'x = 1\n', 7);
    const hover = await pair.client.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 0, character: 0 } });
    assert.deepEqual(hover, { contents: 'module v7 intensity=2' });
  });

  it('didOpen publishes syntax diagnostics; incremental didChange updates them', async () => {
    pair = new LspPair();
    await pair.initialize();
    await pair.open(URI, BROKEN, 1);
    const first = await pair.diagnostics(URI, 1);
    assert.equal(first.diagnostics.length, 1);
    assert.equal(first.diagnostics[0]?.code, 'syntax');
    assert.equal(first.diagnostics[0]?.source, 'cython-lens');
    assert.match(first.diagnostics[0]?.message ?? '', /^Syntax error: /);
    // close the parenthesis: "y = (2 +" -> "y = (2 + 3)"
    await pair.change(URI, 2, [{ range: { start: { line: 1, character: 8 }, end: { line: 1, character: 8 } }, text: ' 3)' }]);
    const fixed = await pair.diagnostics(URI, 2);
    assert.deepEqual(fixed.diagnostics, []);
  });

  it('debounces bursts of keystrokes and publishes the latest version', async () => {
    pair = new LspPair({ debounceMs: 40 });
    await pair.initialize();
    await pair.open(URI, 'def f(a):\n    return a\n'.repeat(50), 1);
    await pair.diagnostics(URI, 1);
    const before = pair.notifications.length;
    const word = 'é_nogil_ok = 1\n';
    // one burst, as fast as a client sends keystrokes (not awaited one by one)
    await Promise.all(
      [...word].map((ch, i) =>
        pair.change(URI, 2 + i, [{ range: { start: { line: 0, character: i }, end: { line: 0, character: i } }, text: ch }]),
      ),
    );
    const last = await pair.diagnostics(URI, 1 + word.length);
    assert.deepEqual(last.diagnostics, []);
    await new Promise((r) => setTimeout(r, 100));
    const published = pair.notifications.slice(before).filter((n) => n.method === 'textDocument/publishDiagnostics');
    assert.ok(published.length <= word.length / 2, `expected far fewer publishes than the ${word.length} edits, got ${published.length}`);
    assert.equal((published.at(-1)?.params as PublishDiagnosticsParams).version, 1 + word.length);
  });

  it('resolves settings per resource, refreshes them on didChangeConfiguration, reports wrong ones', async () => {
    pair = new LspPair();
    pair.config = { severityOverrides: { syntax: 'warning' } };
    await pair.initialize();
    await pair.open(URI, BROKEN, 1);
    const warned = await pair.diagnostics(URI, 1);
    assert.equal(warned.diagnostics[0]?.severity, DiagnosticSeverity.Warning);

    pair.config = { severityOverrides: { syntax: 'off' }, annotations: { intensity: 'loud' } };
    await pair.client.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const off = await pair.diagnostics(URI);
    assert.deepEqual(off.diagnostics, []);
    const msg = await pair.waitFor((n) => n.method === 'window/showMessage');
    assert.match((msg.params as { message: string }).message, /cythonLens\.annotations\.intensity must be a number between 0 and 2 \(got "loud"\); using 1\./);
  });

  it('uses pushed settings when the client has no workspace/configuration', async () => {
    pair = new LspPair();
    await pair.initialize({});
    await pair.client.sendNotification('workspace/didChangeConfiguration', { settings: { cythonLens: { severityOverrides: { syntax: 'hint' } } } });
    await pair.open(URI, BROKEN, 1);
    const d = await pair.diagnostics(URI, 1);
    assert.equal(d.diagnostics[0]?.severity, DiagnosticSeverity.Hint);
  });

  it('files over cythonLens.maxFileSize and binary files get one information diagnostic', async () => {
    pair = new LspPair();
    pair.config = { maxFileSize: 2048 };
    await pair.initialize();
    await pair.open(URI, '# long comment line\n'.repeat(200), 1);
    const big = await pair.diagnostics(URI, 1);
    assert.equal(big.diagnostics.length, 1);
    assert.equal(big.diagnostics[0]?.severity, DiagnosticSeverity.Information);
    assert.match(big.diagnostics[0]?.message ?? '', /not analysed.*limit/);
    const status = await pair.waitFor((n) => n.method === STATUS_NOTIFICATION);
    assert.equal((status.params as StatusParams).state, 'skipped');

    await pair.open('file:///ws/bin.pyx', 'x\0y', 1);
    const bin = await pair.diagnostics('file:///ws/bin.pyx', 1);
    assert.match(bin.diagnostics[0]?.message ?? '', /NUL bytes/);
  });

  it('a crashing check publishes an empty report plus an error status, and the server keeps serving', async () => {
    pair = new LspPair({
      debounceMs: 5,
      engine: {
        checks: [
          {
            id: 'crashy',
            codes: [],
            run(doc) {
              if (doc.text.includes('boom')) throw new Error('exploded');
              return [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'seen', code: 'crashy' }];
            },
          },
        ],
      },
    });
    await pair.initialize();
    await pair.open(URI, 'x = 1\n', 1);
    assert.equal((await pair.diagnostics(URI, 1)).diagnostics.length, 1);
    await pair.change(URI, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'boom\n' }]);
    const empty = await pair.diagnostics(URI, 2);
    assert.deepEqual(empty.diagnostics, [], 'no stale diagnostics after an internal error');
    const status = await pair.waitFor((n) => n.method === STATUS_NOTIFICATION && (n.params as StatusParams).state === 'error');
    assert.match((status.params as StatusParams).message ?? '', /crashy.*exploded/);
    const log = await pair.waitFor((n) => n.method === 'window/logMessage' && /exploded/.test((n.params as { message: string }).message));
    assert.ok(log);
    await pair.change(URI, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
    assert.equal((await pair.diagnostics(URI, 3)).diagnostics.length, 1);
    const ok = await pair.waitFor((n) => n.method === STATUS_NOTIFICATION && (n.params as StatusParams).state === 'ok');
    assert.equal((ok.params as StatusParams).uri, URI);
  });

  it('bad notifications do not crash the server; didClose clears diagnostics', async () => {
    pair = new LspPair();
    await pair.initialize();
    await pair.change('file:///ws/never-opened.pyx', 5, [{ text: 'x' }]);
    await pair.client.sendNotification('textDocument/didOpen', { textDocument: { uri: 42 } });
    await pair.open(URI, BROKEN, 1);
    assert.equal((await pair.diagnostics(URI, 1)).diagnostics.length, 1);
    await pair.client.sendNotification('textDocument/didClose', { textDocument: { uri: URI } });
    const cleared = await pair.diagnostics(URI);
    assert.deepEqual(cleared.diagnostics, []);
    const shutdown = await pair.client.sendRequest('shutdown');
    assert.equal(shutdown, null);
  });

  it('exact mode: a save runs the compiler in the background and its scores replace the estimate for that version', async () => {
    const runs: string[][] = [];
    pair = new LspPair({
      debounceMs: 5,
      features: [],
      engine: { annotators: [{ id: 'estimate', annotate: () => [{ line: 0, score: 1, reasons: ['estimate'] }] }] },
      exactRun: async (_file, args) => {
        runs.push(args);
        const out = args[args.indexOf('-o') + 1] as string;
        fs.writeFileSync(
          out.replace(/\.c$/, '.html'),
          '<pre class="cython line score-9" onclick="x">+<span class="">1</span>: import math</pre>\n' +
            "<pre class='cython code score-9 '>__Pyx_Import(x);</pre>",
        );
        return { stdout: '', stderr: '' };
      },
    });
    pair.config = { annotations: { exactMode: true }, pythonPath: '/opt/py/bin/python' };
    await pair.initialize();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-exact-lsp-'));
    const uri = pathToFileURL(path.join(dir, 'm.pyx')).href;
    try {
      await pair.open(uri, 'import math\n', 4);
      const estimate = await pair.waitFor((n) => n.method === 'cythonLens/annotations' && (n.params as { uri: string }).uri === uri);
      assert.deepEqual((estimate.params as { lines: unknown[] }).lines, [{ line: 0, score: 1, reasons: ['estimate'] }]);
      const from = pair.notifications.length;
      await pair.client.sendNotification('textDocument/didSave', { textDocument: { uri } });
      const exact = await pair.waitFor(
        (n) => n.method === 'cythonLens/annotations' && JSON.stringify(n.params).includes('exact score'),
        5000,
        from,
      );
      assert.deepEqual(exact.params, {
        uri,
        version: 4,
        lines: [{ line: 0, score: 9, reasons: ['exact score from `cython -a` (exact mode)'] }],
      });
      assert.equal(runs.length, 1);
      assert.deepEqual(runs[0]?.slice(0, 4), ['-m', 'cython', '-a', '-3']);
      const c = await pair.client.sendRequest('cythonLens/generatedC', { uri, line: 0 });
      assert.deepEqual(c, { available: true, line: 0, score: 9, code: '__Pyx_Import(x);', version: 4 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('publishes per-line annotations from registered annotators', async () => {
    pair = new LspPair({
      debounceMs: 5,
      engine: { annotators: [{ id: 'lines', annotate: (doc) => [{ line: 0, score: doc.text.length, reasons: ['demo'] }] }] },
    });
    await pair.initialize();
    await pair.open(URI, 'x = 1\n', 1);
    const ann = await pair.waitFor((n) => n.method === 'cythonLens/annotations');
    assert.deepEqual(ann.params, { uri: URI, version: 1, lines: [{ line: 0, score: 6, reasons: ['demo'] }] });
    const diags: PublishDiagnosticsParams = await pair.diagnostics(URI, 1);
    assert.deepEqual(diags.diagnostics, []);
  });
});
