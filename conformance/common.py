"""Shared helpers of the compiler-as-oracle conformance suite.

Paths, the pinned compiler invocation, the parser of the compiler's diagnostics output and the
message -> category map used by the comparison.  Standard library only (runs under the project's
.venv python, whose Cython / numpy / scipy are the oracle).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONF_DIR = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("CYTHON_LENS_CACHE") or Path.home() / ".cache" / "cython-lens")
CORPUS_SRC = CACHE / "corpus"  # unpacked sdists (scripts/fetch-sdists.sh)
OUT = CACHE / "conformance"    # everything this suite generates
SKLEARN_SRC = CORPUS_SRC / "scikit-learn-1.9.1"
CYTHON_SRC = CORPUS_SRC / "cython-3.3.1"
VENV_PY = REPO / ".venv" / "bin" / "python"
CYTHON_BIN = REPO / ".venv" / "bin" / "cython"

CORPORA = ("sklearn", "cython-tests", "mutants")
# The broad real-code corpus (broad.py): "broad" = every labelled module, "broad-ci" = its CI subset (same files).
BROAD_CORPORA = ("broad", "broad-ci")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(Path(path).read_bytes())


def write_json(path: Path, obj) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_json(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def site_packages() -> Path:
    """The venv's site-packages: holds numpy/__init__.pxd, scipy/linalg/cython_blas.pxd, Cython/Includes."""
    import sysconfig
    return Path(sysconfig.get_paths()["purelib"])


def oracle_include_dirs() -> list[str]:
    """Include dirs every file gets: numpy's C include (numpy.get_include()), the directory that holds
    numpy/__init__.pxd and scipy/*.pxd (site-packages), and Cython's own Includes (libc, libcpp, cpython).
    The compiler also finds the last two through sys.path / its install; they are passed explicitly so the
    engine under test gets the very same search path."""
    import numpy
    sp = site_packages()
    return [numpy.get_include(), str(sp), str(sp / "Cython" / "Includes")]


# ---------------------------------------------------------------------------------------------------------
# Parsing the compiler's stderr.
#
# Errors:             <path>:<line>:<col>: <message>          (col 0-based; preceded by a context block)
# Warnings:  warning: <path>:<line>:<col>: <message>
# Hints:     performance hint: <path>:<line>:<col>: <message>  (message may continue on following lines)
# Notes:     note: <path>:<line>:<col>: <message>
# ---------------------------------------------------------------------------------------------------------
_DIAG_RE = re.compile(
    r"^(?:(warning|performance hint|note): )?(?P<path>[^\s:][^:]*?\.(?:pyx|pxd|pxi|py)):(?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$"
)


def parse_compiler_output(text: str) -> list[dict]:
    """Returns [{"kind": error|warning|hint|note, "path", "line" (1-based), "column" (0-based), "message", "phase"}].

    "phase" is the top-level compiler pipeline phase during which the message was printed, when the output carries
    cython_driver.py's `@@phase NAME` markers (else None).

    The context block printed before each error ("Error compiling Cython file:", source lines, a caret line,
    dashes) is skipped; continuation lines of a multi-line performance hint (its suggested solutions) are
    appended to the message."""
    out: list[dict] = []
    last = None
    in_context = False
    phase = None
    for raw in text.splitlines():
        line = raw.rstrip("\n")
        if line.startswith("@@phase "):  # marker written by cython_driver.py
            phase = line[len("@@phase "):].strip()
            last = None
            continue
        if line.startswith("Error compiling Cython file:"):
            in_context = True
            last = None
            continue
        m = _DIAG_RE.match(line)
        if m:
            kind = {None: "error", "warning": "warning", "performance hint": "hint", "note": "note"}[m.group(1)]
            in_context = False
            last = {
                "kind": kind,
                "path": m.group("path"),
                "line": int(m.group("line")),
                "column": int(m.group("col")),
                "message": m.group("msg").strip(),
                "phase": phase,
            }
            out.append(last)
            continue
        if in_context:
            continue
        if last is not None and last["kind"] == "hint" and line.strip() and not line.startswith(("warning:", "Traceback")):
            last["message"] += "\n" + line.strip()
            continue
        last = None
    return out


# ---------------------------------------------------------------------------------------------------------
# Message categories.  Every compiler message concerning the GIL, nogil, noexcept or exception checks maps
# to a short category; None = not GIL-related (syntax errors, undeclared names, type errors...).
# ---------------------------------------------------------------------------------------------------------
_NOT_ALLOWED = re.compile(r"^(?P<subject>.+?) not allowed without (?:gil|the GIL)$")

