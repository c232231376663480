#!/usr/bin/env python
"""Builds the three conformance corpora under $CYTHON_LENS_CACHE/conformance/ from the unpacked sdists
(scripts/fetch-sdists.sh):

  sklearn/       scikit-learn 1.9.1's .pyx/.pxd/.pxi tree, .tp templates rendered with Cython.Tempita exactly like
                 sklearn/_build_utils/tempita.py does (output beside the template, ".tp" dropped), _blas_int.pxi
                 configured like sklearn/utils/meson.build does; language (C / C++) read from the meson.build files.
  cython-tests/  Cython 3.3.1's tests/errors files whose expected messages concern the GIL / nogil / noexcept /
                 exception checks, plus tests/run and tests/compile files that use nogil; the _ERRORS / _WARNINGS /
                 _PERFORMANCE_HINTS blocks are cut off (as runtests.py does) and kept in the manifest.
  mutants/       single-statement mutants of real nogil regions of the labelled base corpora (see mutate.py);
                 mutants-full/manifest.json lists all of them, mutants/manifest.json the CI subset.

Each corpus gets a manifest.json: [{"id", "path", "cplus", "include_dirs", "cython_args", ...}].
Deterministic; reruns rebuild the trees from scratch (cheap: a few seconds).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (CYTHON_SRC, OUT, SKLEARN_SRC, categorize, eprint, oracle_include_dirs,  # noqa: E402
                    site_packages, write_json)

# The directives scikit-learn's meson build passes to every cython call (sklearn/meson.build,
# scikit_learn_cython_args; SKLEARN_ENABLE_DEBUG_CYTHON_DIRECTIVES unset -> boundscheck=False).
SKLEARN_BUILD_DIRECTIVES = [
    "-X", "boundscheck=False", "-X", "wraparound=False", "-X", "initializedcheck=False",
    "-X", "nonecheck=False", "-X", "cdivision=True", "-X", "profile=False",
    "-X", "freethreading_compatible=True",
]


# ------------------------------------------------------------------------------------------------ sklearn
def _meson_cpp_sources(meson_text: str) -> set[str]:
    """Names of the .pyx files a meson.build compiles with cython_gen_cpp (i.e. --cplus)."""
    out: set[str] = set()
    for m in re.finditer(r"cython_gen_cpp\.process\(\s*([^)]*?)\s*\)", meson_text):
        arg = m.group(1).strip()
        lit = re.fullmatch(r"'([^']+)'", arg)
        if lit:
            out.add(Path(lit.group(1)).name)
            continue
        # a variable holding a custom_target that renders a template: VAR = custom_target(... input: 'X.pyx.tp'
        var = re.fullmatch(r"\w+", arg)
        if var:
            dm = re.search(r"\b" + re.escape(arg) + r"\s*=\s*custom_target\(", meson_text)
            if dm:
                im = re.search(r"input:\s*'([^']+)'", meson_text[dm.end():])
                if im:
                    out.add(Path(im.group(1)).name.removesuffix(".tp"))
                    continue
        raise SystemExit(f"prepare: cannot resolve cython_gen_cpp.process({arg}) in a meson.build")
    return out


def prepare_sklearn(directives: str) -> list[dict]:
    from Cython import Tempita

    src_root = SKLEARN_SRC / "sklearn"
    if not src_root.is_dir():
        raise SystemExit(f"prepare: {src_root} missing; run scripts/fetch-sdists.sh")
    dest_base = OUT / "sklearn"
    dest_root = dest_base / "src"
    if dest_base.exists():
        shutil.rmtree(dest_base)
    dest_pkg = dest_root / "sklearn"

    cpp_files: set[Path] = set()
    rendered = 0
    for dirpath, dirnames, filenames in os.walk(src_root):
        dirnames.sort()
        rel = Path(dirpath).relative_to(src_root)
        for fn in sorted(filenames):
            src = Path(dirpath) / fn
            dst = dest_pkg / rel / fn
            if fn in ("__init__.py",) or fn.endswith((".pyx", ".pxd", ".pxi", ".h")):
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)
            elif fn.endswith(".tp"):
                # sklearn/_build_utils/tempita.py: Template(content).substitute() -> file without ".tp"
                out = dest_pkg / rel / fn[:-3]
                out.parent.mkdir(parents=True, exist_ok=True)
                content = Tempita.Template(src.read_text(encoding="utf-8")).substitute()
                out.write_text(content, encoding="utf-8")
                rendered += 1
            elif fn == "meson.build":
                for name in _meson_cpp_sources(src.read_text(encoding="utf-8")):
                    cpp_files.add(rel / name)
    # sklearn/utils/meson.build: configure_file(_blas_int.pxi.in) with BLAS_INT_DEF depending on whether
    # scipy's cython_blas exports blas_int.
    blas_pxd = site_packages() / "scipy" / "linalg" / "cython_blas.pxd"
    has_blas_int = re.search(r"\bblas_int\b", blas_pxd.read_text(encoding="utf-8")) is not None
    blas_def = ("from scipy.linalg.cython_blas cimport blas_int" if has_blas_int else "ctypedef int blas_int")
    tmpl = (src_root / "utils" / "_blas_int.pxi.in").read_text(encoding="utf-8")
    (dest_pkg / "utils" / "_blas_int.pxi").write_text(tmpl.replace("@BLAS_INT_DEF@", blas_def), encoding="utf-8")

    includes = [str(dest_root)] + oracle_include_dirs()
    extra = SKLEARN_BUILD_DIRECTIVES if directives == "build" else []
    manifest = []
    for pyx in sorted(dest_pkg.rglob("*.pyx")):
        rel = pyx.relative_to(dest_pkg)
        text = pyx.read_text(encoding="utf-8")
        cplus = rel in cpp_files or re.search(r"^#\s*distutils:\s*language\s*=\s*c\+\+", text, re.M) is not None
        manifest.append({
            "id": "sklearn/" + str(rel),
            "path": str(pyx),
            "module": "sklearn." + ".".join(rel.with_suffix("").parts),
            "cplus": bool(cplus),
            "include_dirs": includes,
            "cython_args": ["-3"] + extra,
            "directives": {a.split("=")[0]: a.split("=")[1] for a in extra[1::2]},
            "annotate": True,
        })
    write_json(dest_base / "manifest.json", manifest)
    eprint(f"prepare: sklearn: {len(manifest)} .pyx ({sum(e['cplus'] for e in manifest)} C++), "
           f"{rendered} templates rendered, blas_int: {blas_def!r}")
    return manifest


# ------------------------------------------------------------------------------------------------ Cython tests
_BLOCK_RE = re.compile(r"^(_ERRORS|_WARNINGS|_PERFORMANCE_HINTS)\b")
_EXPECT_RE = re.compile(r"^\s*(?:.*?:)?\s*([-0-9]+)\s*:\s*([-0-9]+)\s*:\s*(.*)$")  # runtests.ErrorWriter.match_error
_TAG_RE = re.compile(r"#\s*(\w+)\s*:(.*)$")


def parse_tags(text: str) -> dict[str, list[str]]:
    """runtests.parse_tags: the leading comment block's '# name: v1, v2' lines."""
    tags: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            line = line.strip()
            if not line:
                if tags:
                    break
                continue
            if not line.startswith("#"):
                break
        m = _TAG_RE.match(line)
        if m:
            tag, values = m.groups()
            tags.setdefault(tag, []).extend(v.strip() for v in values.split(",") if v.strip())
        elif tags:
            break
    return tags


