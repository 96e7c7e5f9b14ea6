# shellcheck shell=bash
# Shared by the tool scripts in .ci/: where tools built for this repo are
# cached. The cache lives outside the work tree so a fresh clone reuses the
# slow builds (terraform, golangci-lint) and `git status` stays clean.
BIGIQ_TOOLS_CACHE="${BIGIQ_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-bigiq}"

log() { printf '%s\n' "$*" >&2; }
