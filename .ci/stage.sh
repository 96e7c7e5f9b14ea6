#!/usr/bin/env bash
# stage.sh NAME CMD...: runs one stage of `make test`, framed and timed, so a
# CI log shows where time went and which stage failed.
set -euo pipefail
name="$1"; shift
printf '\n==> %s\n' "$name"
start=$SECONDS
if "$@"; then
  printf '<== %s: ok in %ss\n' "$name" "$((SECONDS - start))"
else
  rc=$?
  printf '<== %s: FAILED (exit %s) after %ss\n' "$name" "$rc" "$((SECONDS - start))" >&2
  exit "$rc"
fi
