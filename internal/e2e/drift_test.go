package e2e

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

const greenbigip = "c8e2a3b4-5d6f-4a7b-8c9d-0e1f2a3b4c5d"

// TestSavedPlanNeverWidens: a device that joins the cluster between
// `terraform plan -out` and `terraform apply` of that plan stops the apply
// before BIG-IQ is asked to revoke anything, and leaves nothing in the
// state; the same configuration planned again shows the new device.
//
// What stops it is the apply's final plan: Terraform plans each resource
// again in the apply process, the provider resolves the targets afresh,
// and Terraform refuses a final plan whose target_devices differ from the
// saved one ("Provider produced inconsistent final plan", naming
// target_devices and the device). The provider cannot word that error:
// the final plan is not told the saved plan's values. The provider's own
// "Revocation targets changed since the plan" comes from the re-check
// just before the POST (provider TestAccRevocationTargets_driftBeforeThePOST).
func TestSavedPlanNeverWidens(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	w := tfcli.WorkspaceForTest(t, tfcli.MockEnv(s.URL, s.CACertPEM()))
	if err := w.WriteFile("main.tf", tfcli.RequiredProviders+`
resource "bigiq_oauth_token_revocation" "leaver" {
  user_name     = "bob"
  cluster_names = ["RedCluster"]
}
`); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := w.Run(ctx, "plan", "-out=reviewed.tfplan"); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveDevice(greenbigip, "RedCluster", "GreenGroup"); err != nil {
		t.Fatal(err)
	}
	res, err := w.Run(ctx, "apply", "reviewed.tfplan")
	if err == nil {
		t.Fatalf("the apply of a plan whose cluster gained a device succeeded:\n%s", res.Stdout+res.Stderr)
	}
	out := strings.Join(strings.Fields(err.Error()+" "+res.Stdout+res.Stderr), " ")
	for _, want := range []string{"target_devices", "greenbigip1.labf.com"} {
		if !strings.Contains(out, want) {
			t.Errorf("the error does not say %q:\n%s", want, out)
		}
	}
	if n := s.CountRequests(http.MethodPost, pathTasks); n != 0 {
		t.Errorf("BIG-IQ received %d revoke-tokens POSTs; want none", n)
	}
	if _, err := os.Stat(filepath.Join(w.Dir, "terraform.tfstate")); err == nil {
		if instances := readState(t, w); len(instances) != 0 {
			t.Errorf("the state holds %d revocations; want none", len(instances))
		}
	}

	res, err = w.Run(ctx, "plan", "-no-color")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Stdout+res.Stderr, "greenbigip1.labf.com") {
		t.Errorf("the new plan does not show the device that joined:\n%s", res.Stdout+res.Stderr)
	}
}
