#!/usr/bin/env bash
# Entry point of `npm run conformance`: prepares the corpora, labels them with the real (pinned) Cython compiler
# (cached by file sha256 + Cython version: reruns only compile what changed), then compares `node dist/cli.js check`
# with the labels.  Arguments are passed to conformance/run.py (e.g. --check-targets, --corpus mutants,
# --predictions-from-labels, --full = the whole broad corpus instead of its CI subset).  Exit status: 0 figures computed, 2 infrastructure failure, 3 targets missed
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
"$py" conformance/label.py --corpus sklearn --jobs 2 >&2 || fail "label sklearn"
# mutants are drawn from scikit-learn files that compile (and quickly): needs the sklearn labels
"$py" conformance/prepare.py --corpus mutants >&2 || fail "prepare mutants"
"$py" conformance/label.py --corpus cython-tests --jobs 2 >&2 || fail "label cython-tests"
"$py" conformance/label.py --corpus mutants --jobs 2 >&2 || fail "label mutants"
# the broad real-code corpus (conformance/broad.py): its CI subset by default, every labelled module with --full;
# labels come from the cache, then from the committed conformance/labels/broad-ci.json.gz, else the compiler
broad=broad-ci
for a in "$@"; do [ "$a" = "--full" ] && broad=broad; done
"$py" conformance/prepare.py --corpus broad >&2 || fail "prepare broad"
"$py" conformance/label.py --corpus "$broad" --jobs 2 >&2 || fail "label $broad"
exec "$py" conformance/run.py "$@"
