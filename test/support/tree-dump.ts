import type { Tree } from 'web-tree-sitter';

/** Every node with its type, offsets and points: stricter than `rootNode.toString()` (catches wrong edit points). */
export function dumpWithPositions(tree: Tree): string {
  const out: string[] = [];
  const cursor = tree.walk();
  let depth = 0;
  for (;;) {
    const n = cursor.currentNode;
    out.push(
      `${depth} ${n.type}${n.isMissing ? '!' : ''} ${n.startIndex}-${n.endIndex} ${n.startPosition.row}:${n.startPosition.column}-${n.endPosition.row}:${n.endPosition.column}`,
    );
    if (cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return out.join('\n');
      }
      depth--;
    }
  }
}
