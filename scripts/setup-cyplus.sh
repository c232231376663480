#!/usr/bin/env bash
# Creates .venv-cyplus: the Cython+ compiler (cython-plus 0.3.0, a fork of Cython 3.0a6 with `cdef cypclass`), the
# oracle of the cypclass checks (test/checks/cypclass-oracle.test.ts, conformance/cyplus/). Kept in its own venv:
# its `cython` command is Cython 3.0a6 and must not shadow the pinned Cython 3.3 of .venv.
#
# The sdist is the one pinned in scripts/sdists.sha256 (fetched and verified by scripts/fetch-sdists.sh); it is
# installed as pure Python (`--no-cython-compile`): on Python >= 3.11 its compiled build fails, the pure-Python one
# translates and reports errors correctly (the C++ it generates only builds on <= 3.10, which the oracle never needs).
# Idempotent: does nothing when the venv already holds that sdist (a stamp records its sha256).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${CYTHON_LENS_CACHE:-$HOME/.cache/cython-lens}"
venv="$root/.venv-cyplus"
archive="cython-plus-0.3.0.tar.gz"
stamp="$venv/.sdist.sha256"
want="$(awk -v f="$archive" '$2 == f { print $1 }' "$root/scripts/sdists.sha256")"
if [ -x "$venv/bin/cython" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
bash "$root/scripts/fetch-sdists.sh" "$archive" >/dev/null
rm -rf "$venv"
python3 -m venv "$venv"
extra=()
# Python 3.13 removed the cgi module that Cython 3.0a6 imports
"$venv/bin/python" -c 'import sys; sys.exit(sys.version_info >= (3, 13))' || extra+=(legacy-cgi)
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps \
  --config-settings="--build-option=--no-cython-compile" "$cache/sdists/$archive" "${extra[@]}"
echo "$want" > "$stamp"
"$venv/bin/cython" --version
