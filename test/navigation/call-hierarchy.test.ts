/** Call hierarchy through the real server: incoming calls across modules and outgoing calls, with GIL states. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CallHierarchyIncomingCall, CallHierarchyItem, CallHierarchyOutgoingCall } from 'vscode-languageserver';
import { callHierarchyFeature } from '../../server/src/features/call-hierarchy';
import { type NavWorkspace, pos, startNavigationServer } from './harness';

describe('navigation: call hierarchy', () => {
  let ws: NavWorkspace;
  before(async () => {
    ws = await startNavigationServer([callHierarchyFeature], ['use.pyx', 'geom/shapes.pyx']);
  });
  after(() => ws?.dispose());

  it('lists the callers of a .pxd-declared function in every module, with the GIL state of each call', async () => {
    const use = ws.text('use.pyx');
    const [root] = await ws.request<CallHierarchyItem[]>('textDocument/prepareCallHierarchy', 'use.pyx',
      pos(use, 's += norm', 'norm', 1));
    assert.ok(root);
    assert.equal(root.name, 'norm');
    assert.equal(ws.where({ uri: root.uri, range: root.selectionRange }), 'geom/shapes.pyx:4:12');
    const calls: CallHierarchyIncomingCall[] = await ws.pair.client.sendRequest('callHierarchy/incomingCalls', { item: root });
    const summary = calls.map((c) => `${c.from.name} ${c.fromRanges.length} ${c.from.detail}`).sort();
    // unit is in other.pyx, which is not open, and calls norm by its alias `length`
    assert.deepEqual(summary, ['size 2 calls it: GIL held', 'total 1 calls it: in a nogil function',
      'unit 1 calls it: GIL held']);
    const unit = calls.find((c) => c.from.name === 'unit')!;
    assert.deepEqual(unit.fromRanges.map((r) => `${r.start.line}:${r.start.character}`), ['4:11']);
  });

  it('lists the calls a function makes, with their GIL state', async () => {
    const pyx = ws.text('geom/shapes.pyx');
    const [root] = await ws.request<CallHierarchyItem[]>('textDocument/prepareCallHierarchy', 'geom/shapes.pyx',
      pos(pyx, 'cdef real_t norm', 'norm'));
    const calls: CallHierarchyOutgoingCall[] = await ws.pair.client.sendRequest('callHierarchy/outgoingCalls', { item: root });
    const summary = calls.map((c) => `${c.to.name} ${ws.where({ uri: c.to.uri, range: c.to.selectionRange })} ${c.to.detail}`);
    assert.equal(summary.length, 2);
    assert.equal(summary[0], 'clamp geom/helpers.pxi:0:19 called: in a nogil function');
    assert.match(summary[1]!, /^sqrt math\.pxd:\d+:\d+ called: in a nogil function$/);
  });
});
