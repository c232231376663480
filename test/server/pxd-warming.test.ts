/**
 * The running server warms the .pxd files its workspace cimports in idle time (features/pxd-warming.ts): after the
 * workspace is listed, against the resolver of each file's settings; not while messages keep arriving; not at all
 * when turned off.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LspPair } from '../support/lsp-pair';

const isDone = (n: { method: string; params: unknown }): boolean => n.method === 'window/logMessage'
  && (n.params as { message: string }).message.startsWith('.pxd warm-up done');

describe('.pxd warming in a running server', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-warming-'));
    fs.mkdirSync(path.join(dir, 'inc'));
    fs.writeFileSync(path.join(dir, 'inc', 'defs.pxd'), 'ctypedef double real_t\ncdef real_t scale(real_t x) nogil\n');
    fs.writeFileSync(path.join(dir, 'a.pyx'), 'from defs cimport real_t, scale\ndef f(real_t x):\n    return scale(x)\n');
    fs.writeFileSync(path.join(dir, 'b.pyx'), 'from defs cimport *\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loads what the workspace cimports once idle, with each file\'s include dirs', async () => {
    const pair = new LspPair({ debounceMs: 5, pxdWarming: { idleMs: 20 } });
    try {
      pair.config = { includeDirs: [path.join(dir, 'inc')] };
      await pair.initialize(undefined, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
      const done = await pair.waitFor(isDone, 20_000);
      assert.match((done.params as { message: string }).message, /: 3 files, \d+ steps, 1 modules,/);
      const session = pair.server.session!;
      assert.equal(session.pxdCacheSize, 1);
      assert.equal(session.resolverCount(), 1);
    } finally {
      await pair.dispose();
    }
  });

  it('waits while messages keep arriving', async () => {
    const pair = new LspPair({ debounceMs: 5, pxdWarming: { idleMs: 3000 } });
    try {
      pair.config = { includeDirs: [path.join(dir, 'inc')] };
      await pair.initialize(undefined, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
      const uri = pathToFileURL(path.join(dir, 'scratch.pyx')).toString();
      // a message every 50 ms for half a second: no step runs (a step needs 3 s of quiet)
      for (let i = 0; i < 10; i++) {
        await pair.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
        assert.equal(pair.server.session!.pxdCacheSize, 0);
        await new Promise((r) => setTimeout(r, 50));
      }
      await pair.waitFor(isDone, 20_000);
      assert.equal(pair.server.session!.pxdCacheSize, 1);
    } finally {
      await pair.dispose();
    }
  });

  it('does nothing when turned off', async () => {
    const pair = new LspPair({ debounceMs: 5, pxdWarming: false });
    try {
      pair.config = { includeDirs: [path.join(dir, 'inc')] };
      await pair.initialize(undefined, [{ uri: pathToFileURL(dir).toString(), name: 'ws' }]);
      await pair.waitFor((n) => n.method === 'window/logMessage'
        && (n.params as { message: string }).message.startsWith('Workspace index'), 20_000);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(pair.notifications.some(isDone), false);
      assert.equal(pair.server.session!.pxdCacheSize, 0);
    } finally {
      await pair.dispose();
    }
  });
});
