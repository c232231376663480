#!/usr/bin/env python
"""The broad real-code corpus: many Cython-heavy PyPI projects, each prepared as its own build prepares it.

One table (PROJECTS) says, per project, where its sources are in the unpacked sdist and what its build does before
calling cython: templates it renders (Tempita), files it configures (meson configure_file), generator scripts it runs,
which modules are C++, its compiler directives / compile-time env / language level, and the other corpus projects
whose .pxd files it cimports.  prepare_broad() turns that into

    $CYTHON_LENS_CACHE/conformance/broad/
        manifest.json          every labelled module (<= --per-project of each project, chosen deterministically)
        projects.json          per project: sdist, settings, modules found / chosen / excluded, templates rendered
        src/<project>/...      the prepared tree of each project (import root: <project>'s packages live here)
    $CYTHON_LENS_CACHE/conformance/broad-ci/
        manifest.json          the CI subset: the first --ci-per-project modules of each project (same entries)

Module choice: the .pyx files of the packages that are not `include`d by another file (those are pieces of a
module, not modules), minus the project's `exclude` globs, ordered by sha256 of their id (stable, spreads over
the tree); the first N are labelled.  Held-out projects (numpy, scipy, scikit-image, gensim, pandas) are refused.
"""
from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS_SRC, OUT, VENV_PY, eprint, oracle_include_dirs, site_packages, write_json  # noqa: E402

HELD_OUT = {"numpy", "scipy", "scikit-image", "skimage", "gensim", "pandas"}
BROAD_DIR = OUT / "broad"
BROAD_CI_DIR = OUT / "broad-ci"
DEFAULT_EXCLUDE = ["*/tests/*", "*/test/*", "tests/*", "test/*", "*/examples/*", "examples/*", "doc/*", "docs/*",
                   "*/benchmarks/*", "benchmarks/*"]
SOURCE_SUFFIXES = (".pyx", ".pxd", ".pxi", ".h", ".hpp")

