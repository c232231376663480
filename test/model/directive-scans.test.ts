/**
 * The directive check's whole-text scans run on every keystroke and avoid work proportional to the text where they
 * can: `cythonAttributeStarts` finds `cython.x` from the word instead of a regex starting with `\b` (which tries every
 * offset), `directiveComments` counts lines only up to the comments it lists. Both must give what the plain readings
 * give: the regex's matches, and each comment's line as the number of line breaks before it. Texts: the fixtures and
 * random mixes of the cases that matter (`cython` inside words, `cython.cython.x`, spaces and tabs around the dot,
 * CRLF, comments past the header, strings holding `# cython:`).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { directiveComments } from '../../server/src/model/directive-comments';
import { cythonAttributeStarts } from '../../server/src/model/directive-uses';
import { REPO_ROOT } from '../support/paths';
import { Random } from '../support/random';

const PIECES = ['cython', 'cython.', 'cython .x', 'cython\t. _y', '.', ' ', '\t', 'x', '_', '9', 'pycython.a', 'cython.cython.x',
  'cython.c', '\n', '\r\n', '# cython: boundscheck=False\n', '#cython:wraparound=False\n', '"# cython: x=1"', '@cython.boundscheck(False)\n',
  'with cython.nogil:\n', 'def f():\n', '    ', 'é', 'Cython.x', 'cythonic.x', 'a.cython.b'];

function texts(): string[] {
  const out: string[] = [];
  const dir = path.join(REPO_ROOT, 'test', 'fixtures');
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.pyx')) out.push(fs.readFileSync(path.join(dir, f), 'utf8'));
  const rnd = new Random(11);
  for (let i = 0; i < 400; i++) {
    let t = '';
    const n = 1 + rnd.int(40);
    for (let j = 0; j < n; j++) t += rnd.pick(PIECES);
    out.push(t);
  }
  return out;
}

describe('directive scans of the whole text', () => {
  it('cythonAttributeStarts gives the matches of /\\bcython[ \\t]*\\.[ \\t]*[A-Za-z_]/g', () => {
    let found = 0;
    for (const text of texts()) {
      const expected = [...text.matchAll(/\bcython[ \t]*\.[ \t]*[A-Za-z_]/g)].map((m) => m.index);
      assert.deepEqual(cythonAttributeStarts(text), expected, JSON.stringify(text.slice(0, 200)));
      found += expected.length;
    }
    assert.ok(found > 100, `${found} matches`);
  });

  it('directiveComments gives each comment the line it is on', () => {
    let past = 0;
    for (const text of texts()) {
      // every `#` is a comment here (the line numbers are what is checked)
      for (const c of directiveComments(text, () => true)) {
        assert.equal(c.line, text.slice(0, c.start).split('\n').length - 1, JSON.stringify(text.slice(0, 200)));
        if (!c.inHeader) past++;
      }
    }
    assert.ok(past > 50, `${past} comments past the header`);
  });
});
