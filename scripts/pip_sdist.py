#!/usr/bin/env python3
"""Finds and downloads a source distribution through pip's own configured index (pip.conf, PIP_INDEX_URL,
--find-links ...), without building it.

Why not `pip download --no-binary :all:`: for an sdist pip must prepare its metadata, which needs the package's
build backend (meson-python, numpy, Cython ...), which fails for most of the corpus projects; so this script uses
pip's own PackageFinder and network session (the same index, proxy and certificate settings `pip download` would
use) to locate the archive by its exact file name and download it.  No index host is named here: pip decides.
The caller (scripts/fetch-sdists.sh) verifies the pinned sha256.

    pip_sdist.py fetch PROJECT VERSION ARCHIVE DEST_DIR   # -> DEST_DIR/ARCHIVE (not verified here)
    pip_sdist.py latest PROJECT...                        # maintenance: newest sdist of each project, with the
                                                          # index's sha256 (for choosing new pins)
"""
from __future__ import annotations

import os
import sys


def _finder_and_session():
    from pip._internal.commands import create_command
    cmd = create_command("download")
    options, _ = cmd.parse_args(["--no-deps", "--no-binary", ":all:", "placeholder"])
    ctx = cmd.main_context()
    ctx.__enter__()
    session = cmd.get_default_session(options)
    finder = cmd._build_package_finder(options=options, session=session, ignore_requires_python=True)
    return finder, session


def _sdists(finder, project: str):
    return [c for c in finder.find_all_candidates(project)
            if c.link.filename.endswith((".tar.gz", ".zip", ".tar.bz2", ".tgz"))]


def fetch(project: str, version: str, archive: str, dest: str) -> int:
    finder, session = _finder_and_session()
    links = [c.link for c in _sdists(finder, project) if c.link.filename == archive]
    if not links:
        versions = sorted({str(c.version) for c in _sdists(finder, project)})
        print(f"pip_sdist: {archive} not found for {project} in pip's index (sdist versions: "
              f"{', '.join(versions[-8:]) or 'none'})", file=sys.stderr)
        return 1
    url = links[0].url.split("#", 1)[0]
    os.makedirs(dest, exist_ok=True)
    part = os.path.join(dest, archive + ".part")
    with session.get(url, stream=True, timeout=600) as resp:
        resp.raise_for_status()
        with open(part, "wb") as fh:
            for chunk in resp.iter_content(chunk_size=1 << 16):
                fh.write(chunk)
    os.replace(part, os.path.join(dest, archive))
    return 0


def latest(projects: list[str]) -> int:
    finder, _ = _finder_and_session()
    for project in projects:
        cands = [c for c in _sdists(finder, project) if not c.version.is_prerelease]
        if not cands:
            print(f"{project} NONE")
            continue
        best = max(cands, key=lambda c: c.version)
        print(f"{best.link.hash or '-'}  {best.link.filename}  # {project} {best.version}", flush=True)
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 5 and argv[0] == "fetch":
        return fetch(*argv[1:])
    if len(argv) >= 2 and argv[0] == "latest":
        return latest(argv[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