# Per project (keys; all optional but name/sdist):
#   sdist        unpacked sdist directory under $CYTHON_LENS_CACHE/corpus (scripts/fetch-sdists.sh)
#   root         import root inside the sdist ("" = the sdist's top; "src" for src layouts)
#   packages     directories under root that are copied (default: [name])
#   prefix       module-name prefix when the .pyx files sit at the import root (healpy's src/_x.pyx -> healpy._x)
#   cplus        True: every module is C++ (setup.py language="c++"); a list: those modules; "meson": the modules
#                meson.build compiles with cython_gen_cpp; "cmake": those its CMakeLists.txt transpile with
#                LANGUAGE CXX.  A `# distutils: language = c++` comment always counts.
#   language_level "2" / "3" / "3str": the build's language_level (absent: cythonize's default, 3str)
#   directives   compiler directives the build sets for every module (-X)
#   compile_env  cythonize's compile_time_env (-E)
#   templates    [(glob, suffix-to-remove, vars)] rendered with Cython.Tempita like the build does
#   configure    [(input, output, vars-name)]: meson configure_file (@NAME@ substitution)
#   generators   [{"copy": [files from the sdist root], "argv": [...], "env": {...}}] run in the prepared root
#   extra_files  {sdist path: prepared path}: files the build copies next to the sources (dipy's safe_openmp.pxd)
#   include      extra include dirs relative to the prepared root
#   deps         other corpus projects whose prepared roots are include dirs (their .pxd are cimported)
#   exclude      module globs (relative to root) left out, with the reason in a comment
PROJECTS: list[dict] = [
    {"name": "aiohttp", "sdist": "aiohttp-3.14.5", "include": ["aiohttp/_websocket"]},
    {"name": "astropy", "sdist": "astropy-8.0.2"},
    {"name": "asyncpg", "sdist": "asyncpg-0.32.0", "language_level": "3",
     "directives": {"freethreading_compatible": "True", "subinterpreters_compatible": "own_gil"}},
    {"name": "blis", "sdist": "blis-1.3.4", "language_level": "3", "cplus": False},
    {"name": "cartopy", "sdist": "cartopy-0.26.0", "root": "lib", "cplus": True},
    {"name": "cassandra", "sdist": "cassandra_driver-3.30.1"},
    {"name": "cymem", "sdist": "cymem-2.0.16", "cplus": True},
    {"name": "cytoolz", "sdist": "cytoolz-1.2.0", "language_level": "3",
     "directives": {"embedsignature": "True", "binding": "True"}},
    {"name": "cyvcf2", "sdist": "cyvcf2-0.35.0"},
    # dipy/meson.build copies ../src/safe_openmp.pxd into the build dir of dipy/ and passes that dir as include dir
    {"name": "dipy", "sdist": "dipy-1.12.1", "language_level": "3", "cplus": "meson",
     "extra_files": {"src/safe_openmp.pxd": "dipy/safe_openmp.pxd"}, "include": ["dipy"]},
    {"name": "fiona", "sdist": "fiona-1.10.1", "language_level": "3",
     "compile_env": {"CTE_GDAL_MAJOR_VERSION": 3, "CTE_GDAL_MINOR_VERSION": 10},
     "exclude": ["fiona/_crs.pyx"]},  # not in setup.py's extensions (a leftover: cimports the gone fiona._shim)
    {"name": "frozenlist", "sdist": "frozenlist-1.8.0"},
    {"name": "gevent", "sdist": "gevent-26.9.0", "root": "src", "language_level": "3str",
     "include": ["gevent/libev", "gevent/resolver"]},  # _setuputils/_setuplibev/_setupares: the .pyx dirs
    {"name": "h5py", "sdist": "h5py-3.16.0", "language_level": "3",
     "directives": {"freethreading_compatible": "True"},
     "generators": [{"copy": ["api_gen.py", "setup_configure.py", "h5py/api_functions.txt"], "argv": ["{python}", "api_gen.py"],
                     "env": {"HDF5_VERSION": "1.14.6", "H5PY_ROS3": "0", "H5PY_DIRECT_VFD": "0",
                             "HDF5_INCLUDEDIR": "/usr/include/hdf5/serial", "HDF5_LIBDIR": "/usr/lib"}}],
     "templates": [("**/*.templ.*", ".templ", "h5py")]},
    {"name": "hdbscan", "sdist": "hdbscan-0.8.44"},
    {"name": "healpy", "sdist": "healpy-1.20.1", "root": "src", "packages": ["."], "prefix": "healpy",
     "cplus": True, "directives": {"embedsignature": "True"}},
    {"name": "implicit", "sdist": "implicit-0.7.3", "cplus": "cmake",
     "exclude": ["implicit/gpu/*"]},  # built only with CUDA (implicit/CMakeLists.txt)
    {"name": "line_profiler", "sdist": "line_profiler-5.1.0", "cplus": True},
    {"name": "lxml", "sdist": "lxml-6.1.3", "root": "src", "include": ["lxml/includes", "lxml"]},
    {"name": "MDAnalysis", "sdist": "mdanalysis-2.11.0", "language_level": "3",
     "directives": {"embedsignature": "False"},
     "cplus": ["MDAnalysis.lib._cutil", "MDAnalysis.lib._augment", "MDAnalysis.coordinates.timestep",
               "MDAnalysis.lib.nsgrid"],
     "include": ["MDAnalysis/lib/include", "MDAnalysis/lib/formats/include"]},
    # CMakeLists.txt: cython --cplus -3 -X ... -I src/memray/ (Release configuration)
    {"name": "memray", "sdist": "memray-1.20.0", "root": "src", "cplus": True, "include": ["memray"],
     "language_level": "3",
     "directives": {"embedsignature": "True", "boundscheck": "False", "wraparound": "False",
                    "overflowcheck": "False", "cdivision": "True", "c_string_type": "unicode",
                    "c_string_encoding": "utf8", "freethreading_compatible": "True"}},
    {"name": "msgpack", "sdist": "msgpack-1.2.4"},
    {"name": "murmurhash", "sdist": "murmurhash-1.0.16", "cplus": True},
    {"name": "ot", "sdist": "pot-0.9.7.post1", "cplus": True},
    {"name": "preshed", "sdist": "preshed-3.0.15", "cplus": True, "language_level": "2", "deps": ["cymem", "murmurhash"]},
    {"name": "pycocotools", "sdist": "pycocotools-2.0.11"},
    {"name": "pymssql", "sdist": "pymssql-2.4.6", "root": "src", "language_level": "3"},
    {"name": "pyproj", "sdist": "pyproj-3.8.0", "language_level": "3",
     "directives": {"c_string_type": "str", "c_string_encoding": "utf8", "embedsignature": "True"},
     "compile_env": {"CTE_PROJ_VERSION_MAJOR": 9, "CTE_PROJ_VERSION_MINOR": 6, "CTE_PROJ_VERSION_PATCH": 0,
                     "CTE_PYTHON_IMPLEMENTATION": "CPython"}},
    {"name": "pysam", "sdist": "pysam-0.24.1", "include": ["pysam", "pysam/include/htslib", "pysam/include/samtools",
                                                           "pysam/include/bcftools"]},
    {"name": "pywt", "sdist": "pywavelets-1.10.0", "cplus": "meson"},
    {"name": "rasterio", "sdist": "rasterio-1.5.2", "language_level": "3",
     "directives": {"freethreading_compatible": "True"},
     "compile_env": {"CTE_GDAL_MAJOR_VERSION": 3, "CTE_GDAL_MINOR_VERSION": 10, "CTE_GDAL_PATCH_VERSION": 0}},
    {"name": "shapely", "sdist": "shapely-2.2.0", "root": "src", "directives": {"freethreading_compatible": "true"}},
    # spacy 3.8 pins cymem 2.0.x, preshed 3.0.x, murmurhash < 1.1, thinc 8.3.x (which pins blis 1.3.x): the deps
    # in this table are those versions
    # setup.py COMPILER_DIRECTIVES: language_level=-3, which Cython takes as int(-3) < 3: Python 2 semantics
    {"name": "spacy", "sdist": "spacy-3.8.18", "cplus": True,
     "directives": {"language_level": "-3", "embedsignature": "True"}, "deps": ["cymem", "preshed", "murmurhash", "thinc"]},
    {"name": "statsmodels", "sdist": "statsmodels-0.15.0", "language_level": "3", "cplus": "meson",
     "templates": [("**/*.pyx.in", ".in", None), ("**/*.pxd.in", ".in", None)],
     "configure": [("statsmodels/tsa/statespace/_blas_int.pxi.in", "statsmodels/tsa/statespace/_blas_int.pxi",
                    "scipy-blas-int")]},
    {"name": "thinc", "sdist": "thinc-8.3.14", "cplus": True, "language_level": "3",
     "directives": {"embedsignature": "True"}, "deps": ["cymem", "preshed", "murmurhash", "blis"]},
    {"name": "uvloop", "sdist": "uvloop-0.23.0", "compile_env": {"DEFAULT_FREELIST_SIZE": 250},
     "include": ["uvloop/includes"]},
    {"name": "yarl", "sdist": "yarl-1.25.1", "language_level": "3", "directives": {"embedsignature": "True"}},
    {"name": "yt", "sdist": "yt-4.4.2", "language_level": "3", "include": ["yt/utilities/lib"],
     "exclude": ["yt/utilities/lib/embree_mesh/*"]},  # built only with pyembree / Embree (setupext.py)
]


