#!/usr/bin/env bash
# workflows-check.sh [DIR]: lints the GitHub Actions workflows of the repo
# at DIR (default: this one) with the pinned actionlint, and fails when a
# step uses an action by tag or branch instead of a full commit SHA (a tag
# can be moved to other code; the SHA cannot). The workflows cannot run
# here, so this is what catches their mistakes before the hosting service.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
actionlint="$("$here/actionlint.sh")"
cd "${1:-$here/..}"

shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
((${#files[@]} > 0)) || { echo "workflows-check: no workflows in .github/workflows" >&2; exit 1; }
# Without shellcheck and pyflakes: actionlint runs them on run: steps only
# when they are on PATH, so the result would depend on the machine.
"$actionlint" -no-color -shellcheck= -pyflakes= "${files[@]}"

# uses: owner/repo[/path]@<40 hex> # vX.Y.Z; local actions (./...) and
# docker:// images are not pinned this way.
unpinned="$(grep -nE '^[[:space:]-]*uses:' "${files[@]}" |
  grep -vE 'uses:[[:space:]]*(\./|docker://)' |
  grep -vE 'uses:[[:space:]]*[^@[:space:]]+@[0-9a-f]{40}[[:space:]]+#[[:space:]]*v[0-9]' || true)"
if [[ -n "$unpinned" ]]; then
  echo "workflows-check: pin every action to a full commit SHA with its release in a comment (uses: owner/repo@<sha> # vX.Y.Z):" >&2
  printf '%s\n' "$unpinned" >&2
  exit 1
fi
echo "workflows-check: ${#files[@]} workflows pass actionlint, every action pinned to a commit SHA"
