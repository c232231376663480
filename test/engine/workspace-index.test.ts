/**
 * The workspace index: which files mention a word (whole identifiers; open documents as they are now), when a cached
 * text is read again (a file event at once; without a file watcher, once its short re-check interval has passed;
 * with one, only on events), values retained between requests (replaced when stale even while a request runs) and
 * the memo of values derived from open documents.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkspaceIndex } from '../../server/src/engine/workspace-index';

describe('workspace index', () => {
  let root: string;
  const open = new Map<string, string>();
  const make = (): WorkspaceIndex => {
    const index = new WorkspaceIndex({ openText: (f) => open.get(f), log: () => undefined });
    index.setRoots([root]);
    return index;
  };
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-index-'));
    fs.mkdirSync(path.join(root, 'pkg'));
    fs.mkdirSync(path.join(root, '.venv'));
    fs.writeFileSync(path.join(root, 'pkg', 'a.pxd'), 'cdef double norm(double x)\n');
    fs.writeFileSync(path.join(root, 'pkg', 'b.pyx'), 'from pkg.a cimport norm as n\nx = normal = n(1)\n');
    fs.writeFileSync(path.join(root, 'c.pyx'), 'y = abnormal\n');
    fs.writeFileSync(path.join(root, '.venv', 'd.pyx'), 'norm\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('lists the Cython files and finds those that mention a whole word, open documents as they are', async () => {
    const index = make();
    assert.deepEqual((await index.list()).map((f) => path.relative(root, f)).sort(), ['c.pyx', 'pkg/a.pxd', 'pkg/b.pyx']);
    const rel = async (w: string): Promise<string[]> => (await index.filesMentioning(w)).map((f) => path.relative(root, f)).sort();
    assert.deepEqual(await rel('norm'), ['pkg/a.pxd', 'pkg/b.pyx']);
    assert.deepEqual(await rel('abnormal'), ['c.pyx']);
    open.set(path.join(root, 'c.pyx'), 'y = norm\n');
    assert.deepEqual(await rel('norm'), ['c.pyx', 'pkg/a.pxd', 'pkg/b.pyx']);
    open.clear();
    assert.deepEqual(await rel('norm'), ['pkg/a.pxd', 'pkg/b.pyx']);
  });

  it('reads a changed file again on its file event; with a watcher, only then', async () => {
    const file = path.join(root, 'c.pyx');
    for (const watched of [false, true]) {
      fs.writeFileSync(file, 'y = abnormal\n');
      const index = make();
      index.setWatched(watched);
      assert.equal(await index.text(file), 'y = abnormal\n');
      fs.writeFileSync(file, 'y = norm  # edited\n');
      fs.utimesSync(file, new Date(), new Date(Date.now() + 5000)); // a different modification time
      if (watched) {
        // the client tells of every change: until it does, the cached text is used without a stat
        await new Promise((r) => setTimeout(r, 1100));
        assert.equal(await index.text(file), 'y = abnormal\n');
      }
      index.changed(file, 'changed');
      assert.equal(await index.text(file), 'y = norm  # edited\n');
      assert.deepEqual((await index.filesMentioning('norm')).includes(file), true);
    }
  });

  it('without a watcher, notices a change on disk after the re-check interval', async () => {
    const file = path.join(root, 'c.pyx');
    fs.writeFileSync(file, 'y = abnormal\n');
    const index = make();
    assert.equal(await index.text(file), 'y = abnormal\n');
    fs.writeFileSync(file, 'y = other\n');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 10000));
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal(await index.text(file), 'y = other\n');
  });

  it('replaces a stale retained value while a request holds it, and frees the old one when the request ends', () => {
    const file = path.join(root, 'pkg', 'a.pxd');
    const index = make();
    index.setWatched(true);
    const freed: string[] = [];
    const build = (tag: string) => (text: string) => ({ value: `${tag}:${text.length}`, dispose: () => freed.push(tag) });
    const release = index.hold();
    assert.equal(index.retain(file, 'g1', build('first')), `first:${'cdef double norm(double x)\n'.length}`);
    assert.equal(index.retain(file, 'g1', build('unused')), 'first:27'); // kept
    // another key (the resolver's generation moved on): built again at once, though a request still runs
    assert.equal(index.retain(file, 'g2', build('second')), 'second:27');
    assert.equal(index.retain(file, 'g2', build('unused')), 'second:27');
    assert.deepEqual(freed, []); // the running request may still use the first
    // a file event while the request runs: built again on the next use too
    index.changed(file, 'changed');
    assert.equal(index.isRetained(file), false);
    assert.equal(index.retain(file, 'g2', build('third')), 'third:27');
    assert.deepEqual(freed, []);
    release();
    assert.deepEqual(freed, ['first', 'second']);
    assert.equal(index.retain(file, 'g2', build('unused')), 'third:27');
    index.dispose();
    assert.deepEqual(freed, ['first', 'second', 'third']);
  });

  it('keeps values derived from open documents until one changes', () => {
    const index = make();
    let made = 0;
    const make1 = (): number => ++made;
    assert.equal(index.memo('k', 's1', make1), 1);
    assert.equal(index.memo('k', 's1', make1), 1);
    assert.equal(index.memo('k', 's2', make1), 2); // another stamp
    index.openChanged();
    assert.equal(index.memo('k', 's2', make1), 3);
  });
});
