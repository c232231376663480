# cython: language_level=3, boundscheck=False, wraparound=False
# Built and run by test/checks/lapack-calls-runtime.test.ts: dgesv on a singular matrix reports INFO > 0 and computes
# no solution; with INFO unread, B is returned as if it were one. Reading INFO turns it into an error.
from scipy.linalg.cython_lapack cimport dgesv
import numpy as np


def solve_unchecked(double[::1, :] a, double[::1] b):
    cdef int n = a.shape[0], nrhs = 1, info
    cdef int[::1] ipiv = np.empty(n, dtype=np.intc)
    dgesv(&n, &nrhs, &a[0, 0], &n, &ipiv[0], &b[0], &n, &info)
    return np.asarray(b)


def solve_checked(double[::1, :] a, double[::1] b):
    cdef int n = a.shape[0], nrhs = 1, info
    cdef int[::1] ipiv = np.empty(n, dtype=np.intc)
    dgesv(&n, &nrhs, &a[0, 0], &n, &ipiv[0], &b[0], &n, &info)
    if info > 0:
        raise np.linalg.LinAlgError(f'singular matrix: U({info},{info}) is exactly zero')
    return np.asarray(b)
