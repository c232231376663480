#!/usr/bin/env bash
# Downloads the pinned sdists listed in scripts/sdists.sha256 (scikit-learn 1.9.1, Cython 3.3.1 and the projects of
# the broad conformance corpus) into $CYTHON_LENS_CACHE/sdists, verifies each against its pinned sha256, and unpacks
# it into $CYTHON_LENS_CACHE/corpus/<project>-<version>/ (scikit-learn: scikit-learn-1.9.1/).  Idempotent: verified
# archives and unpacked trees are reused.
#
# The archives come through pip's own configured index (pip.conf, PIP_INDEX_URL, ...): scripts/pip_sdist.py asks
# pip's PackageFinder for the file by its exact name and downloads it with pip's session.  (`pip download
# --no-binary :all:` cannot be used directly: it must build each sdist's metadata, which needs the project's build
# backend.)  No index host is named in this repository; the pinned sha256 is what makes the result trustworthy.
#
#   scripts/fetch-sdists.sh [ARCHIVE...]     # default: every archive in scripts/sdists.sha256
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${CYTHON_LENS_CACHE:-$HOME/.cache/cython-lens}"
sums="$root/scripts/sdists.sha256"
py="$(command -v python3)"
mkdir -p "$cache/sdists" "$cache/corpus"

# unpack directories that differ from "<archive without extension>" (kept for the paths the older corpora use)
unpack_dir() {
  case "$1" in
    scikit_learn-*.tar.gz) local s="${1%.tar.gz}"; echo "scikit-learn-${s#scikit_learn-}" ;;
    *.tar.gz) echo "${1%.tar.gz}" ;;
    *.tgz) echo "${1%.tgz}" ;;
    *.tar.bz2) echo "${1%.tar.bz2}" ;;
    *.zip) echo "${1%.zip}" ;;
  esac
}

verify() { # file -> 0 when its sha256 matches the pinned one
  local file="$1" want got
  want="$(awk -v f="$(basename "$file")" '$2 == f { print $1 }' "$sums")"
  [ -n "$want" ] || { echo "fetch-sdists: no pinned sha256 for $(basename "$file") in $sums" >&2; return 2; }
  got="$(sha256sum "$file" | cut -d' ' -f1)"
  [ "$got" = "$want" ]
}

if [ "$#" -gt 0 ]; then archives=("$@"); else mapfile -t archives < <(awk '!/^#/ && NF >= 2 { print $2 }' "$sums"); fi

for archive in "${archives[@]}"; do
  file="$cache/sdists/$archive"
  stem="$(unpack_dir "$archive")"
  project="${stem%-*}"     # the archive is <project>-<version>.<ext> (sdist naming)
  version="${archive#"$project"-}"; version="${version%.tar.gz}"; version="${version%.tgz}"; version="${version%.zip}"
  [ "$project" = "scikit-learn" ] && project=scikit_learn
  if [ ! -f "$file" ] || ! verify "$file"; then
    rm -f "$file"
    "$py" "$root/scripts/pip_sdist.py" fetch "$project" "$version" "$archive" "$cache/sdists" \
      || { echo "fetch-sdists: could not download $archive through pip's index" >&2; exit 1; }
    verify "$file" || { echo "fetch-sdists: sha256 mismatch for $archive" >&2; rm -f "$file"; exit 1; }
    echo "fetch-sdists: downloaded and verified $archive"
  fi
  dest="$cache/corpus/$stem"
  stamp="$dest/.unpacked-from.sha256"
  want="$(sha256sum "$file" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    rm -rf "$dest" "$dest.tmp"
    mkdir -p "$dest.tmp"
    case "$archive" in
      *.zip) "$py" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$file" "$dest.tmp.zip"
             mv "$dest.tmp.zip"/*/* "$dest.tmp"/ && rm -rf "$dest.tmp.zip" ;;
      *.tar.bz2) tar -xjf "$file" -C "$dest.tmp" --strip-components=1 ;;
      *) tar -xzf "$file" -C "$dest.tmp" --strip-components=1 ;;
    esac
    echo "$want" > "$dest.tmp/.unpacked-from.sha256"
    mv "$dest.tmp" "$dest"
    echo "fetch-sdists: unpacked $archive -> $dest"
  fi
done
echo "fetch-sdists: ${#archives[@]} sdists ready under $cache/corpus"
