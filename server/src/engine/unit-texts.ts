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
 * one lying in the unchanged suffix has the text of its range shifted by the change in length.
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
  private byRange = new Map<number, string>();
  /** Units whose text was shared by the last call (the bench and tests read it). */
  shared = 0;

  /** Shares the unchanged units' texts of `root` (a tree of `doc` as it is now); once per tree. */
  share(doc: ParsedDocument, root: Node, splitClasses: boolean): void {
    if (root === this.root) return;
    this.root = root;
    const generation = doc.textGeneration;
    const unchanged = generation !== undefined ? doc.unchangedSince?.(this.generation) : undefined;
    const length = doc.text.length;
    const next = new Map<number, string>();
    this.shared = 0;
    if (length >= RANGE_LIMIT) {
      this.byRange = next;
      this.generation = -1;
      return;
    }
    const suffixStart = unchanged ? length - unchanged.suffix : length;
    const delta = unchanged ? length - unchanged.oldLength : 0;
    for (const unit of treeUnits(root, splitClasses)) {
        const node = unit.node;
        const start = node.startIndex;
        const end = node.endIndex;
        let text: string | undefined;
        if (unchanged) {
          const old = end <= unchanged.prefix ? this.byRange.get(start * RANGE_LIMIT + end)
            : start >= suffixStart ? this.byRange.get((start - delta) * RANGE_LIMIT + end - delta) : undefined;
          if (old !== undefined && old.length === end - start) {
            shareText(node, old);
            text = old;
            this.shared++;
          }
        }
        next.set(start * RANGE_LIMIT + end, text ?? node.text);
    }
    this.byRange = next;
    this.generation = generation ?? -1;
  }
}
