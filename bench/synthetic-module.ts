/** A realistic Cython module of about `lines` lines: nogil kernels, wrappers with `with nogil:`, a cdef class. */
export function syntheticModule(lines: number): string {
  const header = [
    '# cython: language_level=3',
    'from libc.math cimport sqrt, exp',
    'from libc.stdlib cimport malloc, free',
    'import numpy as np',
    '',
  ];
  const out = [...header];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `cdef double kernel_${i}(const double[:, ::1] X, double[::1] w, Py_ssize_t n) noexcept nogil:`,
      '    cdef Py_ssize_t i, j',
      '    cdef double acc = 0, d',
      '    for i in range(n):',
      '        for j in range(X.shape[1]):',
      '            d = X[i, j] - w[j]',
      '            acc += d * d',
      '    return sqrt(acc)',
      '',
      `def fit_${i}(X, w, int n_iter=10):`,
      '    """Python wrapper."""',
      `    cdef double[:, ::1] Xv = np.ascontiguousarray(X)`,
      '    cdef double[::1] wv = w',
      '    cdef double total = 0',
      '    cdef int it',
      '    for it in range(n_iter):',
      '        with nogil:',
      `            total += kernel_${i}(Xv, wv, Xv.shape[0])`,
      '    return total',
      '',
    );
  }
  return out.join('\n');
}
