# cython: language_level=3, boundscheck=False, wraparound=False
# Built and run by test/checks/lapack-calls-runtime.test.ts: a WORK array shorter than LWORK is overrun by dgelss.
# lstsq_short_work is the call as people write it (it crashes now and then: heap corruption); written_past measures
# the same call deterministically: how many elements past the first n of WORK dgelss writes.
from libc.stdlib cimport malloc, free
from scipy.linalg.cython_lapack cimport dgelss


def lstsq_short_work(double[::1, :] a, double[::1] b):
    cdef int m = a.shape[0], n = a.shape[1], nrhs = 1, lda = a.shape[0], ldb = b.shape[0], rank, info
    cdef int lwork = 3 * min(m, n) + max(2 * min(m, n), max(m, n), nrhs)
    cdef double rcond = -1.0
    cdef double *s = <double*>malloc(min(m, n) * sizeof(double))
    cdef double *work = <double*>malloc(n * sizeof(double))
    dgelss(&m, &n, &nrhs, &a[0, 0], &lda, &b[0], &ldb, s, &rcond, &rank, work, &lwork, &info)
    free(work)
    free(s)
    return info


def lstsq_query(double[::1, :] a, double[::1] b):
    cdef int m = a.shape[0], n = a.shape[1], nrhs = 1, lda = a.shape[0], ldb = b.shape[0], rank, info
    cdef int lwork = -1
    cdef double rcond = -1.0, wkopt
    cdef double *s = <double*>malloc(min(m, n) * sizeof(double))
    dgelss(&m, &n, &nrhs, &a[0, 0], &lda, &b[0], &ldb, s, &rcond, &rank, &wkopt, &lwork, &info)
    lwork = <int>wkopt
    cdef double *work = <double*>malloc(lwork * sizeof(double))
    dgelss(&m, &n, &nrhs, &a[0, 0], &lda, &b[0], &ldb, s, &rcond, &rank, work, &lwork, &info)
    free(work)
    free(s)
    return info


def written_past(double[::1, :] a, double[::1] b, int keep):
    # the call of lstsq_short_work with WORK big enough, filled with a marker past its first `keep` elements
    cdef int m = a.shape[0], n = a.shape[1], nrhs = 1, lda = a.shape[0], ldb = b.shape[0], rank, info, i, count = 0
    cdef int lwork = 3 * min(m, n) + max(2 * min(m, n), max(m, n), nrhs)
    cdef double rcond = -1.0
    cdef double *s = <double*>malloc(min(m, n) * sizeof(double))
    cdef double *work = <double*>malloc((lwork + keep) * sizeof(double))
    for i in range(lwork + keep):
        work[i] = -12345.0
    dgelss(&m, &n, &nrhs, &a[0, 0], &lda, &b[0], &ldb, s, &rcond, &rank, work, &lwork, &info)
    for i in range(keep, lwork + keep):
        if work[i] != -12345.0:
            count += 1
    free(work)
    free(s)
    return info, count
