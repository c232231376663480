#!/usr/bin/env python
"""Labels every corpus file with the REAL compiler (the project's pinned .venv Cython).

For each manifest entry it runs (at most --jobs=2 at a time, cwd = the file's directory)

    .venv/bin/python -u conformance/cython_driver.py -3 [--cplus] [-a] [-X ...] -I DIR... FILE -o TMP/<module>.c

(cython_driver.py = the `cython` command line + phase markers) and stores, per file,

    {"id", "path", "sha256", "cython": version, "argv": [...], "returncode", "seconds",
     "diagnostics": [{"kind": error|warning|hint|note, "line", "column" (0-based), "message", "category", "phase",
                      "path"}],                      # only those positioned in the file itself
     "other_diagnostics": [...],                      # positioned in another file (a cimported .pxd ...)
     "stopped_after": "parse" | "analysis" | null,  # compiler aborted after this phase (null: C code generated)
     "annotations": [{"line", "score"}] | null}       # from the `cython -a` HTML (every source line)

into $CYTHON_LENS_CACHE/conformance/labels/<key>.json, key = sha256(file bytes, cython version, argv without
paths, include dir list).  Reruns only compile files whose key changed.  Then writes
<corpus>/labels.json (list, manifest order).
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import json
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (BROAD_CORPORA, CACHE, CONF_DIR, CORPORA, OUT, REPO, VENV_PY, categorize,  # noqa: E402
                    cython_version, eprint, parse_compiler_output, read_json, sha256_file, write_json)

# Labels committed to the repository (so that a fresh machine's CI does not compile for hours): gzipped JSON
# {"format", "cython", "generated", "note", "labels": {cache key: label}}; only entries with portable_key (the
# broad corpus, the mutants) are looked up here, since their key does not depend on where the cache or checkout
# lives.  One file per corpus (labels/<corpus>.json.gz, written by --export-committed); every file of the
# directory is read.
COMMITTED_LABELS = CONF_DIR / "labels" / "broad-ci.json.gz"

LABEL_FORMAT = 2  # bump when the label JSON layout / parsing changes (invalidates the cache)
_ANN_RE = re.compile(r'<pre class="cython line score-(\d+)"[^>]*>(?:\+|&#xA0;)<span class="[^"]*">(\d+)</span>:')

# Top-level pipeline phases after which Cython stops when errors were reported.
_PARSE_PHASES = {"parse"}


def build_argv(entry: dict, c_out: Path, args: list[str] | None = None) -> list[str]:
    argv = [str(VENV_PY), "-u", str(CONF_DIR / "cython_driver.py")] + list(entry["cython_args"] if args is None else args)
    if entry.get("cplus"):
        argv.append("--cplus")
    if entry.get("annotate"):
        argv.append("-a")
    for d in entry["include_dirs"]:
        argv += ["-I", d]
    argv += [entry["path"], "-o", str(c_out)]
    return argv


def cache_key(entry: dict, version: str) -> str:
    h = hashlib.sha256()
    h.update(Path(entry["path"]).read_bytes())
    extra = {"fallback": entry["fallback_cython_args"]} if entry.get("fallback_cython_args") else {}
    # The checkout's own path (its .venv in the include dirs) does not change what the compiler says: a fresh
    # clone elsewhere (CI) reuses the labels.
    text = json.dumps({
        **extra,
        "fmt": LABEL_FORMAT, "cython": version, "args": entry["cython_args"], "cplus": bool(entry.get("cplus")),
        "annotate": bool(entry.get("annotate")), "include_dirs": entry["include_dirs"],
        "name": Path(entry["path"]).name, "module": entry.get("module"),
    }, sort_keys=True)
    if entry.get("portable_key"):
        if entry.get("sdists"):  # the sdists the project and its deps were prepared from (their other .pxd files)
            text = text[:-1] + ', "sdists": ' + json.dumps(entry["sdists"]) + "}"
        # the broad corpus: neither the cache's place nor the checkout's (its .venv) changes what the compiler says
        text = text.replace(str(CACHE), "<cache>").replace(str(REPO.resolve()), "<repo>")
        text = text.replace(str(Path(sys.prefix)), "<venv>").replace(str(Path(sys.prefix).resolve()), "<venv>")
    h.update(text.replace(str(REPO), "<repo>").encode())
    return h.hexdigest()


_committed: dict | None = None


def committed_labels() -> dict:
    """The committed labels (COMMITTED_LABELS and the other .json.gz files beside it), {} when absent or made by
    another Cython version."""
    global _committed
    if _committed is None:
        _committed = {}
        d = COMMITTED_LABELS.parent
        files = sorted(set(d.glob("*.json.gz")) | ({COMMITTED_LABELS} if COMMITTED_LABELS.exists() else set())) \
            if d.exists() else []
        for f in files:
            with gzip.open(f, "rt", encoding="utf-8") as fh:
                data = json.load(fh)
            if data.get("cython") == cython_version() and data.get("format") == LABEL_FORMAT:
                _committed.update(data["labels"])
    return _committed


def export_committed(corpus: str) -> Path:
    """Writes labels/<corpus>.json.gz (COMMITTED_LABELS for broad-ci) from the cached labels of `corpus` (portable
    entries only), paths made relative."""
    target = COMMITTED_LABELS.parent / f"{corpus}.json.gz"
    manifest = read_json(OUT / corpus / "manifest.json")
    version = cython_version()
    labels = {}
    for e in manifest:
        if not e.get("portable_key"):
            continue
        key = cache_key(e, version)
        f = OUT / "labels" / f"{key}.json"
        if not f.exists():
            raise SystemExit(f"label: {e['id']} is not labelled yet: run label.py --corpus {corpus} first")
        lab = read_json(f)
        lab["path"] = e["id"]
        lab["argv"] = None  # machine-specific paths; the key records the arguments
        for d in lab["diagnostics"] + lab["other_diagnostics"]:
            d["path"] = Path(d["path"]).name
        labels[key] = lab
    target.parent.mkdir(parents=True, exist_ok=True)
    data = {"format": LABEL_FORMAT, "cython": version, "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "note": f"labels of the {corpus} corpus made by conformance/label.py with the pinned Cython {version} "
                    f"(`label.py --corpus {corpus} --export-committed`); keyed like the label cache",
            "labels": dict(sorted(labels.items()))}
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump(data, fh, separators=(",", ":"))
    eprint(f"label: wrote {len(labels)} labels to {target} ({target.stat().st_size} bytes)")
    return target


def parse_annotation_html(text: str) -> list[dict]:
    return [{"line": int(m.group(2)), "score": int(m.group(1))} for m in _ANN_RE.finditer(text)]


def label_one(entry: dict, version: str) -> dict:
    """Labels one file; when the compiler stops at the parse phase and the entry has fallback_cython_args (the
    Cython tests: runtests.py's default language_level=2), labels it with those instead."""
    lab = _label_one(entry, version, None)
    fb = entry.get("fallback_cython_args")
    if lab["stopped_after"] == "parse" and fb:
        lab2 = _label_one(entry, version, fb)
        if lab2["stopped_after"] != "parse":
            lab2["fallback_used"] = True
            lab2["primary_result"] = {"argv": lab["argv"], "diagnostics": lab["diagnostics"]}
            return lab2
    lab["fallback_used"] = False
    return lab


def _label_one(entry: dict, version: str, args: list[str] | None) -> dict:
    src = Path(entry["path"])
    module = entry.get("module") or src.stem
    with tempfile.TemporaryDirectory(prefix="cl-label-") as tmp:
        c_out = Path(tmp) / (module.replace(".", "_") + (".cpp" if entry.get("cplus") else ".c"))
        argv = build_argv(entry, c_out, args)
        t0 = time.monotonic()
        proc = subprocess.run(argv, cwd=str(src.parent), capture_output=True, text=True, errors="replace",
                              timeout=1800)
        secs = time.monotonic() - t0
        stderr = proc.stderr + ("\n" + proc.stdout if proc.stdout.strip() else "")
        if "Traceback (most recent call last)" in proc.stderr and "Compiler crash traceback" not in proc.stderr \
                and proc.returncode not in (0, 1):
            raise RuntimeError(f"label: the compiler crashed on {src}:\n{proc.stderr[-3000:]}")
        parsed = parse_compiler_output(proc.stderr)
        own, other = [], []
        for d in parsed:
            d["category"] = categorize(d["message"])
            p = Path(d["path"])
            same = (p if p.is_absolute() else (src.parent / p)).resolve() == src.resolve()
            (own if same else other).append(d)
        errors = [d for d in parsed if d["kind"] == "error"]
        phases = re.findall(r"^@@phase (\S+)$", proc.stderr, re.M)
        last_phase = phases[-1] if phases else None
        stopped = None
        if errors:
            # a syntax error aborts right in the parse phase; other errors (also -Werror warnings printed while
            # parsing) let every transform up to GilCheck run, then abort_on_errors stops before code generation
            stopped = "parse" if last_phase in _PARSE_PHASES else "analysis"
        ann = None
        if entry.get("annotate") and proc.returncode == 0:
            html_file = c_out.with_suffix(".html")
            if html_file.exists():
                ann = parse_annotation_html(html_file.read_text(encoding="utf-8", errors="replace"))
            else:
                raise RuntimeError(f"label: cython -a produced no HTML for {src}")
        if proc.returncode != 0 and not errors:
            raise RuntimeError(f"label: compiler failed without a parsable error on {src}:\n{stderr[-3000:]}")
    return {
        "id": entry["id"], "path": str(src), "sha256": sha256_file(src), "cython": version,
        "argv": [a for a in argv[3:]], "returncode": proc.returncode, "seconds": round(secs, 2),
        "diagnostics": own, "other_diagnostics": other, "stopped_after": stopped, "last_phase": last_phase,
        "annotations": ann,
    }


def label_corpus(corpus: str, jobs: int, limit: int | None = None, force: bool = False) -> list[dict]:
    manifest_path = OUT / corpus / "manifest.json"
    if not manifest_path.exists():
        raise SystemExit(f"label: {manifest_path} missing; run conformance/prepare.py first")
    manifest = read_json(manifest_path)
    if limit:
        manifest = manifest[:limit]
    version = cython_version()
    cache_dir = OUT / "labels"
    cache_dir.mkdir(parents=True, exist_ok=True)
    results: list[dict | None] = [None] * len(manifest)
    todo = []
    for i, e in enumerate(manifest):
        key = cache_key(e, version)
        f = cache_dir / f"{key}.json"
        cached = read_json(f) if f.exists() and not force else None
        if cached is not None and cached["stopped_after"] == "parse" and "last_phase" not in cached:
            cached = None  # made before last_phase was recorded: "parse" was a guess, recompute (few files)
        if cached is None and e.get("portable_key") and key in committed_labels():
            cached = dict(committed_labels()[key], path=e["path"], from_committed=True)
            write_json(f, cached)
        if cached is not None:
            results[i] = cached
        else:
            todo.append((i, e, f))
    eprint(f"label: {corpus}: {len(manifest)} files, {len(manifest) - len(todo)} cached, {len(todo)} to compile "
           f"with {jobs} process(es)")
    t0 = time.monotonic()
    done = 0

    def work(item):
        i, e, f = item
        try:
            lab = label_one(e, version)
        except (RuntimeError, subprocess.TimeoutExpired) as ex:
            if not e.get("portable_key"):
                raise
            # real code from the broad corpus: a compiler crash is recorded (and the file left out of the figures)
            # instead of stopping the whole run
            eprint(f"label: {e['id']}: compiler failure recorded: {str(ex)[:300]}")
            lab = {"id": e["id"], "path": e["path"], "sha256": sha256_file(Path(e["path"])), "cython": version,
                   "argv": None, "returncode": None, "seconds": 0, "diagnostics": [], "other_diagnostics": [],
                   "stopped_after": "crash", "last_phase": None, "annotations": None,
                   "compiler_failure": str(ex)[-3000:]}
        write_json(f, lab)
        return i, lab

    todo.sort(key=lambda item: not item[1].get("ci", False))  # the broad CI subset first
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, 2))) as pool:
        for i, lab in pool.map(work, todo):
            results[i] = lab
            done += 1
            if done % 10 == 0 or done == len(todo):
                eprint(f"label: {corpus}: {done}/{len(todo)} compiled ({time.monotonic() - t0:.0f}s)")
    elapsed = time.monotonic() - t0
    write_json(OUT / corpus / "labels.json", results)
    stats = {"corpus": corpus, "files": len(results), "compiled_now": len(todo), "seconds_now": round(elapsed, 1),
             "compile_seconds_total": round(sum(r["seconds"] for r in results), 1)}
    write_json(OUT / corpus / "label-stats.json", stats)
    eprint(f"label: {corpus}: done in {elapsed:.0f}s (sum of compile times of all labels: "
           f"{stats['compile_seconds_total']}s)")
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=("all",) + CORPORA + BROAD_CORPORA + ("mutants-full",), default="all",
                    help="all = " + ", ".join(CORPORA) + " (the broad corpora and mutants-full only when named)")
    ap.add_argument("--export-committed", action="store_true",
                    help="after labelling, write the corpus' labels to "
                         + str(COMMITTED_LABELS.parent.relative_to(REPO)) + "/<corpus>.json.gz")
    ap.add_argument("--jobs", type=int, default=2, help="parallel compiler processes (max 2)")
    ap.add_argument("--limit", type=int, help="only the first N files of each corpus (debugging)")
    ap.add_argument("--force", action="store_true", help="ignore the label cache")
    args = ap.parse_args(argv)
    for corpus in (CORPORA if args.corpus == "all" else (args.corpus,)):
        label_corpus(corpus, args.jobs, args.limit, args.force)
        if args.export_committed:
            export_committed(corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
