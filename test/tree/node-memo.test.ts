/**
 * Memoised node accessors (tree/node-memo.ts) answer exactly what web-tree-sitter answers, and share node objects;
 * read from the WASM memory (tree/heap-reader.ts) or, with CYTHON_LENS_HEAP_READS=0, from the runtime's calls.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Node, Tree, TreeCursor } from 'web-tree-sitter';
import { createParser, loadGrammar } from '../../server/src/tree/language';
import {
  compareHeapReads, heapReadsEnabled, PINNED_RUNTIME_BYTES, wasmMemoryBytes,
} from '../../server/src/tree/node-memo';
import { REPO_ROOT } from '../support/paths';

describe('memoised node accessors', () => {
  it('same answers as a fresh reading, field children are the objects of `children`, one root per tree', async () => {
    const parser = await createParser();
    const text = 'cdef double f(double x) noexcept nogil:\n    return x * 2  # é\n\ndef g(:\n    pass\nx = [1, 2\ny = (f(x\n';
    const tree = parser.parse(text);
    assert.ok(tree);
    try {
      assert.equal(tree.rootNode, tree.rootNode);
      const visit = (n: Node): void => {
        // a new object for the same node (not memoised yet) is the reference
        const other = tree.rootNode.descendantForIndex(n.startIndex, n.endIndex);
        const ref = other && other.id === n.id ? other : undefined;
        for (let i = 0; i < 2; i++) {
          assert.equal(n.type, n.tree.language.types[n.typeId] ?? 'ERROR');
          assert.equal(n.text, text.slice(n.startIndex, n.endIndex));
          if (ref) {
            assert.equal(n.endIndex, ref.endIndex);
            assert.deepEqual(n.endPosition, ref.endPosition);
            assert.equal(n.hasError, ref.hasError);
            assert.equal(n.isNamed, ref.isNamed);
            assert.equal(n.isMissing, ref.isMissing);
            assert.equal(n.parent?.id, ref.parent?.id);
          }
        }
        // named children: derived from the symbol's metadata, the same as each child's own answer (WASM)
        assert.deepEqual(n.namedChildren.map((c) => c?.id), n.children.filter((c) => c?.isNamed).map((c) => c?.id));
        for (const c of n.children) if (c) visit(c);
      };
      visit(tree.rootNode);
      const f = tree.rootNode.namedChildren[0];
      assert.ok(f);
      const body = f.childForFieldName('body');
      assert.ok(body);
      assert.equal(f.childForFieldName('body'), body);
      assert.ok(f.children.includes(body), 'the field child is the object in `children`');
      assert.equal(f.childForFieldName('no such field'), null);
    } finally {
      tree.delete();
      parser.delete();
    }
  });

  it('errors known from a clean parent and memoised field lists agree with fresh readings, broken texts included', async () => {
    const parser = await createParser();
    const dir = path.join(REPO_ROOT, 'server/src/checks/gil/fixtures');
    const texts: string[] = [];
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.pyx')).sort()) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      // the whole file, and cut short in three places (unclosed brackets, missing bodies: errors and missing nodes)
      texts.push(text, text.slice(0, text.length / 4), text.slice(0, text.length / 2), text.slice(0, (3 * text.length) / 4));
    }
    let compared = 0;
    let inherited = 0;
    for (const [k, text] of texts.entries()) {
      const tree = parser.parse(text);
      assert.ok(tree);
      try {
        // The reference: fresh node objects from a cursor (nothing memoised on them, so WASM answers).
        const cursor: TreeCursor = tree.walk();
        const visit = (n: Node): void => {
          const fresh = cursor.currentNode;
          assert.equal(n.id, fresh.id);
          // the fields its children have (from the cursor), and one field of another node
          const ids = new Set<number>([1]);
          if (cursor.gotoFirstChild()) {
            do if (cursor.currentFieldId) ids.add(cursor.currentFieldId); while (cursor.gotoNextSibling());
            cursor.gotoParent();
          }
          // ask the parent first half of the time (its children are then known clean), its children first otherwise;
          // read a field child first, or the named children first, or all children first
          const parentFirst = (k + n.startIndex) % 2 === 0;
          if (parentFirst) n.hasError;
          const order = (k + n.startIndex) % 3;
          const early = order === 1 ? [...ids].map((id) => n.childForFieldId(id)) : [];
          const named = order === 0 || order === 1 ? n.namedChildren : undefined;
          const kids = n.children;
          for (const c of early) if (c) assert.ok(kids.includes(c), 'a field child read first is the object in `children`');
          for (const id of ids) {
            const c = n.childForFieldId(id);
            assert.equal(c?.id, fresh.childForFieldId(id)?.id);
            if (c) assert.ok(kids.includes(c), 'a field child is the object in `children`');
          }
          const namedKids = kids.filter((c) => c?.isNamed);
          assert.equal(n.namedChildren.length, namedKids.length);
          n.namedChildren.forEach((c, i) => assert.equal(c, namedKids[i], 'the named children are objects of `children`'));
          if (named) assert.equal(n.namedChildren, named);
          for (const c of kids) assert.equal(c?.parent, n);
          assert.equal(n.hasError, fresh.hasError, `hasError at ${n.startIndex} (${n.type})`);
          assert.equal(n.isMissing, fresh.isMissing, `isMissing at ${n.startIndex} (${n.type})`);
          for (const id of ids) {
            const list = n.childrenForFieldId(id);
            assert.deepEqual(list.map((c) => c?.id), fresh.childrenForFieldId(id).map((c) => c?.id));
            for (const c of list) assert.ok(kids.includes(c), 'a field child is the object in `children`');
            assert.equal(n.childrenForFieldId(id), list, 'memoised');
          }
          compared++;
          if (!n.hasError) inherited += kids.length;
          if (cursor.gotoFirstChild()) {
            let i = 0;
            do visit(kids[i++] as Node); while (cursor.gotoNextSibling());
            cursor.gotoParent();
            assert.equal(i, kids.length);
          }
        };
        visit(tree.rootNode);
        cursor.delete();
      } finally {
        tree.delete();
      }
    }
    parser.delete();
    assert.ok(compared > 10000 && inherited > 1000, `compared ${compared} nodes`);
  });
});

describe('heap reads (tree/heap-reader.ts: the layouts of web-tree-sitter 0.25.10)', () => {
  const off = process.env['CYTHON_LENS_HEAP_READS'] === '0';

  it('are on with the pinned runtime and read every node as the runtime does (lists, types, ends, flags, fields)', async () => {
    const { language } = await loadGrammar();
    if (off) {
      assert.equal(heapReadsEnabled(language), false);
      return;
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules/web-tree-sitter/package.json'), 'utf8')) as { version: string };
    assert.equal(pkg.version, '0.25.10', 'web-tree-sitter changed: check the layouts in tree/heap-reader.ts, then PINNED_RUNTIME_BYTES');
    assert.equal(fs.statSync(require.resolve('web-tree-sitter/tree-sitter.wasm')).size, PINNED_RUNTIME_BYTES);
    assert.ok(heapReadsEnabled(language));
    const dir = path.join(REPO_ROOT, 'server/src/checks/gil/fixtures');
    const texts = [
      // comments (extras), aliases, non-ASCII (UTF-16 columns), a token longer than an inline subtree, errors, missing
      `# é 😀\ncdef class A:\n    cdef double[:, ::1] m  # ü\n    cdef int f(self, x, double *y) nogil:\n        s = "${'x'.repeat(300)}" + 'ü'\ndef g(:\n    y = [f(1, 2\n`,
    ];
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.pyx')).sort()) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      texts.push(text, text.slice(0, text.length / 3), text.slice(0, (2 * text.length) / 3));
    }
    // every other fixture of the sources whole (rule fixtures, cypclasses, pure mode, .pxd): field lookups too
    const others = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(d, e.name);
      if (e.isDirectory()) return others(p);
      return /\.(pyx|pxd|pxi|py)$/.test(e.name) && p.includes(`${path.sep}fixtures${path.sep}`) && !p.startsWith(dir) ? [p] : [];
    });
    for (const f of others(path.join(REPO_ROOT, 'server/src')).sort()) texts.push(fs.readFileSync(f, 'utf8'));
    for (const text of texts) assert.equal(compareHeapReads(language, text), undefined, text.slice(0, 80));
    // The memory grows under parses (its old views are detached): the reader takes the new ones, and a tree made
    // before the growth is read the same way afterwards.
    const parser = await createParser();
    const early = parser.parse(texts[1] as string);
    assert.ok(early);
    const before = wasmMemoryBytes();
    const all = texts.join('\n').repeat(2);
    const kept: Tree[] = [];
    try {
      while (wasmMemoryBytes() === before && kept.length < 100) kept.push(parser.parse(all) as Tree);
      assert.ok(wasmMemoryBytes() > before, `the memory grew (${before} bytes)`);
      assert.equal(compareHeapReads(language, texts[0] as string), undefined);
      const reference = early.copy();
      const walk = (n: Node, out: string[]): string[] => {
        out.push(`${n.type} ${n.startIndex}-${n.endIndex} ${n.endPosition.row}:${n.endPosition.column} ${n.isNamed} ${n.hasError}`);
        for (const c of n.children) if (c) walk(c, out);
        return out;
      };
      assert.deepEqual(walk(early.rootNode, []), walk(reference.rootNode, []));
      reference.delete();
    } finally {
      for (const t of kept) t.delete();
      early.delete();
      parser.delete();
    }
  });

  it('off (CYTHON_LENS_HEAP_READS=0): the memo tests pass asking the runtime', { skip: off }, () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CYTHON_LENS_HEAP_READS: '0' };
    delete env['NODE_TEST_CONTEXT']; // a run of its own (inside the runner, its report would go to the parent)
    const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', __filename], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout.slice(-3000) + r.stderr.slice(-2000));
    assert.match(r.stdout, /# pass [1-9]/);
    assert.match(r.stdout, /# fail 0/);
  });
});
