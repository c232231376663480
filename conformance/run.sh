#!/usr/bin/env bash
# Entry point of `npm run conformance`: prepares the corpora, labels them with the real (pinned) Cython compiler
# (cached by file sha256 + Cython version: reruns only compile what changed), then compares `node dist/cli.js check`
# with the labels.  Arguments are passed to conformance/run.py (e.g. --check-targets, --corpus mutants,
# --predictions-from-labels, --full = the whole broad corpus and every mutant instead of their CI subsets).  Exit status: 0 figures computed, 2 infrastructure failure, 3 targets missed
# (only with --check-targets).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
py="$root/.venv/bin/python"
fail() { echo "conformance: infrastructure failure: $*" >&2; exit 2; }
bash scripts/setup-python.sh >&2 || fail "scripts/setup-python.sh"
bash scripts/fetch-sdists.sh >&2 || fail "scripts/fetch-sdists.sh"
"$py" conformance/prepare.py --corpus sklearn >&2 || fail "prepare sklearn"
"$py" conformance/prepare.py --corpus cython-tests >&2 || fail "prepare cython-tests"
"$py" conformance/prepare.py --corpus broad >&2 || fail "prepare broad"
# the mutants are drawn from files of the scikit-learn and broad trees (conformance/mutant-bases.json)
"$py" conformance/prepare.py --corpus mutants >&2 || fail "prepare mutants"
"$py" conformance/label.py --corpus sklearn --jobs 2 >&2 || fail "label sklearn"
"$py" conformance/label.py --corpus cython-tests --jobs 2 >&2 || fail "label cython-tests"
"$py" conformance/label.py --corpus mutants --jobs 2 >&2 || fail "label mutants"
# --full: the whole broad corpus instead of its CI subset, and every mutant (mutants-full: ~1,000 files, hours of
# compiling on a loaded 2-core machine the first time) instead of the CI subset (mutants);
# broad labels come from the cache, then from the committed conformance/labels/broad-ci.json.gz, else the compiler
broad=broad-ci
for a in "$@"; do [ "$a" = "--full" ] && broad=broad; done
"$py" conformance/label.py --corpus "$broad" --jobs 2 >&2 || fail "label $broad"
if [ "$broad" = broad ]; then
  "$py" conformance/label.py --corpus mutants-full --jobs 2 >&2 || fail "label mutants-full"
fi
exec "$py" conformance/run.py "$@"
