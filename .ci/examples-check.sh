#!/usr/bin/env bash
# examples-check.sh: every example under examples/ must be formatted and must
# pass `terraform validate` against the provider built from this tree.
#
# No registry is contacted: the provider is built into a temp dir and wired in
# with a generated CLI config whose dev_overrides point at it. Terraform skips
# `init` for dev-overridden providers, so validate runs on an uninitialised
# copy of each example (the copy also keeps .terraform/ out of the repo).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

tf="$(.ci/terraform.sh)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "terraform fmt -check -recursive examples/"
"$tf" fmt -check -recursive -diff examples

echo "building the provider for dev_overrides"
go build -o "$work/bin/terraform-provider-bigiq" .
cat >"$work/cli.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "registry.terraform.io/bigiq-community/bigiq" = "$work/bin"
  }
  direct {}
}
TFRC
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset TF_DATA_DIR TF_WORKSPACE

failed=0
while read -r dir; do
  copy="$work/examples/$dir"
  mkdir -p "$copy"
  cp -R "$dir/." "$copy/"
  # The snippets under resources/ and data-sources/ are shown on registry
  # pages next to provider.tf and do not repeat required_providers; give
  # their copy the same source address a user's configuration would have.
  if ! grep -qs 'required_providers' "$copy"/*.tf; then
    cat >"$copy/zz_examples_check_providers.tf" <<'HCL'
terraform {
  required_providers {
    bigiq = {
      source = "bigiq-community/bigiq"
    }
  }
}
HCL
  fi
  if out="$(cd "$copy" && "$tf" validate -no-color 2>&1)"; then
    echo "ok    $dir"
  else
    echo "FAIL  $dir"
    printf '%s\n' "$out" | sed 's/^/      /'
    failed=1
  fi
done < <(find examples -name '*.tf' -printf '%h\n' | sort -u)
exit "$failed"
