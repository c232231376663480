#!/usr/bin/env bash
# `npm run test:e2e [-- --features LIST|all]`: type-check + bundle, package the .vsix, then run the three real-editor
# suites (VS Code UI, extension host API, Neovim) with the same arguments, and the HTML report in Chromium. Every suite runs even when an earlier one
# fails; the script ends with one line per suite and exits 1 when any failed. (Arguments after `--` reach this
# script; chaining `npm run` calls in package.json would hand them to the last one only, as npm options.)
set -uo pipefail
cd "$(dirname "$0")/.."
npm run --silent build || { echo "e2e: build failed"; exit 1; }
npm run --silent package || { echo "e2e: package failed"; exit 1; }
declare -a names=(ui exthost nvim report)
declare -a results=()
status=0
for suite in "${names[@]}"; do
  start=$(date +%s)
  case "$suite" in
    ui) node test/e2e/run-e2e.mjs cython-lens.vsix "$@" ;;
    exthost) node test/e2e/exthost/run-exthost.mjs "$@" ;;
    nvim) node test/nvim/run-nvim.mjs "$@" ;;
    report) node test/e2e/run-report.mjs ;;
  esac
  rc=$?
  [ "$rc" -eq 0 ] || status=1
  results+=("e2e $suite: $([ "$rc" -eq 0 ] && echo passed || echo "FAILED (exit $rc)") in $(( $(date +%s) - start )) s")
done
printf '%s\n' "${results[@]}"
exit "$status"
