#!/usr/bin/env bash
# tree-check.sh [DIR]: fails when the git work tree at DIR (default: this
# repo) tracks a built executable or a file over 1 MiB. A binary built with
# `go build ./internal/cmd/...` lands in the root and is easily committed
# with `git add -A`; every clone would then carry it for good.
#
# A built executable is a file that starts with an ELF, Mach-O or PE header,
# or a file with the executable bit that is not a #! script.
set -euo pipefail
dir="${1:-$(dirname "${BASH_SOURCE[0]}")/..}"
cd "$dir"

max=$((1024 * 1024))
bad=()
while IFS= read -r -d '' entry; do
  mode="${entry%% *}"
  path="${entry#*$'\t'}"
  [[ -f "$path" ]] || continue # deleted in the work tree, or a submodule
  size="$(stat -c %s -- "$path")"
  if ((size > max)); then
    bad+=("$path: $size bytes, over the 1 MiB limit")
    continue
  fi
  magic="$(head -c 4 -- "$path" | od -An -tx1 | tr -d ' \n')"
  case "$magic" in
    7f454c46) bad+=("$path: an ELF executable"); continue ;;
    feedface | feedfacf | cefaedfe | cffaedfe | cafebabe) bad+=("$path: a Mach-O executable"); continue ;;
    4d5a*) bad+=("$path: a PE (Windows) executable"); continue ;;
  esac
  if [[ "$mode" == 100755 && "$(head -c 2 -- "$path")" != "#!" ]]; then
    bad+=("$path: executable bit set but not a #! script")
  fi
done < <(git ls-files -s -z)

if ((${#bad[@]} > 0)); then
  echo "tree-check: the repository tracks files it must not (git rm --cached them; build output belongs in .gitignore):" >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "tree-check: $(git ls-files | wc -l) tracked files, no executable, none over 1 MiB"
