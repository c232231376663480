# cython: language_level=3, boundscheck=False, wraparound=False
# Built and run by test/checks/lapack-calls-runtime.test.ts: LDA below max(1,N) makes dgesv return INFO = -4, and
# LDA past the columns of a Fortran-ordered array makes it solve another system.
from scipy.linalg.cython_lapack cimport dgesv
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
