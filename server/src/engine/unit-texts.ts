/**
 * The texts of a document's units (top-level statements and class members: definition-units.ts) kept from one
 * version to the next, so that a unit the edit did not touch answers `node.text` with the *same string object* as
 * before.
 *
 * Every per-definition cache (definition-cache.ts), the module interface's memo (model/module-interface.ts) and
 * others key maps by these texts. A new version's texts are new strings: the first lookup of each hashes it and every
 * lookup that finds the previous version's key compares it character by character, in each map — a few passes over
 * the whole document per keystroke. The same string object is found by its cached hash and identity.
 *
 * Proof of equality without comparing: the document store records, per change, how long a prefix and a suffix of the
 * text it kept (ParsedDocument.unchangedSince). A node lying in the unchanged prefix has the text the same range had;
 * one lying in the unchanged suffix has the text of its range shifted by the change in length. A class member's
 * context (the class header, a prefix of the class's text) is shared with its class's text.
 */
import type { Node } from 'web-tree-sitter';
import type { ParsedDocument } from '../text/parsed-document';
import { shareText } from '../tree/node-memo';
import { treeUnits } from './definition-units';

/** Ranges are keyed as start × 2^26 + end (safe integers); a text longer than this keeps nothing. */
const RANGE_LIMIT = 2 ** 26;

export class UnitTexts {
  private generation = -1;
  private root: Node | undefined;
  private doc: ParsedDocument | undefined;
  private byRange = new Map<number, string>();
  /** The class headers (member units' contexts) by their class's range. */
  private headers = new Map<number, string>();
  /** Units whose text was shared by the last call (the bench and tests read it). */
  shared = 0;

  /** Shares the unchanged units' texts of `root` (a tree of `doc` as it is now); once per tree. */
  share(doc: ParsedDocument, root: Node, splitClasses: boolean): void {
    if (root === this.root) return;
    this.root = root;
    const generation = doc.textGeneration;
    // generations count the changes of one document object: another one (reopened) shares nothing
    const unchanged = generation !== undefined && doc === this.doc ? doc.unchangedSince?.(this.generation) : undefined;
    this.doc = doc;
    const length = doc.text.length;
    const next = new Map<number, string>();
    this.shared = 0;
    if (length >= RANGE_LIMIT) {
      this.byRange = next;
      this.headers = new Map();
      this.generation = -1;
      return;
    }
    const suffixStart = unchanged ? length - unchanged.suffix : length;
    const delta = unchanged ? length - unchanged.oldLength : 0;
    const headers = new Map<number, string>();
    // the statement of the units being read, its key, and its previous key when its text was shared
    let statement: Node | undefined;
    let key = 0;
    let oldKey: number | undefined;
    for (const unit of treeUnits(root, splitClasses)) {
      const node = unit.node;
      const start = node.startIndex;
      const end = node.endIndex;
      let old: number | undefined;
      if (unchanged) {
        old = end <= unchanged.prefix ? start * RANGE_LIMIT + end
          : start >= suffixStart ? (start - delta) * RANGE_LIMIT + end - delta : undefined;
      }
      const known = old !== undefined ? this.byRange.get(old) : undefined;
      let text: string | undefined;
      if (known !== undefined && known.length === end - start) {
        shareText(node, known);
        text = known;
        this.shared++;
      }
      if (unit.statement !== statement) {
        statement = unit.statement;
        key = statement.startIndex * RANGE_LIMIT + statement.endIndex;
        oldKey = node === statement && text !== undefined ? old : undefined;
      }
      if (unit.context !== '') {
        // a class member's context, the class's header: a prefix of the class's text, so the same string when the
        // class's text was shared and the header is as long as before
        const header = oldKey !== undefined ? this.headers.get(oldKey) : undefined;
        if (header !== undefined && header.length === unit.context.length) unit.context = header;
        headers.set(key, unit.context);
      }
      next.set(start * RANGE_LIMIT + end, text ?? node.text);
    }
    this.byRange = next;
    this.headers = headers;
    this.generation = generation ?? -1;
  }
}
