/**
 * The first member of a class body that its class does not declare (checks/gil/incomplete-class-layout.ts), found by
 * searching the word `self` in the body's text and asking the tree only about occurrences that may be an unknown
 * member: the same answer as a walk of every node, in document order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../server/src/engine';
import { analyses } from '../../server/src/checks';
import { firstUnknownMember } from '../../server/src/checks/gil/incomplete-class-layout';
import { type Node, field } from '../../server/src/model/syntax';

describe('incomplete-class-layout: the first unknown member', () => {
  let engine: Engine;
  let n = 0;
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined });
  });
  after(() => engine.dispose());

  /** The answer for a class whose body is `lines`, with `known` the declared names. */
  const first = (lines: string[], known: string[] = []): string | undefined => {
    const uri = `file:///first-unknown-${n++}.pyx`;
    engine.open(uri, ['cdef class C:', ...lines.map((l) => `    ${l}`), ''].join('\n'), 1);
    try {
      const body = field(engine.document(uri)!.tree!.rootNode.namedChildren[0] as Node, 'body')!;
      const asked: string[] = [];
      const answer = firstUnknownMember(body, (a) => {
        asked.push(a);
        return known.includes(a);
      });
      // every name it returns was asked about (a dependency of the analysis)
      if (answer !== undefined) assert.ok(asked.includes(answer));
      return answer;
    } finally {
      engine.close(uri);
    }
  };

  it('finds members spelled with spaces, comments and continuations between self, the dot and the name', () => {
    assert.equal(first(['def f(self):', '    return self . a'], []), 'a');
    assert.equal(first(['def f(self):', '    return (self  # c', '            .b)'], []), 'b');
    assert.equal(first(['def f(self):', '    return self \\', '        .c'], []), 'c');
  });

  it('skips what is not a member of self: strings, comments, longer words, other objects, known and dunder names', () => {
    assert.equal(first([
      'def f(self):',
      '    """self.doc"""',
      '    # self.comment',
      '    x = "self.str"',
      '    myself.a = self_b.c + (self).paren',
      '    return self.__dict__, self.known, self.d',
    ], ['known']), 'd');
    assert.equal(first(['def f(self):', '    return self.known'], ['known']), undefined);
  });

  it('takes the first in document order, the innermost of a chain, and names with non-ASCII letters', () => {
    assert.equal(first(['def f(self):', '    return self.a.b + self.c'], []), 'a');
    assert.equal(first(['def f(self):', '    return self.a.b + self.c'], ['a']), 'c');
    assert.equal(first(['def f(self):', '    return self.é + self.e'], []), 'é');
    assert.equal(first(['def f(self):', '    return self.aé + self.e'], ['a']), 'aé');
  });
});
