// Usage: node grammar/check-wasm.cjs [path.wasm]
// Loads grammar/tree-sitter-cython.wasm in the pinned web-tree-sitter and parses a small Cython sample;
// exits non-zero when the language does not load or the sample has ERROR/MISSING nodes.
'use strict';
const path = require('path');
const root = path.resolve(__dirname, '..');
const { Parser, Language } = require('web-tree-sitter'); // resolved from grammar/node_modules (pinned 0.25.10)

const sample = [
  'from libc.math cimport sqrt',
  'cdef extern from "h.h" nogil:',
  '    double f(double x) except? -1',
  'cdef inline double g(double[:, ::1] a, int n) noexcept nogil:',
  '    cdef double *p = &a[0, 0]',
  '    return <double>n + sizeof(double)',
  'def h(x):',
  '    with nogil:',
  '        pass',
  '',
].join('\n');

(async () => {
  await Parser.init();
  const wasm = process.argv[2] || path.join(root, 'grammar/tree-sitter-cython.wasm');
  const language = await Language.load(wasm);
  const parser = new Parser();
  parser.setLanguage(language);
  const tree = parser.parse(sample);
  const root_ = tree.rootNode;
  const bad = root_.hasError;
  console.log(`check-grammar-wasm: loaded ${path.relative(root, wasm)} (ABI ${language.abiVersion ?? language.version}), ` +
    `${root_.namedChildCount} top-level nodes, ${bad ? 'HAS ERRORS' : 'no errors'}`);
  if (bad) {
    console.log(root_.toString());
    process.exit(1);
  }
})().catch((e) => { console.error(e); process.exit(1); });
