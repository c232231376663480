# cython: language_level=3, boundscheck=False, wraparound=False
# Built and run by test/checks/lapack-calls-runtime.test.ts: LDA below max(1,N) makes dgesv return INFO = -4, and
# LDA past the columns of a Fortran-ordered array makes it solve another system. dgemm with TRANSA = 'N' and LDA below
# max(1,m): BLAS refuses (XERBLA, parameter 8) and C is left as it was.
from scipy.linalg.cython_lapack cimport dgesv
from scipy.linalg.cython_blas cimport dgemm
import numpy as np


def lda_below_rows(double[::1, :] a, double[::1] b):
    cdef int n = a.shape[0], lda = n - 1, nrhs = 1, info
    cdef int[::1] ipiv = np.empty(n, dtype=np.intc)
    dgesv(&n, &nrhs, &a[0, 0], &lda, &ipiv[0], &b[0], &n, &info)
    return info


def lda_right(double[::1, :] a, double[::1] b):
    cdef int n = a.shape[0], lda = a.shape[0], nrhs = 1, info
    cdef int[::1] ipiv = np.empty(n, dtype=np.intc)
    dgesv(&n, &nrhs, &a[0, 0], &lda, &ipiv[0], &b[0], &n, &info)
    return info


def gemm_lda_below(double[::1, :] a, double[::1, :] b, double[::1, :] c):
    # C = A*B, A m-by-k (TRANSA = 'N'): LDA must be at least m; m - 1 is given
    cdef int m = a.shape[0], n = b.shape[1], k = a.shape[1], lda = m - 1, ldb = b.shape[0], ldc = c.shape[0]
    cdef double alpha = 1.0, beta = 0.0
    dgemm(b'N', b'N', &m, &n, &k, &alpha, &a[0, 0], &lda, &b[0, 0], &ldb, &beta, &c[0, 0], &ldc)


def gemm_lda_right(double[::1, :] a, double[::1, :] b, double[::1, :] c):
    cdef int m = a.shape[0], n = b.shape[1], k = a.shape[1], lda = a.shape[0], ldb = b.shape[0], ldc = c.shape[0]
    cdef double alpha = 1.0, beta = 0.0
    dgemm(b'N', b'N', &m, &n, &k, &alpha, &a[0, 0], &lda, &b[0, 0], &ldb, &beta, &c[0, 0], &ldc)
