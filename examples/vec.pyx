# cython: language_level=3
from libc.math cimport sqrt

cdef double dot(Vec3 a, Vec3 b) noexcept nogil:
    return a.x * b.x + a.y * b.y + a.z * b.z

cdef Vec3 scale(Vec3 a, double k) noexcept nogil:
    cdef Vec3 r
    r.x = a.x * k
    r.y = a.y * k
    r.z = a.z * k
    return r

cdef class Particle:
    def __init__(self, double x=0, double y=0, double z=0):
        self.position = Vec3(x, y, z)
        self.velocity = Vec3(0, 0, 0)

    cpdef void step(self, double dt):
        cdef Vec3 dv = scale(self.velocity, dt)
        with nogil:
            self.position.x += dv.x
            self.position.y += dv.y
            self.position.z += dv.z

    def speed(self):
        return sqrt(dot(self.velocity, self.velocity))
