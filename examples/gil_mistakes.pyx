# cython: language_level=3
# Code the Cython compiler rejects: Python objects touched while the GIL is released.
# `cython-lens check examples/` flags these lines once the GIL checks are registered.

def total(values):
    cdef double s = 0
    cdef Py_ssize_t i, n = len(values)
    with nogil:
        for i in range(n):
            s += values[i]          # indexing a Python object without the GIL
    return s

cdef double mean(double[:] xs) nogil:
    print(xs.shape[0])              # calling a Python function in a nogil function
    return 0.0
