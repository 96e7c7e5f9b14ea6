package e2e

import (
	"context"
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
	version, err := w.Run(ctx, "version")
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(version.Stdout, "\n")
	var registry string
	switch {
	case strings.HasPrefix(first, "Terraform v"):
		registry = "registry.terraform.io"
	case strings.HasPrefix(first, "OpenTofu v"):
		registry = "registry.opentofu.org"
	default:
		t.Fatalf("%s is neither Terraform nor OpenTofu: %q", w.Terraform, first)
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
