#!/usr/bin/env bash
# Installs the pinned tree-sitter CLI from crates.io into the cache (compiles with cargo; minutes, once).
# Prints the binary's path. The npm package cannot be used here (its install script downloads from GitHub).
set -euo pipefail
version="0.26.8"
cache="${CYTHON_LENS_CACHE:-$HOME/.cache/cython-lens}"
prefix="$cache/tree-sitter-cli-$version"
bin="$prefix/bin/tree-sitter"
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "$version"; then
  echo "$bin"
  exit 0
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "install-tree-sitter-cli: cargo is required (Rust toolchain)" >&2
  exit 1
fi
mkdir -p "$prefix"
echo "install-tree-sitter-cli: building tree-sitter-cli $version (cargo, takes minutes)…" >&2
cargo install tree-sitter-cli --locked --version "$version" --root "$prefix" >&2
"$bin" --version >&2
echo "$bin"
