#!/usr/bin/env bash
# `npm test`: build, compile the tests, run every suite, and end with one line "tests: N passed, N failed".
# The node:test suite counts each test; every extra suite listed in EXTRA_SUITES counts as one test.
# To register a suite: add a line `name|command` to EXTRA_SUITES (command run from the repo root with bash).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

EXTRA_SUITES=(
  "grammar corpus (web-tree-sitter)|node --test grammar/test/"
  "real editors: VS Code UI + extension host + Neovim|npm run --silent test:e2e"
  "conformance against the real compiler (targets)|npm run --silent conformance -- --cli-directives --check-targets --advisory-targets broad-ci/"
  "pure Python mode against the real compiler (0 false error lines on Cython's pure tests and compiler modules)|.venv/bin/python conformance/pure_mode.py --groups tests,compiler --check-targets"
)

passed=0
failed=0

if ! npm run --silent build; then
  echo "build failed"
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
rm -rf out
if ! npm run --silent compile-tests; then
  echo "compile-tests failed"
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

mapfile -t test_files < <(find out/test -name '*.test.js' | sort)
tap="$(mktemp)"
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" "${test_files[@]}"
node_status=$?
node_pass="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -1)"
node_fail="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -1)"
node_cancelled="$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$tap" | tail -1)"
rm -f "$tap"
passed=$((passed + ${node_pass:-0}))
failed=$((failed + ${node_fail:-0} + ${node_cancelled:-0}))
if [ "$node_status" -ne 0 ] && [ "${node_fail:-0}" -eq 0 ] && [ "${node_cancelled:-0}" -eq 0 ]; then
  failed=$((failed + 1)) # the runner itself failed (e.g. a file did not load)
fi

for suite in "${EXTRA_SUITES[@]}"; do
  name="${suite%%|*}"
  cmd="${suite#*|}"
  echo "=== suite: $name ($cmd)"
  if bash -c "$cmd"; then
    passed=$((passed + 1))
  else
    echo "=== suite $name FAILED"
    failed=$((failed + 1))
  fi
done

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
