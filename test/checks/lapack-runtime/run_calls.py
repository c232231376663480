"""Runs the LAPACK call programs of this folder once built (by test/checks/lapack-calls-runtime.test.ts):
python run_calls.py BUILD_DIR memory_order | leading_dimension | overwritten_input | info_unchecked | workspace |
buffer_size FUNCTION [RUNS]. Prints one line per call."""
import sys, importlib
sys.path.insert(0, sys.argv[1])
import numpy as np
which = sys.argv[2]
if which == 'memory_order':
    m = importlib.import_module('memory_order_run')
    A = np.array([[2.0, 1.0], [0.0, 4.0]])
    x = np.linalg.solve(A, [0.0, -1.0])
    for fn, a in (('solve_c_order', np.array(A, order='C')), ('solve_fortran_order', np.array(A, order='F'))):
        b = np.array([0.0, -1.0])
        info = getattr(m, fn)(a, b)
        print(fn, info, bool(np.allclose(b, x)))
elif which == 'buffer_size':
    m = importlib.import_module('buffer_size_run')
    rng = np.random.default_rng(0)
    a = np.asfortranarray(rng.standard_normal((60, 40)))
    b = rng.standard_normal(60)
    fn = sys.argv[3]
    if fn == 'written_past':
        # n = 40: how many of WORK's elements past the 40th dgelss writes
        print(fn, *m.written_past(a.copy(order='F'), b.copy(), 40), flush=True)
    else:
        # a count of runs may follow the function's name (default 20)
        for _ in range(int(sys.argv[4]) if len(sys.argv) > 4 else 20):
            info = getattr(m, fn)(a.copy(order='F'), b.copy())
        print(fn, info, flush=True)
elif which == 'leading_dimension':
    m = importlib.import_module('leading_dimension_run')
    A = np.array([[2.0, 1.0], [0.0, 4.0]], order='F')
    for fn in ('lda_below_rows', 'lda_right'):
        b = np.array([0.0, -1.0])
        info = getattr(m, fn)(A.copy(order='F'), b)
        print(fn, info, bool(np.allclose(b, np.linalg.solve(A, [0.0, -1.0]))))
    a = np.asfortranarray(np.arange(1.0, 7.0).reshape(3, 2))
    bm = np.asfortranarray(np.arange(1.0, 5.0).reshape(2, 2))
    for fn in ('gemm_lda_below', 'gemm_lda_right'):
        c = np.zeros((3, 2), order='F')
        getattr(m, fn)(a.copy(order='F'), bm.copy(order='F'), c)
        print(fn, bool(np.allclose(c, a @ bm)), flush=True)
elif which == 'overwritten_input':
    m = importlib.import_module('overwritten_input_run')
    rng = np.random.default_rng(1)
    A = np.asfortranarray(rng.standard_normal((8, 3)))
    y = rng.standard_normal(8)
    x = np.linalg.lstsq(A, y, rcond=None)[0]
    expected = float(np.sum((y - A @ x) ** 2))
    for fn in ('residual_after', 'residual_copied'):
        b = y.copy()
        info, r = getattr(m, fn)(A.copy(order='F'), b, y)
        # "function info right-solution right-residual"
        print(fn, info, bool(np.allclose(b[:3], x)), bool(np.isclose(r, expected)))
elif which == 'info_unchecked':
    m = importlib.import_module('info_unchecked_run')
    A = np.array([[1.0, 2.0], [2.0, 4.0]], order='F')
    y = np.array([1.0, 2.0])
    for fn in ('solve_unchecked', 'solve_checked'):
        try:
            x = getattr(m, fn)(A.copy(order='F'), y.copy())
            # "function returned solves-the-system"
            print(fn, 'returned', bool(np.allclose(A @ x, y)))
        except np.linalg.LinAlgError:
            print(fn, 'LinAlgError')
elif which == 'workspace':
    m = importlib.import_module('workspace_run')
    rng = np.random.default_rng(2)
    for fns, shape in ((('lwork_constant_below', 'lwork_constant_right'), (3, 2)), (('lwork_n', 'lwork_minimum'), (6, 4))):
        A = np.asfortranarray(rng.standard_normal(shape))
        y = rng.standard_normal(shape[0])
        x = np.linalg.lstsq(A, y, rcond=None)[0]
        for fn in fns:
            b = y.copy()
            info = getattr(m, fn)(A.copy(order='F'), b)
            # "function info right-solution"
            print(fn, info, bool(np.allclose(b[:shape[1]], x)), flush=True)
