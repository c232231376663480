"""Mutant corpus: one inserted statement (or one try/except block) inside a real nogil region of scikit-learn.

Regions: bodies of `cdef`/`cpdef` functions declared `nogil`, of `with nogil[, parallel(...)]:` blocks and of
`for ... in prange(..., nogil=True)` loops, minus nested `with gil:` blocks and `cdef:` declaration blocks.
Insertion points: the start of a statement in such a body (never before elif/else/except/finally, never after a
return/break/continue/raise at the same indentation, where the compiler would drop it as unreachable), with that
statement's indentation.  Kinds of inserted statements:

  print        print(0)                         list         [1, 2]
  list-assign  _cl_obj = [1, 2]                 dict         {}
  attribute    np.pi / <python arg>.real        fstring      f"{<c local or 0>}"
  percent      "%d" % <c local or 0>            raise        raise ValueError()
  try          try: pass / except Exception: pass (4 lines)
  call-gil     a call to a cdef function of the same file that is not nogil (C-numeric args only)
  call-def     a call to a zero-argument def function of the same file
  call-except  a call to a nogil cdef function of the same file that is not noexcept (C-numeric args only)
  import       import os                        len          len(<python object>)
  c-arith      <c local> = <c local> + 1        (outside prange loops; must stay clean)
  pass         pass                             (must stay clean)

Deterministic: seeded random.Random, files and points in sorted order.  Each mutant is a standalone file
$CYTHON_LENS_CACHE/conformance/mutants/mNNNN/sklearn/<same relative path>.pyx (same module name), next to copies
of its package directory's .pxd/.pxi files (its own .pxd included); the scikit-learn tree is an include dir.
"""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

from common import OUT, eprint, oracle_include_dirs, read_json, write_json

C_NUMERIC = (r"(?:unsigned\s+)?(?:int|long|short|char|double|float|Py_ssize_t|size_t|intp_t|uintp_t|float64_t|"
             r"float32_t|int8_t|int16_t|int32_t|int64_t|uint8_t|uint16_t|uint32_t|uint64_t|floating|"
             r"X_DTYPE_C|Y_DTYPE_C|G_H_DTYPE_C|DTYPE_t|DOUBLE_t|SIZE_t|ITYPE_t|DOUBLE|INT|"
             r"float64_t|intp_t|uint8_t|BITSET_INNER_DTYPE_C|X_BINNED_DTYPE_C|Y_DTYPE)")
_NUM_DECL = re.compile(r"^(?:cdef\s+)?(?:" + C_NUMERIC + r")\s+(\w+)\s*(?:=|$|,)")
_NUM_ARG = re.compile(r"^\s*(?:const\s+)?(" + C_NUMERIC + r")\s+(\w+)\s*(?:=.*)?$")


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
    ind = stmts[k].indent
    j = k + 1
    while j < len(stmts) and stmts[j].indent > ind:
        j += 1
    return j


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


def _func_info(s: Stmt) -> dict | None:
    """For a `cdef`/`cpdef`/`def` definition statement: name, kind, nogil, noexcept, params."""
    m = re.match(r"(cdef|cpdef|def)\b(.*?)(\w+)\s*\((.*)\)\s*(.*):$", s.text)
    if not m or re.match(r"cdef\s+(extern|class|struct|union|enum|cppclass)\b", s.text):
        return None
    kind, _, name, params, tail = m.groups()
    # split params at top-level commas
    parts, depth, buf = [], 0, ""
    for ch in params:
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
    parts = [p.strip() for p in parts if p.strip()]
    return {"kind": kind, "name": name, "params": parts, "tail": tail,
            "nogil": re.search(r"\bnogil\b", tail) is not None, "noexcept": "noexcept" in tail,
            "except": re.search(r"\bexcept\b", tail) is not None, "fused": False}


