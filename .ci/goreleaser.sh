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

cached_go_install goreleaser "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION" \
  "$BIGIQ_TOOLS_CACHE/goreleaser/$GORELEASER_VERSION" -trimpath
