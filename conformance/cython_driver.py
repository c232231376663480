#!/usr/bin/env python
"""Runs the `cython` command line (Cython.Compiler.Main.setuptools_main, exactly what .venv/bin/cython runs) with one
addition: before each phase of the top-level compilation pipeline it writes `@@phase <name>` to stderr, so that the
labeller can tell in which compiler phase each error / warning / hint was reported (nested pipelines, i.e. cimported
.pxd files and utility code, are not marked).  Run it with `python -u` so the markers and messages stay in order.
"""
import sys

from Cython.Compiler import Pipeline
from Cython.Compiler.Main import setuptools_main

_orig_run_pipeline = Pipeline.run_pipeline
_depth = [0]


def _run_pipeline(pipeline, source, printtree=True):
    _depth[0] += 1
    try:
        if _depth[0] == 1:
            wrapped = []
            for phase in pipeline:
                if phase is None:
                    wrapped.append(None)
                    continue
                name = getattr(phase, "__name__", type(phase).__name__)

                def run(data, phase=phase, name=name):
                    sys.stderr.write("@@phase %s\n" % name)
                    sys.stderr.flush()
                    return phase(data)

                run.__name__ = name
                wrapped.append(run)
            pipeline = wrapped
        return _orig_run_pipeline(pipeline, source, printtree)
    finally:
        _depth[0] -= 1


Pipeline.run_pipeline = _run_pipeline

if __name__ == "__main__":
    sys.argv[0] = "cython"
    sys.exit(setuptools_main())