def analyse_file(text: str) -> dict:
    lines = text.splitlines()
    stmts = logical_statements(lines)
    # functions of the file (top level and methods)
    funcs = []
    for k, s in enumerate(stmts):
        if s.first in ("def", "cdef", "cpdef") and s.text.endswith(":"):
            fi = _func_info(s)
            if fi:
                fi["index"] = k
                funcs.append(fi)
    has_np = re.search(r"^import numpy as np\b", text, re.M) is not None
    # the class each function belongs to (index of its `[cdef] class` statement), for self.method() calls
    classes = [k for k, s in enumerate(stmts) if re.match(r"(cdef\s+)?class\s+\w+", s.text) and s.text.endswith(":")]
    for fi in funcs:
        fi["cls"] = None
        for c in classes:
            if c < fi["index"] < _block_end(stmts, c) and stmts[c].indent < stmts[fi["index"]].indent:
                fi["cls"] = c
    # regions
    points = []
    excluded: set[int] = set()
    for k, s in enumerate(stmts):
        if (re.match(r"with\s+gil\b", s.text) and s.text.endswith(":")) or \
                re.fullmatch(r"cdef\s*:", s.text):
            excluded.update(range(k + 1, _block_end(stmts, k)))
    seen = set()
    for k, s in enumerate(stmts):
        if not (_is_nogil_func(s) or _is_with_nogil(s) or _is_prange_nogil(s)):
            continue
        end = _block_end(stmts, k)
        # the enclosing function (for locals / python args)
        encl = None
        for fi in reversed(funcs):
            if fi["index"] <= k and _block_end(stmts, fi["index"]) >= end:
                encl = fi
                break
        fend = _block_end(stmts, encl["index"]) if encl else end
        c_locals, py_objs = [], []
        if encl:
            for j in range(encl["index"] + 1, fend):
                t = stmts[j].text
                if "const" in t or "[" in t or "*" in t:
                    continue
                m = _NUM_DECL.match(t)
                if m and (t.startswith("cdef") or (j in excluded)):
                    c_locals.append(m.group(1))
            if encl["kind"] in ("def", "cpdef"):
                for p in encl["params"]:
                    if re.fullmatch(r"\w+(\s*=.*)?", p) and not p.startswith("self") and not p.startswith("cls"):
                        py_objs.append(re.match(r"\w+", p).group(0))
                    elif re.fullmatch(r"object\s+\w+(\s*=.*)?", p):
                        py_objs.append(p.split()[1].split("=")[0])
        in_prange = _is_prange_nogil(s)
        for j in range(k + 1, end):
            t = stmts[j]
            if j in excluded or t.first in ("elif", "else", "except", "finally", "@") or t.first.startswith("@"):
                continue
            # previous statement at the same indentation ends the flow?
            prev = next((stmts[q] for q in range(j - 1, k, -1) if stmts[q].indent <= t.indent), None)
            if prev is not None and prev.indent == t.indent and prev.first in ("return", "break", "continue", "raise"):
                continue
            if prev is not None and prev.indent < t.indent and not prev.text.endswith(":"):
                continue  # not a block start: odd layout, skip
            # inside a prange loop nested in this region?
            nested_prange = in_prange or any(_is_prange_nogil(stmts[q]) and _block_end(stmts, q) > j
                                             for q in range(k, j))
            key = t.start
            if key in seen:
                continue
            seen.add(key)
            self_cls = encl["cls"] if encl and encl["params"] and encl["params"][0].split()[-1] == "self" else None
            points.append({"line": t.start, "indent": t.indent, "region": s.start, "in_prange": nested_prange,
                           "self_cls": self_cls,
                           "c_locals": sorted(set(c_locals)), "py_objs": py_objs})
    return {"lines": lines, "points": points, "funcs": funcs, "has_np": has_np}


def _numeric_call(fi: dict) -> str | None:
    args = []
    params = fi["params"]
    if params and params[0].split()[-1] == "self":
        params = params[1:]
    for p in params:
        if not _NUM_ARG.match(p):
            return None
        args.append("1")
    return f"{fi['name']}({', '.join(args)})"


