#!/usr/bin/env python3
"""Builds data/directives/directives.json: the compiler directives of the pinned Cython, as its tables say.

Inputs (all pinned):
  * the tables: the INSTALLED Cython's Cython/Compiler/Options.py (`_directive_defaults`, `directive_types`,
    `directive_scopes`, `immediate_decorator_directives`), imported from the venv that runs this script
    (`.venv/bin/python scripts/build-directive-table.py`; requirements-oracle.txt pins the version);
  * the documentation: the "Compiler directives" section of docs/src/userguide/source_files_and_compilation.rst
    in the Cython sdist of the same version (cached by scripts/fetch-sdists.sh, checked against
    scripts/sdists.sha256), read straight from the tarball.

Outputs: data/directives/directives.json (deterministic: sorted), data/directives/PROVENANCE.json,
data/directives/licenses/Cython-LICENSE.txt (Apache-2.0, from the sdist).

Usage: .venv/bin/python scripts/build-directive-table.py [--sdist FILE] [--out DIR]
"""
from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import re
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = 1
# The scope names the compiler checks (ParseTreeTransforms.InterpretCompilerDirectives: visit_ModuleNode 'module',
# _extract_directives 'function' / 'cclass' / 'cppclass' / 'class', visit_WithStatNode 'with statement').
SCOPES = ("module", "function", "class", "cclass", "cppclass", "with statement")
DOC_FILE = "docs/src/userguide/source_files_and_compilation.rst"
DOC_ENTRY = re.compile(r"^``(?P<name>[a-z_][a-z0-9_.]*)``\s*(?P<rest>.*)$")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pinned_sha(tarball: str) -> str:
    for line in (ROOT / "scripts" / "sdists.sha256").read_text().splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1] == tarball:
            return parts[0]
    raise SystemExit(f"{tarball} is not pinned in scripts/sdists.sha256")


def value_kind(Options, name: str) -> dict:
    """How the compiler reads a value of the directive (Options.parse_directive_value, try_to_parse_directive)."""
    t = Options.directive_types[name]
    if t is bool:
        return {"type": "bool"}
    if t is int:
        return {"type": "int"}
    if t is str:
        return {"type": "str"}
    if t is type:
        return {"type": "type"}
    if t is dict:
        return {"type": "dict"}
    if t is list:
        return {"type": "list"}
    if t is None:
        return {"type": "flag"}  # a decorator / with item that takes no value (cfunc, inline, ...)
    if t is Options.DEFER_ANALYSIS_OF_ARGUMENTS:
        return {"type": "deferred"}  # arguments analysed later (nogil, gil, critical_section, dataclasses.*)
    if t is Options.normalise_encoding_name:
        return {"type": "encoding"}
    if inspect.isfunction(t) and t.__name__ == "validate" and t.__closure__:
        cells = dict(zip(t.__code__.co_freevars, (c.cell_contents for c in t.__closure__)))
        args = cells.get("args")
        mapping = cells.get("map") or {}
        if isinstance(args, tuple):
            values = list(args) + [k for k in mapping if k not in args]
            return {"type": "one_of", "values": values, "message_values": repr(args)}
    # e.g. 'warn' (default None, no override): the compiler has no reader for its value
    return {"type": "other", "python_type": getattr(t, "__name__", repr(t))}


