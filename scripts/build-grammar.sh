#!/usr/bin/env bash
# Builds the Cython tree-sitter grammar: generate grammar/src from grammar/grammar.js, compile
# grammar/tree-sitter-cython.wasm, write grammar/PROVENANCE.json. This is what `npm run grammar` runs.
#
# Pinned tools: tree-sitter CLI 0.26.8 (built from crates.io into $CYTHON_LENS_CACHE when missing),
# tree-sitter-python 0.25.0 and web-tree-sitter 0.25.10 (grammar/package.json devDependencies),
# Debian clang-19 + lld-19 + wasi-libc as the WASI toolchain (TREE_SITTER_WASI_SDK_PATH=/usr/lib/llvm-19).
# Options: --no-wasm (generate only), --check (also load the WASM in web-tree-sitter and parse a sample),
#          --test (--check, plus the tree-sitter corpus tests in grammar/test/corpus).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${CYTHON_LENS_CACHE:-$HOME/.cache/cython-lens}"
cli_version="0.26.8"
cli_root="$cache/tree-sitter-cli-$cli_version"
cli="$cli_root/bin/tree-sitter"
wasi_sdk="${TREE_SITTER_WASI_SDK_PATH:-/usr/lib/llvm-19}"
grammar="$root/grammar"
wasm="$grammar/tree-sitter-cython.wasm"
build_wasm=1
check=0
run_tests=0
for arg in "$@"; do
  case "$arg" in
    --no-wasm) build_wasm=0 ;;
    --check) check=1 ;;
    --test) check=1; run_tests=1 ;;
    *) echo "build-grammar: unknown option $arg" >&2; exit 2 ;;
  esac
done

# 1. the pinned CLI
if [ ! -x "$cli" ] || [ "$("$cli" --version 2>/dev/null | awk '{print $2}')" != "$cli_version" ]; then
  command -v cargo >/dev/null || { echo "build-grammar: cargo is needed to build tree-sitter-cli $cli_version" >&2; exit 1; }
  echo "build-grammar: building tree-sitter-cli $cli_version (several minutes)"
  cargo install tree-sitter-cli --locked --version "$cli_version" --root "$cli_root"
fi

# 2. grammar-local npm dependencies (tree-sitter-python's grammar.js, web-tree-sitter), pinned exactly
if [ ! -f "$grammar/node_modules/tree-sitter-python/grammar.js" ] || [ ! -f "$grammar/node_modules/web-tree-sitter/package.json" ] \
   || [ "$(node -p "require('$grammar/node_modules/tree-sitter-python/package.json').version")" != "0.25.0" ]; then
  (cd "$grammar" && npm install --prefix . --ignore-scripts --no-audit --no-fund)
fi

# 3. generate
(cd "$grammar" && "$cli" generate)

# 4. wasm
if [ "$build_wasm" = 1 ]; then
  [ -x "$wasi_sdk/bin/clang" ] || { echo "build-grammar: no clang in $wasi_sdk (apt-get install clang-19 lld-19 wasi-libc)" >&2; exit 1; }
  (cd "$grammar" && TREE_SITTER_WASI_SDK_PATH="$wasi_sdk" "$cli" build --wasm -o "$wasm" .)
fi

# 5. provenance
sha() { if [ -f "$1" ]; then sha256sum "$1" | cut -d' ' -f1; else echo ""; fi; }
clang_version="$("$wasi_sdk/bin/clang" --version 2>/dev/null | head -n1 || true)"
node - "$grammar/PROVENANCE.json" <<JS
const fs = require('fs');
const out = {
  generator: 'scripts/build-grammar.sh',
  treeSitterCli: '$("$cli" --version | awk '{print $2}')',
  treeSitterPython: require('$grammar/node_modules/tree-sitter-python/package.json').version,
  webTreeSitter: require('$grammar/node_modules/web-tree-sitter/package.json').version,
  node: process.version,
  clang: ${build_wasm} ? '$clang_version' : null,
  wasiSdkPath: ${build_wasm} ? '$wasi_sdk' : null,
  abi: JSON.parse(fs.readFileSync('$grammar/src/parser.c', 'utf8').match(/#define LANGUAGE_VERSION (\\d+)/)[1]),
  sha256: {
    'grammar.js': '$(sha "$grammar/grammar.js")',
    'src/scanner.c': '$(sha "$grammar/src/scanner.c")',
    'src/parser.c': '$(sha "$grammar/src/parser.c")',
    'src/grammar.json': '$(sha "$grammar/src/grammar.json")',
    'src/node-types.json': '$(sha "$grammar/src/node-types.json")',
    'tree-sitter-cython.wasm': '$(sha "$wasm")',
  },
};
fs.writeFileSync(process.argv[2], JSON.stringify(out, null, 2) + '\n');
JS
echo "build-grammar: wrote $grammar/PROVENANCE.json"

# 6. optional load check in web-tree-sitter (the runtime the language server uses)
if [ "$check" = 1 ]; then
  node "$grammar/check-wasm.cjs" "$wasm"
fi
if [ "$run_tests" = 1 ]; then
  (cd "$grammar" && "$cli" test)
fi