def mutation_text(kind: str, pt: dict, info: dict, rng: random.Random) -> list[str] | None:
    cl = pt["c_locals"]
    cval = rng.choice(cl) if cl else "0"
    top_funcs = [f for f in info["funcs"] if f.get("top")]
    if kind == "print":
        return ["print(0)"]
    if kind == "list":
        return ["[1, 2]"]
    if kind == "list-assign":
        return ["_cl_obj = [1, 2]"]
    if kind == "dict":
        return ["{}"]
    if kind == "attribute":
        if pt["py_objs"]:
            return [f"{rng.choice(pt['py_objs'])}.real"]
        return ["np.pi"] if info["has_np"] else None
    if kind == "fstring":
        return [f'f"{{{cval}}}"']
    if kind == "percent":
        return [f'"%d" % {cval}']
    if kind == "raise":
        return ["raise ValueError()"]
    if kind == "try":
        return ["try:", "    pass", "except Exception:", "    pass"]
    if kind == "import":
        return ["import os"]
    if kind == "len":
        if pt["py_objs"]:
            return [f"len({rng.choice(pt['py_objs'])})"]
        return ["len(np.pi)"] if info["has_np"] else None
    if kind in ("call-gil", "call-except"):
        cands = []
        methods = [f for f in info["funcs"] if pt.get("self_cls") is not None and f["cls"] == pt["self_cls"]
                   and f["params"] and f["params"][0].split()[-1] == "self"]
        for f in top_funcs + methods:
            if f["kind"] not in ("cdef", "cpdef"):
                continue
            if kind == "call-gil" and f["nogil"]:
                continue
            if kind == "call-except" and (not f["nogil"] or f["noexcept"]):
                continue
            call = _numeric_call(f)
            if call:
                cands.append(("self." if f in methods else "") + call)
        return [rng.choice(sorted(cands))] if cands else None
    if kind == "call-def":
        cands = [f"{f['name']}()" for f in top_funcs if f["kind"] == "def" and not f["params"]]
        return [rng.choice(sorted(cands))] if cands else None
    if kind == "c-arith":
        if pt["in_prange"] or not cl:
            return None
        v = rng.choice(cl)
        return [f"{v} = {v} + 1"]
    if kind == "pass":
        return ["pass"]
    raise ValueError(kind)


KINDS = ["print", "list", "list-assign", "dict", "attribute", "fstring", "percent", "raise", "try", "call-gil",
         "call-def", "call-except", "import", "len", "c-arith", "pass"]
CLEAN_KINDS = {"c-arith", "pass"}


SLOW_BASES = ("sklearn/metrics/_dist_metrics.pyx", "sklearn/linear_model/_cd_fast.pyx")


