#!/usr/bin/env bash
# Fetches LAPACK's Fortran sources (Debian bookworm source package `lapack`, pinned version) into
#   ${CYTHON_LENS_CACHE:-~/.cache/cython-lens}/lapack-src/
# without touching the system's apt state: a private sources list, lists and archive cache under the cache dir.
# Verifies the upstream orig tarball against scripts/lapack-source.sha256 and unpacks it there.
# Prints the unpacked source directory on stdout (last line). Idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${CYTHON_LENS_CACHE:-$HOME/.cache/cython-lens}"
dest="$cache/lapack-src"
pkg_version="3.11.0-2"
upstream_version="3.11.0"
orig="lapack_${upstream_version}.orig.tar.gz"
sumfile="$root/scripts/lapack-source.sha256"
want="$(awk -v f="$orig" '$2 == f { print $1 }' "$sumfile")"
[ -n "$want" ] || { echo "no sha256 for $orig in $sumfile" >&2; exit 1; }
srcdir="$dest/lapack-$upstream_version"

verify() { [ -f "$dest/$orig" ] && [ "$(sha256sum "$dest/$orig" | cut -d' ' -f1)" = "$want" ]; }

if ! verify; then
  apt_dir="$dest/apt-private"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" \
    > "$apt_dir/sources.list"
  opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
        -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "APT::Sandbox::User=$(id -un)")
  apt-get -q "${opts[@]}" update >&2
  ( cd "$dest" && apt-get -q "${opts[@]}" source --download-only "lapack=$pkg_version" >&2 )
  verify || { echo "sha256 mismatch for $dest/$orig (want $want)" >&2; exit 1; }
fi

if [ ! -f "$srcdir/.unpacked.sha256" ] || [ "$(cat "$srcdir/.unpacked.sha256")" != "$want" ]; then
  rm -rf "$srcdir"
  mkdir -p "$srcdir"
  tar -xzf "$dest/$orig" -C "$srcdir" --strip-components=1
  echo "$want" > "$srcdir/.unpacked.sha256"
fi
[ -d "$srcdir/SRC" ] && [ -d "$srcdir/BLAS/SRC" ] || { echo "unexpected layout in $srcdir" >&2; exit 1; }
echo "$srcdir"
