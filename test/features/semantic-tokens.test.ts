/**
 * Semantic tokens (server/src/features/semantic-tokens.ts) through the real CythonLensServer over an in-memory LSP
 * connection: C-typed names carry `cType`, Python objects `pythonObject`, and the encoding is LSP's relative form.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { SemanticTokens } from 'vscode-languageserver';
import { SEMANTIC_TOKENS_LEGEND, SLICE, semanticTokensFeature } from '../../server/src/features/semantic-tokens';
import { LspPair } from '../support/lsp-pair';

const SOURCE = [
  'cdef extern double sqrt(double x) nogil',               // 0
  'import numpy as np',                                     // 1
  'cdef struct Pair:',                                      // 2
  '    int a',                                              // 3
  'cdef enum Colour:',                                      // 4
  '    RED',                                                // 5
  '',                                                       // 6
  'cdef double norm(double[:] values, list names) noexcept:', // 7
  '    cdef double total = 0.0',                            // 8
  '    cdef Py_ssize_t i',                                  // 9
  '    cdef Pair p',                                        // 10
  '    cdef Colour c = RED',                                // 11
  '    for i in range(values.shape[0]):',                   // 12
  '        total += values[i] * p.a',                       // 13
  '    names.append(np.pi)',                                // 14
  '    return sqrt(total)',                                 // 15
  '',                                                       // 16
  'class Holder:',                                          // 17
  '    def get(self, obj):',                                // 18
  '        return obj',                                     // 19
  '',
].join('\n');

interface Token {
  line: number;
  character: number;
  text: string;
  type: string;
  modifiers: string[];
}

function decode(text: string, tokens: SemanticTokens): Token[] {
  const lines = text.split('\n');
  const out: Token[] = [];
  let line = 0;
  let character = 0;
  const d = tokens.data;
  assert.equal(d.length % 5, 0);
  for (let i = 0; i < d.length; i += 5) {
    line += d[i];
    character = d[i] === 0 ? character + d[i + 1] : d[i + 1];
    const modifiers = SEMANTIC_TOKENS_LEGEND.tokenModifiers.filter((_, bit) => (d[i + 4] & (1 << bit)) !== 0);
    out.push({ line, character, text: lines[line].slice(character, character + d[i + 2]),
      type: SEMANTIC_TOKENS_LEGEND.tokenTypes[d[i + 3]], modifiers });
  }
  return out;
}

describe('semantic tokens', () => {
  let pair: LspPair | undefined;
  afterEach(() => pair?.dispose());

  async function tokensOf(text: string): Promise<Token[]> {
    pair = new LspPair({ debounceMs: 5, features: [semanticTokensFeature] });
    const init = await pair.initialize();
    assert.deepEqual(init.capabilities.semanticTokensProvider?.legend, SEMANTIC_TOKENS_LEGEND);
    assert.equal(init.capabilities.semanticTokensProvider?.full, true);
    const uri = 'file:///ws/tokens.pyx';
    await pair.open(uri, text, 1);
    await pair.diagnostics(uri, 1);
    // the annotations follow the diagnostics: wait for them so nothing is sent after the pair is disposed
    await pair.waitFor((n) => n.method === 'cythonLens/annotations');
    return decode(text, await pair.client.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } }));
  }

  function find(tokens: Token[], line: number, text: string): Token {
    const t = tokens.find((x) => x.line === line && x.text === text);
    assert.ok(t, `no token ${JSON.stringify(text)} on line ${line}: ${JSON.stringify(tokens.filter((x) => x.line === line))}`);
    return t;
  }

  it('marks C-typed names cType and Python objects pythonObject', async () => {
    const tokens = await tokensOf(SOURCE);
    const total = find(tokens, 13, 'total');
    assert.equal(total.type, 'variable');
    assert.ok(total.modifiers.includes('cType'));
    assert.ok(!total.modifiers.includes('pythonObject'));
    const values = find(tokens, 13, 'values');
    assert.equal(values.type, 'parameter');
    assert.ok(values.modifiers.includes('cType'), 'a memoryview is a C type');
    const names = find(tokens, 14, 'names');
    assert.equal(names.type, 'parameter');
    assert.ok(names.modifiers.includes('pythonObject'));
    assert.ok(!names.modifiers.includes('cType'));
    assert.deepEqual(find(tokens, 14, 'np').type, 'namespace');
    assert.ok(find(tokens, 14, 'np').modifiers.includes('pythonObject'));
    const sqrt = find(tokens, 15, 'sqrt');
    assert.equal(sqrt.type, 'function');
    assert.ok(sqrt.modifiers.includes('cType'));
    const obj = find(tokens, 19, 'obj');
    assert.ok(obj.modifiers.includes('pythonObject'));
  });

  it('types attributes, struct and enum names, builtin C types and declarations', async () => {
    const tokens = await tokensOf(SOURCE);
    const field = find(tokens, 13, 'a');
    assert.equal(field.type, 'property');
    assert.ok(field.modifiers.includes('cType'));
    assert.equal(find(tokens, 10, 'Pair').type, 'struct');
    assert.equal(find(tokens, 11, 'Colour').type, 'enum');
    const red = find(tokens, 11, 'RED');
    assert.equal(red.type, 'enumMember');
    assert.ok(red.modifiers.includes('readonly'));
    const ssize = find(tokens, 9, 'Py_ssize_t');
    assert.equal(ssize.type, 'type');
    assert.deepEqual(ssize.modifiers, ['defaultLibrary', 'cType']);
    assert.ok(find(tokens, 7, 'norm').modifiers.includes('declaration'));
    assert.ok(!find(tokens, 13, 'total').modifiers.includes('declaration'));
    const append = find(tokens, 14, 'append');
    assert.ok(append.modifiers.includes('pythonObject'), JSON.stringify(append));
    assert.ok(find(tokens, 18, 'self').modifiers.includes('pythonObject'));
    assert.equal(find(tokens, 12, 'range').type, 'class');
  });

  it('sweeps a large document in slices (yielding between them) with every token in place', async () => {
    const lines = 3000; // 6000 identifiers in the body: more than one slice
    const big = ['cdef double f(double total):', ...Array.from({ length: lines }, () => '    total = total + 1'), ''].join('\n');
    assert.ok(2 * lines > SLICE);
    const tokens = await tokensOf(big);
    const body = tokens.filter((t) => t.line >= 1);
    assert.equal(body.length, 2 * lines);
    for (const t of body) {
      assert.equal(t.text, 'total');
      assert.equal(t.type, 'parameter');
      assert.deepEqual(t.modifiers, ['cType']);
    }
  });

  it('emits tokens in document order without overlaps, and nothing for an unopened document', async () => {
    const tokens = await tokensOf(SOURCE);
    for (let i = 1; i < tokens.length; i++) {
      const a = tokens[i - 1];
      const b = tokens[i];
      assert.ok(b.line > a.line || (b.line === a.line && b.character >= a.character + a.text.length),
        `${JSON.stringify(a)} then ${JSON.stringify(b)}`);
    }
    const none = await pair!.client.sendRequest('textDocument/semanticTokens/full',
      { textDocument: { uri: 'file:///ws/missing.pyx' } }) as SemanticTokens;
    assert.deepEqual(none.data, []);
  });
});
