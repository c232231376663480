/**
 * The project's configuration over LSP: a workspace whose pyproject.toml has a [tool.cython-lens] table and whose
 * meson.build passes `-X boundscheck=False`. The server applies both (the editor's settings win), says where each
 * value came from in its log, reports wrong keys, leaves excluded files alone, reads the configuration again when
 * it changes, and resolves cimports against the workspace folder (an include root, as the build's source root).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, afterEach, before, describe, it } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { STATUS_NOTIFICATION, type StatusParams } from '../../shared/src/protocol';
import { LspPair } from '../support/lsp-pair';

const HINT_AND_GLOBAL = `counter = 0


def run(double[::1] xs):
    cdef double s = 0
    cdef int n = 0
    with nogil:
        s = xs[0]
        n = counter
`;

const PYPROJECT = `[project]
name = "demo"

[tool.cython-lens]
include_dirs = ["pxd"]
exclude = ["gen/**"]

[tool.cython-lens.severity-overrides]
nogil-python-global = "warning"
nogil-coercion-from-python = "off"
`;

const CIMPORTS_VENDORED = `from vendored.linalg.lapack cimport dcopy_like


def f(double[::1] a):
    with nogil:
        dcopy_like(1)
`;

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => String(d.code)).sort();

describe('project configuration over LSP: [tool.cython-lens], meson.build, the workspace folder as include root', () => {
  let ws: string;
  let pair: LspPair;
  const uri = (rel: string): string => pathToFileURL(path.join(ws, rel)).toString();

  before(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-projcfg-'));
    fs.writeFileSync(path.join(ws, 'pyproject.toml'), PYPROJECT);
    fs.writeFileSync(path.join(ws, 'meson.build'), "project('demo', 'c', 'cython')\ncython_args = ['-X boundscheck=False']\n");
    for (const d of ['pkg', 'gen', path.join('vendored', 'linalg'), path.join('app', 'sub')]) {
      fs.mkdirSync(path.join(ws, d), { recursive: true });
    }
    fs.writeFileSync(path.join(ws, 'vendored', 'linalg', 'lapack.pxd'), 'cdef void dcopy_like(int n) noexcept nogil\n');
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));
  afterEach(() => pair?.dispose());

  async function start(config: unknown = {}, folder = ws): Promise<void> {
    pair = new LspPair({ debounceMs: 5, features: [] });
    pair.config = config;
    await pair.initialize(undefined, [{ uri: pathToFileURL(folder).toString(), name: 'demo' }]);
  }

  const logs = (): string[] => pair.notifications.filter((n) => n.method === 'window/logMessage')
    .map((n) => (n.params as { message: string }).message);

  it("applies the build's directives and the table's severity overrides, logs where they came from, reports wrong keys", async () => {
    await start();
    await pair.open(uri('pkg/m.pyx'), HINT_AND_GLOBAL, 1);
    const { diagnostics } = await pair.diagnostics(uri('pkg/m.pyx'), 1);
    // boundscheck=False from meson.build: no boundscheck-hint; the Python global is a warning, as the table says
    assert.deepEqual(codes(diagnostics), ['nogil-python-global'], JSON.stringify(diagnostics));
    assert.equal(diagnostics[0]?.severity, DiagnosticSeverity.Warning);
    const log = logs().join('\n');
    assert.match(log, /directive boundscheck=False {2}\(meson\.build:2: -X boundscheck=False in cython_args\)/);
    assert.match(log, /severity nogil-python-global = warning {2}\(pyproject\.toml\)/);
    const shown = await pair.waitFor((n) => n.method === 'window/showMessage');
    assert.match((shown.params as { message: string }).message,
      /pyproject\.toml \[tool\.cython-lens\]: unknown key "include_dirs" \(did you mean "include-dirs"\?\)/);
  });

  it("the editor's settings win over the project's", async () => {
    await start({ directives: { boundscheck: 'True' }, severityOverrides: { 'nogil-python-global': 'error' } });
    await pair.open(uri('pkg/m.pyx'), HINT_AND_GLOBAL, 1);
    const { diagnostics } = await pair.diagnostics(uri('pkg/m.pyx'), 1);
    assert.deepEqual(codes(diagnostics), ['boundscheck-hint', 'nogil-python-global'], JSON.stringify(diagnostics));
    assert.equal(diagnostics.find((d) => d.code === 'nogil-python-global')?.severity, DiagnosticSeverity.Error);
  });

  it('a file an exclude glob matches is not analysed, and says why', async () => {
    await start();
    await pair.open(uri('gen/x.pyx'), HINT_AND_GLOBAL, 1);
    const { diagnostics } = await pair.diagnostics(uri('gen/x.pyx'), 1);
    assert.deepEqual(diagnostics, []);
    const status = await pair.waitFor((n) => n.method === STATUS_NOTIFICATION && (n.params as StatusParams).uri === uri('gen/x.pyx'));
    assert.equal((status.params as StatusParams).state, 'skipped');
    assert.match((status.params as StatusParams).message ?? '', /excluded by "gen\/\*\*" in pyproject\.toml \[tool\.cython-lens\]/);
  });

  it('reads the configuration again when pyproject.toml changes (didChangeWatchedFiles)', async () => {
    await start();
    await pair.open(uri('pkg/m.pyx'), HINT_AND_GLOBAL, 1);
    await pair.diagnostics(uri('pkg/m.pyx'), 1);
    const file = path.join(ws, 'pyproject.toml');
    fs.writeFileSync(file, PYPROJECT.replace('"warning"', '"off"'));
    try {
      const next = pair.diagnostics(uri('pkg/m.pyx'));
      await pair.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).toString(), type: 2 }] });
      const { diagnostics } = await next;
      assert.deepEqual(diagnostics, [], 'nogil-python-global is off now');
    } finally {
      fs.writeFileSync(file, PYPROJECT);
    }
  });

  it('a cimport resolves in the workspace folder (no __init__.py on the way), as on the build\'s include path', async () => {
    await start();
    await pair.open(uri('app/sub/user.pyx'), CIMPORTS_VENDORED, 1);
    const { diagnostics } = await pair.diagnostics(uri('app/sub/user.pyx'), 1);
    assert.deepEqual(diagnostics, [], JSON.stringify(diagnostics));
  });

  it('with the workspace folder below the package, the same cimport is unresolved (the folder is the root)', async () => {
    await start({}, path.join(ws, 'app'));
    await pair.open(uri('app/sub/user.pyx'), CIMPORTS_VENDORED, 1);
    const { diagnostics } = await pair.diagnostics(uri('app/sub/user.pyx'), 1);
    assert.deepEqual(codes(diagnostics), ['unresolved-cimport'], JSON.stringify(diagnostics));
  });
});
