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

cached_go_install opa "github.com/open-policy-agent/opa@$OPA_VERSION" "$BIGIQ_TOOLS_CACHE/opa/$OPA_VERSION"
