"""Mutant corpus: one inserted statement (or one small block) inside a real nogil region of a corpus file that the
compiler accepts, drawn from every project of the prepared base corpora.

Bases (data-driven, committed in mutant-bases.json, remade by `mutate.py --select-bases`): per project of the base
corpora (BASE_CORPORA: scikit-learn and every project of the broad corpus; the project is the manifest entry's
"project" field, else the corpus name), the smallest files (bytes: compile time grows with the module) that have a
nogil insertion point and that the compiler accepts (their label has no error).

Regions: bodies of `cdef`/`cpdef` functions declared `nogil`, of `with nogil[, parallel(...)]:` blocks and of
`for ... in prange(..., nogil=True)` loops, minus nested `with gil:` blocks and `cdef:` declaration blocks.
Insertion points: the start of a statement in such a body (never before elif/else/except/finally, never after a
return/break/continue/raise at the same indentation, where the compiler would drop it as unreachable), with that
statement's indentation.

Statement kinds (KINDS below: name, expected outcome, template).  Templates use the enclosing function's own
declarations, typed: {i}/{i2} a C integer local or parameter declared before the point, {f} a C floating one, {v} a
numeric one, {p} a pointer to a numeric type, {mv} a memoryview, {py} a Python object (an untyped / `object`
parameter of the enclosing def/cpdef function, else the module global `_cl_glob` the mutant appends), {fused} a fused
type of the function's signature, {call...} calls to functions of the same file.  Kinds that assign an existing
local are not used inside prange loops (they would change its parallel role: private, reduction).  Some kinds need
support lines appended at the END of the file (a cimport, a helper function, the `_cl_glob` global) so that line
numbers above stay those of the base; they are recorded in the manifest ("support").

Deterministic: kinds are taken round-robin (from an offset given by the project's name), each mutant a uniformly
drawn applicable file, then a point, with a random.Random seeded by (seed, project, kind, n-th of the kind).  The
per-project sequence does not depend on the other projects, and a smaller count gives a prefix of a larger one:
labels stay cached when projects are added.  Each mutant is a
standalone file $CYTHON_LENS_CACHE/conformance/mutants/<project>/mNNNN/<module path>.pyx (same module name), next to
copies of its package directory's .pxd/.pxi files; the base's include dirs and directory are include dirs.
"""
from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from pathlib import Path

from common import OUT, eprint, read_json, write_json

# the corpora whose files serve as bases: scikit-learn and the broad real-code corpus (broad.py; "broad-ci" is a
# subset of it); the Cython tests are not (error tests, tiny run tests)
BASE_CORPORA = ("sklearn", "broad")
# the chosen bases (committed: the same corpus on every machine; remade by `mutate.py --select-bases`)
BASES_FILE = Path(__file__).resolve().parent / "mutant-bases.json"

INT_TYPES = {"int", "long", "short", "Py_ssize_t", "size_t", "ssize_t", "Py_hash_t", "intp_t", "uintp_t",
             "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
             "npy_intp", "npy_int32", "npy_int64", "npy_uint32", "npy_uint64", "SIZE_t", "ITYPE_t", "INT",
             "BITSET_INNER_DTYPE_C", "X_BINNED_DTYPE_C", "integral"}
FLOAT_TYPES = {"double", "float", "float64_t", "float32_t", "npy_float64", "npy_float32", "npy_double",
               "floating", "X_DTYPE_C", "Y_DTYPE_C", "G_H_DTYPE_C", "DOUBLE_t", "DOUBLE", "Y_DTYPE"}
_KNOWN_FUSED_FLOAT = {"floating"}
_KNOWN_FUSED_INT = {"integral"}


class Stmt:
    __slots__ = ("start", "end", "indent", "text", "first")

    def __init__(self, start, end, indent, text):
        self.start, self.end, self.indent, self.text = start, end, indent, text
        self.first = re.match(r"[A-Za-z_@]\w*|\S", text.lstrip()).group(0) if text.strip() else ""


def logical_statements(lines: list[str]) -> list[Stmt]:
    """Joins physical lines into logical statements (brackets, backslashes, strings, comments).  Text has comments
    and string contents kept, but the returned `text` strips a trailing comment of each physical line."""
    stmts: list[Stmt] = []
    depth = 0
    in_str: str | None = None  # the quote sequence
    cur_start = None
    cur_text: list[str] = []
    cont = False
    for i, line in enumerate(lines):
        if cur_start is None:
            if not line.strip() or line.lstrip().startswith("#"):
                if in_str is None:
                    continue
            cur_start = i
            cur_text = []
        j = 0
        code = []
        n = len(line)
        while j < n:
            c = line[j]
            if in_str:
                if c == "\\":
                    code.append(line[j:j + 2])
                    j += 2
                    continue
                if line.startswith(in_str, j):
                    code.append(in_str)
                    j += len(in_str)
                    in_str = None
                    continue
                code.append(c)
                j += 1
                continue
            if c == "#":
                break
            if c in "\"'":
                q = line[j:j + 3] if line[j:j + 3] in ('"""', "'''") else c
                in_str = q
                code.append(q)
                j += len(q)
                continue
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth = max(0, depth - 1)
            code.append(c)
            j += 1
        text = "".join(code).rstrip()
        cont = text.endswith("\\")
        cur_text.append(text.rstrip("\\"))
        if in_str is None and depth == 0 and not cont:
            first_line = lines[cur_start]
            indent = len(first_line) - len(first_line.lstrip())
            stmts.append(Stmt(cur_start, i, indent, " ".join(t.strip() for t in cur_text)))
            cur_start = None
        elif in_str is not None and len(in_str) == 1:
            in_str = None  # unterminated single-quoted string: don't let it swallow the file
    return stmts


