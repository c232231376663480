# Sourced by the setup scripts: `npm_ci DIR` runs `npm ci` in DIR only when its package-lock.json changed since the
# last install (a stamp in DIR/node_modules records the lock file's hash).
npm_ci() {
  local dir="$1"
  [ -f "$dir/package-lock.json" ] || return 0
  local stamp="$dir/node_modules/.cython-lens-lock.sha256"
  local want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  printf '\n== setup: npm ci in %s/\n' "$dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
}