def project_table() -> list[dict]:
    seen = set()
    for p in PROJECTS:
        if p["name"].lower() in HELD_OUT:
            raise SystemExit(f"broad: {p['name']} is held out and must not be in any corpus")
        if p["name"] in seen:
            raise SystemExit(f"broad: {p['name']} twice in PROJECTS")
        seen.add(p["name"])
    return PROJECTS


# ------------------------------------------------------------------------------------------------ helpers
def order_key(entry_id: str) -> str:
    """Deterministic, path-independent order of a project's modules (spreads the CI subset over the tree)."""
    return hashlib.sha256(entry_id.encode()).hexdigest()


def template_vars(kind: str | None) -> dict:
    if kind is None:
        return {}
    if kind == "h5py":  # h5py's setup_build.py templ_config, for a serial HDF5 1.14 build without ROS3 / direct VFD
        import Cython
        import numpy
        nv = tuple(int(x) for x in re.findall(r"\d+", numpy.__version__)[:3])
        return {"MPI": False, "ROS3": False, "HDF5_VERSION": (1, 14, 6), "DIRECT_VFD": False,
                "VOL_MIN_HDF5_VERSION": (1, 11, 5), "COMPLEX256_SUPPORT": True,
                "NUMPY_BUILD_VERSION": numpy.__version__, "NUMPY_BUILD_VERSION_TUPLE": nv,
                "CYTHON_BUILD_VERSION": Cython.__version__, "PLATFORM_SYSTEM": "Linux",
                "OBJECTS_USE_LOCKING": True, "OBJECTS_DEBUG_ID": False, "FREE_THREADING": False}
    raise SystemExit(f"broad: unknown template vars {kind!r}")


