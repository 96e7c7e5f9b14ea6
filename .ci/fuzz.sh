#!/usr/bin/env bash
# fuzz.sh: runs every Go fuzz target in the module for FUZZTIME each (default
# 10s). `go test -fuzz` accepts one target per package per run, so targets are
# listed first and fuzzed one by one. No targets is not an error.
set -euo pipefail
FUZZTIME="${FUZZTIME:-10s}"
found=0
while read -r pkg; do
  while read -r target; do
    [[ "$target" == Fuzz* ]] || continue
    found=1
    printf -- '--- fuzz %s %s (%s)\n' "$pkg" "$target" "$FUZZTIME"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg"
  done < <(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
done < <(go list ./...)
if [[ $found -eq 0 ]]; then
  echo "no fuzz targets yet"
fi
