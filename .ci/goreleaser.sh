#!/usr/bin/env bash
# Prints the absolute path of goreleaser at the pinned version, installing it
# with `go install` from the module proxy into the tool cache when absent.
# Pinned to a release that builds with the repo's Go (v2.15.x does), and
# never taken from PATH, so make release-check tests one known goreleaser.
set -euo pipefail

GORELEASER_VERSION="${GORELEASER_VERSION:-v2.15.1}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

bindir="$BIGIQ_TOOLS_CACHE/goreleaser/$GORELEASER_VERSION"
if [[ -x "$bindir/goreleaser" ]]; then
  printf '%s\n' "$bindir/goreleaser"
  exit 0
fi

log "installing goreleaser $GORELEASER_VERSION into $bindir (one-off, a few minutes)"
mkdir -p "$bindir"
# Build in a temp dir and move into place, so an interrupted build never
# leaves a half-written binary that a later run would trust.
tmp="$(mktemp -d "$bindir/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
GOBIN="$tmp" CGO_ENABLED=0 go install -trimpath "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION" >&2
mv "$tmp/goreleaser" "$bindir/goreleaser"
printf '%s\n' "$bindir/goreleaser"