def _block_end(stmts: list[Stmt], k: int) -> int:
    """Index (exclusive) of the last statement of the block opened by stmts[k]."""
    ends = getattr(stmts, "_ends", None)
    if ends is not None:
        return ends[k]
    ind = stmts[k].indent
    j = k + 1
    while j < len(stmts) and stmts[j].indent > ind:
        j += 1
    return j


class _Stmts(list):
    """The statements of a file with every block end computed once (a stack pass)."""

    def __init__(self, stmts: list[Stmt]):
        super().__init__(stmts)
        ends = [len(stmts)] * len(stmts)
        stack: list[int] = []
        for j, s in enumerate(stmts):
            while stack and stmts[stack[-1]].indent >= s.indent:
                ends[stack.pop()] = j
            stack.append(j)
        self._ends = ends


def _is_nogil_func(s: Stmt) -> bool:
    t = s.text
    if not re.match(r"(cdef|cpdef)\b", t) or not t.endswith(":") or "(" not in t:
        return False
    if re.match(r"cdef\s+(extern|class|struct|union|enum|cppclass)\b", t) or "extern" in t.split("(")[0]:
        return False
    return re.search(r"\bnogil\b", t[t.rfind(")"):]) is not None


def _is_with_nogil(s: Stmt) -> bool:
    return re.match(r"with\s+nogil\b", s.text) is not None and s.text.endswith(":")


def _is_prange_nogil(s: Stmt) -> bool:
    return s.first == "for" and "prange(" in s.text and re.search(r"nogil\s*=\s*True", s.text) is not None


def _split_top(text: str) -> list[str]:
    parts, depth, buf = [], 0, ""
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(buf)
            buf = ""
        else:
            buf += ch
    if buf.strip():
        parts.append(buf)
    return [p.strip() for p in parts if p.strip()]


def _func_info(s: Stmt) -> dict | None:
    """For a `cdef`/`cpdef`/`def` definition statement: name, kind, nogil, noexcept, params."""
    m = re.match(r"(cdef|cpdef|def)\b(.*?)(\w+)\s*\((.*)\)\s*(.*):$", s.text)
    if not m or re.match(r"cdef\s+(extern|class|struct|union|enum|cppclass)\b", s.text):
        return None
    kind, ret, name, params, tail = m.groups()
    return {"kind": kind, "name": name, "params": _split_top(params), "tail": tail, "ret": ret.strip(),
            "nogil": re.search(r"\bnogil\b", tail) is not None, "noexcept": "noexcept" in tail,
            "except": re.search(r"\bexcept\b", tail) is not None}


# ------------------------------------------------------------------------------------------------ declarations
_MV = re.compile(r"\[\s*(?:::1|:)(?:\s*,\s*(?:::1|:))*\s*\]")


def type_class(t: str, typedefs: dict[str, str]) -> str | None:
    """'i' (C integer), 'f' (C floating) or None for a type name (after const/unsigned/long prefixes)."""
    t = re.sub(r"\b(const|unsigned|signed|volatile)\b", " ", t).split()
    if not t:
        return None
    if t[-1] in ("long", "short", "int", "char") and len(t) > 1 and t[0] == "long":
        return "i"
    name = t[-1]
    if name == "char":
        return None  # char*: strings, not numbers
    if name in INT_TYPES:
        return "i"
    if name in FLOAT_TYPES:
        return "f"
    return typedefs.get(name)


