// Package testenv keeps the environment of whoever runs the tests out of
// them. The people most likely to run them are this provider's users, with
// BIGIQ_TOKEN or BIGIQ_INSECURE exported for their own work, and a test's
// outcome must not depend on that.
//
// Every package whose tests read the environment, or start something that
// does (the provider, terraform, the go command), calls Scrub from its
// TestMain:
//
//	func TestMain(m *testing.M) {
//		testenv.Scrub()
//		m.Run()
//	}
package testenv

import (
	"os"
	"strings"
)

// Kept are the variables Scrub leaves alone although their prefix is
// scrubbed: the harness's own switches, which say what to run rather than
// how the provider behaves.
var Kept = map[string]bool{
	"TF_ACC":                true, // run the acceptance tests (terraform-plugin-testing)
	"TF_ACC_TERRAFORM_PATH": true, // the terraform binary, set by make from .ci/terraform.sh
	"TF_ACC_OPA_PATH":       true, // the OPA binary, set by make from .ci/opa.sh (internal/e2e)
	"BIGIQ_TOOLS_CACHE":     true, // where .ci/*.sh keep the tools they build (GNUmakefile)
}

// KeptPrefix starts the benchmarks' own knobs (BIGIQ_BENCH_INVENTORY, ...),
// which the provider never reads.
const KeptPrefix = "BIGIQ_BENCH_"

// Scrub unsets, in this process, every variable that would change what the
// provider, its client or terraform do: the provider's settings (BIGIQ_*),
// Terraform's (TF_LOG, TF_CLI_CONFIG_FILE, TF_CLI_ARGS, TF_VAR_*, ...) and
// the HTTP proxies, and git's (GIT_DIR, GIT_INDEX_FILE, ... as a git hook
// exports them: the tests that run git would act on the caller's
// repository), except those in Kept or starting with KeptPrefix. Child processes inherit the result.
func Scrub() {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if Scrubbed(name) {
			_ = os.Unsetenv(name)
		}
	}
}

// Scrubbed says whether Scrub unsets the variable name.
func Scrubbed(name string) bool {
	if Kept[name] || strings.HasPrefix(name, KeptPrefix) {
		return false
	}
	switch strings.ToUpper(name) {
	case "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY":
		return true
	}
	return strings.HasPrefix(name, "BIGIQ_") || strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "GIT_")
}