def split_source_and_expectations(text: str) -> tuple[str, dict[str, list[dict]]]:
    """Like runtests.split_source_and_output: everything before the first block line is the source."""
    lines = text.splitlines(keepends=True)
    src: list[str] = []
    exp: dict[str, list[dict]] = {"errors": [], "warnings": [], "hints": []}
    cur = None
    keymap = {"_ERRORS": "errors", "_WARNINGS": "warnings", "_PERFORMANCE_HINTS": "hints"}
    for line in lines:
        m = _BLOCK_RE.match(line)
        if m:
            cur = keymap[m.group(1)]
            continue
        if cur is None:
            src.append(line)
            continue
        em = _EXPECT_RE.match(line.rstrip("\n"))
        if em and em.group(3).strip() and not em.group(3).strip().startswith('"""'):
            exp[cur].append({"line": int(em.group(1)), "column": int(em.group(2)), "message": em.group(3).strip()})
    return "".join(src), exp


def _needs_cplus(tags: dict[str, list[str]]) -> bool:
    if "cpp" in tags.get("tag", []):
        return True
    for opt in tags.get("distutils", []):
        k, _, v = opt.partition("=")
        if k.strip() == "language" and v.strip() == "c++":
            return True
    return False


_GIL_USE_RE = re.compile(r"\bnogil\b|\bwith\s+gil\b|\bnoexcept\b")


