/**
 * Over the protocol: the Python environment is discovered from `initialized` on, with the settings of the first
 * workspace folder (its project configuration included), never waiting for a document; a document opened while the
 * discovery is under way gets its first publication once the environment is known, so that first publication
 * already resolves `from libc.math cimport ...` and is the only one; a settings change discovers again.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { ANNOTATIONS_NOTIFICATION, type AnnotationsParams } from '../../shared/src/protocol';
import type { PythonEnvironment } from '../../server/src/model/python-environment';
import { LspPair, type Received } from '../support/lsp-pair';
import { REPO_ROOT } from '../support/paths';

function cythonIncludes(): string {
  const lib = path.join(REPO_ROOT, '.venv', 'lib');
  const py = fs.readdirSync(lib).find((d) => d.startsWith('python'))!;
  return path.join(lib, py, 'site-packages', 'Cython', 'Includes');
}

const SOURCE = [
  'from libc.math cimport sqrt',
  '',
  'cdef double norm(double x, double y) nogil:',
  '    return sqrt(x * x + y * y)',
  '',
  'def run(double x):',
  '    cdef double r = 0',
  '    with nogil:',
  '        r = norm(x, x) + sqrt(x)',
  '    return r',
].join('\n') + '\n';

/** A discovery that takes `delayMs`, recording each interpreter asked for and when. */
function slowDiscovery(delayMs: number): { calls: { python: string; at: number }[]; discoverPython: (python: string) => Promise<PythonEnvironment> } {
  const calls: { python: string; at: number }[] = [];
  return {
    calls,
    discoverPython: (python) => {
      calls.push({ python, at: Date.now() });
      return new Promise((resolve) => setTimeout(() => resolve(
        { python, cythonIncludes: cythonIncludes(), cythonVersion: '3', sitePackages: [] }), delayMs));
    },
  };
}

/** A project .pxd whose own cimports need Cython's includes, used by the module. */
const HELPERS_PXD = [
  'from libc.stdint cimport int64_t',
  'from libc.math cimport sqrt',
  '',
  'cdef struct Pair:',
  '    int64_t a',
  '    double b',
  '',
  'cdef int64_t twice(int64_t x) nogil',
].join('\n') + '\n';

const USER = [
  'from helpers cimport twice, Pair',
  '',
  'def run(object o, long n):',
  '    cdef Pair p',
  '    cdef long r = 0',
  '    p.a = n',
  '    with nogil:',
  '        r = twice(p.a) + twice(n)',
  '        p.b = r',
  '    o.value = p.b',
  '    return r + p.a',
].join('\n') + '\n';

