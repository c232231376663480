#!/usr/bin/env bash
# Prepares a machine for building and testing Cython Lens. Idempotent; quick when everything is in place.
#   apt packages (only the missing ones), npm ci (root and grammar/, skipped when the lock file is unchanged),
#   the Python oracle venv, the pinned tree-sitter CLI, and the optional corpus / e2e setups when present.
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

# 2. npm dependencies (npm ci only when package-lock.json changed since the last install)
npm_ci() {
  local dir="$1"
  [ -f "$dir/package-lock.json" ] || return 0
  local stamp="$dir/node_modules/.cython-lens-lock.sha256"
  local want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  step "npm ci in ${dir#"$root"}/"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
}
npm_ci "$root"
[ -f grammar/package.json ] && npm_ci "$root/grammar"

# 3. Python oracle tools (.venv: pinned Cython, scipy)
step "python venv"
bash scripts/setup-python.sh

# 4. tree-sitter CLI (pinned, from crates.io) for `npm run grammar`
step "tree-sitter CLI"
bash scripts/install-tree-sitter-cli.sh >/dev/null

# 5. Optional parts other work packages add
if [ -f scripts/fetch-sdists.sh ]; then step "sdists"; bash scripts/fetch-sdists.sh; fi
if [ -f scripts/setup-e2e.sh ]; then step "e2e (code-server, Playwright, Neovim)"; bash scripts/setup-e2e.sh; fi

step "done"
