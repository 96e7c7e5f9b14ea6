#!/usr/bin/env bash
# Prints the absolute path of a terraform binary, building one if needed.
#
# Usage: terraform.sh [--pinned]
#
# Order: $TERRAFORM if set; `terraform` on PATH; a cached build of the last
# MPL-licensed release (1.5.7); otherwise build that release from source with
# `go install` (needs only the Go module proxy: the Terraform releases site and
# registry are never contacted). Progress goes to stderr, the path to stdout.
#
# This is the only place that chooses the binary: make passes the path on as
# TF_ACC_TERRAFORM_PATH, which terraform-plugin-testing and internal/tfcli
# (the demo, the whole-process tests, the benchmarks) read. $TERRAFORM may
# name an OpenTofu binary as well.
#
# --pinned skips $TERRAFORM and PATH and always gives the cached 1.5.7 build,
# for the version matrix (make test-matrix), which must test that version
# whatever a machine has installed.
set -euo pipefail

pinned=false
case "${1:-}" in
  --pinned) pinned=true ;;
  "") ;;
  *) printf 'usage: %s [--pinned]\n' "$0" >&2; exit 2 ;;
esac

TF_VERSION=1.5.7
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

if ! $pinned && [[ -n "${TERRAFORM:-}" ]]; then
  command -v "$TERRAFORM" >/dev/null || { log "TERRAFORM=$TERRAFORM is not executable"; exit 1; }
  realpath "$(command -v "$TERRAFORM")"
  exit 0
fi

if ! $pinned && tf="$(command -v terraform 2>/dev/null)"; then
  realpath "$tf"
  exit 0
fi

bindir="$BIGIQ_TOOLS_CACHE/terraform/$TF_VERSION"
if [[ -x "$bindir/terraform" ]]; then
  printf '%s\n' "$bindir/terraform"
  exit 0
fi

log "terraform not on PATH: building v$TF_VERSION from source into $bindir (one-off, a few minutes)"
mkdir -p "$bindir"
# Build into a temp dir and move into place, so an interrupted build never
# leaves a half-written binary that a later run would trust.
tmp="$(mktemp -d "$bindir/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
GOBIN="$tmp" CGO_ENABLED=0 go install "github.com/hashicorp/terraform@v$TF_VERSION" >&2
mv "$tmp/terraform" "$bindir/terraform"
printf '%s\n' "$bindir/terraform"
