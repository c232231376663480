/** The client's colour buckets (Annotate.py's formula) and its per-version annotation store (no VS Code needed). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnnotationStore } from '../../client/src/annotations/annotation-store';
import { BUCKETS, annotateAlpha, bucketAlpha, bucketOf } from '../../client/src/annotations/score-buckets';

describe('annotation colours', () => {
  it('follows Annotate.py: #FFFF{255 // (1 + s/10)} as yellow opacity', () => {
    assert.equal(annotateAlpha(0), 0);
    assert.equal(Math.round(annotateAlpha(10) * 255), 255 - 127);
    assert.ok(annotateAlpha(100) > annotateAlpha(20));
  });
  it('maps scores to a fixed set of buckets, stronger for higher scores, weaker on dark themes', () => {
    assert.equal(bucketOf(0), -1);
    assert.equal(bucketOf(1), 0);
    assert.equal(bucketOf(10_000), BUCKETS.length - 1);
    for (let i = 1; i < BUCKETS.length; i++) {
      assert.ok(bucketAlpha(i, 'light', 1) > bucketAlpha(i - 1, 'light', 1));
      assert.ok(bucketAlpha(i, 'dark', 1) < bucketAlpha(i, 'light', 1));
    }
    assert.equal(bucketAlpha(3, 'light', 0), 0);
    assert.ok(bucketAlpha(6, 'light', 2) <= 1);
  });
});

describe('annotation store', () => {
  const uri = 'file:///a.pyx';
  const doc = (version: number) => ({ uri: { toString: () => uri }, version });
  it('ignores notifications for another version of the document', () => {
    const store = new AnnotationStore();
    const lines = [{ line: 1, score: 5, reasons: ['r'] }];
    assert.equal(store.accept({ uri, version: 3, lines }, doc(4)), false);
    assert.deepEqual(store.linesFor(doc(4)), []);
    assert.equal(store.accept({ uri, version: 4, lines }, doc(4)), true);
    assert.deepEqual(store.linesFor(doc(4)), lines);
    assert.deepEqual(store.linesFor(doc(5)), [], 'the document changed since: nothing painted from old scores');
    assert.equal(store.accept({ uri, version: 0, lines: [] }, doc(5)), true, 'an empty notification clears');
    assert.equal(store.lineFor(doc(4), 1), undefined);
  });
});
