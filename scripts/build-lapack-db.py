#!/usr/bin/env python3
"""Builds data/lapack/routines.json.gz: the BLAS/LAPACK routines scipy exposes to Cython, documented.

Inputs (all pinned):
  * signatures: the INSTALLED scipy's scipy/linalg/cython_lapack.pxd and cython_blas.pxd (read from the venv that
    runs this script: `.venv/bin/python scripts/build-lapack-db.py`);
  * documentation: LAPACK's Fortran sources (Debian bookworm source package `lapack`, orig tarball checked against
    scripts/lapack-source.sha256), fetched by scripts/fetch-lapack-source.sh into $CYTHON_LENS_CACHE/lapack-src.

Outputs: data/lapack/routines.json.gz (deterministic: sorted, gzip mtime 0), data/lapack/PROVENANCE.json,
data/lapack/licenses/{LAPACK-LICENSE.txt,scipy-LICENSE.txt}. Prints coverage figures at the end.

Usage: .venv/bin/python scripts/build-lapack-db.py [--lapack-src DIR] [--out DIR]
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = 1
NETLIB = "https://www.netlib.org/lapack/explore-html/"
WORKSPACE_SIZE_PARAMS = ("lwork", "liwork", "lrwork")  # NB: ldwork is a leading dimension, not a size
FUNCS = {"max", "min", "abs", "int", "nint", "log", "log2", "sqrt", "ceil", "floor", "mod"}


# ----------------------------------------------------------------------------------------------------------------
# scipy .pxd signatures
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class PxdParam:
    name: str   # as scipy spells it (lambda_, in_, type_bn, ...)
    type: str   # C type as scipy spells it, e.g. "d *", "int *", "cselect1 *"
    text: str   # the declaration text, e.g. "d *a"


@dataclass
class PxdRoutine:
    name: str
    module: str
    returns: str
    params: list[PxdParam]
    decl: str   # the declaration line as scipy writes it, without the leading "cdef "


DECL_RE = re.compile(r"^cdef\s+(?P<ret>[A-Za-z_][\w ]*?)\s+(?P<name>[a-z][a-z0-9_]*)\((?P<args>.*)\)\s*(?P<tail>.*)$")
CTYPEDEF_RE = re.compile(r"^ctypedef\s+(?P<base>.+?)\s+(?P<name>\w+)\s*(?P<fn>\(.*\))?\s*$")
PARAM_RE = re.compile(r"^(?P<base>.*?)\s*(?P<ptr>\*+)?\s*(?P<name>[A-Za-z_]\w*)$")


def parse_pxd(path: Path, module: str) -> tuple[list[PxdRoutine], dict[str, str], dict[str, str]]:
    routines: list[PxdRoutine] = []
    typedefs: dict[str, str] = {}
    callbacks: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        m = CTYPEDEF_RE.match(line)
        if m:
            if m.group("fn"):
                callbacks[m.group("name")] = f"{m.group('base')} {m.group('fn')}"
            else:
                typedefs[m.group("name")] = m.group("base")
            continue
        m = DECL_RE.match(line)
        if not m:
            continue
        params: list[PxdParam] = []
        args = m.group("args").strip()
        for a in ([] if args == "" else args.split(",")):
            a = a.strip()
            pm = PARAM_RE.match(a)
            if not pm:
                raise SystemExit(f"{path}: cannot parse parameter {a!r} in {line!r}")
            ctype = pm.group("base").strip() + (" " + pm.group("ptr") if pm.group("ptr") else "")
            params.append(PxdParam(pm.group("name"), ctype, a))
        routines.append(PxdRoutine(m.group("name"), module, m.group("ret").strip(), params, line[len("cdef "):]))
    return routines, typedefs, callbacks


def normalise_param(name: str) -> str:
    """scipy renames Python keywords / typedef clashes: lambda_ -> lambda, in_ -> in, type_bn -> type, d_ -> d."""
    n = name.lower()
    if n.endswith("_bn"):
        n = n[: -len("_bn")]
    return n.rstrip("_")


# ----------------------------------------------------------------------------------------------------------------
# Fortran sources: Doxygen blocks
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class DocParam:
    name: str      # upper case, as documented
    intent: str    # "in" | "out" | "in,out"
    lines: list[str] = field(default_factory=list)


@dataclass
class FortranDoc:
    path: str
    brief: str
    purpose: str
    definition_prose: str
    params: list[DocParam]
    args: list[str]   # Fortran argument names from the SUBROUTINE/FUNCTION statement (upper case)
    further: str
    code_queries: set[str]


DOX_RE = re.compile(r"^(?:\*|!)>\s?(.*)$")
PARAM_CMD_RE = re.compile(r"^\\param\s*\[\s*(?P<intent>[a-z ,]+)\s*\]\s+(?P<names>\S.*?)\s*$", re.I)
PAR_CMD_RE = re.compile(r"^\\par\s+(?P<title>.+?):?\s*$")


def clean_markup(text: str) -> str:
    t = text
    t = re.sub(r"\\(?:verbatim|endverbatim|htmlonly|endhtmlonly)\b", "", t)
    t = re.sub(r"</?b>", "", t)
    t = re.sub(r"<[^>]{1,80}>", "", t)
    t = re.sub(r"\\f\$(.*?)\\f\$", r"\1", t)
    t = re.sub(r"\\f[\[\]]", "", t)
    t = re.sub(r"\\(?:b|e|c|a|p|ref|see|sa|em)\s+", "", t)
    return t.rstrip()


def dedent_block(lines: list[str]) -> str:
    lines = [clean_markup(l) for l in lines]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    indents = [len(l) - len(l.lstrip(" ")) for l in lines if l.strip()]
    cut = min(indents) if indents else 0
    out: list[str] = []
    for l in lines:
        l = l[cut:] if l.strip() else ""
        if l == "" and out and out[-1] == "":
            continue
        out.append(l)
    return "\n".join(out)


def fortran_args(src: str, name: str, free_form: bool) -> list[str]:
    """Argument names from the (uncommented) SUBROUTINE/FUNCTION statement."""
    code_lines: list[str] = []
    for line in src.splitlines():
        if not line.strip():
            continue
        if free_form:
            s = line.split("!", 1)[0]
            if not s.strip():
                continue
            code_lines.append(s.rstrip())
        else:
            if line[:1] in ("*", "c", "C", "!"):
                continue
            code_lines.append(line.rstrip())
    head = re.compile(r"\b(?:SUBROUTINE|FUNCTION)\s+" + re.escape(name) + r"\s*\(", re.I)
    for i, line in enumerate(code_lines):
        m = head.search(line)
        if not m:
            continue
        buf = line[m.end():]
        j = i
        while ")" not in buf:
            j += 1
            nxt = code_lines[j]
            if free_form:
                buf = buf.rstrip().rstrip("&") + " " + nxt.strip().lstrip("&")
            else:
                buf += " " + nxt[6:]
        if free_form:
            buf = buf.replace("&", " ")
        inner = buf.split(")", 1)[0]
        return [a.strip().upper() for a in inner.split(",") if a.strip()]
    return []


def parse_fortran(path: Path, name: str, rel: str) -> FortranDoc:
    src = path.read_text(encoding="latin-1")
    free_form = path.suffix == ".f90"
    brief_lines: list[str] = []
    purpose: list[str] = []
    further: list[str] = []
    params: list[DocParam] = []
    definition_prose: list[str] = []
    section: Optional[str] = None  # "brief" | "purpose" | "param" | "further" | None
    in_definition = False
    for line in src.splitlines():
        m = DOX_RE.match(line)
        if not m:
            # plain comment lines: only the prose of the "Definition:" section is kept (.f90 BLAS put the
            # description of e.g. DROTG there rather than under Purpose)
            stripped = line.lstrip("*!").rstrip() if line[:1] in ("*", "!") else None
            if stripped is None:
                if not line.strip():
                    continue
                break  # code starts: documentation is over
            if section == "brief":
                section = None
            if stripped.strip() == "Definition:":
                in_definition = True
                continue
            if in_definition and not re.fullmatch(r"\s*=+\s*", stripped):
                definition_prose.append(stripped)
            continue
        in_definition = False
        body = m.group(1)
        cmd = body.strip()
        if cmd.startswith("\\brief"):
            section = "brief"
            brief_lines.append(cmd[len("\\brief"):])
            continue
        pm = PARAM_CMD_RE.match(cmd)
        if pm:
            intent = re.sub(r"\s+", "", pm.group("intent").lower())
            if intent in ("inout", "out,in"):
                intent = "in,out"
            for n in re.split(r"[\s,]+", pm.group("names")):
                if n:
                    params.append(DocParam(n.upper(), intent))
            section = "param"
            continue
        par = PAR_CMD_RE.match(cmd)
        if par:
            title = par.group("title").lower()
            section = "purpose" if title.startswith("purpose") else ("further" if "further" in title else "other")
            continue
        if cmd.startswith("\\") and not cmd.startswith(("\\verbatim", "\\endverbatim", "\\f")):
            section = None  # \author, \ingroup, \date, \htmlonly ...
            continue
        if section == "brief":
            if not cmd:
                section = None
            else:
                brief_lines.append(cmd)
        elif section == "purpose":
            purpose.append(body)
        elif section == "further":
            further.append(body)
        elif section == "param":
            params[-1].lines.append(body)
    brief = re.sub(r"\s+", " ", clean_markup(" ".join(brief_lines))).strip()
    prose = dedent_block(definition_prose)
    # keep the Definition prose only when it describes the routine (not the declaration itself)
    first = prose.strip().splitlines()[0] if prose.strip() else ""
    if not first.upper().startswith(name.upper() + " ") or re.search(r"\b(SUBROUTINE|FUNCTION)\b", first, re.I):
        prose = ""
    else:
        prose = prose.split("\n\n")[0]
    return FortranDoc(rel, brief, dedent_block(purpose), prose, params,
                      fortran_args(src, name, free_form), dedent_block(further), code_queries(src))


# ----------------------------------------------------------------------------------------------------------------
# Workspace formulas
# ----------------------------------------------------------------------------------------------------------------

TOKEN_RE = re.compile(r"\s*(?:(?P<num>\d+(?!\.\d))|(?P<id>[A-Za-z][A-Za-z0-9_]*)|(?P<op>\*\*|[-+*/(),]))")


ENGLISH = {"if", "and", "or", "the", "for", "where", "when", "is", "otherwise", "then", "in", "is", "to", "of",
           "this", "suffices", "but", "with", "as", "on", "at", "must", "should", "it", "see", "here"}


class ExprError(Exception):
    pass


class ExprScanner:
    """Finds the extent of a formula such as `3*min(M,N) + max( 2*min(M,N), max(M,N), NRHS )` in prose."""

    def __init__(self, text: str, pos: int):
        self.text = text
        self.toks: list[tuple[str, str, int, int]] = []
        p = pos
        while True:
            m = TOKEN_RE.match(text, p)
            if not m or m.end() == p:
                break
            kind = m.lastgroup or ""
            self.toks.append((kind, m.group(kind), m.start(kind), m.end()))
            p = m.end()
        self.i = 0
        self.names: set[str] = set()

    def peek(self, k: int = 0) -> tuple[str, str, int, int]:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else ("eof", "", len(self.text), len(self.text))

    def take(self) -> tuple[str, str, int, int]:
        t = self.peek()
        if t[0] == "eof":
            raise ExprError("unexpected end")
        self.i += 1
        return t

    def expr(self) -> None:
        self.term()
        while self.peek()[1] in ("+", "-") and self.starts_operand(1):
            self.take()
            self.term()

    def term(self) -> None:
        self.factor()
        while self.peek()[1] in ("*", "/") and self.starts_operand(1):
            self.take()
            self.factor()

    def factor(self) -> None:
        self.unary()
        if self.peek()[1] == "**" and self.starts_operand(1):
            self.take()
            self.factor()

    def starts_operand(self, k: int) -> bool:
        kind, val, _, _ = self.peek(k)
        return kind in ("num", "id") or val in ("(", "-")

    def unary(self) -> None:
        if self.peek()[1] == "-":
            self.take()
            self.unary()
            return
        self.primary()

    def primary(self) -> None:
        kind, val, _, _ = self.take()
        if kind == "num":
            return
        if kind == "id":
            if val.lower() in FUNCS and self.peek()[1] == "(":
                self.take()
                self.expr()
                while self.peek()[1] == ",":
                    self.take()
                    self.expr()
                if self.take()[1] != ")":
                    raise ExprError("expected )")
                return
            if val.lower() in ENGLISH:
                raise ExprError("english word")
            self.names.add(val.lower())
            return
        if val == "(":
            self.expr()
            if self.take()[1] != ")":
                raise ExprError("expected )")
            return
        raise ExprError(f"unexpected {val!r}")

    def followed_by_operand(self) -> bool:
        """True when prose continues the formula in a way we cannot read (e.g. `2*N*lg N`)."""
        kind, val, _, _ = self.peek()
        if kind == "num" or val == "(":
            return True
        return kind == "id" and (val.isupper() or len(val) <= 2) and val.lower() not in ENGLISH

    def scan(self) -> tuple[str, int, list[str]]:
        self.expr()
        if self.i == 0:
            raise ExprError("empty")
        end = self.toks[self.i - 1][3]
        start = self.toks[0][2]
        return re.sub(r"\s+", " ", self.text[start:end]).strip(), end, sorted(self.names)


RULE_RE = re.compile(
    r"\b(?P<p>L[IR]?WORK|[IR]?WORK(?:\s+is\s+size)?)\b\s*"
    r"(?P<op>>=|\.GE\.|must\s+be\s+at\s+least|must\s+be\s+>=|=(?=[^=]{1,60}?\bsuffices\b))\s*", re.I)
DEF_RE = re.compile(r"\b(?:let|where)\s+(?P<n>[A-Za-z][A-Za-z0-9_]*)\s*=\s*", re.I)
DEF_MORE_RE = re.compile(r"\s*(?:,|and|,\s*and)\s+(?P<n>[A-Za-z][A-Za-z0-9_]*)\s*=\s*", re.I)
QUERY_RE = re.compile(r"\b(L[DIR]?WORK)\s*=\s*-1\b", re.I)
COND_RE = re.compile(r"\b(if|when|unless|otherwise|else)\b", re.I)
COND_AFTER_RE = re.compile(r"\s*,?\s*(if|when|unless|for\s+the|in\s+case|depending)\b", re.I)
OPTIMAL_RE = re.compile(r"optim|performance|efficien|\bbest\b|\bbetter\b", re.I)
BOUNDARY = r"[.;:](?=\s|$)|\n\s*\n|\n(?=\s*(?:If|if|Otherwise|otherwise|Else)\b)"
# after a formula, a new line that starts with a capitalised word starts a new sentence ("For good performance")
# (a line starting with a lower-case "if" continues the formula's sentence: "LWORK >= max(1,18*N)\n if JOBZ = 'V'")
BOUNDARY_AFTER = r"[.;:](?=\s|$)|\n\s*\n|\n(?=\s*(?:If|Otherwise|Else)\b)|\n(?=\s*[A-Z][a-z])"
WORK_ARRAY_OF = {"work": "lwork", "iwork": "liwork", "rwork": "lrwork"}


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): bounded by . ; : (followed by space), blank lines and line-initial If."""
    b = 0
    for m in re.finditer(BOUNDARY, text[:start]):
        b = m.end()
    e = len(text)
    m = re.search(BOUNDARY_AFTER, text[end:])
    if m:
        e = end + m.start() + (1 if m.group(0)[:1] in ".;:" else 0)
    return b, e


