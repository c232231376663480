#!/usr/bin/env python3
"""Where our static `cython -a` line scores disagree with the compiler's, per construct kind.

    .venv/bin/python conformance/annotation_diff.py [--corpus broad-ci] [--cli-directives] [--save P | --load P]
        [--project NAME] [--kind KIND] [--examples N]

Runs the CLI (`check --annotate`) on the corpus (or reads predictions saved by an earlier `--save`), then classifies
every line that is yellow in the labels or in our prediction by the construct it starts with (def line, class line,
import, decorator, module-level statement, return, with, yield/await, ...) and prints, per kind: lines, false
positives (we say yellow, compiler white), false negatives, mean label score, mean predicted score and the mean
|log2 ratio|; then the worst lines of each kind (biggest |log2((label+1)/(pred+1))|) with their source text.
The kinds are a reading aid (a regular expression on the line's text), not a model of the compiler.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402

KINDS = [
    ("decorator", r"@"),
    ("def-line", r"(async\s+)?def\s"),
    ("cpdef-line", r"cpdef\s"),
    ("cdef-class", r"cdef\s+(public\s+|readonly\s+)?class\s"),
    ("class-line", r"class\s"),
    ("cdef-func-line", r"cdef\s+(inline\s+)?[\w\[\], .*]+\(.*\).*:\s*(#.*)?$"),
    ("cdef-decl", r"cdef\s"),
    ("import", r"(from\s+\S+\s+)?c?import\s"),
    ("return", r"return\b"),
    ("raise", r"raise\b"),
    ("try/except", r"(try|except|finally)\b"),
    ("with", r"(async\s+)?with\s"),
    ("for", r"(async\s+)?for\s"),
    ("while", r"while\s"),
    ("if/elif", r"(if|elif)\s"),
    ("else", r"else\s*:"),
    ("yield/await", r"(.*=\s*)?(yield|await)\b"),
    ("assert", r"assert\b"),
    ("del", r"del\s"),
    ("global", r"(global|nonlocal)\s"),
    ("pass/break", r"(pass|break|continue)\b"),
    ("augassign", r"[\w.\[\]]+\s*[-+*/%|&^]=\s*"),
    ("assign", r"[\w.\[\], ()]+\s*=[^=]"),
    ("docstring", r"[rbuRBU]?(\"\"\"|''')"),
    ("call", r"[\w.]+\(.*"),
    ("other", r""),
]
KIND_RE = [(k, re.compile(p)) for k, p in KINDS]


def kind_of(text: str) -> str:
    s = text.strip()
    top = "" if text[:1].isspace() else "top:"
    for k, rx in KIND_RE:
        if rx.match(s):
            return top + k
    return top + "other"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="broad-ci")
    ap.add_argument("--cli", default=str(run.REPO / "dist" / "cli.js"))
    ap.add_argument("--cli-directives", action="store_true")
    ap.add_argument("--save", help="write the CLI's predictions here")
    ap.add_argument("--load", help="read predictions written by --save instead of running the CLI")
    ap.add_argument("--project", help="only this project (broad corpora)")
    ap.add_argument("--kind", help="only kinds containing this text")
    ap.add_argument("--examples", type=int, default=8, help="worst lines shown per kind")
    ap.add_argument("--show", help="ID:FIRST-LAST: print label / prediction / text of these lines of one file")
    ap.add_argument("--summary", action="store_true", help="pooled and per-project F1 / Spearman only")
    ap.add_argument("--sort", choices=("fp", "fn", "err", "log"), default="err",
                    help="order of the kind table (err = fp + fn)")
    args = ap.parse_args(argv)
    labels, manifests = run.load_labels([args.corpus])
    labs = labels[args.corpus]
    if args.project:
        labs = [l for l in labs if l["id"].split("/")[1] == args.project]
    if args.load:
        preds = json.loads(Path(args.load).read_text())
    else:
        keep = {l["path"] for l in labs}
        entries = [e for e in manifests[args.corpus] if e["path"] in keep]
        preds = run.run_cli(Path(args.cli), entries, 40, 900, args.cli_directives)
        if args.save:
            Path(args.save).write_text(json.dumps(preds))
    if args.show:
        fid, rng = args.show.rsplit(":", 1)
        first, last = (int(x) for x in rng.split("-"))
        lab = next(l for l in labels[args.corpus] if l["id"] == fid or l["id"].endswith(fid))
        src = Path(lab["path"]).read_text(errors="replace").splitlines()
        L = {a["line"]: a["score"] for a in lab["annotations"] or []}
        P = {int(a["line"]): float(a["score"]) for a in preds[str(Path(lab["path"]).resolve())].get("annotations") or []}
        for i in range(first, min(last, len(src)) + 1):
            print(f"{i:>6} {L.get(i, 0):>4} {P.get(i, 0):>5g}  {src[i - 1]}")
        return 0
    if args.summary:
        by: dict[str, list] = defaultdict(list)
        for lab in labs:
            by[lab["id"].split("/")[1] if args.corpus.startswith("broad") else args.corpus].append(lab)
        rows = [("POOLED", run.compare_annotations(labs, preds))]
        rows += [(p, run.compare_annotations(ls, preds)) for p, ls in sorted(by.items(), key=lambda kv: kv[0].lower())]
        for name, a in rows:
            print(f"{name:<16} F1 {a['f1']:.4f}  Spearman {a['spearman'] if a['spearman'] is None else round(a['spearman'], 4)}"
                  f"  (fp {a['fp']} fn {a['fn']})")
        return 0
    stats: dict[str, dict] = defaultdict(lambda: {"n": 0, "fp": 0, "fn": 0, "lab": 0.0, "pred": 0.0, "log": 0.0})
    worst: dict[str, list] = defaultdict(list)
    for lab in labs:
        if lab.get("annotations") is None:
            continue
        src = Path(lab["path"]).read_text(errors="replace").splitlines()
        L = {a["line"]: a["score"] for a in lab["annotations"]}
        pr = preds.get(str(Path(lab["path"]).resolve()))
        if pr is None:
            continue
        P = {int(a["line"]): float(a["score"]) for a in (pr.get("annotations") or [])}
        for line in set(L) | set(P):
            lv, pv = L.get(line, 0), P.get(line, 0)
            if not (lv or pv):
                continue
            text = src[line - 1] if 0 < line <= len(src) else ""
            k = kind_of(text)
            if args.kind and args.kind not in k:
                continue
            s = stats[k]
            s["n"] += 1
            s["fp"] += lv == 0 and pv > 0
            s["fn"] += lv > 0 and pv == 0
            s["lab"] += lv
            s["pred"] += pv
            d = math.log2((lv + 1) / (pv + 1))
            s["log"] += abs(d)
            worst[k].append((abs(d) + (10 if (lv == 0) != (pv == 0) else 0), lv, pv, lab["id"], line, text.strip()))
    key = {"fp": lambda s: s["fp"], "fn": lambda s: s["fn"], "err": lambda s: s["fp"] + s["fn"],
           "log": lambda s: s["log"]}[args.sort]
    print(f"{'kind':<22}{'lines':>7}{'FP':>6}{'FN':>6}{'mean lab':>10}{'mean pred':>10}{'sum|log2|':>11}")
    order = sorted(stats, key=lambda k: -key(stats[k]))
    for k in order:
        s = stats[k]
        print(f"{k:<22}{s['n']:>7}{s['fp']:>6}{s['fn']:>6}{s['lab'] / s['n']:>10.1f}{s['pred'] / s['n']:>10.1f}"
              f"{s['log']:>11.1f}")
    if args.examples:
        for k in order:
            if not worst[k]:
                continue
            print(f"\n== {k}")
            for _, lv, pv, fid, line, text in sorted(worst[k], key=lambda t: -t[0])[:args.examples]:
                print(f"  lab {lv:>4} pred {pv:>5g}  {fid}:{line}  {text[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
