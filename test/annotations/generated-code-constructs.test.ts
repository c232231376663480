/**
 * Constructs whose generated code the estimate models from the compiler's source, with the line scores
 * `cython -a` (Cython 3.3.1) gives them: where multi-line expressions put their code (ExprNode.generate_evaluation_code
 * marks the node's position after its sub-expressions; constants and Python calls mark none), dict/set iteration
 * (Optimize.py _transform_dict_iteration / _transform_set_iteration) and critical sections
 * (Nodes.py CriticalSectionStatNode).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimate, reasonsAt, scoreAt } from './estimate-helpers';

describe('generated code of compiler constructs', () => {
  it('multi-line calls: the call follows its last argument that marks a position; constants mark none', async () => {
    const lines = await estimate([
      'from os import foo',          // 1
      'def f(x, y):',                // 2
      '    foo(',                    // 3   compiler: 2
      '        x)',                  // 4   compiler: 15 (the call follows the name x)
      '    foo(x,',                  // 5   compiler: 17 (a string constant marks no position)
      "        'abc')",              // 6   compiler: 0
      '    w = len(',                // 7   compiler: 5 (a C-API builtin is generated at its `(`)
      '        x)',                  // 8   compiler: 0
      '    raise ValueError(',       // 9   compiler: 6
      "        'abc')",              // 10  compiler: 0
    ].join('\n'));
    assert.ok(scoreAt(lines, 4) > scoreAt(lines, 3), 'the Python call is on the line of its last argument');
    assert.ok(reasonsAt(lines, 4).some((r) => r.startsWith('Python call')), reasonsAt(lines, 4).join('|'));
    assert.ok(reasonsAt(lines, 5).some((r) => r.startsWith('Python call')), reasonsAt(lines, 5).join('|'));
    assert.equal(scoreAt(lines, 6), 0, 'a constant argument has no code of its own');
    assert.ok(reasonsAt(lines, 7).includes('Python builtin `len()`'), reasonsAt(lines, 7).join('|'));
    assert.equal(scoreAt(lines, 8), 0);
    assert.ok(reasonsAt(lines, 9).includes('exception raised (__Pyx_Raise)'), reasonsAt(lines, 9).join('|'));
    assert.equal(scoreAt(lines, 10), 0);
  });

  it('an operand on a continuation line gets its own code (the binary operation is at its operator)', async () => {
    const lines = await estimate([
      'def g(x, int n, double d):',  // 1
      '    z = x.bar(n,',            // 2   compiler: 3
      '              d + 1)',        // 3   compiler: 10 (d + 1 boxed there, the call follows it)
    ].join('\n'));
    assert.ok(reasonsAt(lines, 3).some((r) => r.includes('converted to a Python float')), reasonsAt(lines, 3).join('|'));
    assert.ok(scoreAt(lines, 3) > scoreAt(lines, 2));
  });

  it('dict and set iteration: no iterator object, no .items() call', async () => {
    const lines = await estimate([
      'def i(obj, dict d, set s):',              // 1
      '    cdef int a, b',                       // 2
      '    for k in obj.keys():',                // 3   compiler: 8
      '        pass',                            // 4
      '    for k, v in obj.items():',            // 5   compiler: 9
      '        pass',                            // 6
      '    for a in d:',                         // 7   compiler: 15 (7 + the key unboxed into a C int)
      '        pass',                            // 8
      '    for k in d.values():',                // 9   compiler: 7
      '        pass',                            // 10
      '    for k in s:',                         // 11  compiler: 3
      '        pass',                            // 12
      '    x = [k for k in obj.keys()]',         // 13  compiler: 17
    ].join('\n'));
    assert.equal(scoreAt(lines, 3), 8);
    assert.equal(scoreAt(lines, 5), 9);
    assert.equal(scoreAt(lines, 7), 15);
    assert.equal(scoreAt(lines, 9), 7);
    assert.equal(scoreAt(lines, 11), 3);
    assert.ok(reasonsAt(lines, 5).some((r) => r.startsWith('iteration over the dict items of `obj`')), reasonsAt(lines, 5).join('|'));
    assert.ok(reasonsAt(lines, 13).includes('dict/set iteration in a comprehension'), reasonsAt(lines, 13).join('|'));
    assert.ok(!reasonsAt(lines, 3).some((r) => r.includes('Python call')), 'obj.keys() is not called');
  });

  it('with cython.critical_section(obj): a lock, not a context manager', async () => {
    const lines = await estimate([
      'cimport cython',                                  // 1
      'cdef class A:',                                   // 2
      '    cdef int n',                                  // 3
      '    def f(self):',                                // 4
      '        with cython.critical_section(self):',    // 5   compiler: 6
      '            self.n += 1',                         // 6
      '    def g(self):',                                // 7
      '        with cython.critical_section(self):',    // 8   compiler: 8 (one more exit: the return)
      '            return self.n',                       // 9
      '    def h(self, a, b):',                          // 10
      '        with cython.critical_section(a, b):',    // 11  compiler: 4
      '            self.n = 1',                          // 12
    ].join('\n'));
    assert.equal(scoreAt(lines, 5), 6);
    assert.equal(scoreAt(lines, 8), 8);
    assert.equal(scoreAt(lines, 11), 4);
    assert.ok(reasonsAt(lines, 5).some((r) => r.startsWith('critical section')), reasonsAt(lines, 5).join('|'));
    assert.equal(scoreAt(lines, 6), 0);
  });

  it('def wrappers: object defaults filled in at their lines; number constants mark none', async () => {
    const lines = await estimate([
      'def f(a,',          // 1   compiler: 49
      '      b=None,',     // 2   compiler: 8 (b's default, and c's: the constant 1 marks no line)
      '      c=1,',        // 3   compiler: 0
      '      int d=2,',    // 4   compiler: 2
      '      e=None):',    // 5   compiler: 27 (e's default, then the rest of the wrapper)
      '    return a',      // 6
      'def g(a,',          // 7   compiler: 43
      '      b=None,',     // 8   compiler: 8
      '      *args,',      // 9   compiler: 0
      '      e=None, **kw):',  // 10  compiler: 23 (a keyword-only argument after *args)
      '    return a',      // 11
    ].join('\n'));
    assert.equal(scoreAt(lines, 2), 8);
    assert.equal(scoreAt(lines, 3), 0);
    assert.ok(reasonsAt(lines, 5).some((r) => r.startsWith('arguments unpacked')), reasonsAt(lines, 5).join('|'));
    assert.ok(reasonsAt(lines, 8).includes('default value of argument `b`'), reasonsAt(lines, 8).join('|'));
    assert.ok(reasonsAt(lines, 10).some((r) => r.startsWith('arguments unpacked')), reasonsAt(lines, 10).join('|'));
  });

  it('property accessors of a cdef class are C getset functions: no argument parsing, no decorator call', async () => {
    const lines = await estimate([
      'cdef class A:',          // 1
      '    cdef object o',      // 2
      '    @property',          // 3   compiler: 2
      '    def y(self):',       // 4
      '        return self.o',  // 5
      '    @y.setter',          // 6   compiler: 2
      '    def y(self, v):',    // 7
      '        self.o = v',     // 8
    ].join('\n'));
    assert.equal(scoreAt(lines, 3), 2);
    assert.equal(scoreAt(lines, 6), 2);
    assert.ok(reasonsAt(lines, 6).every((r) => !r.startsWith('decorator')), reasonsAt(lines, 6).join('|'));
  });

  it('a memoryview unpacked into C targets goes through a Python object', async () => {
    const lines = await estimate([
      'def g(double[:] src):',   // 1
      '    cdef double a, b',    // 2
      '    a, b = src',          // 3   compiler: 66 (memoryview object, generic unpacking, two doubles unboxed)
    ].join('\n'));
    assert.ok(scoreAt(lines, 3) >= 60 && scoreAt(lines, 3) <= 72, String(scoreAt(lines, 3)));
    assert.ok(reasonsAt(lines, 3).some((r) => r.startsWith('Python sequence unpacking')), reasonsAt(lines, 3).join('|'));
  });

  it('Python statements of a cdef class body run when the type is created', async () => {
    const lines = await estimate([
      'import sys',                                  // 1
      'cdef class A:',                               // 2
      '    cdef int n',                              // 3
      '    if sys.version_info > (3, 12):',          // 4   compiler: 8
      '        attr = frozenset({1, 2})',            // 5   compiler: 21
      '    else:',                                   // 6
      '        attr = frozenset({})',                // 7   compiler: 8
      '    y = sys.maxsize',                         // 8   compiler: 8
    ].join('\n'));
    for (const l of [4, 5, 7, 8]) assert.ok(scoreAt(lines, l) > 0, `line ${l}`);
    assert.ok(reasonsAt(lines, 8).includes('class attribute `y` set'), reasonsAt(lines, 8).join('|'));
    assert.equal(scoreAt(lines, 3), 0);
  });

  it('raise StopIteration in a cdef class __next__ and raise MemoryError: no __Pyx_Raise', async () => {
    const lines = await estimate([
      'cdef class It:',                  // 1
      '    cdef int i',                  // 2
      '    def __next__(self):',         // 3
      '        if self.i > 3:',          // 4
      '            raise StopIteration', // 5   compiler: 0 (tp_iternext returns NULL)
      '        self.i += 1',             // 6
      '        return self.i',           // 7
      'def f(int n):',                   // 8
      '    if n:',                       // 9
      '        raise MemoryError()',     // 10  compiler: 5 (PyErr_NoMemory)
      '    raise ValueError',            // 11
    ].join('\n'));
    assert.equal(scoreAt(lines, 5), 0);
    assert.equal(scoreAt(lines, 10), 5);
    assert.ok(reasonsAt(lines, 10).includes('MemoryError raised (PyErr_NoMemory)'), reasonsAt(lines, 10).join('|'));
    assert.ok(reasonsAt(lines, 11).includes('exception raised (__Pyx_Raise)'), reasonsAt(lines, 11).join('|'));
  });

  it('a local assigned from a local inferred after it is still a Python local (inference rounds)', async () => {
    const lines = await estimate([
      'def f(x):',               // 1
      '    out = 0',             // 2   compiler: 1 (a new reference to the constant)
      '    for p in x:',         // 3
      '        out = p',         // 4   compiler: 2
      '    return out',          // 5
    ].join('\n'));
    assert.equal(scoreAt(lines, 2), 1, reasonsAt(lines, 2).join('|'));
    assert.ok(scoreAt(lines, 4) > 0, 'out is an object: the store counts references');
  });

  it('a list literal stored into a C array or pointer builds no list; a list literal iterated is a constant tuple', async () => {
    const lines = await estimate([
      'def f(x):',                               // 1
      '    cdef int a[3]',                       // 2
      '    a = [1, 2, 3]',                       // 3   compiler: 0
      '    cdef double *d = [1.5, x]',           // 4   compiler: 7 (x unboxed)
      '    r = [i for i in [1, 2, 3]]',          // 5   compiler: 28
      '    for j in [-1, 2]:',                   // 6   compiler: 17
      '        pass',                            // 7
      '    return r',                            // 8
    ].join('\n'));
    assert.equal(scoreAt(lines, 3), 0, reasonsAt(lines, 3).join('|'));
    assert.equal(scoreAt(lines, 4), 7, reasonsAt(lines, 4).join('|'));
    for (const l of [4, 5, 6]) {
      assert.ok(!reasonsAt(lines, l).some((r) => /^Python (list|tuple) built/.test(r)), reasonsAt(lines, l).join('|'));
    }
  });

  it('yield, await and comprehensions over C arrays: what the generated code does', async () => {
    const lines = await estimate([
      'def gen(x):',                             // 1   compiler: 60 (with the generator object)
      '    yield 1',                             // 2   compiler: 3
      '    z = yield',                           // 3   compiler: 4
      '    yield from x',                        // 4   compiler: 5
      'async def co(x):',                        // 5
      '    await x',                             // 6   compiler: 5
      'def carr():',                             // 7
      '    cdef int carray[3]',                  // 8
      '    a = [item for item in carray]',       // 9   compiler: 9 (a C loop, items boxed)
      '    return a',                            // 10
    ].join('\n'));
    assert.equal(scoreAt(lines, 2), 3, reasonsAt(lines, 2).join('|'));
    assert.equal(scoreAt(lines, 3), 4, reasonsAt(lines, 3).join('|'));
    assert.equal(scoreAt(lines, 4), 5, reasonsAt(lines, 4).join('|'));
    assert.equal(scoreAt(lines, 6), 5, reasonsAt(lines, 6).join('|'));
    // (the model looks the comprehension variable up as a global: one point more than the compiler)
    assert.ok(Math.abs(scoreAt(lines, 9) - 9) <= 1, reasonsAt(lines, 9).join('|'));
    assert.ok(!reasonsAt(lines, 9).includes('Python iteration in a comprehension'), reasonsAt(lines, 9).join('|'));
    assert.ok(reasonsAt(lines, 1).includes('generator/coroutine object created'), reasonsAt(lines, 1).join('|'));
    assert.ok(reasonsAt(lines, 5).includes('generator/coroutine object created'), reasonsAt(lines, 5).join('|'));
  });

  it('a `with cython.<directive>(value):` block is a compile-time directive: no context manager', async () => {
    const lines = await estimate([
      'cimport cython',                          // 1
      'def f(obj):',                             // 2
      '    with cython.nonecheck(True):',        // 3   compiler: 0
      '        print(obj)',                      // 4   compiler: 4
      '    with cython.overflowcheck(True):',    // 5   compiler: 0
      '        pass',                            // 6
    ].join('\n'));
    assert.equal(scoreAt(lines, 3), 0, reasonsAt(lines, 3).join('|'));
    assert.equal(scoreAt(lines, 5), 0, reasonsAt(lines, 5).join('|'));
    assert.ok(scoreAt(lines, 4) > 0);
  });
});
