#!/usr/bin/env bash
# Downloads the pinned PyPI sdists used as real-code corpora (scikit-learn 1.9.1, Cython 3.3.1) into
# $CYTHON_LENS_CACHE/sdists, verifies them against scripts/sdists.sha256, and unpacks each into
# $CYTHON_LENS_CACHE/corpus/<name>-<version>/. Idempotent: verified archives and unpacked trees are reused.
#
# Why not plain `pip download --no-binary :all:`: for an sdist pip must prepare its metadata, which needs the
# package's build backend (meson-python, numpy, ... themselves built from source under :all:). So we ask pip's own
# index (the PyPI "simple" API, or PIP_INDEX_URL) for the file's URL and fetch it directly; the pinned sha256 is
# what makes the result trustworthy either way.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${CYTHON_LENS_CACHE:-$HOME/.cache/cython-lens}"
sums="$root/scripts/sdists.sha256"
index="${PIP_INDEX_URL:-https://pypi.org/simple}"
index="${index%/}"
mkdir -p "$cache/sdists" "$cache/corpus"

# name==version  project-in-index  archive-file  unpack-dir
specs=(
  "scikit-learn 1.9.1 scikit_learn-1.9.1.tar.gz scikit-learn-1.9.1"
  "cython 3.3.1 cython-3.3.1.tar.gz cython-3.3.1"
)

verify() { # file -> 0 when its sha256 matches the pinned one
  local file="$1" want got
  want="$(awk -v f="$(basename "$file")" '$2 == f { print $1 }' "$sums")"
  [ -n "$want" ] || { echo "fetch-sdists: no pinned sha256 for $(basename "$file") in $sums" >&2; return 2; }
  got="$(sha256sum "$file" | cut -d' ' -f1)"
  [ "$got" = "$want" ]
}

for spec in "${specs[@]}"; do
  read -r project version archive dir <<<"$spec"
  file="$cache/sdists/$archive"
  if [ ! -f "$file" ] || ! verify "$file"; then
    rm -f "$file"
    # Try pip first (works when the sdist needs no build backend to report metadata); fall back to the index URL.
    if ! python3 -m pip download -q --no-deps --no-binary :all: --no-build-isolation -d "$cache/sdists" \
         "$project==$version" >/dev/null 2>&1 || [ ! -f "$file" ]; then
      url="$(curl -fsSL --retry 3 -m 120 "$index/$project/" | grep -o "href=\"[^\"]*/$archive[^\"]*\"" | head -n1 \
             | sed -e 's/^href="//' -e 's/"$//' -e 's/&amp;/\&/g')"
      [ -n "$url" ] || { echo "fetch-sdists: $archive not found in $index/$project/" >&2; exit 1; }
      case "$url" in http*) ;; *) url="$index/$project/$url" ;; esac
      curl -fsSL --retry 3 -m 600 -o "$file.part" "${url%%#*}"
      mv "$file.part" "$file"
    fi
    verify "$file" || { echo "fetch-sdists: sha256 mismatch for $archive" >&2; rm -f "$file"; exit 1; }
    echo "fetch-sdists: downloaded and verified $archive"
  fi
  dest="$cache/corpus/$dir"
  stamp="$dest/.unpacked-from.sha256"
  want="$(sha256sum "$file" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    rm -rf "$dest" "$dest.tmp"
    mkdir -p "$dest.tmp"
    tar -xzf "$file" -C "$dest.tmp" --strip-components=1
    echo "$want" > "$dest.tmp/.unpacked-from.sha256"
    mv "$dest.tmp" "$dest"
    echo "fetch-sdists: unpacked $archive -> $dest"
  fi
done
echo "fetch-sdists: corpora ready under $cache/corpus"
