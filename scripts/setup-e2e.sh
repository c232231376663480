#!/bin/sh
# Real-editor test tools for Cython Lens (test/e2e/, test/nvim/). Offline-friendly: npm registry + Debian only.
#
# Pinned versions (change them here only):
CODE_SERVER_VERSION=4.100.3        # last code-server release for Node 20 (VS Code 1.100.3)
PLAYWRIGHT_CORE_VERSION=1.65.1     # drives Debian's /usr/bin/chromium; never downloads browsers
TEST_ELECTRON_VERSION=2.5.2        # @vscode/test-electron (3.x needs Node >= 22)
VSCODE_RIPGREP_VERSION=1.15.11     # @vscode/ripgrep pulled by code-server; its GitHub download is pre-seeded
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
APT_PACKAGES="libkrb5-dev pkg-config libsecret-1-dev libxkbfile-dev libx11-dev ripgrep chromium neovim"
#
# Installs into $CYTHON_LENS_CACHE/e2e (default ~/.cache/cython-lens/e2e), separate from the repo's node_modules:
#   e2e/cs/node_modules/.bin/code-server   code-server (own package.json)
#   e2e/node_modules/playwright-core, @vscode/test-electron   (own package.json)
#   e2e/versions.txt                        what is installed; a matching file makes re-runs a no-op (< 1 s)
# Idempotent. Needs root only when apt packages are missing. Usage: sh scripts/setup-e2e.sh [--force]
set -eu

CACHE=${CYTHON_LENS_CACHE:-$HOME/.cache/cython-lens}
D=$CACHE/e2e
STAMP="code-server=$CODE_SERVER_VERSION playwright-core=$PLAYWRIGHT_CORE_VERSION @vscode/test-electron=$TEST_ELECTRON_VERSION"
FORCE=${1:-}

say() { echo "setup-e2e: $*"; }

# 1. Debian packages, only if missing.
missing=
for p in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  say "installing Debian packages:$missing"
  if [ "$(id -u)" -ne 0 ]; then say "need root for apt-get (missing:$missing)"; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086
  apt-get install -y -q $missing
fi

# 2. Warm? Nothing to do.
if [ "$FORCE" != "--force" ] && [ -f "$D/versions.txt" ] && [ "$(cat "$D/versions.txt")" = "$STAMP" ] \
  && [ -x "$D/cs/node_modules/.bin/code-server" ] && [ -d "$D/node_modules/playwright-core" ] \
  && [ -d "$D/node_modules/@vscode/test-electron" ]; then
  say "up to date in $D ($STAMP)"
  exit 0
fi
mkdir -p "$D/tmp" "$D/cs"
rm -f "$D/versions.txt"

# 3. code-server. @vscode/ripgrep's postinstall downloads rg from GitHub unless it finds the asset in
#    $TMPDIR/vscode-ripgrep-cache-<ver>/ : seed that cache with Debian's rg.
mkdir -p "$D/tmp/vscode-ripgrep-cache-$VSCODE_RIPGREP_VERSION"
if [ ! -f "$D/tmp/vscode-ripgrep-cache-$VSCODE_RIPGREP_VERSION/$RIPGREP_ASSET" ]; then
  rgtmp=$(mktemp -d "$D/tmp/rg-XXXXXX")
  cp /usr/bin/rg "$rgtmp/rg"
  tar czf "$D/tmp/vscode-ripgrep-cache-$VSCODE_RIPGREP_VERSION/$RIPGREP_ASSET" -C "$rgtmp" rg
  rm -rf "$rgtmp"
fi
if [ ! -x "$D/cs/node_modules/.bin/code-server" ] \
  || [ "$(node -p "require('$D/cs/node_modules/code-server/package.json').version" 2>/dev/null)" != "$CODE_SERVER_VERSION" ]; then
  say "installing code-server@$CODE_SERVER_VERSION (~90 s, ~300 MB)"
  cat > "$D/cs/package.json" <<EOF
{ "name": "cython-lens-e2e-code-server", "private": true, "dependencies": { "code-server": "$CODE_SERVER_VERSION" } }
EOF
  # npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it.
  # npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which a user-level yes=false would cancel.
  (cd "$D/cs" && TMPDIR="$D/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --loglevel=error)
fi

# 4. playwright-core + @vscode/test-electron (no browser download: playwright-core has no postinstall).
cat > "$D/package.json" <<EOF
{ "name": "cython-lens-e2e-tools", "private": true, "type": "module",
  "dependencies": { "playwright-core": "$PLAYWRIGHT_CORE_VERSION", "@vscode/test-electron": "$TEST_ELECTRON_VERSION" } }
EOF
say "installing playwright-core@$PLAYWRIGHT_CORE_VERSION @vscode/test-electron@$TEST_ELECTRON_VERSION"
(cd "$D" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error)

"$D/cs/node_modules/.bin/code-server" --version >/dev/null
echo "$STAMP" > "$D/versions.txt"
say "ready in $D ($STAMP)"
