#!/usr/bin/env bash
# release-check.sh: builds a release as the release job would, without
# publishing or signing, and checks what the Terraform Registry will be given:
#
#   - `goreleaser check` accepts .goreleaser.yml;
#   - `goreleaser release --snapshot --clean --skip=publish,sign` builds dist/;
#   - one zip per platform below, named <project>_<version>_<os>_<arch>.zip,
#     each holding only the binary <project>_v<version>[.exe];
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
# The platforms a release must cover (.goreleaser.yml builds them): what
# Terraform users run, as in HashiCorp's provider scaffolding. Kept here by
# hand, not read back from goreleaser, so a change to the build matrix is a
# deliberate change to both.
platforms=(
  darwin_amd64 darwin_arm64
  freebsd_386 freebsd_amd64 freebsd_arm freebsd_arm64
  linux_386 linux_amd64 linux_arm linux_arm64
  windows_386 windows_amd64 windows_arm64
)

fail() { printf 'release-check: %s\n' "$*" >&2; exit 1; }

goreleaser="$(.ci/goreleaser.sh)"
"$goreleaser" --version | grep -m1 GitVersion || true
"$goreleaser" check
"$goreleaser" release --snapshot --clean --skip=publish,sign

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
for p in "${platforms[@]}"; do
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

for p in "${platforms[@]}"; do
  exe="${project}_v${version}"
  [[ "$p" == windows_* ]] && exe+=".exe"
  contents="$(unzip -Z1 "dist/${prefix}_${p}.zip")"
  [[ "$contents" == "$exe" ]] || fail "${prefix}_${p}.zip holds [$contents]; want only $exe"
done
echo "release-check: ${#platforms[@]} zips, the manifest copy and $(basename "$sums") are as the Registry expects"

bindir="$(mktemp -d)"
trap 'rm -rf "$bindir"' EXIT
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
