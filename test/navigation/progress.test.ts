/**
 * Work-done progress of the requests that read the whole workspace: a first references search (its files are parsed
 * and modelled) and a first workspace-symbol query (every file is read and outlined) report progress, through the
 * request's own token when it carries one, else through one the server creates (window/workDoneProgress/create);
 * warm requests report none.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkDoneProgress, type WorkDoneProgressBegin, type WorkDoneProgressEnd, type WorkDoneProgressReport }
  from 'vscode-languageserver';
import { referencesFeature } from '../../server/src/features/references';
import { workspaceSymbolFeature } from '../../server/src/features/workspace-symbols';
import { type NavWorkspace, pos, startNavigationServer } from './harness';

type Value = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

describe('navigation: progress while the workspace is read', () => {
  let ws: NavWorkspace;
  const created: string[] = [];
  const values = new Map<string, Value[]>();
  const listen = (token: string): void => {
    values.set(token, []);
    ws.pair.client.onProgress(WorkDoneProgress.type, token, (v) => values.get(token)!.push(v as Value));
  };
  before(async () => {
    ws = await startNavigationServer([referencesFeature, workspaceSymbolFeature], ['use.pyx'], undefined, [],
      { window: { workDoneProgress: true } }, (pair) => {
        pair.client.onRequest('window/workDoneProgress/create', (p: { token: string }) => {
          created.push(String(p.token));
          listen(String(p.token));
          return null;
        });
      });
  });
  after(() => ws?.dispose());

  it('reports a first references search through the request\'s token, and a warm one not at all', async () => {
    const use = ws.text('use.pyx');
    listen('refs-1');
    const first = await ws.request<unknown[]>('textDocument/references', 'use.pyx', pos(use, 's += norm', 'norm', 1),
      { context: { includeDeclaration: true }, workDoneToken: 'refs-1' });
    assert.ok(first.length > 0);
    const kinds = values.get('refs-1')!.map((v) => v.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds.at(-1), 'end');
    assert.match((values.get('refs-1')![0] as WorkDoneProgressBegin).title, /references/);
    // the files are kept now: the same search again reports nothing
    listen('refs-2');
    await ws.request('textDocument/references', 'use.pyx', pos(use, 's += norm', 'norm', 1),
      { context: { includeDeclaration: true }, workDoneToken: 'refs-2' });
    assert.deepEqual(values.get('refs-2'), []);
  });

  it('asks the client for a token when the request has none (a first workspace-symbol query)', async () => {
    const before = created.length;
    await ws.pair.client.sendRequest('workspace/symbol', { query: 'Square' });
    assert.equal(created.length, before + 1);
    // warm: no new token
    await ws.pair.client.sendRequest('workspace/symbol', { query: 'Square' });
    assert.equal(created.length, before + 1);
  });
});
