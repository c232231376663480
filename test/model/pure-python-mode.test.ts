import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { augmentingPxdPath, importsCython, isAnalysedSource, isPythonSourcePath } from '../../server/src/model/pure-python-mode';

describe('pure Python mode: which .py files are ours', () => {
  it('recognises the imports of the cython module', () => {
    for (const text of [
      'import cython\n',
      'import numpy as np\nimport cython\n',
      'import cython as cy\n',
      'import os, cython\n',
      'from cython.cimports.libc.math import sqrt\n',
      'from cython.parallel import prange\n',
      'from cython import nogil, gil\n',
      'try:\n    import cython\nexcept ImportError:\n    pass\n',
    ]) assert.equal(importsCython(text), true, text);
  });

  it('is not fooled by comments, strings or other modules', () => {
    for (const text of [
      'def f():\n    pass\n',
      '# import cython\n',
      'x = "import cython"\n',
      'import cythonize\n',
      'import pyximport\n',
      'from cython_helpers import x\n',
      'from Cython.Build import cythonize\n',
    ]) assert.equal(importsCython(text), false, text);
  });

  it('takes every Cython source, and a .py file with cython or a .pxd beside it', () => {
    const none = (): boolean => false;
    assert.equal(isAnalysedSource('/p/a.pyx', '', none), true);
    assert.equal(isAnalysedSource('/p/a.pxd', '', none), true);
    assert.equal(isAnalysedSource('/p/a.py', 'x = 1\n', none), false);
    assert.equal(isAnalysedSource('/p/a.py', 'import cython\n', none), true);
    const asked: string[] = [];
    assert.equal(isAnalysedSource('/p/a.py', 'x = 1\n', (p) => (asked.push(p), p === '/p/a.pxd')), true);
    assert.deepEqual(asked, ['/p/a.pxd']);
    assert.equal(augmentingPxdPath('/p/a.py'), '/p/a.pxd');
    assert.equal(augmentingPxdPath('/p/a.pyx'), undefined);
    assert.equal(isPythonSourcePath('file:///p/a.py'), true);
    assert.equal(isPythonSourcePath('file:///p/a.pyx'), false);
  });
});