def scan_defs(param_doc: str) -> list[dict]:
    """Local names a workspace formula uses: "Let mx = max(M,N) and mn = min(M,N)." / "where LWKMIN = ..."."""
    defs: list[dict] = []
    for m in DEF_RE.finditer(param_doc):
        name, pos = m.group("n").lower(), m.end()
        while True:
            if name in WORKSPACE_SIZE_PARAMS:
                break
            try:
                sc = ExprScanner(param_doc, pos)
                expr, end, names = sc.scan()
            except (ExprError, IndexError):
                break
            if sc.followed_by_operand():
                break
            defs.append({"name": name, "expr": expr, "names": names})
            more = DEF_MORE_RE.match(param_doc, end)
            if not more:
                break
            name, pos = more.group("n").lower(), more.end()
    return defs


def workspace_rules(param_doc: str, param: str) -> tuple[list[dict], list[dict], bool]:
    """Minimum / optimal formulas stated for one L*WORK parameter, local definitions, and the -1 query."""
    rules: list[dict] = []
    for m in RULE_RE.finditer(param_doc):
        said = m.group("p").lower().split()[0]
        target = WORK_ARRAY_OF.get(said, said)
        if target != param:
            continue
        try:
            sc = ExprScanner(param_doc, m.end())
            expr, end, names = sc.scan()
        except (ExprError, IndexError):
            continue
        b, e = sentence_bounds(param_doc, m.start(), end)
        clause = param_doc[b:e]
        before = param_doc[b:m.start()]
        after = param_doc[end:e]
        if re.search(r"\b(for|if|when|unless|while|with)\s*$", before, re.I):
            continue  # "for LWORK >= N, TRS will be done with Level BLAS 3": a case, not a requirement
        # what is said of this formula ends where the next one starts ("LWORK >= 1, and for best performance ...")
        own_after = re.split(r",\s*and\b|\bL[IR]?WORK\b", after, maxsplit=1)[0]
        conditional = bool(COND_RE.search(before) or COND_AFTER_RE.match(after))
        cond_before = re.search(r"(?:^|.*[^\w])(?:if|when)\s+(.+?),\s*(?:then\s+)?$", before, re.I | re.S)
        cond_after = re.match(r"\s*,?\s*(?:if|when)\s+(.+?)[\s,;.]*$", own_after, re.I | re.S)
        condition = (cond_before or cond_after)
        condition_text = re.sub(r"\s+", " ", condition.group(1)).strip() if condition else None
        if m.group("op").startswith("=") or re.match(r"\s*is\s+sufficient\b", own_after, re.I):
            kind = "sufficient"
        elif OPTIMAL_RE.search(before) or OPTIMAL_RE.search(own_after):
            kind = "optimal"
        else:
            kind = "minimum"
        rules.append({
            "param": param,
            "expr": expr,
            "names": names,
            "kind": kind,
            "conditional": conditional,
            **({"condition": condition_text} if conditional and condition_text else {}),
            "exact": not sc.followed_by_operand(),
            "text": re.sub(r"\s+", " ", clause).strip(),
        })
    if re.search(r"->|depends\s+on|\bPATH\b", param_doc):
        # nested case analyses (xGEJSV, xGESVD): which bound applies is not readable clause by clause
        for r in rules:
            r["conditional"] = True
            r.pop("condition", None)
    query = any(q.group(1).lower() in (param, "ldwork") for q in QUERY_RE.finditer(param_doc)) and \
        re.search(r"query", param_doc, re.I) is not None
    return rules, scan_defs(param_doc), query


