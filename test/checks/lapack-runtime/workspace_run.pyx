# cython: language_level=3, boundscheck=False, wraparound=False
# Built and run by test/checks/lapack-calls-runtime.test.ts: an LWORK below DGELSS's documented minimum
# (3*min(M,N) + max(2*min(M,N), max(M,N), NRHS)) is rejected by LAPACK's parameter check: INFO = -12, XERBLA's
# message, B left as it was. lwork_constant_below passes a constant 5 (the minimum is 10 for M=3, N=2, NRHS=1);
# lwork_n passes N, the sizes read from the arrays; lwork_minimum passes the minimum and solves.
from libc.stdlib cimport malloc, free
from scipy.linalg.cython_lapack cimport dgelss


def lwork_constant_below(double[::1, :] a, double[::1] b):
    cdef int m = 3, n = 2, nrhs = 1, lda = 3, ldb = 3, rank, info
    cdef int lwork = 5
    cdef double rcond = -1.0
    cdef double s[2]
    cdef double work[10]
    dgelss(&m, &n, &nrhs, &a[0, 0], &lda, &b[0], &ldb, s, &rcond, &rank, work, &lwork, &info)
    return info


def lwork_constant_right(double[::1, :] a, double[::1] b):
    cdef int m = 3, n = 2, nrhs = 1, lda = 3, ldb = 3, rank, info
    cdef int lwork = 10
    cdef double rcond = -1.0
    cdef double s[2]
    cdef double work[10]
    dgelss(&m, &n, &nrhs, &a[0, 0], &lda, &b[0], &ldb, s, &rcond, &rank, work, &lwork, &info)
    return info


def lwork_n(double[::1, :] a, double[::1] b):
    cdef int m = a.shape[0], n = a.shape[1], nrhs = 1, lda = a.shape[0], ldb = b.shape[0], rank, info
    cdef int lwork = n
    cdef double rcond = -1.0
    cdef double *s = <double*>malloc(min(m, n) * sizeof(double))
    cdef double *work = <double*>malloc(lwork * sizeof(double))
    dgelss(&m, &n, &nrhs, &a[0, 0], &lda, &b[0], &ldb, s, &rcond, &rank, work, &lwork, &info)
    free(work)
    free(s)
    return info


def lwork_minimum(double[::1, :] a, double[::1] b):
    cdef int m = a.shape[0], n = a.shape[1], nrhs = 1, lda = a.shape[0], ldb = b.shape[0], rank, info
    cdef int lwork = 3 * min(m, n) + max(2 * min(m, n), max(m, n), nrhs)
    cdef double rcond = -1.0
    cdef double *s = <double*>malloc(min(m, n) * sizeof(double))
    cdef double *work = <double*>malloc(lwork * sizeof(double))
    dgelss(&m, &n, &nrhs, &a[0, 0], &lda, &b[0], &ldb, s, &rcond, &rank, work, &lwork, &info)
    free(work)
    free(s)
    return info
