# cython: language_level=3, boundscheck=False, wraparound=False
# Built and run by test/checks/lapack-calls-runtime.test.ts: dgesv on a C-ordered matrix solves the transposed system.
from scipy.linalg.cython_lapack cimport dgesv
import numpy as np


def solve_c_order(double[:, ::1] a, double[::1] b):
    cdef int n = a.shape[0], nrhs = 1, info
    cdef int[::1] ipiv = np.empty(n, dtype=np.intc)
    dgesv(&n, &nrhs, &a[0, 0], &n, &ipiv[0], &b[0], &n, &info)
    return info


def solve_fortran_order(double[::1, :] a, double[::1] b):
    cdef int n = a.shape[0], nrhs = 1, info
    cdef int[::1] ipiv = np.empty(n, dtype=np.intc)
    dgesv(&n, &nrhs, &a[0, 0], &n, &ipiv[0], &b[0], &n, &info)
    return info