def json_default(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [json_default(v) for v in value]
    return repr(value)


def read_docs(text: str) -> dict[str, dict]:
    """``name`` (values), *default=...* entries of the "Compiler directives" section, with their paragraphs."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip() == "Compiler directives")
    end = next((i for i in range(start + 2, len(lines))
                if set(lines[i].strip()) == {"="} and i > start + 2), len(lines)) - 1
    docs: dict[str, dict] = {}
    i = start
    while i < end:
        m = DOC_ENTRY.match(lines[i])
        if not m:
            i += 1
            continue
        name, rest = m.group("name"), m.group("rest").strip()
        body: list[str] = []
        i += 1
        while i < end and (lines[i].startswith(" ") or lines[i].strip() == ""):
            if lines[i].strip() == "" and i + 1 < end and not lines[i + 1].startswith(" "):
                break
            body.append(lines[i])
            i += 1
        indent = min((len(l) - len(l.lstrip()) for l in body if l.strip()), default=0)
        paragraph = "\n".join(l[indent:] for l in body).strip()
        dm = re.search(r"\*default=(.*?)\*", rest)
        vm = re.match(r"\((.*?)\)", rest)
        docs[name] = {
            "values": vm.group(1).strip() if vm else None,
            "default": dm.group(1).strip() if dm else None,
            "text": paragraph,
        }
    return docs


# the value kinds that `# cython:` comments and -X cannot set (model/directive-table.ts settableInHeader)
_NOT_IN_HEADER = {"deferred", "other", "flag"}


def settings_schema(directives: list[dict]) -> dict:
    """JSON schema properties of the `cythonLens.directives` setting (package.json): one per directive a header or
    -X can set, with its values (enum) and default, so that VS Code completes names and values in settings.json."""
    props = {}
    for d in directives:
        if not d["inDefaults"] or (d["scopes"] and "module" not in d["scopes"]) or d["type"] in _NOT_IN_HEADER:
            continue
        kind = d["type"]
        if kind == "bool":
            prop = {"enum": ["True", "False", True, False]}
        elif kind == "one_of":
            prop = {"enum": list(d["values"])}
        elif kind == "int":
            prop = {"type": ["integer", "string"]}
        else:
            prop = {"type": "string"}
        default = d["default"]
        shown = {True: "True", False: "False", None: "None"}.get(default, default) if not isinstance(default, (list, dict)) else None
        doc = ((d.get("doc") or {}).get("text") or "").split("\n\n")[0].replace("\n", " ").replace("``", "`").strip()
        if len(doc) > 300:
            doc = doc[:297].rsplit(" ", 1)[0] + "..."
        text = f"`{d['name']}` ({kind}" + (f", default `{shown}`" if shown not in (None, "") else "") + ")."
        prop["markdownDescription"] = text + (" " + doc if doc else "")
        props[d["name"]] = prop
    return props


def write_settings_schema(directives: list[dict]) -> int:
    """Writes the properties of `cythonLens.directives` into package.json (formatted as JSON.stringify(_, null, 2))."""
    path = ROOT / "package.json"
    pkg = json.loads(path.read_text(encoding="utf-8"))
    setting = pkg["contributes"]["configuration"]["properties"]["cythonLens.directives"]
    setting["properties"] = settings_schema(directives)
    path.write_text(json.dumps(pkg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(setting["properties"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cache = Path(os.environ.get("CYTHON_LENS_CACHE", Path.home() / ".cache" / "cython-lens"))
    ap.add_argument("--sdist", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "directives")
    args = ap.parse_args()

    import Cython
    from Cython.Compiler import Options

    version = Cython.__version__
    tarball = f"cython-{version}.tar.gz"
    sdist = args.sdist or cache / "sdists" / tarball
    if not sdist.is_file():
        raise SystemExit(f"{sdist} is missing: run scripts/fetch-sdists.sh (it is pinned in scripts/sdists.sha256)")
    sdist_bytes = sdist.read_bytes()
    if sha256(sdist_bytes) != pinned_sha(tarball):
        raise SystemExit(f"{sdist}: sha256 differs from scripts/sdists.sha256")
    prefix = f"cython-{version}/"
    with tarfile.open(sdist) as tar:
        def member(path: str) -> bytes:
            f = tar.extractfile(prefix + path)
            assert f is not None, path
            return f.read()
        doc_bytes = member(DOC_FILE)
        license_bytes = member("LICENSE.txt")
        sdist_options = member("Cython/Compiler/Options.py")
    options_path = Path(Options.__file__)
    options_bytes = options_path.read_bytes()
    if options_bytes != sdist_options:
        raise SystemExit("the installed Options.py differs from the sdist's: not the same Cython")

    docs = read_docs(doc_bytes.decode("utf-8"))
    defaults = Options.get_directive_defaults()
    directives = []
    for name in sorted(Options.directive_types):
        raw_scopes = Options.directive_scopes.get(name)
        # `scope in legal_scopes` as check_directive_scope tests it ('gil' has a string, not a tuple, there)
        scopes = None if not raw_scopes else [s for s in SCOPES if s in raw_scopes]
        entry = {
            "name": name,
            **value_kind(Options, name),
            # only names of _directive_defaults are read from `# cython:` comments and -X (parse_directive_list)
            "inDefaults": name in defaults,
            "default": json_default(defaults[name]) if name in defaults else None,
            "scopes": scopes,
            "immediate": name in Options.immediate_decorator_directives,
        }
        if name in docs:
            entry["doc"] = docs[name]
        directives.append(entry)

    # the other names `cython.<name>` may spell (the pure-Python Shadow module, the special functions the
    # compiler rewrites, the cython scope's entries): not directives, never "unknown"
    from Cython import Shadow
    from Cython.Compiler import Main
    from Cython.Compiler.ParseTreeTransforms import InterpretCompilerDirectives as ICD
    cython_scope = Main.Context([], Options.get_directive_defaults()).cython_scope
    other_names = ({n for n in dir(Shadow) if not n.startswith("__")} | set(ICD.special_methods)
                   | set(ICD.unop_method_nodes) | set(ICD.binop_method_nodes) | set(ICD.valid_cython_submodules)
                   | {n for n in cython_scope.entries if not n.startswith("__")}
                   | {"__version__", "NULL", "set", "frozenset", "staticmethod", "compiled"})
    other_names -= set(Options.directive_types)

    out = args.out
    (out / "licenses").mkdir(parents=True, exist_ok=True)
    table = {"schema": SCHEMA, "cython": version, "scopes": list(SCOPES), "directives": directives,
             "otherCythonNames": sorted(other_names)}
    table_text = json.dumps(table, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    (out / "directives.json").write_text(table_text, encoding="utf-8")
    (out / "licenses" / "Cython-LICENSE.txt").write_bytes(license_bytes)
    provenance = {
        "generatedBy": "scripts/build-directive-table.py",
        "scriptSha256": sha256(Path(__file__).read_bytes()),
        "cython": {
            "version": version,
            "sdist": tarball,
            "sdistSha256": sha256(sdist_bytes),
            "files": {
                "Cython/Compiler/Options.py": {"sha256": sha256(options_bytes)},
                DOC_FILE: {"sha256": sha256(doc_bytes)},
            },
            "license": "Apache-2.0 (licenses/Cython-LICENSE.txt)",
        },
        "output": {"directives.json": sha256(table_text.encode("utf-8"))},
        "counts": {
            "directives": len(directives),
            "inDefaults": sum(1 for d in directives if d["inDefaults"]),
            "documented": sum(1 for d in directives if "doc" in d),
            "scopeRestricted": sum(1 for d in directives if d["scopes"]),
            "otherCythonNames": len(other_names),
        },
    }
    (out / "PROVENANCE.json").write_text(json.dumps(provenance, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    n_schema = write_settings_schema(directives) if args.out == ROOT / "data" / "directives" else 0
    if n_schema:
        print(f"package.json: {n_schema} directives in the schema of cythonLens.directives", file=sys.stderr)
    c = provenance["counts"]
    print(f"directives: {c['directives']} ({c['inDefaults']} settable in headers/-X, {c['documented']} documented, "
          f"{c['scopeRestricted']} scope-restricted) from Cython {version}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
