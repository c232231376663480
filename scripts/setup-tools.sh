#!/usr/bin/env bash
# Creates .venv-tools with the Python tools only tests run (pre-commit for the hook test). Idempotent: does nothing
# when the venv already matches requirements-tools.txt.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv-tools"
req="$root/requirements-tools.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
echo "$want" > "$stamp"
"$venv/bin/pre-commit" --version
