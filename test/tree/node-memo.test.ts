/** Memoised node accessors (tree/node-memo.ts) answer exactly what web-tree-sitter answers, and share node objects. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from 'web-tree-sitter';
import { createParser } from '../../server/src/tree/language';

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
});
