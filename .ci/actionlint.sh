#!/usr/bin/env bash
# Prints the absolute path of actionlint at the pinned version, building it
# once with `go install` (only the Go module proxy is needed) into the tool
# cache. make test lints .github/workflows with it: the workflows cannot run
# here, so a syntax or expression error would otherwise surface only on the
# hosting service.
set -euo pipefail

ACTIONLINT_VERSION="${ACTIONLINT_VERSION:-v1.7.12}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

cached_go_install actionlint "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" \
  "$BIGIQ_TOOLS_CACHE/actionlint/$ACTIONLINT_VERSION"
