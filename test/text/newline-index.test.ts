import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NewlineIndex, advancePoint } from '../../server/src/text/newline-index';
import { Random } from '../support/random';

function naivePoint(text: string, offset: number): { row: number; column: number } {
  const before = text.slice(0, offset);
  const row = before.split('\n').length - 1;
  return { row, column: offset - (before.lastIndexOf('\n') + 1) };
}

describe('NewlineIndex', () => {
  it('maps offsets to tree-sitter points (rows by \\n only, UTF-16 columns)', () => {
    const text = 'a\r\nbé😀\rc\n\n\tx';
    const idx = new NewlineIndex(text);
    for (let i = 0; i <= text.length; i++) assert.deepEqual(idx.pointAt(i), naivePoint(text, i), `offset ${i}`);
    assert.deepEqual(idx.pointAt(text.length), { row: 3, column: 2 });
  });

  it('stays equal to a fresh index across random replacements', () => {
    const rnd = new Random(7);
    const pieces = ['\n', '\r\n', 'x', 'é', '😀', '\t', 'abc\ndef', ''];
    let text = 'line one\nline two\r\nthree';
    const idx = new NewlineIndex(text);
    for (let step = 0; step < 2000; step++) {
      const a = rnd.int(text.length + 1);
      const b = Math.min(text.length, a + rnd.int(6));
      const ins = rnd.pick(pieces) + rnd.pick(pieces);
      idx.replace(a, b, ins);
      text = text.slice(0, a) + ins + text.slice(b);
      const probe = rnd.int(text.length + 1);
      assert.deepEqual(idx.pointAt(probe), naivePoint(text, probe), `step ${step}`);
    }
  });

  it('advancePoint follows inserted text', () => {
    assert.deepEqual(advancePoint({ row: 2, column: 5 }, 'ab'), { row: 2, column: 7 });
    assert.deepEqual(advancePoint({ row: 2, column: 5 }, 'ab\r\ncd😀'), { row: 3, column: 4 });
    assert.deepEqual(advancePoint({ row: 0, column: 0 }, '\n\n'), { row: 2, column: 0 });
  });
});
