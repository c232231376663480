# Declarations shared by vec.pyx and its users (cimport vec).
cdef struct Vec3:
    double x
    double y
    double z

cdef double dot(Vec3 a, Vec3 b) noexcept nogil
cdef Vec3 scale(Vec3 a, double k) noexcept nogil

cdef class Particle:
    cdef public Vec3 position
    cdef public Vec3 velocity
    cpdef void step(self, double dt)