def parse_decl(text: str, typedefs: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, class, shape) for each C-numeric variable a declaration (`cdef TYPE a, *p` / `TYPE[:] m` / a
    parameter) introduces; shape 'v' (value), 'c' (const value: not assigned, so not used), 'p' (pointer),
    'm' (memoryview)."""
    t = re.sub(r"^cdef\s+", "", text.strip())
    if re.match(r"(class|struct|union|enum|extern|inline|ctypedef|public|readonly|object)\b", t) or "(" in t:
        return []
    m = re.match(r"((?:const\s+|unsigned\s+|signed\s+|long\s+)*[A-Za-z_]\w*)\s*((?:\[[^\]]*\])?)\s*(.*)$", t)
    if not m:
        return []
    base, mv, rest = m.groups()
    if not mv and (not rest or rest[0] in "=,") and len(base.split()) > 1:
        # `long long n = 0`: the qualifier loop took the type's last word; the last word is the name
        words = base.split()
        base, rest = " ".join(words[:-1]), words[-1] + (" " + rest if rest else "")
    cls = type_class(base, typedefs)
    if cls is None or not rest:
        return []
    const = re.match(r"const\b", base) is not None
    if mv and not _MV.fullmatch(mv):
        return []
    out = []
    for part in _split_top(rest):
        pm = re.fullmatch(r"(\*?)\s*([A-Za-z_]\w*)\s*(?:=.*)?", part)
        if not pm or "[" in part.split("=")[0]:
            continue
        shape = "m" if mv else ("p" if pm.group(1) else ("c" if const else "v"))
        out.append((pm.group(2), cls, shape))
    return out


def file_typedefs(texts: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """C typedefs (`ctypedef double DTYPE_t`) and fused types (`ctypedef fused X:` + member lines) of the texts,
    name -> 'i' / 'f' (fused types only when all members are of one class)."""
    tds: dict[str, str] = {}
    fused: dict[str, str] = {}
    for text in texts:
        for m in re.finditer(r"^\s*ctypedef\s+((?:const\s+|unsigned\s+|signed\s+|long\s+)*\w+)\s+(\w+)\s*$",
                             text, re.M):
            c = type_class(m.group(1), tds)
            if c:
                tds[m.group(2)] = c
        for m in re.finditer(r"^(\s*)ctypedef\s+fused\s+(\w+)\s*:\s*\n((?:\1\s+\S.*\n?)+)", text, re.M):
            members = [ln.split("#")[0].strip() for ln in m.group(3).splitlines() if ln.split("#")[0].strip()]
            cls = {type_class(x, tds) for x in members}
            if len(cls) == 1 and None not in cls:
                fused[m.group(2)] = cls.pop()
    for n in _KNOWN_FUSED_FLOAT:
        fused.setdefault(n, "f")
    for n in _KNOWN_FUSED_INT:
        fused.setdefault(n, "i")
    tds.update(fused)
    return tds, fused


def analyse_file(text: str, extra_texts: list[str] = ()) -> dict:
    """Insertion points of a file, each with the typed declarations usable there.  extra_texts: the .pxd files of
    its package directory (for typedefs)."""
    lines = text.splitlines()
    stmts = _Stmts(logical_statements(lines))
    # every prange loop (with or without nogil=True: inside nogil code both run in parallel)
    prange_idx = [k for k, s in enumerate(stmts) if s.first == "for" and "prange(" in s.text]
    typedefs, fused = file_typedefs([text] + list(extra_texts))
    funcs = []
    for k, s in enumerate(stmts):
        if s.first in ("def", "cdef", "cpdef") and s.text.endswith(":"):
            fi = _func_info(s)
            if fi:
                fi["index"] = k
                fi["top"] = s.indent == 0
                funcs.append(fi)
    has_np = re.search(r"^import numpy as np\b", text, re.M) is not None
    classes = [k for k, s in enumerate(stmts) if re.match(r"(cdef\s+)?class\s+\w+", s.text) and s.text.endswith(":")]
    for fi in funcs:
        fi["cls"] = None
        for c in classes:
            if c < fi["index"] < _block_end(stmts, c) and stmts[c].indent < stmts[fi["index"]].indent:
                fi["cls"] = c
    excluded: set[int] = set()
    cdef_block: set[int] = set()
    for k, s in enumerate(stmts):
        if re.match(r"with\s+gil\b", s.text) and s.text.endswith(":"):
            excluded.update(range(k + 1, _block_end(stmts, k)))
        if re.fullmatch(r"cdef\s*:", s.text):
            excluded.update(range(k + 1, _block_end(stmts, k)))
            cdef_block.update(range(k + 1, _block_end(stmts, k)))
    # declarations per function: (stmt index, name, class, shape); python objects; fused types of the signature
    for fi in funcs:
        decls = []
        py = []
        fz = set()
        for p in fi["params"]:
            p0 = p.split("=")[0].strip()
            if p0 in ("self", "cls") or p0.startswith("*"):
                continue
            if fi["kind"] in ("def", "cpdef") and re.fullmatch(r"\w+", p0):
                py.append(p0)
            elif re.fullmatch(r"object\s+\w+", p0):
                py.append(p0.split()[1])
            else:
                for name, cls, shape in parse_decl(p0, typedefs):
                    decls.append((fi["index"], name, cls, shape))
            for w in re.findall(r"\w+", p0):
                if w in fused:
                    fz.add(w)
        fend = _block_end(stmts, fi["index"])
        for j in range(fi["index"] + 1, fend):
            t = stmts[j].text
            if t.startswith("cdef ") or j in cdef_block:
                for name, cls, shape in parse_decl(t, typedefs):
                    decls.append((j, name, cls, shape))
        fi["decls"] = decls
        fi["py_objs"] = py
        fi["fused"] = sorted(fz)
    points = []
    seen = set()
    for k, s in enumerate(stmts):
        if not (_is_nogil_func(s) or _is_with_nogil(s) or _is_prange_nogil(s)):
            continue
        end = _block_end(stmts, k)
        encl = None
        for fi in reversed(funcs):
            if fi["index"] <= k and _block_end(stmts, fi["index"]) >= end:
                encl = fi
                break
        region_kind = "nogil-function" if _is_nogil_func(s) else ("prange" if _is_prange_nogil(s) else "with-nogil")
        for j in range(k + 1, end):
            t = stmts[j]
            if j in excluded or t.first in ("elif", "else", "except", "finally") or t.first.startswith("@"):
                continue
            prev = next((stmts[q] for q in range(j - 1, k, -1) if stmts[q].indent <= t.indent), None)
            if prev is not None and prev.indent == t.indent and prev.first in ("return", "break", "continue", "raise"):
                continue
            if prev is not None and prev.indent < t.indent and not prev.text.endswith(":"):
                continue  # not a block start: odd layout, skip
            prange_heads = [q for q in prange_idx if k <= q < j and _block_end(stmts, q) > j]
            nested_prange = region_kind == "prange" or bool(prange_heads)
            key = t.start
            if key in seen:
                continue
            seen.add(key)
            decls = [(n, c, sh) for (q, n, c, sh) in (encl["decls"] if encl else []) if q < j]
            if nested_prange:
                # variables updated in place in the enclosing prange body are reductions: reading them is an error
                heads = prange_heads or [k]
                red = set()
                for h in heads:
                    for q in range(h + 1, _block_end(stmts, h)):
                        m = re.match(r"(\w+)\s*[-+*/|&^]=", stmts[q].text)
                        if m:
                            red.add(m.group(1))
                decls = [d for d in decls if d[0] not in red]
            self_cls = encl["cls"] if encl and encl["params"] and encl["params"][0].split()[-1] == "self" else None
            seen_names = {}
            for n, c, sh in decls:
                seen_names[n] = (c, sh)  # a later declaration of the same name wins (it cannot: one scope)
            points.append({
                "line": t.start, "indent": t.indent, "region": s.start, "region_kind": region_kind,
                "in_prange": nested_prange, "self_cls": self_cls, "func": encl["name"] if encl else None,
                "ints": sorted(n for n, (c, sh) in seen_names.items() if c == "i" and sh == "v"),
                "floats": sorted(n for n, (c, sh) in seen_names.items() if c == "f" and sh == "v"),
                "ptrs": sorted(n for n, (c, sh) in seen_names.items() if sh == "p"),
                "mvs": sorted(n for n, (c, sh) in seen_names.items() if sh == "m"),
                "py_objs": list(encl["py_objs"]) if encl else [],
                "fused": list(encl["fused"]) if encl else [],
            })
    return {"lines": lines, "text": text, "points": points, "funcs": funcs, "has_np": has_np}


# ------------------------------------------------------------------------------------------------ kinds
def _numeric_call(fi: dict) -> str | None:
    args = []
    params = fi["params"]
    if params and params[0].split()[-1] == "self":
        params = params[1:]
    for p in params:
        p0 = p.split("=")[0].strip()
        d = parse_decl(p0, {})
        if len(d) != 1 or d[0][2] != "v" or re.search(r"\b(floating|integral|numeric)\b", p0):
            return None
        args.append("1")
    return f"{fi['name']}({', '.join(args)})"


def _calls(pt: dict, info: dict, which: str) -> list[str]:
    memo = info.setdefault("_memo", {})
    key = ("calls", which, pt.get("self_cls"))
    if key not in memo:
        memo[key] = _calls_uncached(pt, info, _CALL_FILTERS[which])
    return memo[key]


_CALL_FILTERS = {
    "gil": lambda f: f["kind"] in ("cdef", "cpdef") and not f["nogil"],
    "except": lambda f: f["kind"] in ("cdef", "cpdef") and f["nogil"] and not f["noexcept"],
    "noexcept": lambda f: f["kind"] in ("cdef", "cpdef") and f["nogil"] and f["noexcept"],
}


def _calls_uncached(pt: dict, info: dict, want) -> list[str]:
    top = [f for f in info["funcs"] if f["top"]]
    methods = [f for f in info["funcs"] if pt.get("self_cls") is not None and f["cls"] == pt["self_cls"]
               and f["params"] and f["params"][0].split()[-1] == "self"]
    out = []
    for f in top + methods:
        if want(f):
            call = _numeric_call(f)
            if call:
                out.append(("self." if f in methods else "") + call)
    return sorted(set(out))


def _has_libc(info: dict, module: str, name: str) -> str | None:
    """'' when `name` is usable after appending `from libc.<module> cimport name` (or already cimported so), None
    when the file uses the name otherwise."""
    memo = info.setdefault("_memo", {})
    key = ("libc", module, name)
    if key not in memo:
        memo[key] = _has_libc_uncached(info["text"], module, name)
    return memo[key]


def _has_libc_uncached(text: str, module: str, name: str) -> str | None:
    if re.search(rf"^\s*from\s+libc\.{module}\s+cimport\s+.*\b{name}\b", text, re.M):
        return ""
    if re.search(rf"\b{name}\b", text):
        return None
    return f"from libc.{module} cimport {name}"


HELPER_VOID = ["cdef void _cl_void_helper(int a) nogil:", "    pass"]
HELPER_STAR = ["cdef void _cl_star_helper(int a) except * nogil:", "    pass"]
HELPER_INT_STAR = ["cdef int _cl_int_star_helper(int a) except * nogil:", "    return a"]
HELPER_QMARK = ["cdef int _cl_qmark_helper(int a) except? -1 nogil:", "    return a"]
GLOB = ["_cl_glob = object()"]


def mutation(kind: str, pt: dict, info: dict, rng: random.Random) -> tuple[list[str], list[str]] | None:
    """(inserted lines, support lines appended at the end of the file) or None when the kind does not apply."""
    ints, floats, nums = pt["ints"], pt["floats"], pt["ints"] + pt["floats"]
    pick = lambda xs: rng.choice(xs)  # noqa: E731
    ival = pick(ints) if ints else "0"
    vval = pick(nums) if nums else "0"
    if pt["py_objs"]:
        py, py_sup = pick(pt["py_objs"]), []
    else:
        py, py_sup = "_cl_glob", GLOB
    assigns_ok = not pt["in_prange"]
    simple = {
        "print": ["print(0)"],
        "list-assign": ["_cl_obj = [1, 2]"],
        "dict-assign": ["_cl_obj = {}"],
        "set-assign": ["_cl_obj = {1, 2}"],
        "tuple-assign": [f"_cl_obj = ({vval}, 1)"],
        "str-call": [f"str({vval})"],
        "repr-assign": [f"_cl_obj = repr({vval})"],
        "global-read": ["_cl_obj = __name__"],
        "lambda": ["_cl_obj = lambda: 0"],
        "listcomp": ["_cl_obj = [_cl_k for _cl_k in range(3)]"],
        "object-call": ["_cl_obj = object()"],
        "object-cast": [f"_cl_obj = <object>{vval}"],
        "none-assign": ["_cl_obj = None"],
        "str-assign": ['_cl_obj = "abc"'],
        "slice-obj": ["_cl_obj = slice(1, 2)"],
        "with-open": ['with open("_cl.txt") as _cl_f:', "    pass"],
        "fstring": [f'f"{{{vval}}}"'],
        "percent": [f'"%d" % {ival}'],
        "raise": ["raise ValueError()"],
        "try": ["try:", "    pass", "except Exception:", "    pass"],
        "import": ["import os"],
        "nested-nogil": ["with nogil:", "    pass"],
        "with-gil": ["with gil:", f"    print({vval})"],
        "assert-msg": [f'assert {vval} >= 0, "message"'],
        "pass": ["pass"],
        "complex-literal": ["_cl_z = 1j"],
        "fresh-c": [f"_cl_t = {vval} + 1"],
    }
    if kind in simple:
        return simple[kind], []
    py_kinds = {
        "isinstance": [f"isinstance({py}, int)"],
        "getattr": [f'getattr({py}, "real")'],
        "method-call": [f"{py}.conjugate()"],
        "py-slice": [f"{py}[1:]"],
        "py-index": [f"{py}[0]"],
        "for-pyobj": [f"for _cl_k in {py}:", "    pass"],
        "while-pyobj": [f"while {py}:", "    break"],
        "if-pyobj": [f"if {py}:", "    pass"],
        "py-operation": [f"{py} + 1"],
        "py-call": [f"{py}()"],
        "len": [f"len({py})"],
    }
    if kind in py_kinds:
        return py_kinds[kind], py_sup
    if kind == "attribute":
        if pt["py_objs"]:
            return [f"{py}.real"], []
        return (["np.pi"], []) if info["has_np"] else None
    if kind == "del":
        return ([f"del {py}"], []) if pt["py_objs"] else None
    if kind == "coerce-from":
        return ([f"{ival} = {py}"], py_sup) if ints and assigns_ok else None
    if kind == "int-call":
        return ([f"{ival} = int({py})"], py_sup) if ints and assigns_ok else None
    if kind == "call-gil":
        c = _calls(pt, info, "gil")
        return ([pick(c)], []) if c else None
    if kind == "call-def":
        c = sorted(f"{f['name']}()" for f in info["funcs"] if f["top"] and f["kind"] == "def" and not f["params"])
        return ([pick(c)], []) if c else None
    if kind == "call-except":
        c = _calls(pt, info, "except")
        return ([pick(c)], []) if c else None
    if kind == "call-noexcept":
        c = _calls(pt, info, "noexcept")
        return ([pick(c)], []) if c else None
    if kind == "hint-void-call":
        return [f"_cl_void_helper({ival})"], HELPER_VOID
    if kind == "hint-star-call":
        return [f"_cl_star_helper({ival})"], HELPER_STAR
    if kind == "call-int-star":
        return [f"_cl_int_star_helper({ival})"], HELPER_INT_STAR
    if kind == "call-qmark":
        return [f"_cl_qmark_helper({ival})"], HELPER_QMARK
    if kind == "sqrt":
        sup = _has_libc(info, "math", "sqrt")
        if sup is None or not floats:
            return None
        line = f"{pick(floats)} = sqrt({vval})" if assigns_ok else f"_cl_t = sqrt({vval})"
        return [line], [sup] if sup else []
    if kind == "memcpy":
        sup = _has_libc(info, "string", "memcpy")
        if sup is None or not nums:
            return None
        return [f"memcpy(&{vval}, &{vval}, sizeof({vval}))"], [sup] if sup else []
    if kind == "printf":
        sup = _has_libc(info, "stdio", "printf")
        if sup is None:
            return None
        return [f'printf("%d\\n", <int>{vval})'], [sup] if sup else []
    if kind in ("mv-len", "mv-shape", "mv-index"):
        if not pt["mvs"]:
            return None
        mv = pick(pt["mvs"])
        rhs = {"mv-len": f"len({mv})", "mv-shape": f"{mv}.shape[0]", "mv-index": f"{mv}[0]"}[kind]
        if kind == "mv-index":
            target = pick(floats) if floats and assigns_ok else "_cl_t"
        else:
            target = pick(ints) if ints and assigns_ok else "_cl_t"
        return [f"{target} = {rhs}"], []
    if kind == "ptr-read":
        if not pt["ptrs"]:
            return None
        target = pick(floats) if floats and assigns_ok else "_cl_t"
        return [f"{target} = {pick(pt['ptrs'])}[0]"], []
    if kind == "in-tuple":
        return ([f"if {ival} in (1, 2, 3):", "    pass"], []) if ints else None
    if kind == "range-down":
        return ([f"for _cl_k in range({ival} - 1, -1, -1):", "    pass"], []) if ints else None
    if kind == "reversed-range":
        return ([f"for _cl_k in reversed(range({ival})):", "    pass"], []) if ints else None
    if kind == "fused-branch":
        if not pt["fused"]:
            return None
        return [f"if {pick(pt['fused'])} is double:", "    pass", "else:", "    pass"], []
    if kind == "sizeof":
        return ([f"{ival} = sizeof(double)"], []) if ints and assigns_ok else None
    if kind == "abs":
        return ([f"{vval} = abs({vval})"], []) if nums and assigns_ok else None
    if kind == "min-max":
        if not nums or not assigns_ok:
            return None
        a = pick(nums)
        pool = ints if a in ints else floats
        return [f"{a} = min({a}, {pick(pool)})"], []
    if kind == "cast":
        if not ints or not floats or not assigns_ok:
            return None
        return [f"{pick(ints)} = <int>{pick(floats)}"], []
    if kind == "c-arith":
        return ([f"{vval} = {vval} + 1"], []) if nums and assigns_ok else None
    if kind == "augassign":
        return ([f"{vval} += 1"], []) if nums and assigns_ok else None
    if kind == "ternary":
        return ([f"{vval} = {vval} if {vval} > 0 else 0"], []) if nums and assigns_ok else None
    if kind == "c-while":
        return ([f"while {vval} < 0:", "    break"], []) if nums else None
    raise ValueError(kind)


# name, expected outcome: error (GIL errors), hint (a performance hint, no error), clean, context (depends on the
# region: e.g. `raise` is wrapped in an implicit `with gil` except in prange bodies).  The labels are what counts.
KINDS: list[tuple[str, str]] = [
    ("print", "error"), ("list-assign", "error"), ("dict-assign", "error"), ("set-assign", "error"),
    ("tuple-assign", "error"), ("str-call", "error"), ("repr-assign", "error"), ("global-read", "error"),
    ("lambda", "error"), ("listcomp", "error"), ("object-call", "error"), ("object-cast", "error"),
    ("none-assign", "error"), ("str-assign", "error"), ("slice-obj", "error"), ("with-open", "error"),
    ("fstring", "error"), ("percent", "error"), ("try", "error"), ("import", "error"),
    ("isinstance", "error"), ("getattr", "error"), ("method-call", "error"), ("py-slice", "error"),
    ("py-index", "error"), ("for-pyobj", "error"), ("while-pyobj", "error"), ("if-pyobj", "error"),
    ("py-operation", "error"), ("py-call", "error"), ("len", "error"), ("attribute", "error"), ("del", "error"),
    ("coerce-from", "error"), ("int-call", "error"), ("call-gil", "error"), ("call-def", "error"),
    ("raise", "context"), ("nested-nogil", "context"), ("assert-msg", "context"),
    ("hint-void-call", "hint"), ("hint-star-call", "hint"),
    ("call-int-star", "clean"), ("call-qmark", "clean"), ("call-except", "clean"), ("call-noexcept", "clean"),
    ("pass", "clean"), ("c-arith", "clean"), ("augassign", "clean"), ("ternary", "clean"), ("c-while", "clean"),
    ("sqrt", "clean"), ("memcpy", "clean"), ("printf", "clean"), ("mv-len", "clean"), ("mv-shape", "clean"),
    ("mv-index", "clean"), ("ptr-read", "clean"), ("in-tuple", "clean"), ("range-down", "clean"),
    ("reversed-range", "clean"), ("fused-branch", "clean"), ("sizeof", "clean"), ("abs", "clean"),
    ("min-max", "clean"), ("cast", "clean"), ("with-gil", "clean"), ("complex-literal", "clean"),
    ("fresh-c", "clean"),
]
KIND_NAMES = [k for k, _ in KINDS]
EXPECT = dict(KINDS)


def mutation_text(kind: str, pt: dict, info: dict, rng: random.Random) -> list[str] | None:
    """The inserted lines only (see mutation())."""
    m = mutation(kind, pt, info, rng)
    return m[0] if m else None


# ------------------------------------------------------------------------------------------------ bases
def base_corpora() -> list[str]:
    """The prepared base corpora (BASE_CORPORA with a manifest under OUT)."""
    return [c for c in BASE_CORPORA if (OUT / c / "manifest.json").exists()]


def base_candidates(corpora: list[str] | None = None) -> dict[str, list[dict]]:
    """project -> its corpus files that have insertion points, smallest first (bytes, then id): compile time grows
    with the module, and size, unlike seconds, is the same on every machine."""
    out: dict[str, list[dict]] = {}
    for c in corpora if corpora is not None else base_corpora():
        for e in read_json(OUT / c / "manifest.json"):
            p = Path(e["path"])
            if not p.exists():
                continue
            text = p.read_text(encoding="utf-8", errors="replace")
            pts = len(analyse_file(text)["points"])
            if pts:
                out.setdefault(e.get("project") or c, []).append(
                    {"corpus": c, "id": e["id"], "bytes": len(text.encode()), "points": pts, "entry": e})
    for v in out.values():
        v.sort(key=lambda b: (b["bytes"], b["id"]))
    return out


def accepted(lab: dict | None) -> bool:
    return bool(lab) and lab.get("stopped_after") is None and not lab.get("compiler_failure") \
        and not any(d["kind"] == "error" for d in lab["diagnostics"])


def cached_labels_by_content(version: str) -> dict[tuple[str, str], dict]:
    """Every label in label.py's cache by (id, sha256 of the file): found whatever checkout or label-key scheme made
    it."""
    out = {}
    for f in sorted((OUT / "labels").glob("*.json")):
        try:
            lab = read_json(f)
        except ValueError:
            continue
        if isinstance(lab, dict) and lab.get("cython") == version and "id" in lab and "sha256" in lab:
            out[(lab["id"], lab["sha256"])] = lab
    return out


def select_bases(per_project: int = 5, label_missing: bool = False, jobs: int = 2) -> dict:
    """Writes BASES_FILE: per project the `per_project` smallest files with insertion points that the compiler
    accepts (their label in label.py's cache; with label_missing, unlabelled candidates are labelled first, into
    the cache, as label.py would)."""
    import time
    from concurrent.futures import ThreadPoolExecutor
    from common import cython_version, sha256_file
    version = cython_version()
    known = cached_labels_by_content(version)
    cands = base_candidates()
    chosen: dict[str, list[dict]] = {}
    rejected: dict[str, list[str]] = {}

    def find(b):
        return known.get((b["id"], sha256_file(Path(b["entry"]["path"]))))

    failed: set[str] = set()

    def work(b):
        import subprocess
        from label import cache_key, label_one
        try:
            lab = label_one(b["entry"], version)
        except (RuntimeError, subprocess.TimeoutExpired) as ex:  # a compiler crash: not a base
            eprint(f"mutate: {b['id']}: compiler failure: {str(ex)[:200]}")
            failed.add(b["id"])
            return
        write_json(OUT / "labels" / f"{cache_key(b['entry'], version)}.json", lab)
        known[(b["id"], lab["sha256"])] = lab

    for project, bs in sorted(cands.items()):
        chosen[project] = []
        i = 0
        while len(chosen[project]) < per_project and i < len(bs):
            batch = bs[i:i + per_project - len(chosen[project])]
            i += len(batch)
            todo = [b for b in batch if find(b) is None and b["id"] not in failed]
            if todo and label_missing:
                with ThreadPoolExecutor(max_workers=max(1, min(jobs, 2))) as pool:
                    list(pool.map(work, todo))
            for b in batch:
                lab = find(b)
                if b["id"] in failed:
                    rejected.setdefault(project, []).append(f"{b['id']}: compiler failure")
                elif lab is None:
                    rejected.setdefault(project, []).append(f"{b['id']}: not labelled")
                elif not accepted(lab):
                    rejected.setdefault(project, []).append(f"{b['id']}: rejected by the compiler")
                else:
                    chosen[project].append({"id": b["id"], "corpus": b["corpus"], "bytes": b["bytes"],
                                            "points": b["points"], "label_seconds": lab.get("seconds")})
        if not chosen[project]:
            del chosen[project]
        eprint(f"mutate: {project}: {len(chosen.get(project, []))} bases")
    data = {"generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cython": version,
            "rule": f"per project, the {per_project} smallest files (bytes) with a nogil insertion point whose "
                    f"label says the compiler accepts them (mutate.py --select-bases)",
            "projects": chosen, "not_used": rejected}
    write_json(BASES_FILE, data)
    eprint(f"mutate: {sum(len(v) for v in chosen.values())} bases from {len(chosen)} projects -> {BASES_FILE}")
    return data


def _module_rel(e: dict) -> Path:
    """Path of the mutant below its root: the module's dotted name as directories (keeps the module name and lets
    it find its own .pxd), else the file name."""
    src = Path(e["path"])
    mod = e.get("module")
    if mod and "." in mod:
        return Path(*mod.split(".")[:-1]) / src.name
    return Path(src.name)


def project_sequence(project: str, bases: list[tuple[dict, dict]], count: int, seed: int) -> list[dict]:
    """The first `count` mutations of a project: kinds round-robin (skipping kinds with no applicable point),
    a uniformly drawn applicable file, then a uniformly drawn point; no duplicate (file, point, kind, text)."""
    files = []
    for e, lab in bases:
        src = Path(e["path"])
        text = src.read_text(encoding="utf-8")
        pxds = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(src.parent.glob("*.pxd"))]
        info = analyse_file(text, pxds)
        if info["points"]:
            files.append((e, lab, info))
    applicable: dict[str, list] = {}
    for k in KIND_NAMES:
        applicable[k] = []
        for e, lab, info in files:
            ok = [p for p in info["points"] if mutation(k, p, info, random.Random(0)) is not None]
            if ok:
                applicable[k].append((e, lab, info, ok))
    kinds = [k for k in KIND_NAMES if applicable[k]]
    # each project starts the round-robin at its own kind (stable: from its name), so that projects with fewer
    # mutants than kinds still cover the kinds evenly between them
    if kinds:
        off = int(hashlib.sha256(project.encode()).hexdigest(), 16) % len(kinds)
        kinds = kinds[off:] + kinds[:off]
    out: list[dict] = []
    made: set[tuple] = set()
    exhausted: set[str] = set()
    nth: Counter = Counter()
    ki = 0
    while len(out) < count and len(exhausted) < len(kinds):
        kind = kinds[ki % len(kinds)]
        ki += 1
        if kind in exhausted:
            continue
        # one generator per (project, kind, n-th mutant of the kind): editing one kind leaves the others' mutants
        # (and their cached labels) unchanged
        rng = random.Random(f"{seed}:{project}:{kind}:{nth[kind]}")
        nth[kind] += 1
        for _ in range(30):
            e, lab, info, pts = applicable[kind][rng.randrange(len(applicable[kind]))]
            pt = pts[rng.randrange(len(pts))]
            stmt, support = mutation(kind, pt, info, rng)
            key = (e["id"], pt["line"], kind, tuple(stmt))
            if key not in made:
                made.add(key)
                out.append({"kind": kind, "entry": e, "label": lab, "info": info, "point": pt, "stmt": stmt,
                            "support": support})
                break
        else:
            exhausted.add(kind)
    return out


WRITTEN: set[Path] = set()


def _write(path: Path, data: bytes) -> None:
    """Writes a file unless it already holds these bytes (a rerun leaves the tree untouched: no window in which a
    labelling run finds a file missing)."""
    WRITTEN.add(path)
    if path.exists() and path.read_bytes() == data:
        return
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _remove_stale(dest: Path, keep: set[Path]) -> None:
    """Removes the files of an earlier run that this one did not write (and the directories left empty)."""
    if not dest.exists():
        return
    for p in sorted(dest.rglob("*"), reverse=True):
        if p.is_file() and p not in keep and p.name != "manifest.json":
            p.unlink()
        elif p.is_dir() and not any(p.iterdir()):
            p.rmdir()


def write_mutant(dest: Path, m: dict, project: str, mid: str) -> dict:
    e, info, pt, stmt, support = m["entry"], m["info"], m["point"], m["stmt"], m["support"]
    rel = _module_rel(e)
    mroot = dest / project / mid
    dst = mroot / rel
    dst.parent.mkdir(parents=True, exist_ok=True)
    d = dst.parent
    while d != mroot:  # package markers so that the module keeps its dotted name (and finds its own .pxd)
        _write(d / "__init__.py", b"")
        d = d.parent
    src = Path(e["path"])
    for sib in sorted(src.parent.iterdir()):  # the package directory's .pxd/.pxi files, byte-identical copies
        if sib.suffix in (".pxd", ".pxi") and sib.is_file():
            _write(dst.parent / sib.name, sib.read_bytes())
    ind = " " * pt["indent"]
    lines = info["lines"][:pt["line"]] + [ind + s for s in stmt] + info["lines"][pt["line"]:]
    if support:
        lines += [""] + list(support)
    _write(dst, ("\n".join(lines) + "\n").encode("utf-8"))
    # the base's include dirs and directory (for `include "x.pxi"`): the mutant's own package (its .pxd) is found
    # beside it; no per-mutant dir, so that the CLI can check all the mutants of a base in one call
    include_dirs = _portable_dirs(e["include_dirs"]) + [str(src.parent)]
    return {
        "id": f"mutants/{project}/{mid}/{rel.as_posix()}",
        "path": str(dst),
        "module": e.get("module"),
        "project": project,
        "cplus": e.get("cplus", False),
        "include_dirs": list(dict.fromkeys(include_dirs)),
        "cython_args": list(e["cython_args"]),
        "directives": dict(e.get("directives") or {}),
        "annotate": False,
        # the label key ignores where the cache and checkout live: the CI subset's labels can be committed
        # (label.py --corpus mutants --export-committed -> conformance/labels/mutants.json.gz)
        "portable_key": True,
        **({"sdists": e["sdists"]} if e.get("sdists") else {}),
        "mutation": {"kind": m["kind"], "expect": EXPECT[m["kind"]], "project": project, "base": e["id"],
                     "base_bytes": m["label"].get("bytes"),
                     "first_line": pt["line"] + 1, "last_line": pt["line"] + len(stmt),
                     "region_line": pt["region"] + 1, "region_kind": pt["region_kind"], "in_prange": pt["in_prange"],
                     "text": stmt, "support": list(support),
                     "support_first_line": len(info["lines"]) + len(stmt) + 2 if support else None,
                     "expect_clean": EXPECT[m["kind"]] == "clean"},
    }


def _portable_dirs(dirs: list[str]) -> list[str]:
    """Include dirs of a base with its checkout's site-packages (numpy, scipy, Cython/Includes) replaced by this
    interpreter's: a base prepared from another checkout gives the same mutant (and label key) here."""
    from common import site_packages
    out = []
    for d in dirs:
        if "/site-packages" in d:
            d = str(site_packages()) + d.split("/site-packages", 1)[1]
        out.append(d)
    return out


