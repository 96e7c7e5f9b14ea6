#!/usr/bin/env bash
# Makes sure the Debian tools the tests use are installed: jq (the policy
# test runs examples/policy/check-plan.sh with the jq users have) and unzip
# (make release-check opens the archives). Missing ones are installed from
# Debian's packages when running as root, as CI does; otherwise it says
# what to install.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

missing=()
for tool in jq unzip; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ "$(id -u)" -ne 0 ]]; then
  log "missing: ${missing[*]}; install them (Debian: apt-get install ${missing[*]})"
  exit 1
fi
log "installing ${missing[*]} from Debian's packages"
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
