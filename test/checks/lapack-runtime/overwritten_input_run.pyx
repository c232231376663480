# cython: language_level=3, boundscheck=False, wraparound=False
# Built and run by test/checks/lapack-calls-runtime.test.ts: after dgelss, A holds its right singular vectors, so a
# residual computed with `a` is wrong; with a copy passed to dgelss (the quick fix), `a` still holds the input.
from scipy.linalg.cython_lapack cimport dgelss
import numpy as np


def residual_after(double[::1, :] a, double[::1] b, double[::1] y):
    cdef int m = a.shape[0], n = a.shape[1], nrhs = 1, lda = a.shape[0], ldb = b.shape[0], rank, info
    cdef double rcond = -1.0
    cdef double[::1] s = np.empty(min(m, n))
    cdef int lwork = 5 * (m + n)
    cdef double[::1] work = np.empty(lwork)
    cdef double r = 0.0, ax
    cdef Py_ssize_t i, j
    dgelss(&m, &n, &nrhs, &a[0, 0], &lda, &b[0], &ldb, &s[0], &rcond, &rank, &work[0], &lwork, &info)
    for i in range(m):
        ax = 0.0
        for j in range(n):
            ax += a[i, j] * b[j]
        r += (y[i] - ax) ** 2
    return info, r


def residual_copied(double[::1, :] a, double[::1] b, double[::1] y):
    cdef int m = a.shape[0], n = a.shape[1], nrhs = 1, lda = a.shape[0], ldb = b.shape[0], rank, info
    cdef double rcond = -1.0
    cdef double[::1] s = np.empty(min(m, n))
    cdef int lwork = 5 * (m + n)
    cdef double[::1] work = np.empty(lwork)
    cdef double r = 0.0, ax
    cdef Py_ssize_t i, j
    cdef double[::1, :] a_copy = a.copy_fortran()
    dgelss(&m, &n, &nrhs, &a_copy[0, 0], &lda, &b[0], &ldb, &s[0], &rcond, &rank, &work[0], &lwork, &info)
    for i in range(m):
        ax = 0.0
        for j in range(n):
            ax += a[i, j] * b[j]
        r += (y[i] - ax) ** 2
    return info, r