def prepare_cython_tests() -> list[dict]:
    tests_root = CYTHON_SRC / "tests"
    if not tests_root.is_dir():
        raise SystemExit(f"prepare: {tests_root} missing; run scripts/fetch-sdists.sh")
    dest_base = OUT / "cython-tests"
    if dest_base.exists():
        shutil.rmtree(dest_base)
    manifest = []
    skipped: dict[str, int] = {}
    for sub in ("errors", "run", "compile"):
        sdir = tests_root / sub
        ddir = dest_base / sub
        ddir.mkdir(parents=True)
        # companion files (a test's .pxd / .pxi / .h) are copied as they are
        for f in sorted(sdir.iterdir()):
            if f.is_file() and f.suffix in (".pxd", ".pxi", ".h"):
                shutil.copyfile(f, ddir / f.name)
        for f in sorted(sdir.iterdir()):
            if not f.is_file() or f.suffix != ".pyx":
                if f.is_file() and f.suffix == ".py" and _GIL_USE_RE.search(f.read_text(encoding="latin-1")):
                    skipped["pure-python .py test"] = skipped.get("pure-python .py test", 0) + 1
                continue
            raw = f.read_bytes().decode("latin-1")  # runtests reads them as ISO-8859-1
            source, exp = split_source_and_expectations(raw)
            tags = parse_tags(raw)
            mode = (tags.get("mode") or ["run"])[0]
            all_exp = exp["errors"] + exp["warnings"] + exp["hints"]
            gil_exp = [e for e in all_exp if categorize(e["message"])]
            if sub == "errors":
                if mode != "error" or not gil_exp:
                    continue
            else:
                if not _GIL_USE_RE.search(source) and not gil_exp:
                    continue
            if "pythran" in tags.get("tag", []):
                skipped["needs pythran"] = skipped.get("needs pythran", 0) + 1
                continue
            dst = ddir / f.name
            dst.write_bytes(source.encode("latin-1"))
            manifest.append({
                "id": f"cython-tests/{sub}/{f.name}",
                "path": str(dst),
                "module": f.stem,
                "cplus": _needs_cplus(tags),
                "include_dirs": [str(ddir), str(tests_root / "testsupport")] + oracle_include_dirs(),
                # runtests.py turns warnings into errors for the 'werror' tag (Options.warning_errors); the labels
                # do not: the editor sees the file, not the test runner's flags, and reports those as warnings.
                "cython_args": ["-3"],
                # runtests.py compiles with language_level=2 unless given -3; many run tests (and nogil.pyx) use
                # Python 2 syntax (print statements).  Such files are labelled with -2 (see label.py).
                "fallback_cython_args": ["-2"],
                "annotate": False,
                "mode": mode,
                "tags": tags.get("tag", []),
                "expected": exp,
            })
    write_json(dest_base / "manifest.json", manifest)
    eprint(f"prepare: cython-tests: {len(manifest)} files "
           f"({sum(1 for e in manifest if e['id'].startswith('cython-tests/errors/'))} error tests); "
           f"skipped: {skipped}")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=["all", "sklearn", "cython-tests", "mutants", "broad"], default="all",
                    help="all = sklearn, cython-tests, mutants (broad is prepared only when asked: broad.py)")
    ap.add_argument("--sklearn-directives", choices=["default", "build"], default="build",
                    help="build (default): scikit-learn's own meson -X directives (boundscheck=False, "
                         "wraparound=False, cdivision=True, ...): without cdivision=True six of its files do not "
                         "compile (`n / 2` on C integers is a double under language_level 3); "
                         "default: plain `cython -3 [-a]`")
    ap.add_argument("--mutants", type=int, default=1040,
                    help="number of mutants in mutants-full, spread over the projects (default 1040)")
    ap.add_argument("--mutants-ci", type=int, default=70,
                    help="number of mutants in the CI subset `mutants` (default 70: the first of each project)")
    ap.add_argument("--seed", type=int, default=20261121)
    ap.add_argument("--per-project", type=int, default=40, help="broad: modules labelled per project (default 40)")
    ap.add_argument("--ci-per-project", type=int, default=3,
                    help="broad: modules per project in the CI subset broad-ci (default 3)")
    ap.add_argument("--project", action="append", help="broad: only this project (repeatable; debugging)")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.corpus in ("all", "sklearn"):
        prepare_sklearn(args.sklearn_directives)
    if args.corpus in ("all", "cython-tests"):
        prepare_cython_tests()
    if args.corpus in ("all", "mutants"):
        from mutate import prepare_mutants
        prepare_mutants(args.mutants, args.seed, args.mutants_ci)
    if args.corpus == "broad":
        from broad import prepare_broad
        prepare_broad(args.per_project, args.ci_per_project, args.project)
    return 0


if __name__ == "__main__":
    sys.exit(main())
