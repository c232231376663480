/** Loads syntaxes/cython.tmLanguage.json with vscode-textmate + oniguruma (as VS Code does) and checks scopes. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { REPO_ROOT } from '../support/paths';

const SAMPLE = [
  '# cython: boundscheck=False',
  'from libc.math cimport sqrt',
  'include "defs.pxi"',
  'DEF N = 3',
  'IF N > 2:',
  '    pass',
  'ctypedef fused real_t:',
  '    float',
  'cdef extern from "math.h" nogil:',
  '    double fabs(double x)',
  'cdef inline double norm(double* p, Py_ssize_t n) noexcept nogil:',
  "    cdef char ch = c'x'",
  '    cdef unsigned long k = sizeof(int)',
  '    with gil:',
  '        print(<object>p)',
  '    return <double>fabs(p[0])',
  'cdef class Acc:',
  '    cdef public bint flag',
  'cdef cppclass Vec:',
  '    pass',
  'def run(self):',
  '    x = <double*> NULL',
  '    del x',
].join('\n');

type Token = { text: string; scopes: string[] };

describe('TextMate grammar', () => {
  let lines: Token[][];
  before(async () => {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) => {
        if (scopeName !== 'source.cython') return null;
        const file = path.join(REPO_ROOT, 'syntaxes', 'cython.tmLanguage.json');
        return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
      },
    });
    const grammar = await registry.loadGrammar('source.cython');
    assert.ok(grammar, 'grammar loaded');
    let state = vsctm.INITIAL;
    lines = SAMPLE.split('\n').map((line) => {
      const r = grammar.tokenizeLine(line, state);
      state = r.ruleStack;
      return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
    });
  });

  /** Scopes of the first token on `line` (1-based) whose text is `text`. */
  const scopesOf = (line: number, text: string): string[] => {
    const tok = lines[line - 1]?.find((t) => t.text.trim() === text);
    assert.ok(tok, `token ${JSON.stringify(text)} on line ${line}: ${JSON.stringify(lines[line - 1]?.map((t) => t.text))}`);
    return tok.scopes;
  };
  const has = (line: number, text: string, scope: string): void => {
    const scopes = scopesOf(line, text);
    assert.ok(scopes.some((s) => s.startsWith(scope)), `${text} on line ${line}: ${scopes.join(' ')} lacks ${scope}`);
  };

  it('has the source.cython root scope and the package.json contribution points to it', () => {
    assert.equal(scopesOf(2, 'from')[0], 'source.cython');
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.contributes.grammars[0].scopeName, 'source.cython');
    assert.equal(pkg.contributes.grammars[0].path, './syntaxes/cython.tmLanguage.json');
  });

  it('scopes comments, directives, imports and compile-time keywords', () => {
    has(1, 'cython', 'keyword.other.directive');
    has(2, 'cimport', 'keyword.control.import');
    has(3, 'include', 'keyword.control.import');
    has(3, 'defs.pxi', 'string.quoted.double');
    has(4, 'DEF', 'keyword.control.compile-time');
    has(5, 'IF', 'keyword.control.compile-time');
  });

  it('scopes Cython declarations, GIL keywords and C types', () => {
    has(7, 'ctypedef', 'storage.type');
    has(7, 'fused', 'storage.type.fused');
    has(7, 'real_t', 'entity.name.type');
    has(8, 'float', 'support.type.c');
    has(9, 'extern', 'storage.modifier');
    has(9, 'nogil', 'storage.modifier.gil');
    has(11, 'cdef', 'storage.type');
    has(11, 'inline', 'storage.modifier');
    has(11, 'norm', 'entity.name.function');
    has(11, 'Py_ssize_t', 'support.type.c');
    has(11, 'noexcept', 'storage.modifier.gil');
    has(13, 'unsigned', 'storage.modifier');
    has(13, 'sizeof', 'keyword.operator');
    has(14, 'gil', 'storage.modifier.gil');
    has(17, 'Acc', 'entity.name.type');
    has(18, 'public', 'storage.modifier');
    has(18, 'bint', 'support.type.c');
    has(19, 'cppclass', 'storage.type');
    has(21, 'run', 'entity.name.function');
    has(23, 'del', 'keyword.operator');
  });

  it("scopes casts and c'x' char literals", () => {
    has(12, "'", 'string.quoted.single');
    has(12, 'c', 'storage.type.string');
    has(15, 'object', 'meta.cast');
    has(16, 'double', 'meta.cast');
    has(16, '<', 'punctuation.definition.cast.begin');
    has(22, '*', 'storage.modifier.pointer');
    has(22, 'NULL', 'constant.language');
  });
});
