"""Pure Python mode conformance: `cython-lens check` on `.py` files that Cython compiles (`import cython`, or a `.pxd`
beside them) against the pinned compiler (`cython -3 -a file.py`).

Corpus (built under $CYTHON_LENS_CACHE/conformance/pure-mode/, from Cython 3.3.1's sdist unpacked by
scripts/fetch-sdists.sh):
  examples  docs/examples/**/*.py that import cython (with the files beside them)
  tests     tests/{run,compile,errors}/*.py that import cython (cut at _ERRORS/_WARNINGS/_PERFORMANCE_HINTS, as
            runtests.py does; same-named .pxd copied)
  compiler  Cython's own modules compiled in pure mode: every Cython/**/*.py with a .pxd beside it
  mutants   one statement inserted into each nogil region (`with cython.nogil:` body, `@cython.nogil` cfunc body)
            of the files above that the compiler accepts (mutate_pure.py)

Figures (as run.py computes them for .pyx): false error lines on files the compiler accepts, GIL error-line
precision/recall, compiler hint-line recall, `cython -a` "score > 0" F1 and Spearman.

  .venv/bin/python conformance/pure_mode.py [--groups examples,tests,compiler,mutants] [--json OUT] [--check-targets]
"""
from __future__ import annotations

import argparse
import fcntl
import json
import re
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CYTHON_SRC, OUT, REPO, cython_version, oracle_include_dirs, read_json, write_json  # noqa: E402
from label import cache_key, label_one  # noqa: E402
import mutate_pure  # noqa: E402
import run  # noqa: E402

ROOT = OUT / "pure-mode"
SRC = ROOT / "src"
LABELS = ROOT / "labels"
IMPORTS_CYTHON = re.compile(r"^[ \t]*(?:import[ \t]+(?:[\w.]+[ \t]*(?:as[ \t]+\w+[ \t]*)?,[ \t]*)*cython\b|"
                            r"from[ \t]+cython\b[\w.]*[ \t]+c?import\b)", re.M)
_BLOCK_RE = re.compile(r"^(_ERRORS|_WARNINGS|_PERFORMANCE_HINTS)\b", re.M)
GROUPS = ("examples", "tests", "compiler", "mutants")


def is_pure_mode(py: Path) -> bool:
    text = py.read_text(encoding="utf-8", errors="replace")
    return bool(IMPORTS_CYTHON.search(text)) or py.with_suffix(".pxd").exists()


def entry(path: Path, group: str, cplus: bool = False, extra: dict | None = None) -> dict:
    return {"id": f"{group}/{path.relative_to(SRC / group)}", "path": str(path), "group": group,
            "cython_args": ["-3"], "include_dirs": oracle_include_dirs(), "annotate": True, "cplus": cplus,
            **(extra or {})}


def prepare_examples() -> list[dict]:
    src = CYTHON_SRC / "docs" / "examples"
    dst = SRC / "examples"
    if dst.exists():
        shutil.rmtree(dst)
    out = []
    for f in sorted(src.rglob("*")):
        if f.is_file() and f.suffix in (".py", ".pxd", ".pyx", ".pxi", ".h", ".c", ".cpp"):
            t = dst / f.relative_to(src)
            t.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, t)
    for py in sorted(dst.rglob("*.py")):
        if py.name in ("setup.py", "__init__.py") or not is_pure_mode(py):
            continue
        text = py.read_text(encoding="utf-8", errors="replace")
        cplus = "language = c++" in text or "# tag: cpp" in text
        out.append(entry(py, "examples", cplus))
    return out


