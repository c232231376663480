/** The static `cython -a` estimate on small programs: which lines interact with Python, and why. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimate, reasonsAt, scoreAt } from './estimate-helpers';

describe('static annotation estimate', () => {
  it('scores Python calls, attribute lookups and boxing with reasons, and leaves C lines at 0', async () => {
    const src = [
      'import numpy as np',                         // 1
      '',                                           // 2
      'cdef double twice(double x):',               // 3
      '    cdef double y = x * 2',                  // 4
      '    return y',                               // 5
      '',                                           // 6
      'def f(int n):',                              // 7
      '    cdef double s = 0',                      // 8
      '    a = np.zeros(n)',                        // 9
      '    s = twice(s)',                           // 10
      '    return s',                               // 11
    ].join('\n');
    const lines = await estimate(src);
    assert.ok(scoreAt(lines, 1) > 0, 'import');
    assert.equal(scoreAt(lines, 4), 0);
    assert.equal(scoreAt(lines, 5), 0);
    assert.equal(scoreAt(lines, 8), 0);
    assert.ok(scoreAt(lines, 7) > 0, 'def line: argument parsing');
    assert.ok(reasonsAt(lines, 7).some((r) => r.includes('argument parsing')));
    assert.ok(reasonsAt(lines, 9).includes('Python attribute lookup `np.zeros`'), reasonsAt(lines, 9).join('|'));
    assert.ok(reasonsAt(lines, 9).some((r) => r.includes('int converted to a Python int')));
    assert.ok(reasonsAt(lines, 11).includes('double converted to a Python float'), reasonsAt(lines, 11).join('|'));
    assert.ok(scoreAt(lines, 9) > scoreAt(lines, 11), 'a Python call costs more than boxing a return value');
  });

  it('memoryview indexing: bounds checks unless a directive turns them off', async () => {
    const body = [
      'cdef double get(double[:] x, int i):',
      '    return x[i]',
    ];
    const on = await estimate(body.join('\n'));
    assert.ok(reasonsAt(on, 2).some((r) => r.startsWith('bounds check on `x[i]`')), reasonsAt(on, 2).join('|'));
    const header = await estimate(['# cython: boundscheck=False', ...body].join('\n'));
    assert.equal(scoreAt(header, 3), 0);
    const decorated = await estimate(['cimport cython', '@cython.boundscheck(False)', ...body].join('\n'));
    assert.equal(scoreAt(decorated, 4), 0);
    const cli = await estimate(body.join('\n'), { boundscheck: false });
    assert.equal(scoreAt(cli, 2), 0);
    const block = await estimate([
      'cimport cython',
      'cdef double get(double[:] x, int i):',
      '    with cython.boundscheck(False):',
      '        a = x[i]',
      '    return x[i]',
    ].join('\n'));
    assert.equal(scoreAt(block, 4), 0, 'inside the with block');
    assert.ok(scoreAt(block, 5) > 0, 'after the with block');
  });

  it('nogil code scores 0 except what the compiler generates there (exception checks that take the GIL)', async () => {
    const src = [
      'cdef int may_fail(int x) except? -1 nogil:',          // 1
      '    return x',                                         // 2
      '',                                                     // 3
      'cdef int quiet(int x) noexcept nogil:',               // 4
      '    cdef int y = x + 1',                               // 5
      '    y = may_fail(y)',                                  // 6
      '    return y',                                         // 7
      '',                                                     // 8
      'def run(int n):',                                      // 9
      '    cdef int i, t = 0',                                // 10
      '    with nogil:',                                      // 11
      '        for i in range(n):',                           // 12
      '            t += quiet(i)',                            // 13
      '    return t',                                         // 14
    ].join('\n');
    const lines = await estimate(src, { cdivision: true });
    for (const l of [2, 5, 7, 12, 13]) assert.equal(scoreAt(lines, l), 0, `line ${l}`);
    assert.ok(reasonsAt(lines, 6).includes('exception check after calling `may_fail` acquires the GIL'));
    assert.ok(reasonsAt(lines, 4).some((r) => r.includes('unraisable')), 'noexcept function prints errors');
    assert.ok(reasonsAt(lines, 11).some((r) => r.startsWith('GIL released here')));
  });

  it('counts a fused function once per specialisation', async () => {
    const plain = await estimate('def f(double[:] x):\n    return x[0] + 1.0\n', { boundscheck: false });
    const fused = await estimate('from cython cimport floating\ndef f(floating[:] x):\n    return x[0] + 1.0\n',
      { boundscheck: false });
    assert.equal(scoreAt(fused, 3), 2 * scoreAt(plain, 2));
  });

  it('with lock, nogil: the lock is a Python context manager entered before the GIL is released', async () => {
    const lines = await estimate([
      'def f(lock, double[:] xs):',   // 1
      '    cdef double s = 0',        // 2
      '    with nogil:',              // 3
      '        s = 1',                // 4
      '    with lock, nogil:',        // 5
      '        s = 2',                // 6
      '    with nogil:',              // 7
      '        with gil, lock:',      // 8
      '            s = 3',            // 9
      '    return s',                 // 10
    ].join('\n'));
    assert.ok(reasonsAt(lines, 5).includes('context manager `__enter__`/`__exit__` calls'), reasonsAt(lines, 5).join('|'));
    assert.ok(scoreAt(lines, 5) > scoreAt(lines, 3), 'the lock costs more than releasing the GIL alone');
    assert.ok(reasonsAt(lines, 8).includes('context manager `__enter__`/`__exit__` calls'), reasonsAt(lines, 8).join('|'));
    assert.equal(scoreAt(lines, 6), 0);
  });

  it('division checks follow the cdivision directive', async () => {
    const src = 'cdef double ratio(double a, double b):\n    return a / b\n';
    assert.ok(reasonsAt(await estimate(src), 2).some((r) => r.startsWith('division by zero check')));
    assert.equal(scoreAt(await estimate(src, { cdivision: true }), 2), 0);
  });
});