describe('Python discovery from the start of the server', () => {
  let dir: string;
  let uri: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-py-start-'));
    fs.writeFileSync(path.join(dir, 'norms.pyx'), SOURCE);
    fs.writeFileSync(path.join(dir, 'helpers.pxd'), HELPERS_PXD);
    fs.writeFileSync(path.join(dir, 'user.pyx'), USER);
    uri = pathToFileURL(path.join(dir, 'norms.pyx')).toString();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const mine = (pair: LspPair, method: string): Received[] =>
    pair.notifications.filter((n) => n.method === method && (n.params as { uri?: string }).uri === uri);

  it('starts at initialized with the folder\'s interpreter, before any document is open', async () => {
    const { calls, discoverPython } = slowDiscovery(50);
    const pair = new LspPair({ debounceMs: 5, pxdWarming: false, engine: { session: { discoverPython } } });
    try {
      pair.config = (scopeUri?: string) => ({ pythonPath: scopeUri?.startsWith(pathToFileURL(dir).toString()) ? '/opt/py-folder' : '/opt/py-other' });
      await pair.initialize(undefined, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
      await pair.waitFor((n) => n.method === 'window/logMessage'
        && (n.params as { message: string }).message.startsWith('Python environment: /opt/py-folder'), 5000);
      assert.deepEqual(calls.map((c) => c.python), ['/opt/py-folder']);

      // a settings change discovers again (no document open): the new interpreter of the folder
      pair.config = () => ({ pythonPath: '/opt/py-changed' });
      await pair.client.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await pair.waitFor((n) => n.method === 'window/logMessage'
        && (n.params as { message: string }).message.startsWith('Python environment: /opt/py-changed'), 5000);
      assert.deepEqual(calls.map((c) => c.python), ['/opt/py-folder', '/opt/py-changed']);

      // the same settings again: probed again, but an equal environment is not announced (nothing to redo)
      const logs = pair.notifications.length;
      await pair.client.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(calls.length, 3);
      assert.ok(!pair.notifications.slice(logs).some((n) => n.method === 'window/logMessage'
        && (n.params as { message: string }).message.startsWith('Python environment')));
    } finally {
      await pair.dispose();
    }
  });

  it('publishes a document opened during the discovery once, with libc resolved', async () => {
    const { calls, discoverPython } = slowDiscovery(400);
    const pair = new LspPair({ debounceMs: 5, pxdWarming: false, engine: { session: { discoverPython } } });
    try {
      await pair.initialize(undefined, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
      await pair.open(uri, SOURCE); // at once, as VS Code does when it starts the server for this file
      const first = await pair.waitFor((n) => n.method === 'textDocument/publishDiagnostics'
        && (n.params as PublishDiagnosticsParams).uri === uri, 10_000);
      const codes = (first.params as PublishDiagnosticsParams).diagnostics.map((d) => d.code);
      assert.ok(!codes.includes('unresolved-cimport'), `first publication resolves libc: ${JSON.stringify(codes)}`);
      assert.equal(calls.length, 1, 'one discovery, started at initialized and awaited by the first publication');
      await pair.waitFor((n) => n.method === ANNOTATIONS_NOTIFICATION && (n.params as AnnotationsParams).uri === uri, 10_000);
      await new Promise((r) => setTimeout(r, 400)); // a second publication after the environment, if any
      assert.equal(mine(pair, 'textDocument/publishDiagnostics').length, 1, 'published once');
      assert.equal(mine(pair, ANNOTATIONS_NOTIFICATION).length, 1, 'scored once');

      // the same document in a server whose environment was known before it opened reports the same
      const known = new LspPair({ debounceMs: 5, pxdWarming: false, engine: { session: { discoverPython: slowDiscovery(0).discoverPython } } });
      try {
        await known.initialize(undefined, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
        await known.waitFor((n) => n.method === 'window/logMessage'
          && (n.params as { message: string }).message.startsWith('Python environment'), 5000);
        await known.open(uri, SOURCE);
        await known.waitFor((n) => n.method === ANNOTATIONS_NOTIFICATION && (n.params as AnnotationsParams).uri === uri, 10_000);
        const strip = (r: Received): unknown => {
          const { version: _v, ...rest } = r.params as Record<string, unknown>;
          return rest;
        };
        assert.deepEqual(strip(mine(pair, 'textDocument/publishDiagnostics')[0]!), strip(mine(known, 'textDocument/publishDiagnostics')[0]!));
        assert.deepEqual(strip(mine(pair, ANNOTATIONS_NOTIFICATION)[0]!), strip(mine(known, ANNOTATIONS_NOTIFICATION)[0]!));
      } finally {
        await known.dispose();
      }
    } finally {
      await pair.dispose();
    }
  });

  it('does not wait longer than its bound for a slow interpreter, and publishes again when it answers', async () => {
    const { discoverPython } = slowDiscovery(1500);
    const pair = new LspPair({ debounceMs: 5, pxdWarming: false, environmentWaitMs: 100, engine: { session: { discoverPython } } });
    try {
      await pair.initialize(undefined, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
      await pair.open(uri, SOURCE);
      const first = await pair.waitFor((n) => n.method === 'textDocument/publishDiagnostics'
        && (n.params as PublishDiagnosticsParams).uri === uri, 10_000);
      assert.ok((first.params as PublishDiagnosticsParams).diagnostics.some((d) => d.code === 'unresolved-cimport'),
        'published before the environment: libc unresolved');
      const from = pair.notifications.length;
      const again = await pair.waitFor((n) => n.method === 'textDocument/publishDiagnostics'
        && (n.params as PublishDiagnosticsParams).uri === uri, 10_000, from);
      assert.ok(!(again.params as PublishDiagnosticsParams).diagnostics.some((d) => d.code === 'unresolved-cimport'));
    } finally {
      await pair.dispose();
    }
  });

  it('publishes what a server knowing the environment does once it arrives, for .pxd loaded before it', async () => {
    const userUri = pathToFileURL(path.join(dir, 'user.pyx')).toString();
    const reportsOf = async (pair: LspPair, from: number): Promise<unknown[]> => {
      await pair.waitFor((n) => n.method === ANNOTATIONS_NOTIFICATION && (n.params as AnnotationsParams).uri === userUri, 10_000, from);
      const last = (method: string): unknown => {
        const r = pair.notifications.filter((n) => n.method === method && (n.params as { uri?: string }).uri === userUri).at(-1)!;
        const { version: _v, ...rest } = r.params as Record<string, unknown>;
        return rest;
      };
      return [last('textDocument/publishDiagnostics'), last(ANNOTATIONS_NOTIFICATION)];
    };
    const late = new LspPair({ debounceMs: 5, pxdWarming: false, environmentWaitMs: 50, engine: { session: { discoverPython: slowDiscovery(600).discoverPython } } });
    const known = new LspPair({ debounceMs: 5, pxdWarming: false, engine: { session: { discoverPython: slowDiscovery(0).discoverPython } } });
    try {
      await late.initialize(undefined, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
      await late.open(userUri, USER);
      await late.waitFor((n) => n.method === ANNOTATIONS_NOTIFICATION && (n.params as AnnotationsParams).uri === userUri, 10_000);
      const found = await late.waitFor((n) => n.method === 'window/logMessage'
        && (n.params as { message: string }).message.startsWith('Python environment'), 5000);
      const afterLate = await reportsOf(late, late.notifications.indexOf(found));

      await known.initialize(undefined, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
      await known.waitFor((n) => n.method === 'window/logMessage'
        && (n.params as { message: string }).message.startsWith('Python environment'), 5000);
      await known.open(userUri, USER);
      assert.deepEqual(afterLate, await reportsOf(known, 0));
    } finally {
      await late.dispose();
      await known.dispose();
    }
  });
});
