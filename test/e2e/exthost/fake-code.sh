#!/bin/sh
# Stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }): maps its command line
# (--extensionDevelopmentPath=, --extensionTestsPath=, positional workspace; other flags ignored) onto
# code-server-host.mjs, which runs the tests in code-server's extension host. Exit status = the tests' status.
dev= tests= ws=
for a in "$@"; do
  case "$a" in
    --extensionDevelopmentPath=*) dev="${a#*=}" ;;
    --extensionTestsPath=*) tests="${a#*=}" ;;
    --*) ;;
    *) ws="$a" ;;
  esac
done
if [ -z "$dev" ] || [ -z "$tests" ] || [ -z "$ws" ]; then
  echo "fake-code.sh: need --extensionDevelopmentPath=, --extensionTestsPath= and a workspace folder" >&2; exit 2
fi
exec node "$(dirname "$0")/code-server-host.mjs" "$dev" "$tests" "$ws"
