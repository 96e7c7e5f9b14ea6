package provider

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// resumeConfig is a revocation of user1's tokens on BlueCluster with the
// given timeouts.create, which is also how far back a resume looks.
func resumeConfig(m *bigiqmock.Server, timeout string) string {
	return revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
  timeouts {
    create = "`+timeout+`"
  }
`)
}

// TestAccRevocation_resumesTheRunningTask: an apply that times out leaves
// its task running on BIG-IQ and the resource tainted. The next apply
// adopts that task and waits for it rather than starting a second
// revocation alongside it: the mock sees exactly one POST, and the state
// records the first task. The task runs for an hour unless ended, so
// however slowly the machine runs the steps it is still running when the
// second apply looks for it; it ends once that search is answered.
func TestAccRevocation_resumesTheRunningTask(t *testing.T) {
	m := startMock(t)
	body := `{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1","clusterNames":["BlueCluster"]}`
	var firstID string
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { m.SetTaskDuration(time.Hour) },
				Config:      resumeConfig(m, "2s"),
				ExpectError: errorPattern("Timed out waiting for the token revocation", "revoke-tokens task <task-id> was still STARTED"),
			},
			{
				PreConfig: func() {
					firstID = m.TaskIDs()[0]
					m.AfterRequestsTo(http.MethodGet, bigiq.PathRevokeTasks, 1, m.EndTasksNow)
				},
				Config: resumeConfig(m, "10m"),
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

// TestAccRevocation_doesNotResumeAnOldTask: a resume looks back only as far
// as timeouts.create, the longest an earlier run waited. A task for the
// same revocation still running from longer ago (stuck on BIG-IQ, or
// another run's) is not adopted: the apply starts its own. BIG-IQ's clock
// jumps ten minutes between the applies; the second apply's window is one.
func TestAccRevocation_doesNotResumeAnOldTask(t *testing.T) {
	clock := &steppedClock{}
	m := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: time.Hour, Now: clock.Now})
	body := `{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1","clusterNames":["BlueCluster"]}`
	var firstID string
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The first task never ends.
				PreConfig:   func() { m.QueueTaskOutcome(bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeHang}) },
				Config:      resumeConfig(m, "2s"),
				ExpectError: errorPattern("Timed out waiting for the token revocation", "revoke-tokens task <task-id> was still STARTED"),
			},
			{
				PreConfig: func() {
					firstID = m.TaskIDs()[0]
					clock.advance(10 * time.Minute)
					// The new task ends as soon as it is started.
					m.AfterRequestsTo(http.MethodPost, bigiq.PathRevokeTasks, 1, m.EndTasksNow)
				},
				Config:            resumeConfig(m, "1m"),
				ConfigStateChecks: expectFinished(bigiq.ActionRevokeForUser),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRevokeBodies(m, body, body),
					expectNewID(&firstID),
					expectTokens(m, blueDeviceID, blueAlice, blueCapAlice, blueBob),
				),
			},
		},
	})
}

// steppedClock is a clock for the mock that runs with the wall clock and
// can be moved forward, so a test can make time pass on BIG-IQ.
type steppedClock struct{ offset atomic.Int64 }

func (c *steppedClock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

func (c *steppedClock) advance(d time.Duration) { c.offset.Add(int64(d)) }