_CATEGORY_RULES: list[tuple[str, re.Pattern]] = [
    ("exception-check-hint", re.compile(r"^Exception check (?:after calling |on )?.*will always require the GIL")),
    ("exception-pxd-hint", re.compile(r"^No exception value declared for .* in pxd file")),
    ("nogil-declaration", re.compile(r"(functions cannot be declared '(?:nogil|with_gil)'|Cannot use cdef modifier 'nogil'|Compiler directive nogil accepts|The gil compiler directive is not allowed|Directive does not change previous value \(nogil=|Constructor cannot be called without GIL|The keyword 'nogil' should appear)")),
    ("call-gil-function", re.compile(r"^Calling gil-requiring function not allowed without gil")),
    ("nogil-python-locals", re.compile(r"^Function declared nogil has Python locals or temporaries")),
    ("nogil-python-return", re.compile(r"^Function with Python return type cannot be declared nogil")),
    ("acquire-gil-held", re.compile(r"^Trying to acquire the GIL while it is already held")),
    ("release-gil-released", re.compile(r"^Trying to release the GIL while it was previously released")),
    ("buffer-without-gil", re.compile(r"^(Buffer may not be acquired without the GIL|Cannot access buffer with object dtype without gil)")),
    ("critical-section-gil", re.compile(r"^Critical sections require the GIL")),
    ("parallel-python-object", re.compile(r"may not be a Python object as we don't have the GIL")),
    ("parallel-with-gil", re.compile(r"(prange|Parallel section) without releasing the GIL")),
    ("nogil-condition", re.compile(r"^Non-constant condition in a `with (?:no)?gil\(<condition>\)` statement")),
    ("nogil-cast", re.compile(r"Casting a GIL-requiring function into a nogil function")),
    ("gil-subinterpreters", re.compile(r"^Acquiring the GIL is currently very unlikely")),
    ("exception-signature", re.compile(r"(Exception values are incompatible|Exception value (must be constant|incompatible)|Exception clause not allowed|noexcept clause is ignored|needs 'noexcept'|needs explicit 'except|Implicit noexcept declaration|'except \+nogil'|Only extern functions can throw C\+\+ exceptions|Ambiguous exception value)")),
    ("unraisable-exception", re.compile(r"^Unraisable exception in function")),
    ("nogil-function-type", re.compile(r"^Cannot assign type '.*' to '.*\bnogil\b.*'")),
]

_SUBJECT_CATEGORY = {
    "Assignment of Python object": "py-assignment",
    "Discarding owned Python object": "py-discard",
    "Converting to Python object": "py-coercion-to",
    "Coercion from Python": "py-coercion-from",
    "Truth-testing Python object": "py-truth-test",
    "Accessing Python global or builtin": "py-global",
    "Accessing Python attribute": "py-attribute",
    "Indexing Python object": "py-indexing",
    "Slicing Python object": "py-slicing",
    "Iterating over Python object": "py-iteration",
    "Creating temporary Python reference": "py-temp-ref",
    "Operation": "py-operation",
    "Python import": "py-import",
    "String formatting": "py-string-formatting",
    "String concatenation": "py-string-formatting",
    "Raising exception": "py-raise",
    "Try-except statement": "py-try",
    "Try-finally statement": "py-try",
    "Returning Python object": "py-return",
    "Deleting Python object": "py-delete",
    "For-loop using object bounds or target": "py-for-loop",
    "Python type test": "py-type-test",
    "Backquote expression": "py-other",
    "Python exec statement": "py-other",
    "Constructing complex number": "py-construct",
    "Constructing globals dict": "py-construct",
    "Constructing Python function": "py-construct",
    "Constructing Python class": "py-construct",
    "Calling gil-requiring function": "call-gil-function",
}


def categorize(message: str) -> str | None:
    msg = message.split("\n", 1)[0].strip()
    m = _NOT_ALLOWED.match(msg)
    if m:
        subject = m.group("subject")
        if subject in _SUBJECT_CATEGORY:
            return _SUBJECT_CATEGORY[subject]
        if subject.startswith("Constructing Python") or subject.startswith("Constructing "):
            return "py-construct"
        return "py-other"
    for cat, rx in _CATEGORY_RULES:
        if rx.search(msg):
            return cat
    return None


def is_gil_related(message: str) -> bool:
    return categorize(message) is not None


# The cython command line used for labels (and recorded with them).
def cython_version() -> str:
    import Cython
    return Cython.__version__


def eprint(*a):
    print(*a, file=sys.stderr, flush=True)
