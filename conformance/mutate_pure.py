"""Mutants of pure Python mode code: one statement inserted at the start of a nogil region of a `.py` file the
compiler accepts: the body of `with cython.nogil:` / `with nogil:`, or of a def decorated `@cython.nogil` that is a
C function (`@cython.cfunc` / `@cython.ccall`).  The compiler labels each mutant (errors, hints, or clean); the kinds
cover Python objects built, called, assigned and discarded without the GIL, and statements that must stay clean
(`raise` and `with gil:` are legal there, C arithmetic, C declarations by annotation).

Call mutants (CALL_KINDS, after those): a C function defined at the end of the file in pure spelling and one call of
it inserted in the region; they give the compiler's exception-check performance hints (at the definition and the
call), "Calling gil-requiring function not allowed without gil", or nothing, depending on the decorators. They are
numbered after the statement mutants, so the statement mutants (and their cached labels) stay as they were.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

# (kind, statement lines; {v} is a fresh name)
KINDS: list[tuple[str, list[str]]] = [
    ("py-list", ["{v} = [1, 2]"]),
    ("py-call-discarded", ["dict()"]),
    ("py-str-call", ["{v} = str(1)"]),
    ("py-len", ["{v} = len([1])"]),
    ("py-tuple", ["{v} = (1, 2)"]),
    ("py-float-parse", ["{v} = float('1.5')"]),
    ("py-attribute", ["{v} = (1).real"]),
    ("py-print", ["print(1)"]),
    ("raise", ["if 0 > 1:", "    raise ValueError('x')"]),
    ("with-gil", ["with cython.gil:", "    {v} = [1]"]),
    ("c-declared", ["{v}: cython.int = 1"]),
    ("c-arithmetic", ["{v}: cython.double = 2.0 * 3.0"]),
    ("pass", ["pass"]),
]

# (kind, statement lines in the region, lines of a module-level def appended to the file; {v} a fresh variable,
# {f} a fresh function name)
CALL_KINDS: list[tuple[str, list[str], list[str]]] = [
    ("call-void-cfunc", ["{f}()"], ["@cython.cfunc", "@cython.nogil", "def {f}() -> cython.void:", "    pass"]),
    ("call-void-ccall", ["{f}()"], ["@cython.ccall", "@cython.nogil", "def {f}() -> cython.void:", "    pass"]),
    ("call-exceptval-star", ["{v}: cython.int = {f}(1)"],
     ["@cython.cfunc", "@cython.nogil", "@cython.exceptval(check=True)", "def {f}(x: cython.int) -> cython.int:",
      "    return x + 1"]),
    ("call-noexcept", ["{f}()"],
     ["@cython.cfunc", "@cython.nogil", "@cython.exceptval(check=False)", "def {f}() -> cython.void:", "    pass"]),
    ("call-int-return", ["{v}: cython.int = {f}()"],
     ["@cython.cfunc", "@cython.nogil", "def {f}() -> cython.int:", "    return 1"]),
    ("call-exceptval-value", ["{v}: cython.double = {f}(2.0)"],
     ["@cython.cfunc", "@cython.nogil", "@cython.exceptval(-1.0)", "def {f}(x: cython.double) -> cython.double:",
      "    return x * x"]),
    ("call-gil-cfunc", ["{f}()"], ["@cython.cfunc", "def {f}() -> cython.void:", "    pass"]),
    ("call-with-gil-cfunc", ["{f}()"], ["@cython.cfunc", "@cython.with_gil", "def {f}() -> cython.void:",
                                        "    pass"]),
]

_WITH_NOGIL = re.compile(r"^(\s*)with\s+(?:cython\s*\.\s*)?nogil\s*:\s*(#.*)?$")
_DECORATOR = re.compile(r"^(\s*)@")
_DEF = re.compile(r"^(\s*)(?:async\s+)?def\s")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _body_start(lines: list[str], header_end: int, header_indent: int) -> int | None:
    for j in range(header_end + 1, len(lines)):
        s = lines[j].strip()
        if not s or s.startswith("#"):
            continue
        return j if _indent(lines[j]) > header_indent else None
    return None


def nogil_regions(text: str) -> list[tuple[int, str]]:
    """(0-based line of the first statement of a nogil region, its indentation) for every region."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        m = _WITH_NOGIL.match(line)
        if m:
            b = _body_start(lines, i, len(m.group(1)))
            if b is not None:
                out.append((b, lines[b][:_indent(lines[b])]))
            continue
        d = _DEF.match(line)
        if not d:
            continue
        decorators = []
        k = i - 1
        while k >= 0 and _DECORATOR.match(lines[k]):
            decorators.append(lines[k].strip())
            k -= 1
        names = {re.sub(r"^@\s*cython\.(\w+).*$", r"\1", x) for x in decorators}
        if "nogil" not in names or not ({"cfunc", "ccall"} & names) or "with_gil" in names:
            continue
        # the header ends at the first line ending with ':' at bracket depth 0
        depth, end = 0, None
        for j in range(i, len(lines)):
            code = lines[j].split("#")[0]
            depth += code.count("(") + code.count("[") - code.count(")") - code.count("]")
            if depth <= 0 and code.rstrip().endswith(":"):
                end = j
                break
        if end is None:
            continue
        b = _body_start(lines, end, len(d.group(1)))
        if b is not None:
            out.append((b, lines[b][:_indent(lines[b])]))
    return out


