/** Generated Cython of a given length for tests of large documents. */

/** 13 lines per kernel; kernel `bad` calls print (a Python call) inside `with nogil`. */
function kernel(i: number, bad: boolean): string {
  return [
    `cdef double kernel_${i}(double[:, ::1] X, Py_ssize_t n) noexcept nogil:`,
    '    cdef Py_ssize_t i',
    '    cdef double acc = 0',
    '    for i in range(n):',
    '        acc += X[i, 0] * X[i, 1]',
    '    return acc',
    '',
    `def wrapper_${i}(X):`,
    '    cdef double r',
    '    with nogil:',
    bad ? `        print(X)` : `        r = kernel_${i}(X, 3)`,
    '    return r',
    '',
  ].join('\n');
}

export function kernels(count: number, bad: readonly number[]): string {
  return Array.from({ length: count }, (_, i) => kernel(i, bad.includes(i))).join('\n');
}
