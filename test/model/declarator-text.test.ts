/** Reading declarator and type text the grammar delimits (server/src/model/type-syntax.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDeclaratorText, parseTypeText } from '../../server/src/model/type-syntax';

describe('declarator text', () => {
  it('reads a function declarator parameter as a function', () => {
    const d = parseDeclaratorText('kernel(double*, Py_ssize_t) noexcept nogil');
    assert.equal(d.name, 'kernel');
    assert.equal(d.function, true);
    assert.deepEqual(d.functionPointer, { params: 'double*, Py_ssize_t', nogil: true, trailer: 'noexcept nogil' });
    const g = parseDeclaratorText('*residual(double x, void *data) except? -1');
    assert.equal(g.name, 'residual');
    assert.equal(g.pointers, 1);
    assert.equal(g.functionPointer?.nogil, false);
  });

  it('reads function pointers with a calling convention', () => {
    const d = parseDeclaratorText('(__stdcall *handler)(int) nogil');
    assert.equal(d.name, 'handler');
    assert.equal(d.function, undefined);
    assert.equal(d.functionPointer?.nogil, true);
  });

  it('reads parenthesized pointer declarators that are not function pointers', () => {
    assert.deepEqual(parseDeclaratorText('(*ranges)[3]'), { name: 'ranges', pointers: 1, arrays: 1, reference: false });
    assert.deepEqual(parseDeclaratorText('(*opaque_t)'), { name: 'opaque_t', pointers: 1, arrays: 0, reference: false });
  });

  it('skips qualifiers after a star', () => {
    assert.deepEqual(parseDeclaratorText('* const * names = NULL'), { name: 'names', pointers: 2, arrays: 0, reference: false });
    assert.deepEqual(parseDeclaratorText('*restrict p'), { name: 'p', pointers: 1, arrays: 0, reference: false });
    assert.deepEqual(parseDeclaratorText('a[3][4]'), { name: 'a', pointers: 0, arrays: 2, reference: false });
  });

  it('reads a parenthesized base type', () => {
    const t = parseTypeText('(m.Trie* )');
    assert.equal(t.base, 'm.Trie');
    assert.equal(t.pointers, 1);
    assert.deepEqual(parseTypeText('const (int*)').qualifiers, ['const']);
  });

  it('reads a qualified pointer type', () => {
    const t = parseTypeText('const char * const *');
    assert.equal(t.base, 'char');
    assert.equal(t.pointers, 2);
    assert.deepEqual(t.qualifiers, ['const']);
  });
});
