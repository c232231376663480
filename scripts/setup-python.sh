#!/usr/bin/env bash
# Creates the project's .venv with the pinned Cython / scipy used as oracle and data source.
# Idempotent: does nothing when the venv already matches requirements-oracle.txt.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
req="$root/requirements-oracle.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
echo "$want" > "$stamp"
"$venv/bin/python" -c 'import Cython, scipy; print("python venv ready: Cython", Cython.__version__, "scipy", scipy.__version__)'