def configure_vars(kind: str) -> dict:
    if kind == "scipy-blas-int":  # statsmodels' meson.build: does scipy's cython_blas export blas_int?
        blas = (site_packages() / "scipy" / "linalg" / "cython_blas.pxd").read_text(encoding="utf-8")
        if re.search(r"\bblas_int\b", blas):
            return {"BLAS_INT_DEF": "from scipy.linalg.cython_blas cimport blas_int",
                    "BLAS_BINT_DEF": "from scipy.linalg.cython_blas cimport blas_bint"}
        return {"BLAS_INT_DEF": "ctypedef int blas_int", "BLAS_BINT_DEF": "ctypedef bint blas_bint"}
    raise SystemExit(f"broad: unknown configure vars {kind!r}")


def render_template(text: str, variables: dict | None = None, name: str | None = None) -> str:
    """Cython.Tempita, as the projects' builds call it (Template(text).substitute(**vars))."""
    from Cython import Tempita
    return Tempita.Template(text, name=name).substitute(**(variables or {}))


def configure_file(text: str, variables: dict) -> str:
    """meson's configure_file(configuration: ...): @NAME@ replaced; an unknown @NAME@ is an error."""
    def sub(m):
        if m.group(1) not in variables:
            raise SystemExit(f"broad: configure_file: no value for @{m.group(1)}@")
        return variables[m.group(1)]
    return re.sub(r"@([A-Za-z_][A-Za-z0-9_]*)@", sub, text)


_INCLUDE_RE = re.compile(r"""^\s*include\s+(['"])([^'"]+)\1""", re.M)


def included_files(files: list[Path], search: list[Path]) -> set[Path]:
    """Files named by an `include "X"` statement of another file (resolved like the compiler: the including file's
    directory, then the include dirs)."""
    out: set[Path] = set()
    for f in files:
        try:
            text = f.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for m in _INCLUDE_RE.finditer(text):
            for base in [f.parent] + search:
                cand = (base / m.group(2))
                if cand.exists():
                    out.add(cand.resolve())
                    break
    return out


def cmake_cpp_modules(root: Path) -> set[Path]:
    """.pyx files the project's CMakeLists.txt transpile as C++ (cython-cmake: `cython_transpile(X.pyx LANGUAGE CXX)`)."""
    out: set[Path] = set()
    for cm in sorted(root.rglob("CMakeLists.txt")):
        rel = cm.parent.relative_to(root)
        for m in re.finditer(r"cython_transpile\(\s*(\S+\.pyx)\b[^)]*\bLANGUAGE\s+CXX", cm.read_text(errors="replace")):
            out.add(rel / m.group(1))
    return out


def meson_cpp_modules(root: Path) -> set[Path]:
    """.pyx files the project's meson.build files compile with cython_gen_cpp / --cplus (relative to root)."""
    out: set[Path] = set()
    for mb in sorted(root.rglob("meson.build")):
        text = mb.read_text(encoding="utf-8", errors="replace")
        rel = mb.parent.relative_to(root)
        for m in re.finditer(r"cython_gen_cpp\.process\(\s*'([^']+)'", text):
            out.add(rel / m.group(1))
        # py.extension_module('name', cython_gen_cpp.process('x.pyx') ...) and language: 'cpp' / override_options
        for m in re.finditer(r"extension_module\(\s*'[^']+'\s*,\s*(?:\[)?\s*'([^']+\.pyx)'[^)]*?(?:cython_args\s*:\s*\[[^\]]*--cplus|language\s*:\s*'cpp'|override_options\s*:\s*\[[^\]]*cython_language=cpp)", text, re.S):
            out.add(rel / m.group(1))
    return out


