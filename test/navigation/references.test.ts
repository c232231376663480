/**
 * References, document highlights, rename and prepareRename through the real server on test/fixtures/navigation:
 * `norm` is declared in geom/shapes.pxd, defined in geom/shapes.pyx and cimported by use.pyx and other.pyx.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DocumentHighlight, Location, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { documentHighlightFeature } from '../../server/src/features/document-highlight';
import { referencesFeature } from '../../server/src/features/references';
import { renameFeature } from '../../server/src/features/rename';
import { VENV_PYTHON } from '../support/compiler';
import { FIXTURE_ROOT, type NavWorkspace, pos, startNavigationServer } from './harness';

const FEATURES = [referencesFeature, documentHighlightFeature, renameFeature];

// other.pyx (not open in the first test) cimports norm as `length` (0:33) and calls it by that name (4:11)
const NORM_EVERYWHERE = [
  'geom/shapes.pxd:13:12', 'geom/shapes.pyx:4:12', 'other.pyx:0:25', 'other.pyx:0:33', 'other.pyx:4:11',
  'use.pyx:1:25', 'use.pyx:9:13', 'use.pyx:14:35', 'use.pyx:14:57',
].sort();

describe('navigation: references, highlights, rename', () => {
  let ws: NavWorkspace;
  before(async () => {
    ws = await startNavigationServer(FEATURES, ['use.pyx', 'geom/shapes.pyx']);
  });
  after(() => ws?.dispose());

  async function refs(rel: string, p: { line: number; character: number }, includeDeclaration = true): Promise<string[]> {
    const r = await ws.request<Location[] | null>('textDocument/references', rel, p, { context: { includeDeclaration } });
    return (r ?? []).map((l) => ws.where(l)).sort();
  }

  it('finds a cdef function declared in a .pxd in its .pyx and in every cimporting module', async () => {
    const use = ws.text('use.pyx');
    assert.deepEqual(await refs('use.pyx', pos(use, 's += norm', 'norm', 1)), NORM_EVERYWHERE);
    // the same set from the declaration in the .pyx, and without the declaration and definition
    const pyx = ws.text('geom/shapes.pyx');
    assert.deepEqual(await refs('geom/shapes.pyx', pos(pyx, 'cdef real_t norm', 'norm')), NORM_EVERYWHERE);
    assert.deepEqual(await refs('use.pyx', pos(use, 's += norm', 'norm', 1), false),
      NORM_EVERYWHERE.filter((l) => !l.startsWith('geom/')));
  });

  it('finds the uses of an alias from the aliased name, the alias, and a module through its aliases', async () => {
    await ws.open('other.pyx');
    const other = ws.text('other.pyx');
    // from the name in `cimport norm as length` (other.pyx is not open), and from a use of the alias
    assert.deepEqual(await refs('other.pyx', pos(other, 'cimport norm', 'norm')), NORM_EVERYWHERE);
    assert.deepEqual(await refs('other.pyx', pos(other, 'return length', 'length')), NORM_EVERYWHERE);
    // the module geom.shapes: every cimport naming it, its alias `sh` where it is bound and used, `geom.shapes.norm`
    const use = ws.text('use.pyx');
    assert.deepEqual(await refs('use.pyx', pos(use, 'cimport geom.shapes', 'shapes')), [
      'other.pyx:0:10', 'use.pyx:0:13', 'use.pyx:1:10', 'use.pyx:2:18', 'use.pyx:2:28', 'use.pyx:14:32',
      'use.pyx:14:50',
    ].sort());
    // the alias alone: where it is bound and used
    assert.deepEqual(await refs('use.pyx', pos(use, 'sh.norm', 'sh')), ['use.pyx:14:32', 'use.pyx:2:28']);
  });

  it('finds struct fields and class attributes through every access path', async () => {
    const use = ws.text('use.pyx');
    assert.deepEqual(await refs('use.pyx', pos(use, 'sq.side + sq.sides', 'side')), [
      'geom/shapes.pxd:20:16', 'geom/shapes.pyx:16:20', 'geom/shapes.pyx:16:32', 'geom/shapes.pyx:19:33',
      'geom/shapes.pyx:20:13', 'use.pyx:14:14',
    ].sort());
    const pyx = ws.text('geom/shapes.pyx');
    assert.deepEqual(await refs('geom/shapes.pyx', pos(pyx, 'p.x * p.x', 'x')), [
      'geom/shapes.pxd:3:11', 'geom/shapes.pyx:5:24', 'geom/shapes.pyx:5:30', 'use.pyx:9:35',
    ].sort());
  });

  it('keeps locals to their function and highlights them', async () => {
    const pyx = ws.text('geom/shapes.pyx');
    assert.deepEqual(await refs('geom/shapes.pyx', pos(pyx, 'self.side = total', 'total')),
      ['geom/shapes.pyx:19:20', 'geom/shapes.pyx:20:20']);
    const hl = await ws.request<DocumentHighlight[]>('textDocument/documentHighlight', 'geom/shapes.pyx',
      pos(pyx, 'return v + v', 'v', 0, 1));
    // the parameter's declaration is a write (3), its uses reads (2)
    assert.deepEqual(hl.map((h) => `${h.range.start.line}:${h.range.start.character}:${h.kind}`),
      ['23:25:3', '24:11:2', '24:15:2']);
  });

  it('refuses to rename what the workspace does not own, with a reason', async () => {
    const pyx = ws.text('geom/shapes.pyx');
    await assert.rejects(ws.request('textDocument/prepareRename', 'geom/shapes.pyx', pos(pyx, 'clamp(sqrt', 'sqrt')),
      /`sqrt` is declared in math\.pxd .*outside the workspace/);
    await assert.rejects(ws.request('textDocument/prepareRename', 'geom/shapes.pyx', pos(pyx, 'return hypot(a, b) + twice', 'twice', 0)).then(() => {
      throw new Error('twice is the workspace\'s: must not be refused');
    }), /must not be refused/);
    const use = ws.text('use.pyx');
    await assert.rejects(ws.request('textDocument/prepareRename', 'use.pyx', pos(use, 'cimport numpy as cnp', 'cnp')),
      /names a module/);
    const ok = await ws.request<{ placeholder: string }>('textDocument/prepareRename', 'use.pyx', pos(use, 's += norm', 'norm'));
    assert.equal(ok.placeholder, 'norm');
  });
});

describe('navigation: warm references follow edits and file changes', () => {
  let ws: NavWorkspace;
  let tmp: string;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-warm-refs-'));
    fs.cpSync(FIXTURE_ROOT, tmp, { recursive: true });
    // as VS Code: the client watches the files, so the server trusts what it read until it is told of a change
    ws = await startNavigationServer(FEATURES, ['use.pyx'], tmp, [],
      { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } });
  });
  after(async () => {
    await ws?.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function refs(): Promise<string[]> {
    const use = ws.text('use.pyx');
    const r = await ws.request<Location[] | null>('textDocument/references', 'use.pyx', pos(use, 's += norm', 'norm', 1),
      { context: { includeDeclaration: true } });
    return (r ?? []).map((l) => ws.where(l)).sort();
  }
  const changed = (rel: string): Promise<void> => ws.pair.client.sendNotification('workspace/didChangeWatchedFiles',
    { changes: [{ uri: ws.uri(rel), type: 2 }] });

  it('answers the same again, then sees a closed file changed on disk, an edit, and a moved declaration', async () => {
    assert.deepEqual(await refs(), NORM_EVERYWHERE);
    assert.deepEqual(await refs(), NORM_EVERYWHERE); // warm: files and what their names denote are kept
    // a closed file calls norm through its alias once more
    fs.appendFileSync(path.join(tmp, 'other.pyx'), '\ndef twice(Point p):\n    return length(p) * 2\n');
    await changed('other.pyx');
    const withTwice = [...NORM_EVERYWHERE, 'other.pyx:7:11'].sort();
    assert.deepEqual(await refs(), withTwice);
    // an unsaved edit of the open document: one more use at the end, and none in `size`
    const use = ws.text('use.pyx');
    const edited = use.replace('+ sh.norm(p) + geom.shapes.norm(p)', '').concat('\ncdef double again(Point p):\n    return norm(p)\n');
    await ws.pair.change(ws.uri('use.pyx'), 2, [{ text: edited }]);
    await ws.pair.diagnostics(ws.uri('use.pyx'), 2);
    const afterEdit = withTwice.filter((l) => l !== 'use.pyx:14:35' && l !== 'use.pyx:14:57');
    const line = edited.split('\n').findIndex((l) => l === '    return norm(p)');
    assert.deepEqual(await refs(), [...afterEdit, `use.pyx:${line}:11`].sort());
    // the declaration moves a line down in the .pxd (on disk)
    await ws.pair.change(ws.uri('use.pyx'), 3, [{ text: use }]);
    await ws.pair.diagnostics(ws.uri('use.pyx'), 3);
    const pxd = path.join(tmp, 'geom', 'shapes.pxd');
    fs.writeFileSync(pxd, `# moved\n${fs.readFileSync(pxd, 'utf8')}`);
    fs.utimesSync(pxd, new Date(), new Date(Date.now() + 5000));
    // its file event: read again at once (not only after the .pxd resolver's re-check interval)
    await changed('geom/shapes.pxd');
    assert.deepEqual(await refs(), withTwice.map((l) => (l === 'geom/shapes.pxd:13:12' ? 'geom/shapes.pxd:14:12' : l)).sort());
  });
});

describe('navigation: rename across modules compiles', () => {
  let ws: NavWorkspace;
  let tmp: string;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-rename-'));
    fs.cpSync(FIXTURE_ROOT, tmp, { recursive: true });
    ws = await startNavigationServer(FEATURES, ['other.pyx'], tmp);
  });
  after(async () => {
    await ws?.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('renames a function declared in a .pxd in the .pxd, the .pyx and both cimporting modules', async () => {
    const other = ws.text('other.pyx');
    await assert.rejects(ws.request('textDocument/prepareRename', 'other.pyx', pos(other, 'return length', 'length')),
      /`length` is an alias of `norm`/);
    const edit = await ws.request<WorkspaceEdit>('textDocument/rename', 'other.pyx', pos(other, 'cimport norm', 'norm'),
      { newName: 'vec_norm' });
    const files = Object.keys(edit.changes ?? {}).map((u) => path.relative(tmp, new URL(u).pathname)).sort();
    assert.deepEqual(files, ['geom/shapes.pxd', 'geom/shapes.pyx', 'other.pyx', 'use.pyx']);
    for (const [uri, edits] of Object.entries(edit.changes!)) applyEdits(new URL(uri).pathname, edits);
    assert.match(ws.text('geom/shapes.pxd'), /cdef real_t vec_norm\(Point p\) noexcept nogil/);
    assert.match(ws.text('other.pyx'), /cimport vec_norm as length, Point/);
    assert.equal(ws.text('use.pyx').match(/\bvec_norm\b/g)?.length, 4);
    assert.doesNotMatch(ws.text('use.pyx') + ws.text('geom/shapes.pyx'), /\bnorm\b/);
    for (const rel of ['geom/shapes.pyx', 'use.pyx', 'other.pyx']) {
      const run = spawnSync(VENV_PYTHON, ['-m', 'cython', '-3', '-I', tmp, '-o', path.join(tmp, 'out.c'), rel],
        { cwd: tmp, encoding: 'utf8' });
      assert.equal(run.status, 0, `${rel} does not compile after the rename:\n${run.stderr}`);
    }
  });
});

function applyEdits(file: string, edits: TextEdit[]): void {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line
    || b.range.start.character - a.range.start.character);
  for (const e of sorted) {
    assert.equal(e.range.start.line, e.range.end.line);
    const l = lines[e.range.start.line]!;
    lines[e.range.start.line] = l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
  }
  fs.writeFileSync(file, lines.join('\n'));
}
