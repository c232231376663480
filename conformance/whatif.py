#!/usr/bin/env python3
"""The what-if prediction (server/src/annotations/what-if.ts) against the compiler: for real modules of the broad
corpus, the line scores our annotator predicts with a directive set in the file header (boundscheck=False,
wraparound=False, initializedcheck=False, cdivision=True) are compared with `cython -a` run with that directive
(`-X name=value` after the module's own build arguments; a module whose `# cython:` comments or build already set
the directive is left out, since there the header line and -X differ).

    .venv/bin/python conformance/whatif.py [--max-pairs N] [--jobs 2] [--project NAME] [--max-size BYTES]
        [--compiled-so-far] [--label-missing] [--show N [--show-kind base|base-score|effect|unlabelled]]

Only (module, directive) pairs where the prediction changes some function are compiled. For those, every function
whose predicted line scores change is a measured function; the figures are precision / recall / F1 of "score > 0"
over the lines of the measured functions (our prediction after the change against the compiler's after the change),
how many measured functions agree on every line, whether the lines we predict to turn white really do, and each
disagreement split by the compiler's output for the module without the directive (conformance/label.py's label, from
its cache; --label-missing labels the modules of the pairs that have none): was our line already wrong without the
directive, or is the directive's effect what we got wrong?
Compiler results are cached in $CYTHON_LENS_CACHE/conformance/whatif/ (keyed by the file's sha256, the arguments and
the include dirs with the checkout's .venv left out).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, REPO, VENV_PY, read_json, sha256_file, write_json  # noqa: E402
from label import cache_key as label_key, label_one, parse_annotation_html  # noqa: E402
from common import cython_version  # noqa: E402

CACHE_DIR = OUT / "whatif"
_LANGUAGE_LEVEL_ARGS = {"-2": "2", "-3": "3", "--3str": "3str"}
HEADER = re.compile(r"^#\s*cython\s*:(.*)$")


def local_dirs(dirs: list[str]) -> list[str]:
    """Include dirs of the manifest with the .venv of whichever checkout prepared it replaced by this checkout's
    (the pinned Cython and site-packages; the manifest is shared by every checkout using the cache)."""
    return [str(REPO / ".venv") + "/" + d.split("/.venv/", 1)[1] if "/.venv/" in d else d for d in dirs]


def build_directives(entry: dict) -> dict[str, str]:
    out = dict(entry.get("directives") or {})
    args = entry.get("cython_args") or []
    for i, a in enumerate(args):
        if a in _LANGUAGE_LEVEL_ARGS:
            out.setdefault("language_level", _LANGUAGE_LEVEL_ARGS[a])
        if a == "-X" and i + 1 < len(args) and "=" in args[i + 1]:
            k, v = args[i + 1].split("=", 1)
            out.setdefault(k, v)
    return out


def header_names(path: Path) -> set[str]:
    """Directive names of the `# cython:` comments before the first statement."""
    names = set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith("#"):
            break
        m = HEADER.match(s)
        if m:
            names |= {p.split("=", 1)[0].strip() for p in m.group(1).split(",") if "=" in p}
    return names


def predict(entries: list[dict]) -> dict[str, dict]:
    with tempfile.TemporaryDirectory(prefix="cl-whatif-") as tmp:
        jobs = Path(tmp) / "jobs.json"
        jobs.write_text(json.dumps([{"path": e["path"], "include_dirs": local_dirs(e["include_dirs"]),
                                     "directives": build_directives(e)} for e in entries]))
        proc = subprocess.run(["node", str(REPO / "scripts" / "whatif-predict.mjs"), str(jobs)], capture_output=True,
                              text=True, cwd=str(REPO))
        if proc.returncode != 0:
            raise SystemExit(f"whatif: whatif-predict.mjs failed:\n{proc.stderr[-3000:]}")
        return {r["path"]: r for r in json.loads(proc.stdout)}


MISSING = object()


def compile_key(entry: dict, directive: str, repo: Path = REPO) -> str:
    """The compile cache key: the file's bytes, the arguments, the include dirs with the checkout's .venv written as
    `<venv>` (which checkout or worktree runs this does not change what the compiler says)."""
    dirs = ["<venv>/" + d.split("/.venv/", 1)[1] if "/.venv/" in d else d for d in entry["include_dirs"]]
    args = list(entry["cython_args"]) + ["-X", directive]
    return hashlib.sha256(json.dumps([sha256_file(Path(entry["path"])), args, bool(entry.get("cplus")), dirs,
                                      entry.get("module")]).encode()).hexdigest()


def compile_with(entry: dict, directive: str, cached_only: bool = False):
    """`cython -a` of the module with `-X directive` after its own arguments: {line: score} as a list, None if the
    compiler rejects the module (MISSING: not compiled yet and `cached_only`)."""
    src = Path(entry["path"])
    args = list(entry["cython_args"]) + ["-X", directive]
    dirs = local_dirs(entry["include_dirs"])
    key = compile_key(entry, directive)
    cached = CACHE_DIR / f"{key}.json"
    if cached.exists():
        return read_json(cached)["annotations"]
    if cached_only:
        return MISSING
    module = entry.get("module") or src.stem
    with tempfile.TemporaryDirectory(prefix="cl-whatif-") as tmp:
        c_out = Path(tmp) / (module.replace(".", "_") + (".cpp" if entry.get("cplus") else ".c"))
        argv = [str(VENV_PY), "-m", "cython"] + args + (["--cplus"] if entry.get("cplus") else []) + ["-a"]
        for d in dirs:
            argv += ["-I", d]
        argv += [str(src), "-o", str(c_out)]
        proc = subprocess.run(argv, cwd=str(src.parent), capture_output=True, text=True, errors="replace",
                              timeout=1800)
        html = c_out.with_suffix(".html")
        ann = parse_annotation_html(html.read_text(encoding="utf-8", errors="replace")) \
            if proc.returncode == 0 and html.exists() else None
    write_json(cached, {"id": entry["id"], "args": args, "annotations": ann})
    return ann


def label_file(entry: dict) -> Path:
    """Where conformance/label.py caches the module's label (its key is made with this checkout's include dirs)."""
    return OUT / "labels" / f"{label_key(dict(entry, include_dirs=local_dirs(entry['include_dirs'])), cython_version())}.json"


def base_label(entry: dict) -> dict[int, int] | None:
    """The compiler's line scores of the module without the directive (conformance/label.py's cached label), None
    when it is not labelled."""
    f = label_file(entry)
    if not f.exists():
        return None
    ann = read_json(f).get("annotations")
    return scores(ann) if ann is not None else None


def scores(ann: list[dict]) -> dict[int, int]:
    return {a["line"]: a["score"] for a in ann if a["score"] > 0}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="broad")
    ap.add_argument("--max-pairs", type=int, default=10**9, help="compile at most N (module, directive) pairs")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--project", default="")
    ap.add_argument("--max-size", type=int, default=200_000, help="leave out modules larger than this (bytes)")
    ap.add_argument("--show", type=int, default=0, help="print N disagreeing lines")
    ap.add_argument("--label-missing", action="store_true",
                    help="first label (conformance/label.py's label, cached there) the modules of the pairs that have "
                         "none, so that every disagreement can be split by the module's compiler output without the "
                         "directive")
    ap.add_argument("--show-kind", choices=("base", "base-score", "effect", "unlabelled"), default="",
                    help="print only disagreements of this kind")
    ap.add_argument("--compiled-so-far", action="store_true",
                    help="compile nothing: measure the pairs whose compiler output is cached (while a run is going on)")
    args = ap.parse_args(argv)

    manifest = read_json(OUT / args.corpus / "manifest.json")
    entries = [e for e in manifest if Path(e["path"]).exists() and e.get("annotate")
               and Path(e["path"]).stat().st_size <= args.max_size and args.project in e["project"]]
    preds = predict(entries)

    pairs = []  # (entry, directive, changed functions)
    for e in entries:
        p = preds.get(e["path"])
        if not p:
            continue
        base = scores(p["base"])
        own = header_names(Path(e["path"])) | set(build_directives(e))
        for directive, after_list in p["after"].items():
            if directive.split("=")[0] in own:
                continue
            after = scores(after_list)
            changed = [f for f in p["functions"]
                       if any(base.get(i, 0) != after.get(i, 0) for i in range(f["first"], f["last"] + 1))]
            if changed:
                pairs.append((e, directive, changed, base, after))
    # spread over projects: round-robin by project, in manifest order
    by_project: dict[str, list] = {}
    for pr in pairs:
        by_project.setdefault(pr[0]["project"], []).append(pr)
    ordered = []
    while any(by_project.values()):
        for k in list(by_project):
            if by_project[k]:
                ordered.append(by_project[k].pop(0))
    ordered = ordered[: args.max_pairs]
    print(f"whatif: {len(entries)} modules predicted, {len(pairs)} (module, directive) pairs change a function; "
          f"compiling {len(ordered)}", file=sys.stderr)

    if args.label_missing:
        todo = list({pr[0]["path"]: pr[0] for pr in ordered if not label_file(pr[0]).exists()}.values())
        print(f"whatif: labelling {len(todo)} modules without a label", file=sys.stderr)

        def label(e):
            local = dict(e, include_dirs=local_dirs(e["include_dirs"]))
            try:
                write_json(label_file(e), label_one(local, cython_version()))
            except (RuntimeError, subprocess.TimeoutExpired) as ex:  # left unlabelled (and counted as such)
                print(f"whatif: {e['id']}: not labelled: {str(ex)[:300]}", file=sys.stderr)

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            list(pool.map(label, todo))
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        compiled = list(pool.map(lambda pr: compile_with(pr[0], pr[1], args.compiled_so_far), ordered))
    kept = [(pr, c) for pr, c in zip(ordered, compiled) if c is not MISSING]
    if len(kept) < len(ordered):
        print(f"whatif: {len(ordered) - len(kept)} pairs not compiled yet, left out", file=sys.stderr)
    ordered, compiled = [pr for pr, _ in kept], [c for _, c in kept]

    tp = fp = fn = 0
    functions = agree_functions = rejected = 0
    turned_white = turned_white_ok = 0
    by_directive: dict[str, list[int]] = {}
    # a disagreement after the change, split by the module's label without the directive: our line was already
    # wrong before the change ("base"), yellow on both sides before but with another score ("base-score": the
    # directive removes what we counted and leaves what we missed, or the reverse), right before and wrong after
    # ("effect"), or the module is not labelled
    split = {"base": [0, 0], "base-score": [0, 0], "effect": [0, 0], "unlabelled": [0, 0]}  # [fp, fn]
    split_by_directive: dict[str, dict[str, list[int]]] = {}
    shown = 0
    for (e, directive, changed, base, after), ann in zip(ordered, compiled):
        if ann is None:
            rejected += 1
            continue
        real = scores(ann)
        real_base = base_label(e)
        lines = sorted({i for f in changed for i in range(f["first"], f["last"] + 1)})
        d = by_directive.setdefault(directive, [0, 0, 0, 0])
        for f in changed:
            functions += 1
            d[3] += 1
            if all((after.get(i, 0) > 0) == (real.get(i, 0) > 0) for i in range(f["first"], f["last"] + 1)):
                agree_functions += 1
        for i in lines:
            p, r = after.get(i, 0) > 0, real.get(i, 0) > 0
            if p and r:
                tp += 1
                d[0] += 1
            elif p:
                fp += 1
                d[1] += 1
            elif r:
                fn += 1
                d[2] += 1
            if base.get(i, 0) > 0 and not p:
                turned_white += 1
                turned_white_ok += not r
            if p != r:
                kind = "unlabelled" if real_base is None else \
                    "base" if (base.get(i, 0) > 0) != (real_base.get(i, 0) > 0) else \
                    "base-score" if base.get(i, 0) != real_base.get(i, 0) else "effect"
                split[kind][0 if p else 1] += 1
                sd = split_by_directive.setdefault(directive, {k: [0, 0] for k in split})
                sd[kind][0 if p else 1] += 1
                if shown < args.show and (not args.show_kind or args.show_kind == kind):
                    shown += 1
                    src = Path(e["path"]).read_text(encoding="utf-8", errors="replace").splitlines()[i - 1].strip()
                    was = "-" if real_base is None else real_base.get(i, 0)
                    print(f"  {e['id']}:{i} [{directive}] {kind}: predicted {base.get(i, 0)}->{after.get(i, 0)} "
                          f"compiler {was}->{real.get(i, 0)} | {src[:90]}")

    def f1(t, p_, n):
        pr = t / (t + p_) if t + p_ else 1.0
        rc = t / (t + n) if t + n else 1.0
        return pr, rc, (2 * pr * rc / (pr + rc) if pr + rc else 0.0)

    pr, rc, f = f1(tp, fp, fn)
    print(f"pairs compiled: {len(ordered) - rejected} ({rejected} rejected by the compiler)")
    print(f"measured functions (prediction changes them): {functions}; all lines agree: {agree_functions}")
    print(f"score>0 after the change, lines of the measured functions: precision {pr:.4f} recall {rc:.4f} "
          f"F1 {f:.4f} (tp {tp} fp {fp} fn {fn})")
    print(f"lines predicted to turn white: {turned_white}; white in the compiler's output too: {turned_white_ok}")
    for directive, (t, p_, n, nf) in sorted(by_directive.items()):
        print(f"  {directive}: {nf} functions, F1 {f1(t, p_, n)[2]:.4f} (tp {t} fp {p_} fn {n})")
    print("disagreements after the change [fp, fn]: our line already wrong without the directive (base) / yellow "
          "on both sides without it but another score (base-score) / the same score without it (effect) / module "
          "not labelled: " + ", ".join(f"{k} {v}" for k, v in split.items()))
    for directive, sd in sorted(split_by_directive.items()):
        print(f"  {directive}: " + ", ".join(f"{k} {v}" for k, v in sd.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
