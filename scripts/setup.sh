#!/usr/bin/env bash
# Prepares a machine for building and testing Cython Lens. Idempotent; quick when everything is in place.
#   apt packages (only the missing ones), scripts/setup-main.sh (npm ci of the root, the Python oracle venv), npm ci
#   of grammar/, the tools venv (pre-commit), the pinned tree-sitter CLI, the corpora, the Cython+ oracle venv
#   (.venv-cyplus) and the real editors.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export CYTHON_LENS_CACHE="${CYTHON_LENS_CACHE:-$HOME/.cache/cython-lens}"
mkdir -p "$CYTHON_LENS_CACHE"
step() { printf '\n== setup: %s\n' "$*"; }

# 1. Debian packages
apt_packages=(clang-19 lld-19 wasi-libc chromium neovim ripgrep libkrb5-dev pkg-config libsecret-1-dev libxkbfile-dev libx11-dev)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# 2. what the main job needs: npm packages of the root, the Python venv's pinned Cython
bash scripts/setup-main.sh

# 3. the rest of the Python venv (.venv: scipy, numpy) that tests use
step "python venv"
bash scripts/setup-python.sh

# 4. what only the tests need: the grammar's npm packages, the tools venv (pre-commit, for the hook test)
# shellcheck source=lib/npm-ci.sh
. scripts/lib/npm-ci.sh
[ -f grammar/package.json ] && npm_ci "$root/grammar"
step "tools venv"
bash scripts/setup-tools.sh

# 5. tree-sitter CLI (pinned, from crates.io) for `npm run grammar`
step "tree-sitter CLI"
bash scripts/install-tree-sitter-cli.sh >/dev/null

# 6. Optional parts other work packages add
if [ -f scripts/fetch-sdists.sh ]; then step "sdists"; bash scripts/fetch-sdists.sh; fi
if [ -f scripts/setup-cyplus.sh ]; then step "Cython+ oracle venv (.venv-cyplus)"; bash scripts/setup-cyplus.sh; fi
if [ -f scripts/setup-e2e.sh ]; then step "e2e (code-server, Playwright, Neovim)"; bash scripts/setup-e2e.sh; fi

step "done"
