/**
 * What the document store keeps across edits instead of reading the whole text again: which prefix and suffix of an
 * earlier version's text are unchanged (ParsedDocument.unchangedSince, which engine/unit-texts.ts trusts to reuse
 * strings without comparing them), and the UTF-8 length and NUL characters its size and binary tests use. Random
 * edits (several per change sometimes, surrogate pairs split, NULs, whole-text changes), each checked against the
 * texts themselves.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Parser } from 'web-tree-sitter';
import { DocumentStore, type TextDocumentContentChangeEvent } from '../../server/src/text/document-store';
import { createParser } from '../../server/src/tree/language';
import { fixture } from '../support/paths';
import { Random } from '../support/random';

const SNIPPETS = ['x', ' ', '\n', '\r\n', '\r', 'é', '😀', '\0', 'cdef int a\n', '→', '\ud83d', '\ude00', 'naïve', ''];

describe('text kept across edits', () => {
  let parser: Parser;
  before(async () => {
    parser = await createParser();
  });
  after(() => parser.delete());

  for (const seed of [1, 2, 3]) {
    it(`unchanged prefix and suffix, UTF-8 length and NULs stay true to the text over 400 random edits (seed ${seed})`, () => {
      const rnd = new Random(seed);
      const original = fixture('kernels.pyx').slice(0, 1500);
      let expected = original;
      // the size limit at each parse: the text's UTF-8 length, or one byte less (then it is over the limit)
      let limit = 0;
      const store = new DocumentStore(parser, { maxFileSize: () => limit });
      const uri = 'file:///unchanged.pyx';
      const doc = store.open(uri, 'cython', 1, expected);
      const texts = new Map<number, string>([[doc.textGeneration ?? -1, expected]]);
      let known = 0;
      for (let step = 0; step < 400; step++) {
        const batch: TextDocumentContentChangeEvent[] = [];
        if (step % 97 === 96) {
          expected = original;
          batch.push({ text: expected });
        } else {
          const count = rnd.next() < 0.2 ? 2 + rnd.int(3) : 1;
          for (let i = 0; i < count; i++) {
            const start = rnd.int(expected.length + 1);
            const end = Math.min(expected.length, start + (rnd.next() < 0.5 ? 0 : rnd.int(20)));
            const insert = rnd.pick(SNIPPETS) + (rnd.next() < 0.3 ? rnd.pick(SNIPPETS) : '');
            const ref = TextDocument.create(uri, 'cython', 0, expected);
            batch.push({ range: { start: ref.positionAt(start), end: ref.positionAt(end) }, text: insert });
            expected = TextDocument.update(ref, [{ range: { start: ref.positionAt(start), end: ref.positionAt(end) }, text: insert }], 1).getText();
          }
        }
        store.change(uri, step + 2, batch);
        const now = store.get(uri)!;
        assert.equal(now.text, expected);
        texts.set(now.textGeneration ?? -1, expected);
        // every earlier version still recorded: what it says is unchanged is unchanged
        for (const [generation, old] of texts) {
          const same = now.unchangedSince?.(generation);
          if (!same) continue;
          known++;
          assert.equal(same.oldLength, old.length);
          assert.ok(same.prefix <= Math.min(old.length, expected.length) && same.suffix <= Math.min(old.length, expected.length));
          assert.equal(expected.slice(0, same.prefix), old.slice(0, same.prefix), `prefix since generation ${generation}`);
          assert.equal(expected.slice(expected.length - same.suffix), old.slice(old.length - same.suffix), `suffix since generation ${generation}`);
        }
        // the previous version is known unless the whole text was replaced
        if (batch.every((c) => 'range' in c)) assert.ok(now.unchangedSince?.((now.textGeneration ?? 0) - batch.length), 'the last change is known');
        const bytes = Buffer.byteLength(expected, 'utf8');
        limit = step % 2 === 0 ? bytes : bytes - 1;
        const over = bytes > limit;
        assert.equal(now.skipped?.kind, over ? 'too-large' : expected.includes('\0') ? 'binary' : undefined, `step ${step}`);
      }
      assert.ok(known > 1000, `${known} comparisons`);
    });
  }
});
