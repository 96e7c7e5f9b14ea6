# shellcheck shell=bash
# Shared by the tool scripts in .ci/: where tools built for this repo are
# cached. The cache lives outside the work tree so a fresh clone reuses the
# slow builds (terraform, golangci-lint) and `git status` stays clean.
BIGIQ_TOOLS_CACHE="${BIGIQ_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-bigiq}"

log() { printf '%s\n' "$*" >&2; }

# cached_go_install NAME PACKAGE@VERSION DIR [go install flags...] prints the
# path of DIR/NAME, first building it with `go install` (only the Go module
# proxy is needed) when it is not there. The build goes to a temp dir and is
# moved into place, so an interrupted build never leaves a half-written
# binary that a later run would trust.
cached_go_install() {
  local name="$1" pkg="$2" dir="$3"
  shift 3
  if [[ ! -x "$dir/$name" ]]; then
    log "building $pkg into $dir (one-off, a few minutes)"
    mkdir -p "$dir"
    local tmp
    tmp="$(mktemp -d "$dir/.build.XXXXXX")"
    # shellcheck disable=SC2064 # expand now: tmp is local
    trap "rm -rf '$tmp'" EXIT
    GOBIN="$tmp" CGO_ENABLED=0 go install "$@" "$pkg" >&2
    mv "$tmp/$name" "$dir/$name"
  fi
  printf '%s\n' "$dir/$name"
}
