#!/usr/bin/env python
"""Corpus statistics from the manifests and labels: files, GIL-error lines, hint lines, annotated lines, label
time; the distinct GIL-related messages of the Cython test expectations (_ERRORS/_WARNINGS/_PERFORMANCE_HINTS) and
of the compiler's labels, with the compiler phase that reported them.  `--markdown` prints README-ready tables.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPORA, CYTHON_SRC, OUT, categorize, read_json  # noqa: E402
from prepare import split_source_and_expectations  # noqa: E402


def expectation_messages() -> Counter:
    """(block, message) -> count over every tests/errors|run|compile file (.pyx and .py) of the Cython sdist."""
    c: Counter = Counter()
    for sub in ("errors", "run", "compile"):
        for f in sorted((CYTHON_SRC / "tests" / sub).iterdir()):
            if f.suffix not in (".pyx", ".py"):
                continue
            _, exp = split_source_and_expectations(f.read_text(encoding="latin-1"))
            for block, items in exp.items():
                for e in items:
                    if categorize(e["message"]):
                        # names in quotes vary per test: keep the message shape
                        c[(block, re.sub(r"'[^']*'", "'…'", e["message"]))] += 1
    return c


def corpus_stats() -> dict:
    out = {}
    for corpus in CORPORA:
        lp = OUT / corpus / "labels.json"
        if not lp.exists():
            continue
        labels = read_json(lp)
        s = {"files": len(labels), "gil_error_lines": 0, "error_lines": 0, "hint_lines": 0, "warning_lines": 0,
             "annotated_lines": 0, "score_positive_lines": 0, "stopped_after": Counter(), "fallback_used": 0,
             "compile_seconds": round(sum(l["seconds"] for l in labels), 1), "clean_files": 0}
        for lab in labels:
            d = lab["diagnostics"]
            s["gil_error_lines"] += len({x["line"] for x in d if x["kind"] == "error" and categorize(x["message"])})
            s["error_lines"] += len({x["line"] for x in d if x["kind"] == "error"})
            s["hint_lines"] += len({x["line"] for x in d if x["kind"] == "hint"})
            s["warning_lines"] += len({x["line"] for x in d if x["kind"] == "warning"})
            s["stopped_after"][str(lab["stopped_after"])] += 1
            s["fallback_used"] += bool(lab.get("fallback_used"))
            s["clean_files"] += not any(x["kind"] == "error" for x in d)
            for a in lab.get("annotations") or []:
                s["annotated_lines"] += 1
                s["score_positive_lines"] += a["score"] > 0
        s["stopped_after"] = dict(s["stopped_after"])
        out[corpus] = s
    return out


def label_messages() -> dict:
    """category -> {kind, messages Counter, phases Counter} over all labels."""
    res: dict = defaultdict(lambda: {"messages": Counter(), "phases": Counter(), "kinds": Counter()})
    for corpus in CORPORA:
        lp = OUT / corpus / "labels.json"
        if not lp.exists():
            continue
        for lab in read_json(lp):
            for x in lab["diagnostics"]:
                cat = categorize(x["message"])
                if not cat:
                    continue
                r = res[cat]
                r["messages"][re.sub(r"'[^']*'", "'…'", x["message"].split("\n", 1)[0])] += 1
                r["phases"][x.get("phase")] += 1
                r["kinds"][x["kind"]] += 1
    return res


def mutant_outcomes() -> dict:
    mp, lp = OUT / "mutants" / "manifest.json", OUT / "mutants" / "labels.json"
    if not lp.exists():
        return {}
    res: dict = defaultdict(Counter)
    for e, lab in zip(read_json(mp), read_json(lp)):
        mu = e["mutation"]
        cats = sorted({categorize(x["message"]) or "non-GIL error" for x in lab["diagnostics"]
                       if x["kind"] == "error" and mu["first_line"] <= x["line"] <= mu["last_line"]})
        others = any(x["kind"] == "error" and not (mu["first_line"] <= x["line"] <= mu["last_line"])
                     for x in lab["diagnostics"])
        key = ", ".join(cats) if cats else "clean"
        if others:
            key += " (+ errors elsewhere)"
        res[mu["kind"]][key] += 1
    return {k: dict(v) for k, v in res.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args(argv)
    cs = corpus_stats()
    if args.markdown:
        print("| corpus | files | GIL-error lines | all error lines | hint lines | warning lines | annotated lines "
              "(score > 0) | compile s |")
        print("|---|---|---|---|---|---|---|---|")
        for c, s in cs.items():
            print(f"| {c} | {s['files']} | {s['gil_error_lines']} | {s['error_lines']} | {s['hint_lines']} | "
                  f"{s['warning_lines']} | {s['annotated_lines']} ({s['score_positive_lines']}) | "
                  f"{s['compile_seconds']} |")
        print("\nGIL-related messages in the Cython 3.3.1 test expectations (tests/errors, run, compile; .pyx and .py):\n")
        print("| block | count | message |")
        print("|---|---|---|")
        for (block, msg), n in sorted(expectation_messages().items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"| {block} | {n} | {msg} |")
        print("\nGIL-related messages the compiler printed on the three corpora, by category (phase that printed them):\n")
        print("| category | kind | phases | messages (count) |")
        print("|---|---|---|---|")
        for cat, r in sorted(label_messages().items(), key=lambda kv: -sum(kv[1]["messages"].values())):
            msgs = "; ".join(f"{m} ({n})" for m, n in r["messages"].most_common(4))
            print(f"| {cat} | {', '.join(r['kinds'])} | {', '.join(str(p) for p in r['phases'])} | {msgs} |")
        mo = mutant_outcomes()
        if mo:
            print("\nMutant outcomes (errors the compiler reports on the inserted lines):\n")
            print("| kind | outcomes |")
            print("|---|---|")
            for k, v in mo.items():
                print(f"| {k} | " + "; ".join(f"{o}: {n}" for o, n in sorted(v.items(), key=lambda kv: -kv[1])) + " |")
    else:
        import json
        print(json.dumps({"corpora": cs, "mutant_outcomes": mutant_outcomes()}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