_CPP_COMMENT = re.compile(r"^#\s*distutils:\s*language\s*=\s*c\+\+", re.M)


def _copy_tree(src_root: Path, packages: list[str], dest_root: Path) -> int:
    n = 0
    for pkg in packages:
        base = (src_root / pkg).resolve()
        if not base.is_dir():
            raise SystemExit(f"broad: {base} missing (sdist layout changed?)")
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            rel = Path(dirpath).relative_to(src_root.resolve())
            for fn in sorted(filenames):
                if fn == "__init__.py" or fn.endswith(SOURCE_SUFFIXES) or fn.endswith((".in", ".tp")) \
                        or fn in ("meson.build", "CMakeLists.txt") or ".templ." in fn:
                    dst = dest_root / rel / fn
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(Path(dirpath) / fn, dst)
                    n += 1
    return n


def _excluded(rel: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(rel, p) for p in patterns)


# ------------------------------------------------------------------------------------------------ prepare
def prepare_project(p: dict, all_roots: dict[str, Path], sdists: dict[str, str] | None = None) -> tuple[list[dict], dict]:
    sdists = sdists or {}
    sdist = CORPUS_SRC / p["sdist"]
    if not sdist.is_dir():
        raise SystemExit(f"broad: {sdist} missing; run scripts/fetch-sdists.sh")
    src_root = sdist / p.get("root", "")
    dest_root = all_roots[p["name"]]
    if dest_root.exists():
        shutil.rmtree(dest_root)
    dest_root.mkdir(parents=True)
    packages = p.get("packages") or [p["name"]]
    copied = _copy_tree(src_root, packages, dest_root)
    for src_rel, dst_rel in p.get("extra_files", {}).items():
        (dest_root / dst_rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sdist / src_rel, dest_root / dst_rel)
        copied += 1
    info: dict = {"name": p["name"], "sdist": p["sdist"], "settings": {k: v for k, v in p.items() if k != "name"},
                  "files_copied": copied, "templates_rendered": [], "configured": [], "generated": []}

    for gen in p.get("generators", []):
        for f in gen.get("copy", []):
            shutil.copyfile(sdist / f, dest_root / f)
        argv = [str(VENV_PY) if a == "{python}" else a for a in gen["argv"]]
        env = dict(os.environ, **gen.get("env", {}))
        proc = subprocess.run(argv, cwd=str(dest_root), env=env, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            raise SystemExit(f"broad: {p['name']}: generator {gen['argv']} failed:\n{proc.stderr[-2000:]}")
        for f in gen.get("copy", []):
            (dest_root / f).unlink()
        info["generated"].append(" ".join(gen["argv"]))
        # h5py's api_gen writes X.new and compares; keep the new files under their real names
        for new in dest_root.rglob("*.new"):
            os.replace(new, new.with_suffix(""))

    for pattern, strip, kind in p.get("templates", []):
        variables = template_vars(kind)
        for t in sorted(dest_root.glob(pattern)):
            if not t.is_file():
                continue
            out = t.with_name(t.name.replace(strip, "", 1)) if strip != ".in" else t.with_name(t.name[:-3])
            out.write_text(render_template(t.read_text(encoding="utf-8"), variables, name=str(t)), encoding="utf-8")
            info["templates_rendered"].append(str(t.relative_to(dest_root)))
            t.unlink()
    for inp, outp, kind in p.get("configure", []):
        src = dest_root / inp
        (dest_root / outp).write_text(configure_file(src.read_text(encoding="utf-8"), configure_vars(kind)),
                                      encoding="utf-8")
        info["configured"].append(outp)

    include_dirs = [str(dest_root)] + [str(dest_root / d) for d in p.get("include", [])]
    for dep in p.get("deps", []):
        include_dirs.append(str(all_roots[dep]))
    include_dirs += oracle_include_dirs()

    pyx = sorted(dest_root.rglob("*.pyx"))
    pieces = included_files(sorted(dest_root.rglob("*.pyx")) + sorted(dest_root.rglob("*.pxi")),
                            [Path(d) for d in include_dirs[:1 + len(p.get("include", []))]])
    cp = p.get("cplus")
    build_cpp = {"meson": meson_cpp_modules, "cmake": cmake_cpp_modules}[cp](dest_root) if isinstance(cp, str) else set()
    exclude = DEFAULT_EXCLUDE + p.get("exclude", [])
    args: list[str] = []
    if p.get("language_level"):
        args.append({"2": "-2", "3": "-3", "3str": "--3str"}[p["language_level"]])
    directives = dict(p.get("directives", {}))
    for k, v in directives.items():
        args += ["-X", f"{k}={v}"]
    cenv = p.get("compile_env", {})
    if cenv:
        args += ["-E", ",".join(f"{k}={v}" for k, v in cenv.items())]
    modules, skipped = [], {"included-piece": [], "excluded": []}
    for f in pyx:
        rel = f.relative_to(dest_root)
        if f.resolve() in pieces:
            skipped["included-piece"].append(str(rel))
            continue
        if _excluded(str(rel), exclude):
            skipped["excluded"].append(str(rel))
            continue
        parts = [x for x in rel.with_suffix("").parts if x != "."]
        module = ".".join(([p["prefix"]] if p.get("prefix") else []) + parts)
        text = f.read_text(encoding="utf-8", errors="replace")
        cplus = (cp is True or (isinstance(cp, list) and module in cp) or rel in build_cpp
                 or _CPP_COMMENT.search(text) is not None)
        modules.append({
            "id": f"broad/{p['name']}/{rel}",
            "project": p["name"],
            "path": str(f),
            "module": module,
            "cplus": bool(cplus),
            "include_dirs": include_dirs,
            "cython_args": args,
            "directives": directives,
            "compile_time_env": cenv,
            # what the label depends on besides the file: the sdists of the project and of its deps (in the key)
            "sdists": [p["sdist"]] + [sdists[d] for d in p.get("deps", [])],
            "annotate": True,
            "portable_key": True,
        })
    modules.sort(key=lambda e: order_key(e["id"]))
    info["modules_found"] = len(modules)
    info["skipped"] = skipped
    return modules, info


def prepare_broad(per_project: int = 40, ci_per_project: int = 3, only: list[str] | None = None) -> list[dict]:
    projects = project_table()
    base = BROAD_DIR / "src"
    roots = {p["name"]: base / p["name"] for p in projects}
    manifest, infos = [], []
    for p in projects:
        if only and p["name"] not in only:
            continue
        modules, info = prepare_project(p, roots, {q["name"]: q["sdist"] for q in projects})
        chosen = modules[:per_project]
        for i, e in enumerate(chosen):
            e["ci"] = i < ci_per_project
        info["modules_labelled"] = len(chosen)
        info["modules_ci"] = sum(e["ci"] for e in chosen)
        info["cplus_modules"] = sum(e["cplus"] for e in chosen)
        manifest += chosen
        infos.append(info)
        eprint(f"prepare: broad: {p['name']}: {info['modules_found']} modules, {len(chosen)} labelled "
               f"({info['cplus_modules']} C++), {len(info['templates_rendered'])} templates rendered, "
               f"{len(info['skipped']['included-piece'])} included pieces")
    write_json(BROAD_DIR / "manifest.json", manifest)
    write_json(BROAD_DIR / "projects.json", {"per_project": per_project, "ci_per_project": ci_per_project,
                                             "projects": infos})
    write_json(BROAD_CI_DIR / "manifest.json", [e for e in manifest if e["ci"]])
    eprint(f"prepare: broad: {len(manifest)} modules from {len(infos)} projects "
           f"({sum(e['ci'] for e in manifest)} in the CI subset)")
    return manifest
