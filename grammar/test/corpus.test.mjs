// Runs the tree-sitter corpus tests (grammar/test/corpus/*.txt) against the built WASM with web-tree-sitter,
// i.e. through the same runtime the language server uses, without needing the tree-sitter CLI:
//   node --test grammar/test/
// Each case's expected S-expression (with field names) must equal the parse of its input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const grammarDir = path.resolve(here, '..');
const require = createRequire(path.join(grammarDir, 'package.json'));
const { Parser, Language } = require('web-tree-sitter');

function readCases() {
  const dir = path.join(here, 'corpus');
  const cases = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const parts = text.split(/^(={3,}\n.*\n={3,}\n)/m);
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i].split('\n')[1].trim();
      const body = parts[i + 1];
      const sep = body.search(/^-{3,}$/m);
      assert.ok(sep >= 0, `${file}: case "${name}" has no --- separator`);
      const input = body.slice(0, sep).replace(/^\n/, '').replace(/\n$/, '');
      const expected = body.slice(sep).replace(/^-{3,}\n/, '');
      cases.push({ file, name, input: input + '\n', expected });
    }
  }
  return cases;
}

const normalize = (sexp) => sexp.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();

await Parser.init();
const language = await Language.load(path.join(grammarDir, 'tree-sitter-cython.wasm'));
const parser = new Parser();
parser.setLanguage(language);
const cases = readCases();

test('the corpus has cases', () => {
  assert.ok(cases.length >= 80, `only ${cases.length} corpus cases`);
});

for (const c of cases) {
  test(`${c.file}: ${c.name}`, () => {
    const tree = parser.parse(c.input);
    try {
      assert.equal(tree.rootNode.hasError, false, 'parse has ERROR/MISSING nodes');
      assert.equal(normalize(tree.rootNode.toString()), normalize(c.expected));
    } finally {
      tree.delete();
    }
  });
}
