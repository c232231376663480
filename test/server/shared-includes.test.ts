/**
 * Over the protocol: two documents whose include dirs differ (two resolvers) share the .pxd of Cython's own includes
 * (model/shared-includes.ts): the second document's resolver parses none of them, and both documents get the
 * diagnostics and line scores of a server that shares nothing.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ANNOTATIONS_NOTIFICATION, type AnnotationsParams } from '../../shared/src/protocol';
import type { PythonEnvironment } from '../../server/src/model/python-environment';
import { LspPair, type Received } from '../support/lsp-pair';
import { REPO_ROOT } from '../support/paths';

function cythonIncludes(): string {
  const lib = path.join(REPO_ROOT, '.venv', 'lib');
  const py = fs.readdirSync(lib).find((d) => d.startsWith('python'))!;
  return path.join(lib, py, 'site-packages', 'Cython', 'Includes');
}

const discoverPython = (python: string): Promise<PythonEnvironment> =>
  Promise.resolve({ python, cythonIncludes: cythonIncludes(), cythonVersion: '3', sitePackages: [] });

describe('Cython\'s includes shared across include dirs, in a running server', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-shared-srv-'));
    const body = [
      'from libc.math cimport sqrt, exp',
      'from libc.stdlib cimport malloc, free',
      'from cpython.ref cimport Py_INCREF',
      'from libcpp.vector cimport vector',
      '',
      'def run(double x, list items):',
      '    cdef double* buf = <double*> malloc(8 * sizeof(double))',
      '    cdef vector[int] v',
      '    with nogil:',
      '        buf[0] = exp(x) + sqrt(x)',
      '        items.append(x)',
      '    Py_INCREF(items)',
      '    free(buf)',
      '    return v.size()',
    ].join('\n') + '\n';
    for (const p of ['one', 'two']) {
      fs.mkdirSync(path.join(dir, p));
      fs.writeFileSync(path.join(dir, p, `${p}.pyx`), body);
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(shareIncludes: boolean): Promise<{ reports: unknown[]; resolvers: number; loaded: number }> {
    const pair = new LspPair({ debounceMs: 5, pxdWarming: false, engine: { session: { discoverPython, shareIncludes } } });
    try {
      pair.config = (scopeUri?: string) => ({ includeDirs: [scopeUri?.includes('/two/') ? path.join(dir, 'two') : path.join(dir, 'one')] });
      await pair.initialize(undefined, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
      const reports: unknown[] = [];
      for (const p of ['one', 'two']) {
        const uri = pathToFileURL(path.join(dir, p, `${p}.pyx`)).toString();
        const from = pair.notifications.length;
        await pair.open(uri, fs.readFileSync(path.join(dir, p, `${p}.pyx`), 'utf8'));
        // the first document starts the (injected) discovery: its report after the environment is known counts
        if (p === 'one') await pair.waitFor((n) => n.method === 'window/logMessage'
          && (n.params as { message: string }).message.startsWith('Python environment'), 10_000);
        const scores = (n: Received): boolean => n.method === ANNOTATIONS_NOTIFICATION && (n.params as AnnotationsParams).uri === uri
          && (n.params as AnnotationsParams).lines.length > 0;
        await pair.waitFor(scores, 10_000, from);
        await new Promise((r) => setTimeout(r, 200)); // the publication after discovery, if any
        const mine = pair.notifications.slice(from).filter((n) => (n.params as { uri?: string }).uri === uri);
        const last = (method: string): unknown => {
          const p0 = mine.filter((n) => n.method === method).at(-1)?.params as Record<string, unknown>;
          const { version: _v, ...rest } = p0;
          return rest;
        };
        reports.push({ diagnostics: last('textDocument/publishDiagnostics'), scores: last(ANNOTATIONS_NOTIFICATION) });
      }
      const session = pair.server.session!;
      return { reports, resolvers: session.resolverCount(), loaded: session.pxdCacheSize };
    } finally {
      await pair.dispose();
    }
  }

  it('parses Cython\'s .pxd once for both and reports as a server that shares nothing', async () => {
    const shared = await run(true);
    const alone = await run(false);
    assert.deepEqual(shared.reports, alone.reports);
    const diagnostics = (shared.reports[0] as { diagnostics: { diagnostics: unknown[] } }).diagnostics.diagnostics;
    assert.ok(diagnostics.length > 0, 'items.append under nogil is reported');
    assert.equal(shared.resolvers, 2);
    assert.equal(alone.resolvers, 2);
    assert.equal(shared.loaded, 0, 'no resolver loads a .pxd of Cython\'s includes itself');
    assert.ok(alone.loaded >= 8, `each resolver loads its own: ${alone.loaded}`);
  });
});
