#!/usr/bin/env bash
# Prints the absolute path of golangci-lint at the pinned version, installing
# it with `go install` into the tool cache when absent or at another version.
set -euo pipefail

GOLANGCI_LINT_VERSION="${GOLANGCI_LINT_VERSION:-v2.15.0}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

has_version() { "$1" version 2>/dev/null | grep -q "version ${GOLANGCI_LINT_VERSION#v} "; }

if gl="$(command -v golangci-lint 2>/dev/null)" && has_version "$gl"; then
  realpath "$gl"
  exit 0
fi

cached_go_install golangci-lint "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$GOLANGCI_LINT_VERSION" \
  "$BIGIQ_TOOLS_CACHE/golangci-lint/$GOLANGCI_LINT_VERSION"