def code_queries(src: str) -> set[str]:
    """L*WORK parameters whose value -1 the code treats as a workspace query (LQUERY = ( LWORK.EQ.-1 ) ...)."""
    found = set()
    for m in re.finditer(r"\b(L[IR]?WORK)\s*(?:\.EQ\.|==)\s*\(?\s*-\s*1\b", src, re.I):
        found.add(m.group(1).lower())
    return found


# ----------------------------------------------------------------------------------------------------------------
# Assembly
# ----------------------------------------------------------------------------------------------------------------

def doxygen_file_url(filename: str) -> str:
    """Doxygen's page name for a source file (CREATE_SUBDIRS: md5 of the escaped name -> dX/dYY/)."""
    escaped = filename.replace("_", "__").replace(".", "_8")
    sig = hashlib.md5(escaped.encode("utf-8")).digest()
    return f"{NETLIB}d{sig[14] & 0xF:x}/d{sig[15]:02x}/{escaped}.html"


def find_source(src_root: Path, name: str, module: str) -> Path:
    dirs = ["BLAS/SRC", "SRC", "INSTALL"] if module == "cython_blas" else ["SRC", "INSTALL", "BLAS/SRC"]
    for d in dirs:
        for ext in (".f", ".f90", ".F"):
            p = src_root / d / (name + ext)
            if p.is_file():
                return p
    raise SystemExit(f"no Fortran source for {name} under {src_root}")


