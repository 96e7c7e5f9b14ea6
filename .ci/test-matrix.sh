#!/usr/bin/env bash
# test-matrix.sh: runs the whole-process tests (internal/e2e, the examples
# check included) once under each CLI the provider is tested with: the pinned
# Terraform 1.5.7 (whatever terraform is on PATH, which `make test` uses) and
# OpenTofu, both built into the tool cache on first use.
#
# Every test must run: the slow ones too (no -short), and a skipped test
# fails the matrix, since a skip would pass a version nothing was proved on.
# Extra go test flags come from $TESTARGS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Each tool on a line of its own: a failed build inside an array or an
# export would not stop the script.
terraform="$(.ci/terraform.sh --pinned)"
tofu="$(.ci/tofu.sh)"
opa="$(.ci/opa.sh)"
clis=("$terraform" "$tofu")
# The policy test runs OPA on each CLI's plan JSON, as make testacc does.
export TF_ACC=1 TF_ACC_OPA_PATH="$opa"
for cli in "${clis[@]}"; do
  # The "Terraform v…"/"OpenTofu v…" line, wherever CLI config warnings put
  # it; awk reads to the end, as `head -1` would kill the CLI with SIGPIPE,
  # which pipefail turns into a failure.
  version="$("$cli" version 2>/dev/null | awk '/^(Terraform|OpenTofu) v/ && !seen { print; seen = 1 }')"
  # shellcheck disable=SC2086 # TESTARGS is a list of flags
  .ci/stage.sh "internal/e2e under $version" bash -euo pipefail -c '
    cli="$1"; shift
    log="$(mktemp)"; trap "rm -f \"$log\"" EXIT
    echo "$cli"
    if ! TF_ACC_TERRAFORM_PATH="$cli" go test -v -count=1 -timeout "${TEST_TIMEOUT:-20m}" "$@" ./internal/e2e >"$log" 2>&1; then
      cat "$log"; exit 1
    fi
    grep -E "^(=== RUN|\s*--- (PASS|FAIL|SKIP)|ok|PASS|FAIL)" "$log" | grep -v "^=== RUN" || true
    if grep -qE "^\s*--- SKIP" "$log"; then
      echo "a test skipped itself under $cli; the matrix runs every test:" >&2
      grep -A3 -E "^\s*--- SKIP" "$log" >&2
      exit 1
    fi
  ' _ "$cli" ${TESTARGS:-}
done