def prepare_mutants(n: int, seed: int, ci: int = 70) -> list[dict]:
    """Writes OUT/mutants-full/manifest.json (n mutants from the bases of BASES_FILE, ceil(n / projects) per
    project) and OUT/mutants/manifest.json (the CI subset: the first ceil(ci / projects) of each project's
    sequence; same files, under OUT/mutants/)."""
    if not BASES_FILE.exists():
        raise SystemExit(f"prepare: {BASES_FILE} missing (mutate.py --select-bases)")
    chosen = read_json(BASES_FILE)["projects"]
    manifests: dict[str, dict] = {}
    by_project: dict[str, list] = {}
    missing = []
    for project, bases in sorted(chosen.items()):
        for b in bases:
            c = b["corpus"]
            if c not in manifests:
                mp = OUT / c / "manifest.json"
                manifests[c] = {e["id"]: e for e in read_json(mp)} if mp.exists() else {}
            e = manifests[c].get(b["id"])
            if e is None or not Path(e["path"]).exists():
                missing.append(b["id"])
                continue
            by_project.setdefault(project, []).append((e, b))
    if missing:
        raise SystemExit(f"prepare: mutant bases not prepared ({len(missing)}, e.g. {missing[:3]}): prepare their "
                         f"corpora first (prepare.py --corpus sklearn / broad)")
    projects = sorted(by_project)
    per = -(-n // len(projects))
    per_ci = -(-ci // len(projects))
    dest = OUT / "mutants"
    seqs = {p: project_sequence(p, by_project[p], per, seed) for p in projects}
    full, ci_list = [], []
    # projects interleaved (position in each project's sequence first): label.py works in manifest order, so any
    # prefix of a labelling run is balanced across projects and kinds
    for i in range(max(len(s) for s in seqs.values())):
        for p in projects:
            if i < len(seqs[p]):
                entry = write_mutant(dest, seqs[p][i], p, f"m{i + 1:04d}")
                entry["ci"] = i < per_ci
                full.append(entry)
                if entry["ci"]:
                    ci_list.append(entry)
    _remove_stale(dest, WRITTEN)
    write_json(OUT / "mutants-full" / "manifest.json", full)
    write_json(dest / "manifest.json", ci_list)
    eprint(f"prepare: mutants: {len(full)} ({len(ci_list)} in the CI subset) from {len(projects)} project(s), "
           f"{len({m['mutation']['base'] for m in full})} base files, "
           f"{len({m['mutation']['kind'] for m in full})} kinds; per project: "
           f"{dict(Counter(m['project'] for m in full))}")
    short = [k for k in KIND_NAMES if k not in {m["mutation"]["kind"] for m in full}]
    if short:
        eprint(f"prepare: mutants: kinds with no applicable point: {short}")
    return full


def main(argv=None) -> int:
    import argparse
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--select-bases", action="store_true", help=f"rewrite {BASES_FILE.name} from the labels")
    ap.add_argument("--per-project", type=int, default=5)
    ap.add_argument("--label-missing", action="store_true", help="label unlabelled candidate bases first")
    args = ap.parse_args(argv)
    if args.select_bases:
        select_bases(args.per_project, args.label_missing)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(main())
