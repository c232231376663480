/**
 * The folder rule of docs/architecture.md, checked on the real imports: no file-level import cycle, and each folder
 * imports only from itself and the folders below it in the data flow text → tree → model → checks → features →
 * client. The detector itself is tested on small made-up graphs first, so that a broken detector cannot pass.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { type ImportGraph, importCycles, layerOf, layerViolations, readImportGraph } from '../support/import-graph';
import { REPO_ROOT } from '../support/paths';

/**
 * The layers, bottom first: a file may import from its own layer and the layers before it. A file belongs to the
 * longest entry that is it or one of its folders. docs/architecture.md lists the same order (checked below).
 */
const LAYERS: readonly string[] = [
  'shared/src',
  'server/src/version.ts',
  'server/src/settings',
  'server/src/text',
  'server/src/tree',
  'server/src/model',
  'server/src/lapack',
  'server/src/engine',
  'server/src/annotations',
  'server/src/checks',
  'server/src/features',
  'server/src/code-actions',
  'server/src/server.ts',
  'server/src/cli',
  'server/src/main.ts',
  'client/src',
];

const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

describe('import graph detector (on made-up graphs)', () => {
  it('finds a two-file cycle, a longer one and a self-import, and nothing in a DAG', () => {
    const g = graphOf({
      'a.ts': ['b.ts'], 'b.ts': ['a.ts', 'c.ts'], 'c.ts': ['d.ts'], 'd.ts': ['e.ts'], 'e.ts': ['c.ts'],
      'f.ts': ['f.ts'], 'g.ts': ['a.ts', 'h.ts'], 'h.ts': [],
    });
    assert.deepEqual(importCycles(g), [['a.ts', 'b.ts'], ['c.ts', 'd.ts', 'e.ts'], ['f.ts']]);
    assert.deepEqual(importCycles(graphOf({ 'x.ts': ['y.ts', 'z.ts'], 'y.ts': ['z.ts'], 'z.ts': [] })), []);
  });

  it('places a file in the longest matching layer and flags upward and unplaced imports', () => {
    const layers = ['src/low', 'src/mid', 'src/mid/top.ts', 'src/high'];
    assert.equal(layerOf('src/mid/a.ts', layers), 1);
    assert.equal(layerOf('src/mid/top.ts', layers), 2);
    assert.equal(layerOf('src/middle/a.ts', layers), -1, 'a prefix of a folder name is not the folder');
    const g = graphOf({
      'src/low/a.ts': ['src/mid/b.ts', 'src/low/c.ts'],
      'src/mid/b.ts': ['src/low/a.ts', 'src/mid/top.ts'],
      'src/mid/top.ts': ['src/mid/b.ts'],
      'src/high/d.ts': ['src/low/a.ts', 'src/other/e.ts'],
      'src/low/c.ts': [],
    });
    assert.deepEqual(layerViolations(g, layers).map((v) => `${v.from} -> ${v.to}`), [
      'src/low/a.ts -> src/mid/b.ts',
      'src/mid/b.ts -> src/mid/top.ts',
      'src/high/d.ts -> src/other/e.ts',
    ]);
  });

  it('reads imports of every form from files on disk', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'import-graph-'));
    try {
      fs.mkdirSync(path.join(root, 'src', 'pkg'), { recursive: true });
      fs.writeFileSync(path.join(root, 'src', 'a.ts'), [
        "import { b } from './b';", "import type { C } from './pkg';", "export * from './d';",
        "const e = import('./e');", "import * as fs from 'node:fs';", "import data from '../data.json';",
      ].join('\n'));
      for (const f of ['b.ts', 'd.ts', 'e.ts', 'pkg/index.ts']) fs.writeFileSync(path.join(root, 'src', f), '');
      const g = readImportGraph(root, ['src']);
      assert.deepEqual(g.get('src/a.ts'), ['src/b.ts', 'src/d.ts', 'src/e.ts', 'src/pkg/index.ts']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the project\'s imports', () => {
  const graph = readImportGraph(REPO_ROOT, ['shared/src', 'server/src', 'client/src']);

  it('reads the whole source tree', () => {
    assert.ok(graph.size > 150, `only ${graph.size} files read`);
    assert.ok([...graph.values()].reduce((n, t) => n + t.length, 0) > 500, 'too few imports read');
  });

  it('have no import cycle between files', () => {
    assert.deepEqual(importCycles(graph).map((c) => c.join(' <-> ')), []);
  });

  it('go only down the folder order', () => {
    const violations = layerViolations(graph, LAYERS)
      .map((v) => `${v.from} (${v.fromLayer ?? 'no layer'}) -> ${v.to} (${v.toLayer ?? 'no layer'})`);
    assert.deepEqual(violations, []);
  });

  it('follow the folder order that docs/architecture.md states', () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'architecture.md'), 'utf8');
    const block = /<!-- folder-order -->\s*```\n([\s\S]*?)```/.exec(doc);
    assert.ok(block, 'docs/architecture.md has no folder-order block');
    const listed = block[1]!.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
    assert.deepEqual(listed, [...LAYERS].reverse(), 'the docs list the layers top first');
  });
});
