#!/usr/bin/env bash
# `npm run main`: build the extension, package cython-lens.vsix, and run `cython-lens check` on examples/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

npm run --silent build
npm run --silent package
ls -l cython-lens.vsix
echo "--- cython-lens check --annotate examples/"
# cimports of libc/cpython/numpy .pxd files are resolved through the project's Python (scripts/setup-python.sh)
if [ -x .venv/bin/python ] && [ -z "${CYTHON_LENS_PYTHON:-}" ]; then export CYTHON_LENS_PYTHON="$root/.venv/bin/python"; fi
status=0
node dist/cli.js check --annotate examples/ || status=$?
# 0 = clean, 1 = findings (the examples show some on purpose), 2 = usage/internal failure
if [ "$status" -ge 2 ]; then
  echo "cython-lens check failed (exit $status)" >&2
  exit "$status"
fi
echo "main: ok (check exit $status)"
