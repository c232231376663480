/**
 * Parse-error regions: every ERROR / MISSING node of a tree, nested and adjacent ones merged,
 * so that one broken construct yields exactly one concise message.
 */
import type { Node, Point, Tree } from 'web-tree-sitter';

export interface SyntaxErrorRegion {
  /** UTF-16 offsets into the document text. */
  startIndex: number;
  endIndex: number;
  /** Tree-sitter points (row = count of '\n' before, column in UTF-16 code units). */
  start: Point;
  end: Point;
  kind: 'unexpected' | 'missing';
  /** e.g. "Syntax error: unexpected `cdef int`" or "Syntax error: missing `:`". */
  message: string;
}

const MAX_SNIPPET = 40;

function snippet(text: string): string {
  const firstLine = text.trim().split(/\r\n|\r|\n/, 1)[0] ?? '';
  const multiLine = /[\r\n]/.test(text.trim());
  let s = firstLine.length > MAX_SNIPPET ? `${firstLine.slice(0, MAX_SNIPPET)}…` : firstLine;
  if (multiLine && s === firstLine) s += ' …';
  return s.replace(/`/g, "'");
}

function describeMissing(node: Node): string {
  const t = node.type;
  // Named missing nodes (identifier, block...) are shown as words, anonymous ones as the literal token.
  return node.isNamed ? `Syntax error: missing ${t.replace(/_/g, ' ')}` : `Syntax error: missing \`${t}\``;
}

function describeError(node: Node): string {
  const text = snippet(node.text);
  if (text === '') return 'Syntax error: unexpected input';
  return `Syntax error: unexpected \`${text}\``;
}

function regionOf(node: Node, kind: SyntaxErrorRegion['kind'], message: string): SyntaxErrorRegion {
  return {
    startIndex: node.startIndex,
    endIndex: node.endIndex,
    start: node.startPosition,
    end: node.endPosition,
    kind,
    message,
  };
}

/** Collects the outermost ERROR nodes and all MISSING nodes outside them, in document order. */
function collectErrorNodes(tree: Tree): SyntaxErrorRegion[] {
  const out: SyntaxErrorRegion[] = [];
  if (!tree.rootNode.hasError) return out;
  const cursor = tree.walk();
  try {
    let descend = true;
    for (;;) {
      const node = cursor.currentNode;
      if (descend && node.isError) {
        out.push(regionOf(node, 'unexpected', describeError(node)));
        descend = false; // nested errors belong to this region
      } else if (descend && node.isMissing) {
        out.push(regionOf(node, 'missing', describeMissing(node)));
        descend = false;
      } else if (descend && node.hasError && cursor.gotoFirstChild()) {
        continue;
      }
      if (cursor.gotoNextSibling()) {
        descend = true;
        continue;
      }
      // climb until a sibling exists
      let climbed = false;
      while (cursor.gotoParent()) {
        if (cursor.gotoNextSibling()) {
          climbed = true;
          break;
        }
      }
      if (!climbed) break;
      descend = true;
    }
  } finally {
    cursor.delete();
  }
  return out;
}

/**
 * Merges overlapping, touching and same-line regions (a broken statement often yields an ERROR plus a
 * MISSING right after it). The first region's message is kept; the range covers all.
 */
export function mergeRegions(regions: SyntaxErrorRegion[]): SyntaxErrorRegion[] {
  const sorted = [...regions].sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
  const merged: SyntaxErrorRegion[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && (r.startIndex <= last.endIndex || r.start.row <= last.end.row)) {
      if (r.endIndex > last.endIndex) {
        last.endIndex = r.endIndex;
        last.end = r.end;
      }
      continue;
    }
    merged.push({ ...r });
  }
  return merged;
}

export function findSyntaxErrors(tree: Tree): SyntaxErrorRegion[] {
  return mergeRegions(collectErrorNodes(tree));
}
