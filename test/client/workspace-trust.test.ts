/**
 * Workspace Trust end to end below the editor: the VS Code client restricts the settings it hands an untrusted
 * workspace's server (client/src/untrusted-settings.ts) and starts the server with initializationOptions
 * `{ trusted: false }`; the server then runs no Python: no interpreter discovery, no exact-mode compiler run on save.
 * The trusted runs beside them show the same setup does run both.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import { restrictConfigurationAnswer, restrictUntrusted } from '../../client/src/untrusted-settings';
import { LspPair } from '../support/lsp-pair';

const MISSING_PYTHON = '/nonexistent/cython-lens-test/python';

describe('workspace trust', () => {
  let pair: LspPair | undefined;
  afterEach(() => pair?.dispose());

  it('restricts the cythonLens settings of an untrusted workspace', () => {
    const section = { pythonPath: '/ws/.venv/bin/python', includeDirs: ['inc'], annotations: { exactMode: true, intensity: 2 } };
    assert.deepEqual(restrictUntrusted(section),
      { pythonPath: '', includeDirs: ['inc'], annotations: { exactMode: false, intensity: 2 } });
    assert.deepEqual(restrictUntrusted({ pythonPath: 'evil' }), { pythonPath: '', annotations: { exactMode: false } });
    assert.equal(restrictUntrusted(undefined), undefined);
    assert.deepEqual(restrictConfigurationAnswer([{ section: 'cythonLens' }, { section: 'editor' }, {}],
      [section, { pythonPath: 'kept: not ours' }, { cythonLens: { pythonPath: 'x' } }]), [
      { pythonPath: '', includeDirs: ['inc'], annotations: { exactMode: false, intensity: 2 } },
      { pythonPath: 'kept: not ours' },
      { cythonLens: { pythonPath: '', annotations: { exactMode: false } } },
    ]);
  });

  async function saveWithExactMode(trusted: boolean): Promise<{ runs: number; logs: string[] }> {
    let runs = 0;
    pair = new LspPair({
      debounceMs: 5,
      features: [],
      exactRun: async () => {
        runs++;
        throw Object.assign(new Error('fake compiler'), { stderr: 'fake' });
      },
    });
    pair.config = { annotations: { exactMode: true }, pythonPath: MISSING_PYTHON };
    await pair.client.sendRequest('initialize', {
      processId: null, rootUri: 'file:///ws', workspaceFolders: [{ uri: 'file:///ws', name: 'ws' }],
      capabilities: { workspace: { configuration: true } },
      initializationOptions: { trusted },
    });
    await pair.client.sendNotification('initialized', {});
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-trust-'));
    const uri = pathToFileURL(path.join(dir, 'm.pyx')).href;
    try {
      await pair.open(uri, 'import math\n', 1);
      await pair.diagnostics(uri, 1);
      await pair.client.sendNotification('textDocument/didSave', { textDocument: { uri } });
      // discovery of a missing interpreter fails within milliseconds; the fake compiler answers at once
      const deadline = Date.now() + 1500;
      const logs = (): string[] => pair!.notifications.filter((n) => n.method === 'window/logMessage')
        .map((n) => (n.params as { message: string }).message);
      while (Date.now() < deadline && !(trusted && runs > 0 && logs().some((m) => m.includes(MISSING_PYTHON)))) {
        await new Promise((r) => setTimeout(r, 25));
      }
      return { runs, logs: logs() };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('trusted: the configured Python is probed and exact mode compiles on save', async () => {
    const { runs, logs } = await saveWithExactMode(true);
    assert.equal(runs, 1);
    assert.ok(logs.some((m) => m.includes(MISSING_PYTHON)), JSON.stringify(logs));
  });

  it('untrusted (initializationOptions.trusted = false): no Python is run at all', async () => {
    const { runs, logs } = await saveWithExactMode(false);
    assert.equal(runs, 0);
    assert.ok(!logs.some((m) => m.includes(MISSING_PYTHON)), JSON.stringify(logs));
  });
});
