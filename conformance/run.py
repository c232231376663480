#!/usr/bin/env python
"""Compares `cython-lens check` with the compiler's labels (see README.md for the figure definitions).

    conformance/run.py [--cli dist/cli.js] [--predictions FILE.json | --predictions-from-labels]
                       [--corpus all|sklearn|cython-tests|mutants|mutants-full|broad|broad-ci] [--full] [--batch N] [--check-targets]

Reads $CYTHON_LENS_CACHE/conformance/<corpus>/{manifest,labels}.json (conformance/prepare.py, label.py), runs
`node <cli> check --format json --annotate -I DIR... FILE...` in batches of files sharing their include dirs,
prints the table and writes $CYTHON_LENS_CACHE/conformance/report.json.

Exit status: 0 = figures computed (whatever they are); 2 = infrastructure failure (labels missing, the CLI crashed
or printed something that is not the documented JSON); 3 = --check-targets given and a target was missed.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BROAD_CORPORA, CORPORA, OUT, REPO, categorize, eprint, read_json, write_json  # noqa: E402

TARGETS = {
    "sklearn_false_errors": ("<=", 0),
    "cython-tests.error_recall": (">=", 0.97),
    "cython-tests.error_precision": (">=", 0.99),
    "mutants.error_recall": (">=", 0.97),
    "mutants.error_precision": (">=", 0.99),
    "mutants.hint_recall": (">=", 0.95),
    "mutants.hint_precision": (">=", 0.90),
    "hint_recall": (">=", 0.90),
    "annotation_f1": (">=", 0.95),
    "annotation_spearman": (">=", 0.80),
}

# The broad real-code corpus (broad.py), per project and pooled; figure names "<corpus>.<metric>" (pooled) and
# "<corpus>/<project>.<metric>", corpus = broad (everything labelled, --full) or broad-ci (the CI subset).
BROAD_TARGETS = {
    "false_error_lines": ("<=", 0),     # lines with a CLI error on files the compiler accepts
    "parse_clean": (">=", 0.995),       # .pyx/.pxd/.pxi files of the prepared tree without ERROR / MISSING node
    # error lines on the project's .pxd and .pxi files analysed on their own, as a user opens them: the modules that
    # cimport / include them compile, so every such error is false
    "header_false_error_lines": ("<=", 0),
    "annotation_f1": (">=", 0.95),      # "score > 0" per line, files the compiler accepts
    "annotation_spearman": (">=", 0.80),
}

HINT_SEVERITIES = {"information", "hint"}
# Information / hint diagnostics of ours that the compiler has no counterpart for: counted apart ("own hints"),
# neither as predicted compiler performance hints nor as false ones.
OWN_HINT_CODES = {"gil-transition-in-loop", "unresolved-cimport", "not-analysed", "nested-too-deeply",
                  "incomplete-class-layout", "lapack-info-unchecked", "ignored-directive-comment",
                  "lapack-overwritten-input"}
# Hints the compiler prints while generating C (Exception check after calling ..., Use boundscheck(False) ...): a file
# with errors stops before code generation (label "stopped_after": "analysis"), so the compiler says nothing either way
# about them there; ours on such files are left out of the hint figures (counted as "unjudged_codegen_hint_lines").
CODEGEN_HINT_CODES = {"exception-check-requires-gil", "boundscheck-hint"}
# "mutants-full": every mutant (mutate.py); "mutants": its CI subset.  Both are scored alike under the name
# "mutants" in the figures and targets.
MUTANT_CORPORA = ("mutants", "mutants-full")


class InfraError(Exception):
    pass


# ----------------------------------------------------------------------------------------------- predictions
def predictions_from_labels(labels: list[dict]) -> dict[str, dict]:
    """The labels rendered as the CLI's JSON (errors -> error, warnings -> warning, hints -> information).
    Feeding these back must give perfect figures."""
    sev = {"error": "error", "warning": "warning", "hint": "information", "note": "hint"}
    out = {}
    for lab in labels:
        diags = []
        for d in lab["diagnostics"]:
            diags.append({"line": d["line"], "column": d["column"] + 1, "endLine": d["line"],
                          "endColumn": d["column"] + 2, "severity": sev[d["kind"]],
                          "code": d.get("category") or "compiler", "message": d["message"].split("\n", 1)[0]})
        out[lab["path"]] = {"file": lab["path"], "diagnostics": diags,
                            "annotations": list(lab["annotations"] or [])}
    return out


def _validate(result) -> list[dict]:
    if not isinstance(result, list):
        raise InfraError("CLI output is not a JSON list")
    for r in result:
        if not isinstance(r, dict) or "file" not in r or not isinstance(r.get("diagnostics"), list):
            raise InfraError(f"CLI output entry has not the documented shape: {str(r)[:200]}")
        for d in r["diagnostics"]:
            for k in ("line", "column", "severity", "message"):
                if k not in d:
                    raise InfraError(f"CLI diagnostic without {k!r}: {str(d)[:200]}")
    return result


# The compiler's language-level options, as the directive the CLI reads (`-X language_level=...`).
_LANGUAGE_LEVEL_ARGS = {"-2": "2", "-3": "3", "--3str": "3str"}


def cli_directives(entry: dict) -> dict[str, str]:
    """The directives of a manifest entry for the CLI: its `-X` directives plus the language level of `-2` / `-3` /
    `--3str` in its compiler arguments (below 3, `print` is a statement)."""
    out = dict(entry.get("directives") or {})
    for a in entry.get("cython_args") or []:
        if a in _LANGUAGE_LEVEL_ARGS:
            out.setdefault("language_level", _LANGUAGE_LEVEL_ARGS[a])
    return out


def run_cli(cli: Path, entries: list[dict], batch: int, timeout: float, directives: bool = False) -> dict[str, dict]:
    if not cli.exists():
        raise InfraError(f"{cli} does not exist (build it with `npm run build`)")
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for e in entries:
        dirs = tuple(sorted(cli_directives(e).items())) if directives else ()
        groups[(tuple(e["include_dirs"]), dirs)].append(e)
    out: dict[str, dict] = {}
    for (incs, dirs), group in groups.items():
        for i in range(0, len(group), batch):
            chunk = group[i:i + batch]
            argv = ["node", str(cli), "check", "--format", "json", "--annotate"]
            for d in incs:
                argv += ["-I", d]
            for k, v in dirs:
                argv += ["-X", f"{k}={v}"]
            argv += [e["path"] for e in chunk]
            try:
                proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=str(REPO))
            except subprocess.TimeoutExpired:
                raise InfraError(f"CLI timed out after {timeout}s on {len(chunk)} files starting {chunk[0]['path']}")
            if proc.returncode not in (0, 1):  # the CLI: 0 no errors, 1 errors found, 2 usage / internal failure
                raise InfraError(f"CLI exit {proc.returncode} on {len(chunk)} files starting {chunk[0]['path']}:\n"
                                 f"{proc.stderr[-2000:]}")
            try:
                result = _validate(json.loads(proc.stdout))
            except (json.JSONDecodeError, InfraError) as ex:
                raise InfraError(f"CLI (exit {proc.returncode}) gave no valid JSON for {chunk[0]['path']}...: {ex}\n"
                                 f"stderr: {proc.stderr[-2000:]}\nstdout: {proc.stdout[:500]}")
            for r in result:
                out[str(Path(r["file"]).resolve())] = r
            missing = [e["path"] for e in chunk if str(Path(e["path"]).resolve()) not in out]
            if missing:
                raise InfraError(f"CLI output has no entry for {missing[:3]} (exit {proc.returncode})")
    return out


# ----------------------------------------------------------------------------------------------- metrics
def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def pred_category(d: dict) -> str | None:
    """Category of a predicted diagnostic: from its message (the engine is meant to print the compiler's messages),
    else its code when the code is one of our category names."""
    c = categorize(d.get("message", ""))
    if c:
        return c
    code = str(d.get("code") or "")
    return code if code in KNOWN_CATEGORIES else None


def _all_categories() -> set[str]:
    import common
    cats = {c for c, _ in common._CATEGORY_RULES} | set(common._SUBJECT_CATEGORY.values()) | {"py-construct", "py-other"}
    return cats


KNOWN_CATEGORIES = _all_categories()


def rankdata(xs: list[float]) -> list[float]:
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    ranks = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        avg = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[order[k]] = avg
        i = j + 1
    return ranks


def spearman(a: list[float], b: list[float]) -> float | None:
    if len(a) < 2:
        return None
    ra, rb = rankdata(a), rankdata(b)
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra)
    vb = sum((y - mb) ** 2 for y in rb)
    if va == 0 or vb == 0:
        return 1.0 if ra == rb else 0.0
    return round(cov / (va * vb) ** 0.5, 4)


def gil_error_lines(lab: dict) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for d in lab["diagnostics"]:
        cat = categorize(d["message"])  # recomputed: labels are cached, the category map may evolve
        if d["kind"] == "error" and cat:
            out[d["line"]].add(cat)
    return out


def pred_gil_error_lines(pred: dict) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for d in pred["diagnostics"]:
        if d["severity"] == "error":
            c = pred_category(d)
            if c:
                out[int(d["line"])].add(c)
    return out


def compare_errors(labels: list[dict], preds: dict[str, dict]) -> dict:
    """Line-level precision/recall of GIL errors, overall and per category.  Files where the compiler stopped at
    the parse phase (a syntax error: it says nothing about the GIL) are left out and counted."""
    tp = fp = fn = 0
    per_cat: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    excluded = []
    files = 0
    misses, false_alarms = [], []
    for lab in labels:
        if lab["stopped_after"] in ("parse", "crash"):  # a compiler failure (label.py) says nothing either
            excluded.append(lab["id"])
            continue
        files += 1
        pred = preds[str(Path(lab["path"]).resolve())]
        L = gil_error_lines(lab)
        P = pred_gil_error_lines(pred)
        for line in set(L) | set(P):
            if line in L and line in P:
                tp += 1
            elif line in P:
                fp += 1
                false_alarms.append({"id": lab["id"], "line": line, "predicted": sorted(P[line])})
            else:
                fn += 1
                misses.append({"id": lab["id"], "line": line, "expected": sorted(L[line])})
            for c in L.get(line, set()) | P.get(line, set()):
                inl, inp = c in L.get(line, set()), c in P.get(line, set())
                per_cat[c][0 if inl and inp else (1 if inp else 2)] += 1
    res = prf(tp, fp, fn)
    res.update({"files": files, "excluded_parse_error_files": excluded,
                "per_category": {c: prf(*v) for c, v in sorted(per_cat.items())},
                "misses": misses[:200], "false_alarms": false_alarms[:200]})
    return res


def pred_hint_lines(pred: dict) -> set[int]:
    """Lines of our diagnostics standing for compiler performance hints (severity information / hint, minus our
    own kinds: OWN_HINT_CODES)."""
    return {int(d["line"]) for d in pred["diagnostics"]
            if d["severity"] in HINT_SEVERITIES and str(d.get("code") or "") not in OWN_HINT_CODES}


def compare_hints(labels: list[dict], preds: dict[str, dict]) -> dict:
    tp = fp = fn = own = unjudged = 0
    for lab in labels:
        if lab.get("stopped_after") == "crash":
            continue
        pred = preds[str(Path(lab["path"]).resolve())]
        L = {d["line"] for d in lab["diagnostics"] if d["kind"] == "hint"}
        P = pred_hint_lines(pred)
        if lab.get("stopped_after") == "analysis":
            codegen = {int(d["line"]) for d in pred["diagnostics"] if d["severity"] in HINT_SEVERITIES
                       and str(d.get("code") or "") in CODEGEN_HINT_CODES}
            judged = {int(d["line"]) for d in pred["diagnostics"] if d["severity"] in HINT_SEVERITIES
                      and str(d.get("code") or "") not in CODEGEN_HINT_CODES | OWN_HINT_CODES}
            unjudged += len((codegen - judged) - L)
            P = (P - codegen) | (P & judged) | (P & L)
        own += len({int(d["line"]) for d in pred["diagnostics"] if d["severity"] in HINT_SEVERITIES
                    and str(d.get("code") or "") in OWN_HINT_CODES})
        tp += len(L & P)
        fp += len(P - L)
        fn += len(L - P)
    res = prf(tp, fp, fn)
    res["own_hint_lines"] = own
    res["unjudged_codegen_hint_lines"] = unjudged
    return res


def compare_mutants(labels: list[dict], preds: dict[str, dict], manifest: list[dict]) -> dict:
    """GIL error lines and hint lines per statement kind and per project (files the compiler stops at the parse
    phase left out, as in compare_errors), and the compiler's outcome per kind: which categories it reports on the
    inserted lines ("clean" = none)."""
    info = {e["id"]: e for e in manifest}
    groups: dict[str, dict[str, list]] = {"per_kind": defaultdict(list), "per_project": defaultdict(list)}
    outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for lab in labels:
        m = (info.get(lab["id"]) or {}).get("mutation")
        if not m:
            continue
        groups["per_kind"][m["kind"]].append(lab)
        groups["per_project"][m.get("project") or "sklearn"].append(lab)
        if lab["stopped_after"] in ("parse", "crash"):
            outcomes[m["kind"]]["syntax error" if lab["stopped_after"] == "parse" else "compiler failure"] += 1
            continue
        L = gil_error_lines(lab)
        cats = sorted({c for ln in range(m["first_line"], m["last_line"] + 1) for c in L.get(ln, ())})
        hint = any(d["kind"] == "hint" and m["first_line"] <= d["line"] <= m["last_line"] for d in lab["diagnostics"])
        outcomes[m["kind"]][(", ".join(cats) or "clean") + (" +hint" if hint else "")] += 1
    out = {}
    for name, g in groups.items():
        out[name] = {}
        for key, labs in sorted(g.items()):
            e = compare_errors(labs, preds)
            out[name][key] = {"files": len(labs), "errors": {k: e[k] for k in ("precision", "recall", "tp", "fp", "fn")},
                              "hints": compare_hints(labs, preds)}
    out["outcomes"] = {k: dict(sorted(v.items(), key=lambda kv: -kv[1])) for k, v in sorted(outcomes.items())}
    return out


def compare_gil_warnings(labels: list[dict], preds: dict[str, dict]) -> dict:
    """Informational: lines with a GIL-category compiler warning vs CLI lines with a GIL-category warning."""
    tp = fp = fn = 0
    for lab in labels:
        if lab["stopped_after"] == "parse":
            continue
        pred = preds[str(Path(lab["path"]).resolve())]
        L = {d["line"] for d in lab["diagnostics"] if d["kind"] == "warning" and categorize(d["message"])}
        P = {int(d["line"]) for d in pred["diagnostics"] if d["severity"] == "warning" and pred_category(d)}
        tp += len(L & P)
        fp += len(P - L)
        fn += len(L - P)
    return prf(tp, fp, fn)


def count_false_errors(labels: list[dict], preds: dict[str, dict]) -> dict:
    """Errors we report on files the compiler accepts (any message, GIL or not)."""
    total, items = 0, []
    for lab in labels:
        if any(d["kind"] == "error" for d in lab["diagnostics"]):
            continue  # the compiler rejects this file itself: not a false-error candidate
        pred = preds[str(Path(lab["path"]).resolve())]
        for d in pred["diagnostics"]:
            if d["severity"] == "error":
                total += 1
                items.append({"id": lab["id"], "line": d["line"], "message": d["message"][:160]})
    by_msg: dict[str, int] = defaultdict(int)
    for it in items:
        by_msg[it["message"]] += 1
    return {"false_errors": total, "files": len({it["id"] for it in items}),
            "by_message": dict(sorted(by_msg.items(), key=lambda kv: -kv[1])), "examples": items[:200]}


def compare_annotations(labels: list[dict], preds: dict[str, dict]) -> dict:
    tp = fp = fn = 0
    xs, ys = [], []
    files = lines = 0
    for lab in labels:
        if lab.get("annotations") is None:
            continue
        files += 1
        L = {a["line"]: a["score"] for a in lab["annotations"]}
        P = {int(a["line"]): float(a["score"]) for a in (preds[str(Path(lab["path"]).resolve())].get("annotations") or [])}
        for line in sorted(set(L) | set(P)):
            lv, pv = L.get(line, 0), P.get(line, 0)
            lines += 1
            if lv > 0 and pv > 0:
                tp += 1
            elif pv > 0:
                fp += 1
            elif lv > 0:
                fn += 1
            if lv > 0 or pv > 0:
                xs.append(lv)
                ys.append(pv)
    res = prf(tp, fp, fn)
    res.update({"files": files, "lines": lines, "spearman": spearman(xs, ys), "spearman_lines": len(xs)})
    return res


# ----------------------------------------------------------------------------------------------- report
def false_error_lines(labels: list[dict], preds: dict[str, dict]) -> dict:
    """Every CLI error on a file the compiler accepts (no compiler error, no compiler failure): the full list, with
    file, line, column, message and code; counted per line."""
    items, files = [], 0
    lines: set[tuple[str, int]] = set()
    for lab in labels:
        if lab.get("compiler_failure") or any(d["kind"] == "error" for d in lab["diagnostics"]):
            continue
        files += 1
        pred = preds[str(Path(lab["path"]).resolve())]
        for d in pred["diagnostics"]:
            if d["severity"] == "error":
                lines.add((lab["id"], int(d["line"])))
                items.append({"id": lab["id"], "path": lab["path"], "line": int(d["line"]), "column": d.get("column"),
                              "message": d["message"], "code": d.get("code")})
    by_msg: dict[str, int] = defaultdict(int)
    for it in items:
        by_msg[_message_shape(it["message"])] += 1
    return {"clean_files": files, "false_error_lines": len(lines), "false_errors": len(items),
            "files_with_false_errors": len({i for i, _ in lines}),
            "by_message": dict(sorted(by_msg.items(), key=lambda kv: -kv[1])), "items": items}


def _message_shape(msg: str) -> str:
    """A message with its quoted names blanked ("'x' is not declared" -> "'…' is not declared")."""
    import re
    return re.sub(r"'[^']*'", "'…'", msg.split("\n", 1)[0])[:200]


def run_parse(cli: Path, dirs: list[Path], timeout: float) -> dict[str, int]:
    """`cli parse --format json DIR...`: {file: number of syntax-error regions (ERROR / MISSING nodes)}."""
    if not dirs:
        return {}
    proc = subprocess.run(["node", str(cli), "parse", "--format", "json"] + [str(d) for d in dirs],
                          capture_output=True, text=True, timeout=timeout, cwd=str(REPO))
    if proc.returncode not in (0, 1):
        raise InfraError(f"CLI parse exit {proc.returncode}: {proc.stderr[-2000:]}")
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError as ex:
        raise InfraError(f"CLI parse gave no valid JSON: {ex}: {proc.stdout[:300]}")
    return {str(Path(r["file"]).resolve()): len(r["errors"]) for r in result}


def run_headers(cli: Path, roots: dict[str, Path], manifests: dict[str, list[dict]], timeout: float) -> dict[str, dict]:
    """`cli check` on every .pxd and .pxi of each project's tree, opened on its own with the project's include dirs
    (those of its modules in the manifests, else its root): {file: CLI report}."""
    include_dirs: dict[str, list[str]] = {}
    for entries in manifests.values():
        for e in entries:
            parts = e["id"].split("/")
            if len(parts) > 1 and parts[0] in BROAD_CORPORA and parts[1] not in include_dirs:
                include_dirs[parts[1]] = list(e.get("include_dirs") or [])
    out: dict[str, dict] = {}
    for project, root in sorted(roots.items()):
        files = sorted(str(p) for ext in ("*.pxd", "*.pxi") for p in root.rglob(ext))
        if not files:
            continue
        entries = [{"id": f, "path": f, "include_dirs": include_dirs.get(project) or [str(root)]} for f in files]
        out.update(run_cli(cli, entries, 200, timeout))
    return out


def header_false_errors(root: Path, headers: dict[str, dict]) -> dict:
    prefix = str(root.resolve()) + "/"
    items = [{"file": f[len(prefix):], "line": d["line"], "code": d["code"], "message": d["message"]}
             for f, r in headers.items() if f.startswith(prefix)
             for d in r["diagnostics"] if d["severity"] == "error"]
    files = sum(1 for f in headers if f.startswith(prefix))
    return {"files": files, "false_error_lines": len({(i["file"], i["line"]) for i in items}), "items": items}


def broad_parse_dirs(corpus: str) -> dict[str, Path]:
    """project -> its prepared tree (every .pyx/.pxd/.pxi in it is parsed)."""
    info = read_json(OUT / "broad" / "projects.json")
    return {p["name"]: OUT / "broad" / "src" / p["name"] for p in info["projects"]}


def evaluate_broad(corpus: str, labels: list[dict], preds: dict[str, dict], parsed: dict[str, int],
                   roots: dict[str, Path] | None = None, headers: dict[str, dict] | None = None) -> dict:
    """Per project and pooled: false error lines, parse cleanliness, annotation agreement (and, for information,
    GIL error lines and hints) of the broad corpus."""
    by_project: dict[str, list[dict]] = defaultdict(list)
    for lab in labels:
        by_project[lab["id"].split("/")[1]].append(lab)
    roots = broad_parse_dirs(corpus) if roots is None else roots
    out: dict = {"projects": {}}
    pooled_parse = [0, 0]
    for project in sorted(set(by_project) | set(roots), key=str.lower):
        labs = by_project.get(project, [])
        root = str(roots[project].resolve()) + "/" if project in roots else None
        pfiles = {f: n for f, n in parsed.items() if root and f.startswith(root)}
        clean = sum(1 for n in pfiles.values() if n == 0)
        pooled_parse[0] += clean
        pooled_parse[1] += len(pfiles)
        entry = {
            "labelled_files": len(labs),
            "compiler_rejects": sorted(l["id"] for l in labs if any(d["kind"] == "error" for d in l["diagnostics"])),
            "compiler_failures": sorted(l["id"] for l in labs if l.get("compiler_failure")),
            "parse": {"files": len(pfiles), "clean": clean, "clean_ratio": round(clean / len(pfiles), 4) if pfiles else None,
                      "files_with_errors": sorted(f[len(root):] for f, n in pfiles.items() if n) if root else []},
        }
        if headers is not None and project in roots:
            entry["headers"] = header_false_errors(roots[project], headers)
        if labs:
            entry["false_errors"] = false_error_lines(labs, preds)
            entry["annotations"] = compare_annotations(labs, preds)
            entry["errors"] = compare_errors(labs, preds)
            entry["hints"] = compare_hints(labs, preds)
        out["projects"][project] = entry
    fe = false_error_lines(labels, preds)
    out["pooled"] = {
        "labelled_files": len(labels),
        "false_errors": {k: v for k, v in fe.items() if k != "items"},
        "annotations": compare_annotations(labels, preds),
        "errors": compare_errors(labels, preds),
        "hints": compare_hints(labels, preds),
        "parse": {"files": pooled_parse[1], "clean": pooled_parse[0],
                  "clean_ratio": round(pooled_parse[0] / pooled_parse[1], 4) if pooled_parse[1] else None},
    }
    if headers is not None:
        hs = [p["headers"] for p in out["projects"].values() if "headers" in p]
        out["pooled"]["headers"] = {"files": sum(h["files"] for h in hs),
                                    "false_error_lines": sum(h["false_error_lines"] for h in hs)}
    out["false_error_items"] = fe["items"]  # every false error (file, line, column, message, code)
    for p in out["projects"].values():
        if "false_errors" in p:
            p["false_errors"] = {k: v for k, v in p["false_errors"].items() if k != "items"}
    figures = {}
    for name, p in [(corpus, out["pooled"])] + [(f"{corpus}/{k}", v) for k, v in out["projects"].items()]:
        if "false_errors" in p:
            figures[f"{name}.false_error_lines"] = p["false_errors"]["false_error_lines"]
        if p["parse"]["clean_ratio"] is not None:
            figures[f"{name}.parse_clean"] = p["parse"]["clean_ratio"]
        if p.get("headers", {}).get("files"):
            figures[f"{name}.header_false_error_lines"] = p["headers"]["false_error_lines"]
        if "annotations" in p and p["annotations"]["files"]:
            figures[f"{name}.annotation_f1"] = p["annotations"]["f1"]
            if p["annotations"]["spearman"] is not None or name == corpus:
                figures[f"{name}.annotation_spearman"] = p["annotations"]["spearman"]
    out["figures"] = figures
    return out


def evaluate(corpus_labels: dict[str, list[dict]], preds: dict[str, dict],
             parsed: dict[str, int] | None = None, broad_roots: dict[str, Path] | None = None,
             manifests: dict[str, list[dict]] | None = None, headers: dict[str, dict] | None = None) -> dict:
    rep: dict = {"corpora": {}}
    all_hint = [0, 0, 0]
    for corpus, labels in corpus_labels.items():
        if corpus in BROAD_CORPORA:
            rep["corpora"][corpus] = evaluate_broad(corpus, labels, preds, parsed or {}, broad_roots, headers)
            continue
        c: dict = {"files": len(labels)}
        if corpus in ("cython-tests",) + MUTANT_CORPORA:
            c["errors"] = compare_errors(labels, preds)
        if corpus in MUTANT_CORPORA and manifests and corpus in manifests:
            c["mutants"] = compare_mutants(labels, preds, manifests[corpus])
        if corpus == "sklearn":
            c["false_errors"] = count_false_errors(labels, preds)
            c["annotations"] = compare_annotations(labels, preds)
            c["errors"] = compare_errors(labels, preds)
        c["hints"] = compare_hints(labels, preds)
        c["gil_warnings"] = compare_gil_warnings(labels, preds)
        for k, key in enumerate(("tp", "fp", "fn")):
            all_hint[k] += c["hints"][key]
        rep["corpora"][corpus] = c
    rep["hints_overall"] = prf(*all_hint)
    figures = {}
    if "sklearn" in rep["corpora"]:
        sk = rep["corpora"]["sklearn"]
        figures["sklearn_false_errors"] = sk["false_errors"]["false_errors"]
        figures["annotation_f1"] = sk["annotations"]["f1"]
        figures["annotation_spearman"] = sk["annotations"]["spearman"]
    for corpus in ("cython-tests",) + MUTANT_CORPORA:
        if corpus in rep["corpora"]:
            name = "mutants" if corpus in MUTANT_CORPORA else corpus
            figures[f"{name}.error_recall"] = rep["corpora"][corpus]["errors"]["recall"]
            figures[f"{name}.error_precision"] = rep["corpora"][corpus]["errors"]["precision"]
            if name == "mutants":
                figures["mutants.hint_recall"] = rep["corpora"][corpus]["hints"]["recall"]
                figures["mutants.hint_precision"] = rep["corpora"][corpus]["hints"]["precision"]
    figures["hint_recall"] = rep["hints_overall"]["recall"]
    for corpus in BROAD_CORPORA:
        if corpus in rep["corpora"]:
            figures.update(rep["corpora"][corpus]["figures"])
    rep["figures"] = figures
    return rep


def target_of(name: str) -> tuple[str, float] | None:
    if name in TARGETS:
        return TARGETS[name]
    corpus = name.split("/", 1)[0].split(".", 1)[0]
    metric = name.rsplit(".", 1)[-1] if "." in name else ""
    if corpus in BROAD_CORPORA and metric in BROAD_TARGETS:
        return BROAD_TARGETS[metric]
    return None


def target_status(figures: dict) -> list[dict]:
    """Every figure that has a target, with its status (met / missed)."""
    out = []
    for name, v in figures.items():
        t = target_of(name)
        if t is None:
            continue
        op, target = t
        ok = v is not None and (v <= target if op == "<=" else v >= target)
        out.append({"name": name, "value": v, "target": f"{op} {target}", "met": ok})
    return out


def check_targets(figures: dict) -> list[str]:
    return [f"{t['name']} = {t['value']} (target {t['target']})" for t in target_status(figures) if not t["met"]]


def print_table(rep: dict, out=sys.stdout) -> None:
    w = out.write
    w("\nCython Lens conformance (oracle: the real Cython compiler)\n")
    w(f"{'corpus':<14}{'figure':<34}{'value':>10}{'tp':>7}{'fp':>7}{'fn':>7}   target\n")
    w("-" * 90 + "\n")

    def row(corpus, name, value, d=None, target=""):
        vs = "n/a" if value is None else (f"{value:.4f}" if isinstance(value, float) else str(value))
        tp, fp, fn = (str(d.get("tp", "")), str(d.get("fp", "")), str(d.get("fn", ""))) if d else ("", "", "")
        w(f"{corpus:<14}{name:<34}{vs:>10}{tp:>7}{fp:>7}{fn:>7}   {target}\n")

    def target(name):  # the printed target is the one --check-targets checks
        op, value = TARGETS[name]
        return f"{op} {value}"

    for corpus, c in rep["corpora"].items():
        if corpus in BROAD_CORPORA:
            continue
        if corpus == "sklearn":
            row(corpus, "false errors (files compile)", c["false_errors"]["false_errors"], None, "= 0")
            a = c["annotations"]
            row(corpus, "annotation score>0 precision", a["precision"], a)
            row(corpus, "annotation score>0 recall", a["recall"])
            row(corpus, "annotation score>0 F1", a["f1"], None, target("annotation_f1"))
            row(corpus, f"annotation Spearman ({a['spearman_lines']} l.)", a["spearman"], None, target("annotation_spearman"))
        if corpus == "cython-tests":
            e = c["errors"]
            row(corpus, "GIL error lines precision", e["precision"], e, target("cython-tests.error_precision"))
            row(corpus, "GIL error lines recall", e["recall"], None, target("cython-tests.error_recall"))
        if corpus in MUTANT_CORPORA:
            e = c["errors"]
            row(corpus, "GIL error lines precision", e["precision"], e, target("mutants.error_precision"))
            row(corpus, "GIL error lines recall", e["recall"], None, target("mutants.error_recall"))
            row(corpus, "hint lines precision", c["hints"]["precision"], None, target("mutants.hint_precision"))
            row(corpus, "hint lines recall", c["hints"]["recall"], c["hints"], target("mutants.hint_recall"))
        else:
            row(corpus, "hint lines recall", c["hints"]["recall"], c["hints"])
        if c["hints"].get("own_hint_lines"):
            row(corpus, "own hint lines (not scored)", c["hints"]["own_hint_lines"])
        if c["gil_warnings"]["tp"] + c["gil_warnings"]["fn"] + c["gil_warnings"]["fp"]:
            row(corpus, "GIL warning lines recall (info)", c["gil_warnings"]["recall"], c["gil_warnings"])
    h = rep["hints_overall"]
    row("all", "hint lines recall", h["recall"], h, target("hint_recall"))
    for corpus in BROAD_CORPORA:
        if corpus in rep["corpora"]:
            print_broad_table(corpus, rep["corpora"][corpus], out)
    for corpus, c in rep["corpora"].items():
        if "mutants" in c:
            for name, title in (("per_project", "project"), ("per_kind", "statement kind")):
                w(f"\n{corpus} per {title} (GIL error lines; hint lines):\n")
                for key, d in c["mutants"][name].items():
                    e, h = d["errors"], d["hints"]
                    w(f"  {key:<28}{d['files']:>5} files  P {e['precision']:.3f}  R {e['recall']:.3f}  "
                      f"tp {e['tp']:>4} fp {e['fp']:>4} fn {e['fn']:>4}   hints P {h['precision']:.3f} "
                      f"R {h['recall']:.3f} ({h['tp']}/{h['fp']}/{h['fn']})\n")
    w("\nper category (GIL error lines, cython-tests + mutants):\n")
    merged: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for corpus in ("cython-tests",) + MUTANT_CORPORA:
        if corpus in rep["corpora"]:
            for cat, d in rep["corpora"][corpus]["errors"]["per_category"].items():
                for k, key in enumerate(("tp", "fp", "fn")):
                    merged[cat][k] += d[key]
    for cat, v in sorted(merged.items(), key=lambda kv: -(kv[1][0] + kv[1][2])):
        d = prf(*v)
        w(f"  {cat:<28} P {d['precision']:.3f}  R {d['recall']:.3f}   tp {v[0]:>4} fp {v[1]:>4} fn {v[2]:>4}\n")


def print_broad_table(corpus: str, b: dict, out=sys.stdout) -> None:
    w = out.write
    t = {k: f"{op} {v}" for k, (op, v) in BROAD_TARGETS.items()}
    w(f"\n{corpus}: real code, per project (targets: false error lines {t['false_error_lines']}, on its .pxd/.pxi "
      f"opened alone {t['header_false_error_lines']}, parse clean {t['parse_clean']}, annotation F1 "
      f"{t['annotation_f1']}, Spearman {t['annotation_spearman']}; * = missed)\n")
    w(f"{'project':<16}{'files':>6}{'rej':>5}{'FE lines':>9}{'pxd/pxi':>8}{'FE':>4}{'parse':>9}{'ann F1':>9}{'Spearman':>10}"
      f"   top false error\n")
    w("-" * 110 + "\n")

    def fmt(v, metric):
        if v is None:
            return "n/a"
        op, target = BROAD_TARGETS[metric]
        ok = v <= target if op == "<=" else v >= target
        return (f"{v:.4f}" if isinstance(v, float) else str(v)) + ("" if ok else "*")

    rows = list(b["projects"].items()) + [("(pooled)", b["pooled"])]
    for name, p in rows:
        fe = p.get("false_errors")
        ann = p.get("annotations") or {}
        top = next(iter(fe["by_message"]), "") if fe else ""
        rej = len(p["compiler_rejects"]) if "compiler_rejects" in p else ""
        hd = p.get("headers")
        w(f"{name:<16}{p['labelled_files']:>6}{rej:>5}{fmt(fe['false_error_lines'], 'false_error_lines') if fe else '':>9}"
          f"{hd['files'] if hd else '':>8}{fmt(hd['false_error_lines'], 'header_false_error_lines') if hd else '':>4}"
          f"{fmt(p['parse']['clean_ratio'], 'parse_clean'):>9}"
          f"{fmt(ann.get('f1'), 'annotation_f1') if ann.get('files') else 'n/a':>9}"
          f"{fmt(ann.get('spearman'), 'annotation_spearman') if ann.get('files') else 'n/a':>10}   {top[:60]}\n")


def load_labelled_part(corpus: str) -> tuple[list[dict], list[dict], int]:
    """(labels, their manifest entries, manifest size): the entries of `corpus` labelled so far, read from
    label.py's cache (for a corpus whose labelling is still running, e.g. mutants-full)."""
    from common import cython_version
    from label import cache_key
    mp = OUT / corpus / "manifest.json"
    if not mp.exists():
        raise InfraError(f"{mp} missing: run conformance/prepare.py")
    manifest, version = read_json(mp), cython_version()
    labels, entries = [], []
    for e in manifest:
        f = OUT / "labels" / f"{cache_key(e, version)}.json"
        if Path(e["path"]).exists() and f.exists():
            labels.append(read_json(f))
            entries.append(e)
    return labels, entries, len(manifest)


def load_labels(corpora: list[str], partial: bool = False) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    labels, manifests = {}, {}
    for corpus in corpora:
        if partial:
            labels[corpus], manifests[corpus], total = load_labelled_part(corpus)
            eprint(f"conformance: {corpus}: scoring the {len(labels[corpus])} of {total} files labelled so far")
            continue
        lp, mp = OUT / corpus / "labels.json", OUT / corpus / "manifest.json"
        if not lp.exists() or not mp.exists():
            raise InfraError(f"{lp} missing: run conformance/prepare.py and conformance/label.py")
        labels[corpus] = read_json(lp)
        manifests[corpus] = read_json(mp)
        if len(labels[corpus]) != len(manifests[corpus]) or any(l is None for l in labels[corpus]):
            raise InfraError(f"{lp} does not match its manifest: rerun conformance/label.py --corpus {corpus}")
    return labels, manifests


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=("all",) + CORPORA + BROAD_CORPORA + ("mutants-full",), default="all",
                    help="all (default) = " + ", ".join(CORPORA) + " and broad-ci (with --full: broad, and "
                         "mutants-full instead of mutants)")
    ap.add_argument("--full", action="store_true",
                    help="the whole broad corpus (every labelled module) and every mutant (mutants-full) instead of "
                         "their CI subsets")
    ap.add_argument("--cli", default=str(REPO / "dist" / "cli.js"))
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--predictions", help="read predictions (the CLI's JSON list) from this file instead")
    src.add_argument("--predictions-from-labels", action="store_true",
                     help="self-test: use the labels themselves as predictions (must give perfect figures)")
    ap.add_argument("--batch", type=int, default=40, help="files per CLI call")
    ap.add_argument("--cli-directives", action="store_true",
                    help="also pass the compiler directives the labels were made with (scikit-learn's build "
                         "directives) to the CLI as `-X name=value` (needs CLI support for -X)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per CLI call")
    ap.add_argument("--check-targets", action="store_true", help="exit 3 when a target is missed")
    ap.add_argument("--labelled-so-far", action="store_true",
                    help="score the files labelled so far (label.py's cache) instead of requiring every label: "
                         "for a long labelling run still going on (mutants-full)")
    ap.add_argument("--advisory-targets", action="append", default=[], metavar="PREFIX",
                    help="targets whose name starts with PREFIX (e.g. broad-ci) are checked and reported but do not "
                         "make --check-targets fail (repeatable; none by default)")
    ap.add_argument("--report", help="default: $CYTHON_LENS_CACHE/conformance/report.json; with --corpus broad or "
                                      "broad-ci alone: .../conformance/<corpus>/report.json (the broad corpus' "
                                      "section is always also written there)")
    args = ap.parse_args(argv)
    corpora = list(CORPORA) + ["broad" if args.full else "broad-ci"] if args.corpus == "all" else [args.corpus]
    if args.full:
        corpora = ["mutants-full" if c == "mutants" else c for c in corpora]
    try:
        labels, manifests = load_labels(corpora, args.labelled_so_far)
        t0 = time.monotonic()
        if args.predictions_from_labels:
            preds = {}
            for ls in labels.values():
                preds.update({str(Path(k).resolve()): v for k, v in predictions_from_labels(ls).items()})
            source = "labels (self-test)"
        elif args.predictions:
            preds = {str(Path(r["file"]).resolve()): r for r in _validate(read_json(Path(args.predictions)))}
            source = args.predictions
        else:
            entries = [e for c in corpora for e in manifests[c]]
            preds = run_cli(Path(args.cli), entries, args.batch, args.timeout, args.cli_directives)
            source = f"node {args.cli} check"
        parsed: dict[str, int] = {}
        headers: dict[str, dict] | None = None
        broad = [c for c in corpora if c in BROAD_CORPORA]
        if broad:
            dirs = sorted(set(broad_parse_dirs(broad[0]).values()))
            if args.predictions_from_labels or args.predictions:
                parsed = {}
            else:
                parsed = run_parse(Path(args.cli), dirs, args.timeout)
                headers = run_headers(Path(args.cli), broad_parse_dirs(broad[0]), manifests, args.timeout)
        secs = time.monotonic() - t0
        for ls in labels.values():
            for lab in ls:
                if str(Path(lab["path"]).resolve()) not in preds:
                    raise InfraError(f"no prediction for {lab['path']}")
    except InfraError as ex:
        eprint(f"conformance: infrastructure failure: {ex}")
        return 2
    rep = evaluate(labels, preds, parsed, manifests=manifests, headers=headers)
    if args.report is None:
        args.report = str(OUT / args.corpus / "report.json" if args.corpus in BROAD_CORPORA else OUT / "report.json")
    rep["predictions"] = source
    rep["prediction_seconds"] = round(secs, 1)
    rep["generated"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    print_table(rep)
    missed = check_targets(rep["figures"])
    rep["targets_missed"] = missed
    rep["target_status"] = target_status(rep["figures"])
    write_json(Path(args.report), rep)
    for corpus in BROAD_CORPORA:
        # the shared per-corpus report reflects the CLI only (not a self-test or a --predictions file)
        if corpus in rep["corpora"] and Path(args.report) != OUT / corpus / "report.json" and source.startswith("node "):
            write_json(OUT / corpus / "report.json", {"generated": rep["generated"], "predictions": source,
                                                      corpus: rep["corpora"][corpus]})
    print(f"\npredictions: {source} ({secs:.1f}s)\nreport: {args.report}")
    if args.check_targets:
        broad_status = [t for t in rep["target_status"] if target_of(t["name"]) and t["name"].split("/")[0].split(".")[0] in BROAD_CORPORA]
        if broad_status:
            print("broad targets: " + ", ".join(f"{t['name']} {'met' if t['met'] else 'MISSED'} ({t['value']})"
                                                 for t in broad_status if "/" not in t["name"]))
            per = [t for t in broad_status if "/" in t["name"]]
            print(f"broad per-project targets: {sum(t['met'] for t in per)} met, {sum(not t['met'] for t in per)} "
                  f"missed (report: target_status)")
        gating = [m for m in missed if not any(m.startswith(p) for p in args.advisory_targets)]
        if missed:
            print("targets missed:\n  " + "\n  ".join(missed))
        if gating:
            return 3
        if missed:
            print(f"(only advisory targets missed: {', '.join(args.advisory_targets)})")
            return 0
        print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
