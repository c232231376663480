/**
 * Header directive comments are read as the compiler reads them (Parsing.p_compiler_directive_comments:
 * `^#\s*cython\s*:\s*((\w|[.])+\s*=.*)$`), so `#cython:` without a space counts as `# cython:` does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DIRECTIVES, fileDirectives } from '../../server/src/annotations/directives';
import { directivesFromEntries } from '../../server/src/model/directives';

describe('file header directives', () => {
  for (const header of ['# cython: boundscheck=False', '#cython: boundscheck=False', '#cython:boundscheck=False',
    '#  cython :  boundscheck = False']) {
    it(`reads ${JSON.stringify(header)}`, () => {
      const d = fileDirectives(`${header}\n\ndef f():\n    pass\n`, DEFAULT_DIRECTIVES);
      assert.equal(d.boundscheck, false);
      assert.equal(d.wraparound, true);
    });
  }

  it('reads several header lines and stops at the first code line', () => {
    const d = fileDirectives('#!python\n#cython: wraparound=False\n# cython: cdivision=True\nx = 1\n#cython: boundscheck=False\n',
      DEFAULT_DIRECTIVES);
    assert.deepEqual(d, { ...DEFAULT_DIRECTIVES, wraparound: false, cdivision: true });
  });

  it('reads the language level as Main.Context.set_language_level does (3str is 3, -3 is below 3)', () => {
    assert.equal(DEFAULT_DIRECTIVES.language_level, 3);
    assert.equal(fileDirectives('# cython: language_level=2\n', DEFAULT_DIRECTIVES).language_level, 2);
    assert.equal(fileDirectives('# cython: language_level=3str\n', DEFAULT_DIRECTIVES).language_level, 3);
    assert.equal(directivesFromEntries({ language_level: '-3' }).language_level, -3); // spaCy's build: int('-3')
    // the header wins over the build's directive
    assert.equal(fileDirectives('# cython: language_level=3\n', directivesFromEntries({ language_level: '2' }))
      .language_level, 3);
  });
});
