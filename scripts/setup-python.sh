#!/usr/bin/env bash
# Creates the project's .venv with the pinned Python tools of requirements-oracle.txt.
#   setup-python.sh        everything (Cython, and scipy/numpy whose .pxd files and LAPACK sources the tests use)
#   setup-python.sh main   only the pinned Cython: what `npm run main` needs to resolve the examples' cimports
# Idempotent: does nothing when the venv already has what is asked (a stamp per set records the requirements' hash).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
req="$root/requirements-oracle.txt"
mode="${1:-all}"
all_stamp="$venv/.requirements.sha256"
main_stamp="$venv/.requirements-main.sha256"
want_all="$(sha256sum "$req" | cut -d' ' -f1)"
main_req="$(grep -iE '^cython==' "$req")"
want_main="$(printf '%s\n' "$main_req" | sha256sum | cut -d' ' -f1)"
have() { [ -x "$venv/bin/python" ] && [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }
if have "$all_stamp" "$want_all"; then exit 0; fi
if [ "$mode" = main ] && have "$main_stamp" "$want_main"; then exit 0; fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
if [ "$mode" = main ]; then
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "$main_req"
  echo "$want_main" > "$main_stamp"
  "$venv/bin/python" -c 'import Cython; print("python venv ready (main): Cython", Cython.__version__)'
else
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
  echo "$want_all" > "$all_stamp"
  echo "$want_main" > "$main_stamp"
  "$venv/bin/python" -c 'import Cython, scipy; print("python venv ready: Cython", Cython.__version__, "scipy", scipy.__version__)'
fi