def prepare_tests() -> list[dict]:
    dst = SRC / "tests"
    if dst.exists():
        shutil.rmtree(dst)
    out = []
    for sub in ("run", "compile", "errors"):
        d = CYTHON_SRC / "tests" / sub
        for py in sorted(d.glob("*.py")):
            text = py.read_text(encoding="utf-8", errors="replace")
            if not IMPORTS_CYTHON.search(text) and not py.with_suffix(".pxd").exists():
                continue
            if "pythran" in text or re.search(r"^# *tag:.*\b(cpp|numpy)\b", text, re.M) and "numpy" in text:
                continue
            m = _BLOCK_RE.search(text)
            body = text[:m.start()] if m else text
            t = dst / sub / py.name
            t.parent.mkdir(parents=True, exist_ok=True)
            t.write_text(body, encoding="utf-8")
            pxd = py.with_suffix(".pxd")
            if pxd.exists():
                shutil.copy2(pxd, t.with_suffix(".pxd"))
            cplus = bool(re.search(r"^# *tag:.*\bcpp\b", text, re.M))
            out.append(entry(t, "tests", cplus))
    return out


def prepare_compiler() -> list[dict]:
    src = CYTHON_SRC / "Cython"
    dst = SRC / "compiler" / "Cython"
    if dst.exists():
        shutil.rmtree(dst)
    for f in sorted(src.rglob("*")):
        if f.is_file() and f.suffix in (".py", ".pxd") and "Tests" not in f.parts:
            t = dst / f.relative_to(src)
            t.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, t)
    out = []
    for py in sorted(dst.rglob("*.py")):
        if py.with_suffix(".pxd").exists():
            out.append(entry(py, "compiler"))
    return out


def label_all(entries: list[dict], jobs: int = 2) -> list[dict]:
    LABELS.mkdir(parents=True, exist_ok=True)
    version = cython_version()

    def one(e: dict) -> dict:
        f = LABELS / f"{cache_key(e, version)}.json"
        if f.exists():
            lab = read_json(f)
        else:
            try:
                lab = label_one(e, version)
            except (RuntimeError, OSError) as ex:  # a compiler crash: the file says nothing (not cached)
                print(f"pure-mode: compiler failure on {e['id']}: {str(ex).splitlines()[0]}", file=sys.stderr)
                return {"id": e["id"], "path": e["path"], "diagnostics": [], "stopped_after": "crash",
                        "compiler_failure": True, "returncode": -1, "annotations": None}
            write_json(f, lab)
        lab["id"] = e["id"]
        return lab

    with ThreadPoolExecutor(jobs) as pool:
        return list(pool.map(one, entries))


def figures(labels: list[dict], preds: dict[str, dict]) -> dict:
    fe = run.false_error_lines(labels, preds)
    errors = run.compare_errors(labels, preds)
    return {
        "files": len(labels),
        "compiler_accepts": fe["clean_files"],
        "false_error_lines": fe["false_error_lines"],
        "false_error_examples": fe["items"][:40],
        "errors": {k: errors[k] for k in ("precision", "recall", "tp", "fp", "fn")},
        "error_misses": errors["misses"][:40], "error_false_alarms": errors["false_alarms"][:40],
        "hints": {k: v for k, v in run.compare_hints(labels, preds).items() if k in ("precision", "recall", "tp", "fp", "fn")},
        "annotations": run.compare_annotations(labels, preds),
    }


@contextmanager
def one_run_at_a_time():
    """Runs share ROOT (in the user's cache, whichever checkout runs them): each rebuilds src/ (prepare_*, the
    mutants) and writes the labels and report.json, so two at once delete each other's sources mid-run. An exclusive
    flock on ROOT/.lock makes the second wait (the lock goes with the process, even a killed one)."""
    ROOT.mkdir(parents=True, exist_ok=True)
    with open(ROOT / ".lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"pure-mode: another run holds {ROOT / '.lock'}: waiting for it", file=sys.stderr, flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--groups", default=",".join(GROUPS))
    ap.add_argument("--json", type=Path, help="write the report here (default: <cache>/conformance/pure-mode/report.json)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--mutants", type=int, default=240, help="number of statement mutants (spread over the nogil regions); the call mutants (mutate_pure.CALL_KINDS, one per kind and region) come on top")
    ap.add_argument("--check-targets", action="store_true",
                    help="exit 3 unless every group has 0 false error lines (files the compiler accepts) and the "
                         "mutants (when run) reach error precision >= 0.99 and recall >= 0.95")
    args = ap.parse_args(argv)
    with one_run_at_a_time():
        return run_groups(args)


