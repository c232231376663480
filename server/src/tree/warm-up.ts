/**
 * A parse of a few hundred lines of ordinary Cython, done by the server while it waits anyway (right after
 * `initialized`, while the Python environment is being discovered), so that the first real document is not parsed by
 * cold WebAssembly. V8 compiles WASM functions lazily with its baseline compiler and recompiles the hot ones with
 * TurboFan in background threads; a first large parse runs mostly on baseline code (libcbcf.pyx, 5k lines: 280–340
 * ms CPU cold vs 55–75 warm), while a small parse followed by ~100 ms of idle time leaves the parser's hot functions
 * optimised for the next one (measured in notes/issue-15-openstart.md). The CLI does not do this: a run parses its
 * files at once and the tier-up happens during them.
 */
import { createParser } from './language';

/** One screen of common Cython: declarations, C functions, classes, loops, memoryviews, strings and comments. */
const SAMPLE = `# cython: language_level=3, boundscheck=False
"""A module docstring.

>>> f(1)
"""
from libc.math cimport sqrt, exp
from libc.stdlib cimport malloc, free
cimport cython
import numpy as np

DEF N = 16

ctypedef double real_t

cdef extern from "point.h" nogil:
    ctypedef struct point_t:
        double x
        double y
    int distance(const point_t* a, const point_t* b, double* out)
    enum mode_t:
        MODE_A = 1
        MODE_B

cdef struct pair:
    int first
    real_t second

cdef inline double norm(double x, double y) noexcept nogil:
    return sqrt(x * x + y * y)

cpdef real_t total(real_t[:, ::1] values, Py_ssize_t n=0) except? -1:
    cdef Py_ssize_t i, j
    cdef real_t acc = 0.0
    with nogil:
        for i in range(values.shape[0]):
            for j in prange(values.shape[1]):
                acc += values[i, j] * 2.5 if values[i, j] > 0 else -values[i, j]
    return acc

cdef class Box(object):
    cdef public int width, height
    cdef readonly object label
    cdef double* data

    def __cinit__(self, int width=1, int height=1, label=None):
        self.width = width
        self.height = height
        self.label = label or f"box {width}x{height}"
        self.data = <double*> malloc(width * height * sizeof(double))
        if self.data is NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self.data)

    @property
    def area(self):
        return self.width * self.height

    cpdef list rows(self, bint reverse=False):
        result = [self.data[i] for i in range(self.width)]
        return result[::-1] if reverse else result

@cython.boundscheck(False)
def process(object items not None, dict options={}, *args, **kwargs):
    cdef int k = 0
    cdef pair p = pair(1, 2.0)
    try:
        for k, item in enumerate(items):
            if isinstance(item, (int, float)) and item != 0:
                yield item ** 2, {'k': k, "v": [item, -item]}
            elif item is None:
                continue
            else:
                raise ValueError('bad item: %r' % (item,))
    except (KeyError, IndexError) as e:
        print(e, file=None)
    finally:
        p.first += <int> exp(p.second)
    lam = lambda a, b=3: a @ b
    with open('f.txt') as fh, cython.nogil:
        pass
    return {x: y for x, y in zip(items, args) if x} | set(kwargs)
`;

/**
 * 83 lines are enough for the parser's hot functions to be recompiled: measured standalone (a fresh process, libcbcf.pyx
 * parsed after this sample and 0–150 ms of idle time), the big parse took 67–81 ms CPU against 212–320 cold; the
 * sample itself 12–37 ms, and V8's background compilation ~150 ms on other threads (that the big parse pays when cold).
 */
export const WARM_UP_SOURCE = SAMPLE;

/** Parses the sample once with a parser of its own (the WASM code it warms is shared by every parser). */
export async function warmUpParser(): Promise<void> {
  const parser = await createParser();
  try {
    parser.parse(WARM_UP_SOURCE)?.delete();
  } finally {
    parser.delete();
  }
}
