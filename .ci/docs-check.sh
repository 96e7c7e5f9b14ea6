#!/usr/bin/env bash
# docs-check.sh: fails when docs/ differs from what `make generate` would
# produce, then runs `tfplugindocs validate`.
#
# tfplugindocs reads the schemas from the provider itself (as `make generate`
# does, through internal/cmd/schemajson with --providers-schema): Terraform
# before 1.14 reports no list resource or action schemas. The `terraform` on
# PATH (from .ci/terraform.sh) is left for anything else tfplugindocs runs,
# so neither the releases site nor the registry is contacted. Docs are
# rendered into a temp dir, so the work tree is never touched.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

tf="$(.ci/terraform.sh)"
export PATH="$(dirname "$tf"):$PATH" CHECKPOINT_DISABLE=1
unset TF_CLI_CONFIG_FILE

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/docs"
# --rendered-website-dir is joined to the provider dir, so pass it relative.
rel="$(realpath --relative-to=. "$tmp/docs")"
go run ./internal/cmd/schemajson -out "$tmp/schema.json"
go tool tfplugindocs generate --provider-name bigiq --providers-schema "$tmp/schema.json" \
  --rendered-website-dir "$rel" >"$tmp/generate.log" 2>&1 || {
  cat "$tmp/generate.log" >&2
  exit 1
}
# docs/ holds only generated Registry pages (developer notes live in
# contributing/), so the whole tree must match.
if ! diff -ru docs "$tmp/docs"; then
  echo "docs/ is out of date: run 'make generate' and commit the result" >&2
  exit 1
fi
echo "docs/ matches the schema, templates and examples"
go tool tfplugindocs validate --provider-name bigiq --providers-schema "$tmp/schema.json" 2>&1 | grep -v "\[DEBUG\]"