def first_sentence(text: str) -> str:
    flat = re.sub(r"\s+", " ", text).strip()
    m = re.search(r"(?<=[a-z0-9)\]][.])\s+(?=[A-Za-z])|(?<=[.:])\s+(?=[A-Z])", flat)
    return (flat[: m.start()] if m else flat).strip()


def summary_of(name: str, doc: FortranDoc) -> str:
    brief = doc.brief.strip()
    bare = re.fullmatch(r"(?i)\s*" + re.escape(name) + r"\s*", brief) is not None
    if brief and not bare:
        return brief
    if doc.definition_prose:
        return first_sentence(doc.definition_prose)
    if doc.purpose:
        return first_sentence(doc.purpose)
    return brief


def build_routine(rt: PxdRoutine, doc: FortranDoc, stats: dict) -> dict:
    by_name = {p.name: p for p in doc.params}
    doc_names = [p.name for p in doc.params]
    params_out: list[dict] = []
    for i, p in enumerate(rt.params):
        norm = normalise_param(p.name).upper()
        dp: Optional[DocParam] = by_name.get(norm)
        how = "name"
        if dp is None and len(doc.args) == len(rt.params) and doc.args[i] in by_name:
            dp, how = by_name[doc.args[i]], "position (Fortran argument list)"
        if dp is None and len(doc_names) == len(rt.params):
            dp, how = doc.params[i], "position (documented order)"
        entry: dict = {"name": p.name, "type": p.type}
        if dp is not None:
            entry["fortranName"] = dp.name
            entry["intent"] = dp.intent
            entry["doc"] = dedent_block(dp.lines)
            stats["match_" + how.split(" ")[0]] += 1
            if how != "name":
                stats["renamed"].append(f"{rt.name}.{p.name}~{dp.name}")
        else:
            stats["unmatched"].append(f"{rt.name}.{p.name}")
        params_out.append(entry)

    rules: list[dict] = []
    defs: list[dict] = []
    query: list[str] = []
    query_doc: list[str] = []
    for entry in params_out:
        n = normalise_param(entry["name"])
        if n in WORKSPACE_SIZE_PARAMS and "doc" in entry:
            r, d, q = workspace_rules(entry["doc"], n)
            rules += r
            defs += [x for x in d if x["name"] not in {y["name"] for y in defs}]
            if q or n in doc.code_queries:
                query.append(entry["name"])
            if q:
                query_doc.append(entry["name"])
    arrays = []
    for entry in params_out:
        n = normalise_param(entry["name"])
        if re.fullmatch(r"[a-z]?work", n) and "doc" in entry:
            m = re.search(r"dimension\s*(\((?:[^()]|\([^()]*\))*\))", entry["doc"], re.I)
            if m:
                arrays.append({"param": entry["name"], "dimension": re.sub(r"\s+", " ", m.group(1)).strip()})

    out: dict = {
        "name": rt.name,
        "module": rt.module,
        "returns": rt.returns,
        "decl": rt.decl,
        "summary": summary_of(rt.name, doc),
        "purpose": "\n\n".join(x for x in (doc.definition_prose, doc.purpose) if x),
        "source": doc.path,
        "url": doxygen_file_url(Path(doc.path).name),
        "params": params_out,
    }
    if rules or query or arrays:
        out["workspace"] = {"rules": rules, "definitions": defs, "query": query, "queryDocumented": query_doc,
                            "arrays": arrays}
    return out


