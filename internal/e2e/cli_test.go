package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

// TestProviderAddressOfEachCLI: configurations name the provider
// "bigiq-community/bigiq", which Terraform completes to
// registry.terraform.io/bigiq-community/bigiq and OpenTofu to
// registry.opentofu.org/bigiq-community/bigiq. The dev_overrides entry tfcli
// writes must match under both, or the CLI would go to its registry for the
// provider (and, offline, fail). make test-matrix runs this under each CLI.
func TestProviderAddressOfEachCLI(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := tfcli.WorkspaceForTest(t, nil)
	first := cliVersion(t, w)
	registry := "registry.terraform.io"
	if first.openTofu {
		registry = "registry.opentofu.org"
	}
	t.Logf("%s: %s", w.Terraform, first)

	if err := w.WriteFile("main.tf", revokeUser1); err != nil {
		t.Fatal(err)
	}
	providers, err := w.Run(ctx, "providers")
	if err != nil {
		t.Fatal(err)
	}
	if want := "provider[" + registry + "/bigiq-community/bigiq]"; !strings.Contains(providers.Stdout, want) {
		t.Errorf("%s providers does not show %s:\n%s", first, want, providers.Stdout)
	}
	// validate loads the provider's schema, so it passes only when the
	// override supplied the provider built from this tree.
	validate, err := w.Run(ctx, "validate")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(validate.Stdout+validate.Stderr, "development overrides are in effect") {
		t.Errorf("%s validate did not say it used the development override:\n%s", first, validate.Stdout+validate.Stderr)
	}
}

// cli is the Terraform or OpenTofu a workspace runs.
type cli struct {
	openTofu     bool
	major, minor int
	version      string
}

func (c cli) String() string {
	if c.openTofu {
		return "OpenTofu " + c.version
	}
	return "Terraform " + c.version
}

// hasTestFiles: `terraform test` reads .tftest.hcl from Terraform 1.6 on,
// and in every OpenTofu (whose first release, 1.6, forked from it).
func (c cli) hasTestFiles() bool {
	return c.openTofu || c.major > 1 || c.major == 1 && c.minor >= 6
}

func cliVersion(t *testing.T, w *tfcli.Workspace) cli {
	t.Helper()
	res, err := w.Run(context.Background(), "version")
	if err != nil {
		t.Fatal(err)
	}
	// "Terraform v1.11.4" or "OpenTofu v1.12.6", possibly after warnings.
	for _, line := range strings.Split(res.Stdout, "\n") {
		name, version, ok := strings.Cut(strings.TrimSpace(line), " v")
		if !ok || name != "Terraform" && name != "OpenTofu" {
			continue
		}
		parts := strings.SplitN(version, ".", 3)
		if len(parts) < 2 {
			break
		}
		major, err1 := strconv.Atoi(parts[0])
		minor, err2 := strconv.Atoi(parts[1])
		if err1 != nil || err2 != nil {
			break
		}
		return cli{openTofu: name == "OpenTofu", major: major, minor: minor, version: version}
	}
	t.Fatalf("%s version printed no Terraform or OpenTofu version:\n%s", w.Terraform, res.Stdout)
	return cli{}
}
