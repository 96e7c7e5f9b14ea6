# shellcheck shell=bash
# Shared by the tool scripts in .ci/: where tools built for this repo are
# cached. The cache lives outside the work tree so a fresh clone reuses the
# slow builds (terraform, golangci-lint) and `git status` stays clean.
BIGIQ_TOOLS_CACHE="${BIGIQ_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-bigiq}"

log() { printf '%s\n' "$*" >&2; }

# lock_tool_dir DIR creates DIR and holds an exclusive lock on it until the
# calling script exits, so that one tool is built by one process at a time.
lock_tool_dir() {
  mkdir -p "$1"
  local fd
  exec {fd}>"$1/.lock"
  flock "$fd"
}

# cached_go_install NAME PACKAGE@VERSION DIR [go install flags...] prints the
# path of DIR/NAME, first building it with `go install` (only the Go module
# proxy is needed) when it is not there. The build goes to a temp dir and is
# moved into place, so an interrupted build never leaves a half-written
# binary that a later run would trust. A lock on DIR makes a second caller
# (.ci/run builds the tools in the background while the first stages run)
# wait for the build in progress instead of building the tool again.
cached_go_install() {
  local name="$1" pkg="$2" dir="$3"
  shift 3
  lock_tool_dir "$dir"
  if [[ ! -x "$dir/$name" ]]; then
    log "building $pkg into $dir (one-off, a few minutes)"
    local tmp
    tmp="$(mktemp -d "$dir/.build.XXXXXX")"
    # shellcheck disable=SC2064 # expand now: tmp is local
    trap "rm -rf '$tmp'" EXIT
    GOBIN="$tmp" CGO_ENABLED=0 go install "$@" "$pkg" >&2
    mv "$tmp/$name" "$dir/$name"
  fi
  printf '%s\n' "$dir/$name"
}
