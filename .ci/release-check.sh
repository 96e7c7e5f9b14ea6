#!/usr/bin/env bash
# release-check.sh: builds a release as the release job would, without
# publishing or signing, and checks what the Terraform Registry will be given:
#
#   - `goreleaser check` accepts .goreleaser.yml, and the platforms it builds
#     are exactly the list below;
#   - `goreleaser release --snapshot --clean --skip=publish,sign` builds dist/
#     for one platform per OS (the release workflow builds them all: 13 cold
#     cross-builds would take most of CI's time on a 2-core machine, and the
#     others differ only in GOARCH);
#   - one zip per built platform, named <project>_<version>_<os>_<arch>.zip,
#     each holding the binary <project>_v<version>[.exe] and LICENSE;
#   - <project>_<version>_SHA256SUMS lists exactly those zips and the registry
#     manifest copy <project>_<version>_manifest.json, and they match it;
#   - the linux/amd64 binary answers -h, refuses to run outside Terraform with
#     the plugin message, and under terraform plans a data-source read against
#     the mock BIG-IQ, sending the release version in its User-Agent.
#
# dist/ is gitignored; goreleaser comes from the tool cache (.ci/goreleaser.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
.ci/system-tools.sh # unzip, to open the archives

project=terraform-provider-bigiq
# The platforms a release must cover (.goreleaser.yml builds them all; the
# snapshot here builds snapshot_platforms): what Terraform users run, as in
# HashiCorp's provider scaffolding. Kept here by hand, not read back from
# goreleaser, so a change to the build matrix is a deliberate change to both.
platforms=(
  darwin_amd64 darwin_arm64
  freebsd_386 freebsd_amd64 freebsd_arm freebsd_arm64
  linux_386 linux_amd64 linux_arm linux_arm64
  windows_386 windows_amd64 windows_arm64
)

# The snapshot's platforms, one per OS, as goreleaser's targets (with the
# default GOAMD64/GOARM64 variants) and as zip names.
snapshot_targets=(darwin_arm64_v8.0 freebsd_amd64_v1 linux_amd64_v1 windows_amd64_v1)
snapshot_platforms=(darwin_arm64 freebsd_amd64 linux_amd64 windows_amd64)

fail() { printf 'release-check: %s\n' "$*" >&2; exit 1; }

goreleaser="$(.ci/goreleaser.sh)"
"$goreleaser" --version | grep -m1 GitVersion || true
"$goreleaser" check