def _write_mutant(folder: Path, e: dict, src: Path, mutated: str, kind: str, line: int, n_new: int) -> dict:
    """Writes one mutant in its own folder, beside copies of the base's folder's .pxd/.h/.pxi files; its entry."""
    folder.mkdir(parents=True)
    for f in src.parent.iterdir():
        if f.is_file() and f.suffix in (".pxd", ".h", ".pxi"):
            shutil.copy2(f, folder / f.name)
    path = folder / src.name
    path.write_text(mutated, encoding="utf-8")
    return {"path": str(path), "cplus": e.get("cplus", False), "mutation": {
        "kind": kind, "first_line": line + 1, "last_line": line + n_new, "base": e["id"], "project": e["group"]}}


def make_mutants(bases: list[dict], dst: Path, count: int) -> list[dict]:
    """Writes up to `count` mutants under dst (one folder each, with the base's folder's .pxd/.h files); returns
    [{path, cplus, mutation: {kind, first_line, last_line, base}}] (1-based lines of the inserted statement)."""
    if dst.exists():
        shutil.rmtree(dst)
    sites = []
    for e in bases:
        src = Path(e["path"])
        text = src.read_text(encoding="utf-8")
        if "cython" not in text:
            continue
        for line, indent in nogil_regions(text):
            sites.append((e, src, text, line, indent))
    out: list[dict] = []
    if not sites:
        return out
    n = 0
    round_ = 0
    while len(out) < count and round_ < len(KINDS):
        for e, src, text, line, indent in sites:
            if len(out) >= count:
                break
            kind, stmts = KINDS[(n + round_) % len(KINDS)]
            n += 1
            lines = text.split("\n")
            new = [indent + s.format(v=f"_pm_v{len(out)}") for s in stmts]
            mutated = "\n".join(lines[:line] + new + lines[line:])
            out.append(_write_mutant(dst / f"m{len(out):04d}", e, src, mutated, kind, line, len(new)))
        round_ += 1
    for kind, stmts, fdef in CALL_KINDS:
        for e, src, text, line, indent in sites:
            k = len(out)
            lines = text.split("\n")
            new = [indent + x.format(v=f"_pm_v{k}", f=f"_pm_f{k}") for x in stmts]
            tail = "\n".join(x.format(f=f"_pm_f{k}") for x in fdef)
            mutated = "\n".join(lines[:line] + new + lines[line:]).rstrip("\n") + "\n\n\n" + tail + "\n"
            out.append(_write_mutant(dst / f"m{k:04d}", e, src, mutated, kind, line, len(new)))
    return out
