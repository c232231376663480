/**
 * The GIL state at a position, for people (hover text) and for the client (`cythonLens/gilState`): what released
 * the GIL and where, as a range covering the releasing construct's header.
 */
import type { Range } from 'vscode-languageserver';
import type { GilState } from '../model/gil-state';
import type { Node } from '../model/syntax';
import { field } from '../model/syntax';
import type { ParsedDocument } from '../text/parsed-document';
import { offsetRange } from '../text/positions';

/**
 * The range of what released the GIL: the header of a `with nogil:` statement (up to its colon), a `prange(...)`
 * call, or the `nogil` of a function signature.
 */
export function releasedByRange(doc: ParsedDocument, node: Node): Range {
  const parent = node.parent;
  const body = parent ? field(parent, 'body') : null;
  if (parent && body && parent.child(0)?.id === node.id) {
    const header = doc.text.slice(parent.startIndex, body.startIndex);
    const colon = header.lastIndexOf(':');
    const end = colon >= 0 ? parent.startIndex + colon + 1 : node.endIndex;
    return offsetRange(doc, parent.startIndex, end);
  }
  return offsetRange(doc, node.startIndex, node.endIndex);
}

/** The releasing construct as written, shortened to one line (`with nogil:`, `prange(n, nogil=True)`). */
export function releasedByText(doc: ParsedDocument, node: Node): string {
  const range = releasedByRange(doc, node);
  const text = doc.text.slice(doc.textDocument.offsetAt(range.start), doc.textDocument.offsetAt(range.end));
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

/** One sentence: "GIL released by `with nogil:` at line 12", "GIL held", "in a nogil function: ...". */
export function describeGilState(doc: ParsedDocument, state: GilState): string {
  switch (state.kind) {
    case 'held':
      return 'GIL held';
    case 'released': {
      if (!state.releasedBy) return 'GIL released';
      const line = releasedByRange(doc, state.releasedBy).start.line + 1;
      return `GIL released by \`${releasedByText(doc, state.releasedBy)}\` at line ${line}`;
    }
    case 'nogil-function': {
      const where = state.releasedBy ? ` (declared \`nogil\` at line ${releasedByRange(doc, state.releasedBy).start.line + 1})`
        : '';
      return `in a nogil function${where}: the caller may hold the GIL`;
    }
  }
}
