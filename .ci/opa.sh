#!/usr/bin/env bash
# Prints the absolute path of an OPA binary at the pinned version, building
# it once with `go install` into the tool cache (needs only the Go module
# proxy). make passes the path on as TF_ACC_OPA_PATH, which the e2e test of
# examples/policy reads; progress goes to stderr, the path to stdout.
set -euo pipefail

OPA_VERSION=v1.22.4
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

bindir="$BIGIQ_TOOLS_CACHE/opa/$OPA_VERSION"
if [[ -x "$bindir/opa" ]]; then
  printf '%s\n' "$bindir/opa"
  exit 0
fi

log "building opa $OPA_VERSION into $bindir (one-off, a few minutes)"
mkdir -p "$bindir"
# Build into a temp dir and move into place, so an interrupted build never
# leaves a half-written binary that a later run would trust.
tmp="$(mktemp -d "$bindir/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
GOBIN="$tmp" CGO_ENABLED=0 go install "github.com/open-policy-agent/opa@$OPA_VERSION" >&2
mv "$tmp/opa" "$bindir/opa"
printf '%s\n' "$bindir/opa"