# The full matrix the release workflow builds: goos x goarch minus ignore
# in .goreleaser.yml, against the list above.
full="$(awk '
  /^    goos:/ { list = "os"; next }
  /^    goarch:/ { list = "arch"; next }
  /^    ignore:/ { list = "ignore"; next }
  /^    [a-z_]+:/ { list = "" }
  list == "os" && /^      - / { gsub(/[-" ]/, ""); os[$0] = 1 }
  list == "arch" && /^      - / { gsub(/[-" ]/, ""); arch[$0] = 1 }
  list == "ignore" && /goos:/ { sub(/.*goos: */, ""); gsub(/"/, ""); igos = $0 }
  list == "ignore" && /goarch:/ { sub(/.*goarch: */, ""); gsub(/"/, ""); skip[igos "_" $0] = 1 }
  END { for (o in os) for (a in arch) if (!((o "_" a) in skip)) print o "_" a }
' .goreleaser.yml | sort)"
[[ "$full" == "$(printf '%s\n' "${platforms[@]}" | sort)" ]] ||
  fail ".goreleaser.yml builds other platforms than listed here:$(diff <(printf '%s\n' "${platforms[@]}" | sort) <(echo "$full") | sed 's/^/ /')"
echo "release-check: .goreleaser.yml builds the ${#platforms[@]} platforms listed; the release workflow builds them all"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The snapshot config: .goreleaser.yml with a targets list, which overrides
# goos, goarch and ignore for the build.
awk -v targets="$(IFS=,; echo "${snapshot_targets[*]}")" '
  { print }
  /^    binary:/ { print "    targets: [" targets "]" }
' .goreleaser.yml >"$tmp/goreleaser.yml"
grep -q '^    targets:' "$tmp/goreleaser.yml" || fail "no builds[].binary line in .goreleaser.yml to put the targets after"
"$goreleaser" release --snapshot --clean --skip=publish,sign --config "$tmp/goreleaser.yml"

version="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' dist/metadata.json | head -1)"
[[ -n "$version" ]] || fail "no version in dist/metadata.json"
[[ "$version" != v* ]] || fail "version $version starts with v; the Registry wants it bare in file names"
echo "release-check: snapshot version $version"

prefix="${project}_${version}"
sums="dist/${prefix}_SHA256SUMS"
manifest="${prefix}_manifest.json"
[[ -f "$sums" ]] || fail "no $sums"

# The checksums name the manifest copy that the release job uploads beside
# the zips; put the same copy here so that sha256sum -c checks its entry.
cp terraform-registry-manifest.json "dist/$manifest"

want=("$manifest")
for p in "${snapshot_platforms[@]}"; do
  want+=("${prefix}_${p}.zip")
done
got_sums="$(awk '{print $2}' "$sums" | sed 's/^\*//' | sort)"
want_sums="$(printf '%s\n' "${want[@]}" | sort)"
[[ "$got_sums" == "$want_sums" ]] ||
  fail "$sums lists other files than expected:$(diff <(echo "$want_sums") <(echo "$got_sums") | sed 's/^/ /')"
got_zips="$(cd dist && ls -1 ./*.zip | sed 's|^\./||' | sort)"
want_zips="$(printf '%s\n' "${want[@]}" | grep '\.zip$' | sort)"
[[ "$got_zips" == "$want_zips" ]] ||
  fail "dist/ holds other zips than expected:$(diff <(echo "$want_zips") <(echo "$got_zips") | sed 's/^/ /')"
(cd dist && sha256sum --strict -c "$(basename "$sums")") || fail "checksums do not match"

for p in "${snapshot_platforms[@]}"; do
  exe="${project}_v${version}"
  [[ "$p" == windows_* ]] && exe+=".exe"
  contents="$(unzip -Z1 "dist/${prefix}_${p}.zip" | sort | tr '\n' ' ')"
  [[ "$contents" == "LICENSE $exe " ]] || fail "${prefix}_${p}.zip holds [$contents]; want $exe and LICENSE"
  unzip -p "dist/${prefix}_${p}.zip" LICENSE | cmp -s - LICENSE || fail "the LICENSE in ${prefix}_${p}.zip is not the repository's"
done
echo "release-check: ${#snapshot_platforms[@]} zips, the manifest copy and $(basename "$sums") are as the Registry expects"

bindir="$tmp/bin"
mkdir -p "$bindir"
unzip -q "dist/${prefix}_linux_amd64.zip" -d "$bindir"
bin="$bindir/${project}_v${version}"

help="$("$bin" -h 2>&1)" || fail "$bin -h exited non-zero:"$'\n'"$help"
grep -q -- "-debug" <<<"$help" || fail "$bin -h does not describe -debug:"$'\n'"$help"
if plain="$(env -u TF_PLUGIN_MAGIC_COOKIE "$bin" 2>&1)"; then
  fail "$bin ran outside Terraform without complaint:"$'\n'"$plain"
fi
grep -q "This binary is a plugin" <<<"$plain" || fail "$bin outside Terraform did not say it is a plugin:"$'\n'"$plain"
echo "release-check: $bin answers -h and refuses to run without Terraform"

tf="$(.ci/terraform.sh)"
TF_ACC_TERRAFORM_PATH="$tf" go run ./internal/cmd/release-smoke -provider-dir "$bindir" -version "$version"
