package provider

import (
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// TestAccRevocation_resumesTheRunningTask: an apply that times out leaves
// its task running on BIG-IQ and the resource tainted. The next apply
// adopts that task and waits for it rather than starting a second
// revocation alongside it: the mock sees exactly one POST, and the state
// records the first task.
func TestAccRevocation_resumesTheRunningTask(t *testing.T) {
	m := startMock(t)
	body := `{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1","clusterNames":["BlueCluster"]}`
	config := func(timeout string) string {
		return revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
  timeouts {
    create = "`+timeout+`"
  }
`)
	}
	var firstID string
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { m.SetTaskDuration(5 * time.Second) },
				Config:      config("1s"),
				ExpectError: errorPattern("Timed out waiting for the token revocation", "revoke-tokens task <task-id> was still STARTED"),
			},
			{
				PreConfig: func() { firstID = m.TaskIDs()[0] },
				Config:    config("1m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(revocation, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: expectFinished(bigiq.ActionRevokeForUser),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRevokeBodies(m, body),
					resource.TestCheckResourceAttrPtr(revocation, "id", &firstID),
					expectTokens(m, blueDeviceID, blueAlice, blueCapAlice, blueBob),
				),
			},
		},
	})
	if n := m.CountRequests(http.MethodPost, bigiq.PathRevokeTasks); n != 1 {
		t.Errorf("%d revoke-tokens POSTs; want 1", n)
	}
}
