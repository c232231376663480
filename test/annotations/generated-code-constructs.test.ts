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
});
