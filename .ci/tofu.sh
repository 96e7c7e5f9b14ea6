#!/usr/bin/env bash
# Prints the absolute path of an OpenTofu binary, building one if needed.
#
# Order: $TOFU if set; a cached build of TOFU_VERSION; otherwise build that
# release from source (needs only the Go module proxy). `go install
# github.com/opentofu/opentofu/cmd/tofu@v...` is refused because OpenTofu's
# go.mod has a replace directive, so the module is downloaded, copied into the
# tool cache and built there, where its own go.mod (and replace) applies.
# Progress goes to stderr, the path to stdout.
#
# TOFU_VERSION is the newest release the module proxy serves that builds with
# our Go (`go list -m -versions github.com/opentofu/opentofu`).
set -euo pipefail

TOFU_VERSION="${TOFU_VERSION:-1.12.6}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

if [[ -n "${TOFU:-}" ]]; then
  command -v "$TOFU" >/dev/null || { log "TOFU=$TOFU is not executable"; exit 1; }
  realpath "$(command -v "$TOFU")"
  exit 0
fi

bindir="$BIGIQ_TOOLS_CACHE/tofu/$TOFU_VERSION"
lock_tool_dir "$bindir"
if [[ -x "$bindir/tofu" ]]; then
  printf '%s\n' "$bindir/tofu"
  exit 0
fi

log "building OpenTofu v$TOFU_VERSION from source into $bindir (one-off, several minutes)"
# Build in a temp dir and move into place, so an interrupted build never
# leaves a half-written binary that a later run would trust.
tmp="$(mktemp -d "$bindir/.build.XXXXXX")"
# The module cache is read-only; the copy is made writable so that it can be
# removed afterwards.
trap 'chmod -R u+w "$tmp" 2>/dev/null || true; rm -rf "$tmp"' EXIT
moddir="$(cd "$tmp" && GOFLAGS= go mod download -json "github.com/opentofu/opentofu@v$TOFU_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
[[ -d "$moddir" ]] || { log "go mod download gave no module directory for v$TOFU_VERSION"; exit 1; }
cp -R "$moddir" "$tmp/src"
chmod -R u+w "$tmp/src"
(
  cd "$tmp/src"
  # GOFLAGS from the caller (e.g. -mod=vendor) must not leak into a foreign
  # module; GOWORK=off keeps any go.work above the cache out of it.
  # The flags of OpenTofu's own release build (its .goreleaser.yaml);
  # version.dev=no drops the "-dev" suffix from `tofu version`.
  GOFLAGS= GOWORK=off CGO_ENABLED=0 go build -mod=readonly -trimpath \
    -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$tmp/tofu" ./cmd/tofu >&2
)
mv "$tmp/tofu" "$bindir/tofu"
printf '%s\n' "$bindir/tofu"