def sha256_file(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lapack-src", help="unpacked LAPACK source (default: run scripts/fetch-lapack-source.sh)")
    ap.add_argument("--out", default=str(ROOT / "data" / "lapack"))
    args = ap.parse_args()
    t0 = time.monotonic()

    import scipy  # the pinned, installed scipy of the venv running this script
    from importlib import metadata

    scipy_dir = Path(scipy.__file__).resolve().parent
    scipy_version = scipy.__version__
    if args.lapack_src:
        src_root = Path(args.lapack_src)
    else:
        res = subprocess.run(["bash", str(ROOT / "scripts" / "fetch-lapack-source.sh")], check=True,
                             stdout=subprocess.PIPE, text=True)
        src_root = Path(res.stdout.strip().splitlines()[-1])
    orig_sha = (src_root / ".unpacked.sha256").read_text().strip() if (src_root / ".unpacked.sha256").exists() else ""
    want_sha = (ROOT / "scripts" / "lapack-source.sha256").read_text().split()[0]
    if orig_sha != want_sha:
        raise SystemExit(f"{src_root} was not unpacked from the pinned tarball (sha256 {orig_sha!r} != {want_sha})")
    version_m = re.search(r"lapack-(\d+\.\d+\.\d+)$", src_root.name)
    lapack_version = version_m.group(1) if version_m else "unknown"

    routines: list[PxdRoutine] = []
    typedefs: dict[str, str] = {}
    callbacks: dict[str, str] = {}
    pxd_info = {}
    for module in ("cython_lapack", "cython_blas"):
        pxd = scipy_dir / "linalg" / f"{module}.pxd"
        r, t, c = parse_pxd(pxd, module)
        routines += r
        typedefs.update(t)
        callbacks.update(c)
        pxd_info[module] = {"sha256": sha256_file(pxd), "routines": len(r)}

    stats: dict = {"match_name": 0, "match_position": 0, "unmatched": [], "renamed": []}
    out_routines: dict[str, dict] = {}
    for rt in sorted(routines, key=lambda r: (r.name, r.module)):
        path = find_source(src_root, rt.name, rt.module)
        rel = path.relative_to(src_root).as_posix()
        doc = parse_fortran(path, rt.name, rel)
        out_routines[rt.name] = build_routine(rt, doc, stats)

    db = {
        "schema": SCHEMA,
        "scipyVersion": scipy_version,
        "lapackVersion": lapack_version,
        "typedefs": dict(sorted(typedefs.items())),
        "callbacks": dict(sorted(callbacks.items())),
        "routines": out_routines,
    }
    payload = json.dumps(db, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(payload)

    out_dir = Path(args.out)
    (out_dir / "licenses").mkdir(parents=True, exist_ok=True)
    (out_dir / "routines.json.gz").write_bytes(buf.getvalue())
    lic_lapack = (src_root / "LICENSE").read_bytes()
    dist = metadata.distribution("scipy")
    lic_scipy_path = Path(str(dist.locate_file(f"scipy-{scipy_version}.dist-info/LICENSE.txt")))
    lic_scipy = lic_scipy_path.read_bytes()
    (out_dir / "licenses" / "LAPACK-LICENSE.txt").write_bytes(lic_lapack)
    (out_dir / "licenses" / "scipy-LICENSE.txt").write_bytes(lic_scipy)

    # coverage
    all_params = [p for r in out_routines.values() for p in r["params"]]
    documented = [r for r in out_routines.values() if r["summary"] and r["purpose"]]
    with_intent = [p for p in all_params if "intent" in p]
    with_size_param = [r for r in out_routines.values()
                       if any(normalise_param(p["name"]) in WORKSPACE_SIZE_PARAMS for p in r["params"])]
    with_rules = [r for r in with_size_param
                  if r.get("workspace", {}).get("rules") or r.get("workspace", {}).get("query")]
    with_min = [r for r in with_rules if any(x["kind"] == "minimum" for x in r["workspace"]["rules"])]
    with_query = [r for r in out_routines.values() if r.get("workspace", {}).get("query")]
    with_ws = [r for r in out_routines.values() if "workspace" in r]
    lapack_n = sum(1 for r in out_routines.values() if r["module"] == "cython_lapack")
    blas_n = len(out_routines) - lapack_n
    counts = {
        "routines": len(out_routines),
        "lapackRoutines": lapack_n,
        "blasRoutines": blas_n,
        "documented": len(documented),
        "parameters": len(all_params),
        "parametersWithIntent": len(with_intent),
        "parametersWithDoc": sum(1 for p in all_params if p.get("doc")),
        "workspaceSizeParamRoutines": len(with_size_param),
        "workspaceHintRoutines": len(with_rules),
        "workspaceMinimumRuleRoutines": len(with_min),
        "workspaceQueryRoutines": len(with_query),
        "workspaceAnyInfoRoutines": len(with_ws),
    }
    provenance = {
        "generatedBy": "scripts/build-lapack-db.py",
        "scriptSha256": sha256_file(Path(__file__).resolve()),
        "scipy": {"version": scipy_version, "files": {f"scipy/linalg/{m}.pxd": v for m, v in pxd_info.items()},
                  "license": "BSD-3-Clause (licenses/scipy-LICENSE.txt)"},
        "lapack": {"version": lapack_version,
                   "source": f"Debian bookworm source package lapack ({lapack_version}), "
                             f"lapack_{lapack_version}.orig.tar.gz",
                   "origTarballSha256": want_sha,
                   "license": "BSD-3-Clause (licenses/LAPACK-LICENSE.txt)"},
        "output": {"routines.json.gz": hashlib.sha256(buf.getvalue()).hexdigest(),
                   "uncompressedBytes": len(payload), "compressedBytes": len(buf.getvalue())},
        "counts": counts,
    }
    (out_dir / "PROVENANCE.json").write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")

    dt = time.monotonic() - t0
    for u in stats["unmatched"]:
        print(f"  unmatched parameter: {u}", file=sys.stderr)
    if os.environ.get("LAPACK_DB_VERBOSE"):
        for u in stats["renamed"]:
            print(f"  matched by position: {u}", file=sys.stderr)
    print(f"scipy {scipy_version}, LAPACK {lapack_version} ({src_root})")
    print(f"routines documented: {counts['documented']} of {counts['routines']} "
          f"({lapack_n} LAPACK + {blas_n} BLAS)")
    print(f"parameters with intent: {counts['parametersWithIntent']} of {counts['parameters']} "
          f"(by name {stats['match_name']}, by position {stats['match_position']})")
    print(f"workspace hints: {counts['workspaceHintRoutines']} routines of "
          f"{counts['workspaceSizeParamRoutines']} with an LWORK/LIWORK/LRWORK parameter "
          f"({counts['workspaceMinimumRuleRoutines']} with a minimum formula, "
          f"{counts['workspaceQueryRoutines']} with an LWORK=-1 query, "
          f"{counts['workspaceAnyInfoRoutines']} with any workspace info)")
    print(f"wrote {out_dir / 'routines.json.gz'}: {len(buf.getvalue())} bytes "
          f"({len(payload)} uncompressed) in {dt:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
