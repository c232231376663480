/**
 * Selection ranges (expand/shrink selection): from the innermost node at each position outwards through its
 * ancestors, each range strictly larger than the one inside it (a dotted name, the attribute, the call, the
 * statement, the block, the function...).
 */
import type { SelectionRange, SelectionRangeParams } from 'vscode-languageserver';
import type { Node } from '../model/syntax';
import type { ParsedDocument } from '../text/parsed-document';
import { nodeRange } from '../text/positions';
import { guarded } from './document-analysis';
import type { Feature, FeatureDeps } from './feature';

export function selectionRangeAt(doc: ParsedDocument, root: Node, offset: number): SelectionRange {
  const chain: Node[] = [];
  for (let n: Node | null = root.descendantForIndex(offset, offset); n; n = n.parent) {
    const inner = chain[chain.length - 1];
    if (inner && n.startIndex === inner.startIndex && n.endIndex === inner.endIndex) continue;
    if (n.type === 'block' && n.parent && !inner) continue;
    chain.push(n);
  }
  let range: SelectionRange | undefined;
  for (let i = chain.length - 1; i >= 0; i--) {
    const r: SelectionRange = { range: nodeRange(doc, chain[i]!) };
    if (range) r.parent = range;
    range = r;
  }
  return range ?? { range: { start: doc.textDocument.positionAt(offset), end: doc.textDocument.positionAt(offset) } };
}

export const selectionRangeFeature: Feature = {
  id: 'selection-ranges',
  capabilities: { selectionRangeProvider: true },
  register(connection, deps: FeatureDeps) {
    connection.onSelectionRanges((p: SelectionRangeParams) => guarded(deps, 'selectionRange', null, async () => {
      const doc = typeof p?.textDocument?.uri === 'string' ? deps.document(p.textDocument.uri) : undefined;
      if (!doc?.tree || !Array.isArray(p.positions)) return null;
      const root = doc.tree.rootNode;
      return p.positions.map((pos) => selectionRangeAt(doc, root, doc.textDocument.offsetAt(pos)));
    }));
  },
};
