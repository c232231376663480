import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Parser } from 'web-tree-sitter';
import { createParser } from '../../server/src/tree/language';
import { findSyntaxErrors, mergeRegions, type SyntaxErrorRegion } from '../../server/src/tree/syntax-errors';
import { fixture } from '../support/paths';

function region(startIndex: number, endIndex: number, row: number, endRow = row): SyntaxErrorRegion {
  return {
    startIndex,
    endIndex,
    start: { row, column: 0 },
    end: { row: endRow, column: 0 },
    kind: 'unexpected',
    message: `at ${startIndex}`,
  };
}

describe('syntax error regions', () => {
  let parser: Parser;
  before(async () => {
    parser = await createParser();
  });
  after(() => parser.delete());

  const errorsOf = (text: string): SyntaxErrorRegion[] => {
    const tree = parser.parse(text);
    assert.ok(tree);
    try {
      return findSyntaxErrors(tree);
    } finally {
      tree.delete();
    }
  };

  it('a well-formed Cython file has none', () => {
    assert.deepEqual(errorsOf(fixture('kernels.pyx')), []);
  });

  it('one region per broken statement, each with one concise message', () => {
    const text = ['x = 1', 'y = (2 +', 'z = 3', '', 'def f(a:', '    return a', '', 'w = ]', 'ok = 4', ''].join('\n');
    const regions = errorsOf(text);
    assert.ok(regions.length >= 1 && regions.length <= 3, `got ${regions.length}: ${JSON.stringify(regions)}`);
    for (const r of regions) {
      assert.match(r.message, /^Syntax error: (unexpected `[^`\n]+`|unexpected input|missing .+)$/);
      assert.ok(r.message.length < 80, r.message);
    }
    // regions are disjoint and ordered
    for (let i = 1; i < regions.length; i++) assert.ok(regions[i - 1]!.endIndex < regions[i]!.startIndex);
  });

  it('reports a missing token by name', () => {
    const regions = errorsOf('def f():\n    return (1 + 2\n');
    assert.equal(regions.length, 1);
  });

  it('merges nested, overlapping, touching and same-line regions, keeping the first message', () => {
    const merged = mergeRegions([region(10, 20, 1), region(12, 15, 1), region(20, 22, 1), region(30, 31, 1), region(50, 60, 3, 4)]);
    assert.deepEqual(
      merged.map((r) => [r.startIndex, r.endIndex, r.message]),
      [
        [10, 31, 'at 10'],
        [50, 60, 'at 50'],
      ],
    );
  });

  it('describes unexpected input with a short one-line snippet', () => {
    const regions = errorsOf(`x = 1\n${'y = ) ' + 'a'.repeat(100)}\n`);
    assert.equal(regions.length, 1);
    assert.ok(regions[0]!.message.length <= 70, regions[0]!.message);
    assert.doesNotMatch(regions[0]!.message, /\n/);
  });
});
