#!/usr/bin/env bash
# What the main job (`npm run main`: build, package the .vsix, check examples/) needs, and nothing more: the npm
# packages of the repository root and the project's Python (.venv with the pinned Cython alone, whose .pxd files
# resolve the examples' cimports). Idempotent; quick when everything is in place. `scripts/setup.sh` installs the rest
# (what only the tests need: grammar tooling, editors, browsers, corpora).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=lib/npm-ci.sh
. scripts/lib/npm-ci.sh
npm_ci "$root"
printf '\n== setup: python venv\n'
bash scripts/setup-python.sh main
