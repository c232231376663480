/** Line-anchored searches by word give the answers of the multiline regular expressions they replace. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linesContaining, someLineMatches } from '../../server/src/text/line-search';
import { isCppModuleHeader } from '../../server/src/checks/call-arguments/callee';

describe('line search', () => {
  it('finds each line containing the word once, with the bounds a multiline regex sees', () => {
    const text = 'a include b include\r\nx\u2028  include y\nlast include';
    assert.deepEqual([...linesContaining(text, 'include')].map(({ start, end }) => text.slice(start, end)),
      ['a include b include', '  include y', 'last include']);
    assert.deepEqual([...linesContaining('nothing here', 'include')], []);
  });

  it('answers as the regex with the m flag on the whole text', () => {
    const texts = ['include "a.pxi"', 'x = 1\n  include "b.pxi"\n', 'y = include_dirs\n', '# include x', 'x\rinclude\tz',
      'DEF N = 3\n', 'x = 1\n    DEF  N=3', 'DEFN = 1', ''];
    for (const text of texts) {
      assert.equal(someLineMatches(text, 'include', /^[ \t]*include[ \t]/), /^[ \t]*include[ \t]/m.test(text), text);
      assert.equal(someLineMatches(text, 'DEF', /^[ \t]*DEF[ \t]+N\b/), /^[ \t]*DEF[ \t]+N\b/m.test(text), text);
    }
  });

  it('tells a C++ module header as the multiline regex it replaces', () => {
    const regex = /^#\s*distutils:\s*language\s*=\s*c\+\+|^#\s*tag:.*\bcpp\b|^#\s*cython:.*\bcpp_locals\b/m;
    const texts = ['# distutils: language = c++\n', '#distutils:language=c++', 'x = 1\n# distutils: language = c\n',
      '  # distutils: language = c++', '# tag: cpp, werror\n', '# tag: cpp11', '# tag: numpy\r# tag: cpp\n',
      '# cython: cpp_locals=True', '#cython: language_level=3\n# cython: cpp_locals = True\n', '# cython: binding=True',
      's = "# tag: cpp"', 'x\u2028# tag: cpp', '# distutils: sources = a.cpp\n# distutils: language=c++', ''];
    for (const text of texts) assert.equal(isCppModuleHeader(text), regex.test(text), JSON.stringify(text));
  });
});