def prepare_mutants(n: int, seed: int) -> list[dict]:
    sk_base = OUT / "sklearn"
    manifest_path = sk_base / "manifest.json"
    if not manifest_path.exists():
        raise SystemExit("prepare: the sklearn corpus must be prepared before the mutants")
    sk_manifest = read_json(manifest_path)
    # Not used as bases: the two slowest modules to compile (≈25-30 s each, measured when the suite was made; a
    # fixed list so the corpus is the same on every machine) and any file the compiler rejects (from its labels).
    slow: set[str] = set(SLOW_BASES)
    labels_path = sk_base / "labels.json"
    if labels_path.exists():
        for lab in read_json(labels_path):
            if lab and any(d["kind"] == "error" for d in lab["diagnostics"]):
                slow.add(lab["id"])
    rng = random.Random(seed)
    sk_root = Path(sk_manifest[0]["include_dirs"][0])
    candidates = []  # (entry, info, point)
    infos = {}
    for e in sk_manifest:
        if e["id"] in slow:
            continue
        text = Path(e["path"]).read_text(encoding="utf-8")
        info = analyse_file(text)
        # which functions are top level (callable by bare name)
        stm = logical_statements(info["lines"])
        for f in info["funcs"]:
            f["top"] = stm[f["index"]].indent == 0
        infos[e["id"]] = info
        for p in info["points"]:
            candidates.append((e, info, p))
    if not candidates:
        raise SystemExit("prepare: no nogil regions found in the scikit-learn corpus")
    by_file = []
    for e, info, p in candidates:
        if not by_file or by_file[-1][0] is not e:
            by_file.append((e, info, []))
        by_file[-1][2].append(p)
    dest_base = OUT / "mutants"
    if dest_base.exists():
        shutil.rmtree(dest_base)
    # per kind: the files (and their points) where it applies, so that rare kinds (calls) are not starved
    applicable: dict[str, list] = {k: [] for k in KINDS}
    for e, info, pts in by_file:
        for k in KINDS:
            ok = [p for p in pts if mutation_text(k, p, info, random.Random(0)) is not None]
            if ok:
                applicable[k].append((e, info, ok))
    kinds = [k for k in KINDS if applicable[k]]
    manifest = []
    made: set[tuple] = set()
    attempts = 0
    ki = 0
    while len(manifest) < n and attempts < n * 50:
        attempts += 1
        kind = kinds[ki % len(kinds)]
        # a file first (uniformly, so that big files do not dominate), then a point in it
        e, info, pts = applicable[kind][rng.randrange(len(applicable[kind]))]
        pt = pts[rng.randrange(len(pts))]
        stmt = mutation_text(kind, pt, info, rng)
        key = (e["id"], pt["line"], kind, tuple(stmt))
        if key in made:
            if attempts % 20 == 0:
                ki += 1  # this kind is exhausted
            continue
        made.add(key)
        ki += 1
        mid = f"m{len(manifest) + 1:04d}"
        rel = Path(e["path"]).relative_to(sk_root)  # sklearn/...
        mroot = dest_base / mid
        dst = mroot / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        # package markers so that the module keeps its dotted name (and finds its own .pxd)
        d = dst.parent
        while d != mroot:
            (d / "__init__.py").write_text("", encoding="utf-8")
            d = d.parent
        # the package directory's .pxd/.pxi files, byte-identical copies, beside the mutant (the compiler finds the
        # same declarations through -I either way; tools that only look beside the file find them too)
        for sib in sorted(Path(e["path"]).parent.iterdir()):
            if sib.suffix in (".pxd", ".pxi") and sib.is_file():
                shutil.copyfile(sib, dst.parent / sib.name)
        ind = " " * pt["indent"]
        new_lines = info["lines"][:pt["line"]] + [ind + s for s in stmt] + info["lines"][pt["line"]:]
        dst.write_text("\n".join(new_lines) + "\n", encoding="utf-8")
        manifest.append({
            "id": f"mutants/{mid}/{rel}",
            "path": str(dst),
            "module": e["module"],
            "cplus": e["cplus"],
            "include_dirs": [str(mroot), str(sk_root), str(Path(e["path"]).parent)] + oracle_include_dirs(),
            "cython_args": list(e["cython_args"]),
            "directives": dict(e.get("directives") or {}),
            "annotate": False,
            "mutation": {"kind": kind, "base": e["id"], "first_line": pt["line"] + 1,
                         "last_line": pt["line"] + len(stmt), "region_line": pt["region"] + 1,
                         "text": stmt, "expect_clean": kind in CLEAN_KINDS},
        })
    write_json(dest_base / "manifest.json", manifest)
    from collections import Counter
    eprint(f"prepare: mutants: {len(manifest)} from {len({m['mutation']['base'] for m in manifest})} files, "
           f"{len(candidates)} insertion points; kinds: {dict(Counter(m['mutation']['kind'] for m in manifest))}")
    return manifest