def run_groups(args: argparse.Namespace) -> int:
    groups = [g for g in args.groups.split(",") if g]
    if not CYTHON_SRC.exists():
        print(f"missing {CYTHON_SRC}: run scripts/fetch-sdists.sh", file=sys.stderr)
        return 2
    entries: list[dict] = []
    base: list[dict] = []
    if "examples" in groups or "mutants" in groups:
        base += prepare_examples()
    if "tests" in groups or "mutants" in groups:
        base += prepare_tests()
    if "compiler" in groups:
        base += prepare_compiler()
    entries += [e for e in base if e["group"] in groups]
    labels = label_all(entries, args.jobs)
    if "mutants" in groups:
        accepted = [e for e, lab in zip(entries, labels) if e["group"] in ("examples", "tests")
                    and lab["returncode"] == 0] if entries else []
        if not accepted:
            # mutants alone: label the bases to know which ones the compiler accepts
            blabs = label_all([e for e in base if e["group"] in ("examples", "tests")], args.jobs)
            accepted = [e for e, lab in zip([e for e in base if e["group"] in ("examples", "tests")], blabs)
                        if lab["returncode"] == 0]
        mutants = mutate_pure.make_mutants(accepted, SRC / "mutants", args.mutants)
        mentries = [entry(Path(m["path"]), "mutants", m.get("cplus", False), {"mutation": m["mutation"]}) for m in mutants]
        entries += mentries
        labels += label_all(mentries, args.jobs)
    cli = REPO / "dist" / "cli.js"
    preds = run.run_cli(cli, entries, batch=40, timeout=600, directives=True)
    report: dict = {"cython": cython_version(), "groups": {}}
    for g in groups:
        labs = [lab for e, lab in zip(entries, labels) if e["group"] == g]
        if labs:
            report["groups"][g] = figures(labs, preds)
    report["all"] = figures(labels, preds)
    if "mutants" in groups:
        mlabs = [lab for e, lab in zip(entries, labels) if e["group"] == "mutants"]
        report["mutant_kinds"] = run.compare_mutants(mlabs, preds, [e for e in entries if e["group"] == "mutants"])["per_kind"]
    out = args.json or ROOT / "report.json"
    write_json(out, report)
    print(f"{'group':10} {'files':>5} {'accepted':>8} {'false err lines':>15} {'err P':>6} {'err R':>6} "
          f"{'hint P':>6} {'hint R':>6} {'F1':>6} {'Spearman':>8}")
    for g, f in list(report["groups"].items()) + [("all", report["all"])]:
        a = f["annotations"]
        print(f"{g:10} {f['files']:>5} {f['compiler_accepts']:>8} {f['false_error_lines']:>15} "
              f"{f['errors']['precision']:>6.3f} {f['errors']['recall']:>6.3f} {f['hints']['precision']:>6.3f} "
              f"{f['hints']['recall']:>6.3f} {a['f1']:>6.3f} {a['spearman'] if a['spearman'] is not None else float('nan'):>8.3f}")
    print(f"report: {out}")
    if args.check_targets:
        missed = [f"{g}: {f['false_error_lines']} false error lines" for g, f in report["groups"].items()
                  if f["false_error_lines"] > 0]
        m = report["groups"].get("mutants")
        if m and (m["errors"]["precision"] < 0.99 or m["errors"]["recall"] < 0.95):
            missed.append(f"mutants: error precision {m['errors']['precision']:.3f} (>= 0.99), "
                          f"recall {m['errors']['recall']:.3f} (>= 0.95)")
        for x in missed:
            print(f"pure-mode target missed: {x}")
        if missed:
            return 3
        print("pure-mode targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
