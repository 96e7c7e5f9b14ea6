package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

const revocation = "bigiq_oauth_token_revocation.test"

// importVerifyIgnore lists what an import cannot know: it only matters
// when the task is created.
var importVerifyIgnore = []string{"timeouts", "triggers"}

func revocationConfig(m *bigiqmock.Server, body string) string {
	return providerConfig(m) + "\nresource \"bigiq_oauth_token_revocation\" \"test\" {\n" + body + "\n}\n"
}

// stableAndImportable are the steps every successful revocation test ends
// with: a second plan is empty, and importing the task by id reproduces the
// state.
func stableAndImportable(config string) []resource.TestStep {
	return []resource.TestStep{
		{Config: config, ConfigPlanChecks: expectEmptyPlan},
		{ResourceName: revocation, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: importVerifyIgnore},
	}
}

// expectFinished is the state of a task that revoked what it was asked to.
func expectFinished(action bigiq.Action) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(revocation, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`))),
		statecheck.ExpectKnownValue(revocation, tfjsonpath.New("action"), knownvalue.StringExact(string(action))),
		statecheck.ExpectKnownValue(revocation, tfjsonpath.New("status"), knownvalue.StringExact(bigiq.StatusFinished)),
		statecheck.ExpectKnownValue(revocation, tfjsonpath.New("result"), knownvalue.StringExact(bigiq.ResultComplete)),
		statecheck.ExpectKnownValue(revocation, tfjsonpath.New("outcome"), knownvalue.StringExact(string(bigiq.OutcomeRevoked))),
		statecheck.ExpectKnownValue(revocation, tfjsonpath.New("current_step"), knownvalue.StringExact(bigiq.StepDone)),
		statecheck.ExpectKnownValue(revocation, tfjsonpath.New("error_message"), knownvalue.Null()),
		statecheck.ExpectKnownValue(revocation, tfjsonpath.New("failures"), knownvalue.ListSizeExact(0)),
		statecheck.ExpectKnownValue(revocation, tfjsonpath.New("start_date_time"), knownvalue.NotNull()),
		statecheck.ExpectKnownValue(revocation, tfjsonpath.New("end_date_time"), knownvalue.NotNull()),
		statecheck.ExpectKnownValue(revocation, tfjsonpath.New("self_link"),
			knownvalue.StringRegexp(regexp.MustCompile(`^https://localhost/mgmt/cm/access/tasks/revoke-tokens/[0-9a-f-]{36}$`))),
		statecheck.ExpectKnownValue(revocation, tfjsonpath.New("fail_on_not_found"), knownvalue.Bool(false)),
	}
}

// planCreates checks that the action is shown at plan time, before BIG-IQ
// is asked anything.
func planCreates(action bigiq.Action) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(revocation, plancheck.ResourceActionCreate),
		plancheck.ExpectKnownValue(revocation, tfjsonpath.New("action"), knownvalue.StringExact(string(action))),
	}}
}

var expectEmptyPlan = resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}

func TestAccRevocation_userByCluster(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
`)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: append([]resource.TestStep{
			{
				Config:            config,
				ConfigPlanChecks:  planCreates(bigiq.ActionRevokeForUser),
				ConfigStateChecks: expectFinished(bigiq.ActionRevokeForUser),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRevokeBodies(m, `{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1","clusterNames":["BlueCluster"]}`),
					// user1's two tokens on the active BlueCluster member are
					// gone; other users' and other clusters' tokens stay.
					expectTokens(m, blueDeviceID, blueAlice, blueCapAlice, blueBob),
					expectTokens(m, redDeviceID, redUser1Token, redAliceToken, redBobToken, redCapAliceToken),
				),
			},
		}, stableAndImportable(config)...),
	})
}

func TestAccRevocation_clientIDByAccessGroup(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, fmt.Sprintf(`
  client_id          = %q
  access_group_names = ["TestGroup2"]
`, redCalendarClientID))
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: append([]resource.TestStep{
			{
				Config:            config,
				ConfigPlanChecks:  planCreates(bigiq.ActionRevokeForClientID),
				ConfigStateChecks: expectFinished(bigiq.ActionRevokeForClientID),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRevokeBodies(m, fmt.Sprintf(`{"action":"REVOKE_TOKEN_FOR_CLIENT_ID","clientId":%q,"accessGroupNames":["TestGroup2"]}`, redCalendarClientID)),
					expectTokens(m, redDeviceID, redBobToken, redCapAliceToken),
				),
			},
		}, stableAndImportable(config)...),
	})
}

// TestAccRevocation_userByDeviceLink targets a device by the link the
// bigiq_devices data source returns, and checks user names are
// case-sensitive as on BIG-IQ.
func TestAccRevocation_userByDeviceLink(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, `
  user_name         = "alice"
  device_references = [data.bigiq_devices.blue.devices[0].self_link]
`) + `
data "bigiq_devices" "blue" {
  addresses = ["10.255.4.124"]
}
`
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: append([]resource.TestStep{
			{
				Config:            config,
				ConfigPlanChecks:  planCreates(bigiq.ActionRevokeForUser),
				ConfigStateChecks: expectFinished(bigiq.ActionRevokeForUser),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRevokeBodies(m, fmt.Sprintf(`{"action":"REVOKE_TOKEN_FOR_USER","userName":"alice","deviceReferences":[{"link":%q}]}`, deviceLink(blueDeviceID))),
					expectTokens(m, blueDeviceID, blueUser1Shutterfly, blueUser1Maps, blueCapAlice, blueBob),
					expectTokens(m, greenDeviceID, "4e5200cdef110e51e88981edde6480d9d435e1ca6dd36903", "dab677cf918da18baeb8a5da7b16f6f758caed32543e031e"),
				),
			},
		}, stableAndImportable(config)...),
	})
}

// TestAccRevocation_userByBareMachineID: a bare machine id and a
// device-groups link are sent as the machineid-resolver link F5's request
// shows, and the state keeps the user's form, so there is no drift against
// the link the task echoes.
func TestAccRevocation_userByBareMachineID(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, fmt.Sprintf(`
  user_name         = "bob"
  device_references = [%q, %q]
`, redDeviceID, "https://localhost/mgmt/shared/resolver/device-groups/cm-access-allBigIpDevices/devices/"+blueDeviceID))
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:           config,
				ConfigPlanChecks: planCreates(bigiq.ActionRevokeForUser),
				ConfigStateChecks: append(expectFinished(bigiq.ActionRevokeForUser),
					statecheck.ExpectKnownValue(revocation, tfjsonpath.New("device_references"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact(redDeviceID),
						knownvalue.StringExact("https://localhost/mgmt/shared/resolver/device-groups/cm-access-allBigIpDevices/devices/" + blueDeviceID),
					}))),
				Check: resource.ComposeAggregateTestCheckFunc(
					// The device-groups link goes out as the documented
					// machineid-resolver link: a BIG-IQ that matches only the
					// documented form would otherwise skip the blue device.
					expectRevokeBodies(m, fmt.Sprintf(`{"action":"REVOKE_TOKEN_FOR_USER","userName":"bob","deviceReferences":[{"link":%q},{"link":%q}]}`,
						deviceLink(redDeviceID), deviceLink(blueDeviceID))),
					expectTokens(m, redDeviceID, redUser1Token, redAliceToken, redCapAliceToken),
					expectTokens(m, blueDeviceID, blueUser1Shutterfly, blueUser1Maps, blueAlice, blueCapAlice),
				),
			},
			{
				Config:           config,
				ConfigPlanChecks: expectEmptyPlan,
			},
			{
				// Import records BIG-IQ's links. The same devices written as
				// bare ids are an in-place update of the spelling, not a
				// second revocation.
				ResourceName: revocation,
				ImportState:  true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("imported %d instances, want 1", len(states))
					}
					attrs := states[0].Attributes
					if attrs["user_name"] != "bob" || attrs["action"] != string(bigiq.ActionRevokeForUser) || attrs["device_references.#"] != "2" {
						return fmt.Errorf("imported attributes: %v", attrs)
					}
					return nil
				},
			},
		},
	})
}

// TestAccRevocation_listOfTokens revokes listed tokens with no target: the
// devices named in per_device_oauth_ids are sent as the targets.
func TestAccRevocation_listOfTokens(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, fmt.Sprintf(`
  per_device_oauth_ids = [{
    device_reference = %q
    oauth_ids = [
      { id = %q, client_id = %q },
      { id = %q, client_id = %[3]q },
    ]
  }]
`, deviceLink(redDeviceID), redUser1Token, redCalendarClientID, redAliceToken))
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: append([]resource.TestStep{
			{
				Config:            config,
				ConfigPlanChecks:  planCreates(bigiq.ActionRevokeList),
				ConfigStateChecks: expectFinished(bigiq.ActionRevokeList),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRevokeBodies(m, fmt.Sprintf(`{"action":"REVOKE_LIST_OF_TOKENS",
  "perDeviceOauthIds":[{"deviceReference":{"link":%[1]q},"oauthIds":[{"id":%[2]q,"clientId":%[3]q},{"id":%[4]q,"clientId":%[3]q}]}],
  "deviceReferences":[{"link":%[1]q}]}`, deviceLink(redDeviceID), redUser1Token, redCalendarClientID, redAliceToken)),
					expectTokens(m, redDeviceID, redBobToken, redCapAliceToken),
					resource.TestCheckNoResourceAttr(revocation, "device_references"),
				),
			},
		}, stableAndImportable(config)...),
	})
}

// TestAccRevocation_listOfTokensWithCluster gives an explicit target, which
// is sent as is, and a device as a bare machine id.
func TestAccRevocation_listOfTokensWithCluster(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, fmt.Sprintf(`
  cluster_names = ["BlueCluster"]
  per_device_oauth_ids = [{
    device_reference = %q
    oauth_ids        = [{ id = %q, client_id = %q }]
  }]
`, blueDeviceID, blueBob, shutterflyClientID))
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigPlanChecks:  planCreates(bigiq.ActionRevokeList),
				ConfigStateChecks: expectFinished(bigiq.ActionRevokeList),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRevokeBodies(m, fmt.Sprintf(`{"action":"REVOKE_LIST_OF_TOKENS",
  "perDeviceOauthIds":[{"deviceReference":{"link":%q},"oauthIds":[{"id":%q,"clientId":%q}]}],
  "clusterNames":["BlueCluster"]}`, deviceLink(blueDeviceID), blueBob, shutterflyClientID)),
					expectTokens(m, blueDeviceID, blueUser1Shutterfly, blueUser1Maps, blueAlice, blueCapAlice),
					resource.TestCheckResourceAttr(revocation, "per_device_oauth_ids.0.device_reference", blueDeviceID),
				),
			},
			{
				Config:           config,
				ConfigPlanChecks: expectEmptyPlan,
			},
		},
	})
}

// TestAccRevocation_triggers: changing triggers runs the revocation again.
// The second run finds nothing left to revoke, which by default is a
// success with a warning.
func TestAccRevocation_triggers(t *testing.T) {
	m := startMock(t)
	config := func(run string) string {
		return revocationConfig(m, fmt.Sprintf(`
  user_name     = "user1"
  cluster_names = ["RedCluster"]
  triggers      = { run = %q }
`, run))
	}
	body := `{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1","clusterNames":["RedCluster"]}`
	var firstID string
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config("1"),
				ConfigStateChecks: expectFinished(bigiq.ActionRevokeForUser),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRevokeBodies(m, body),
					expectTokens(m, redDeviceID, redAliceToken, redBobToken, redCapAliceToken),
					saveID(&firstID),
				),
			},
			{
				Config:           config("1"),
				ConfigPlanChecks: expectEmptyPlan,
			},
			{
				Config: config("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(revocation, plancheck.ResourceActionReplace),
					plancheck.ExpectKnownValue(revocation, tfjsonpath.New("action"), knownvalue.StringExact(string(bigiq.ActionRevokeForUser))),
					plancheck.ExpectUnknownValue(revocation, tfjsonpath.New("id")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(revocation, tfjsonpath.New("status"), knownvalue.StringExact(bigiq.StatusFailed)),
					statecheck.ExpectKnownValue(revocation, tfjsonpath.New("error_message"), knownvalue.StringExact(bigiq.MessageTokensNotFound)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRevokeBodies(m, body, body),
					expectNewID(&firstID),
				),
			},
		},
	})
}

// TestAccRevocation_failOnNotFound: with fail_on_not_found, nothing left to
// revoke is an error naming the task.
func TestAccRevocation_failOnNotFound(t *testing.T) {
	m := startMock(t)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: revocationConfig(m, `
  user_name         = "nobody"
  cluster_names     = ["RedCluster"]
  fail_on_not_found = true
`),
			ExpectError: errorPattern("Token revocation failed", "revoke-tokens task <task-id> FAILED at step", bigiq.MessageTokensNotFound, "Set fail_on_not_found = false"),
		}},
	})
}

// TestAccRevocation_notFoundIsSuccess is the default side of the same rule.
func TestAccRevocation_notFoundIsSuccess(t *testing.T) {
	m := startMock(t)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: revocationConfig(m, `
  user_name     = "nobody"
  cluster_names = ["RedCluster"]
`),
			// status and result stay as BIG-IQ reported them; outcome says
			// what the run achieved.
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(revocation, tfjsonpath.New("status"), knownvalue.StringExact(bigiq.StatusFailed)),
				statecheck.ExpectKnownValue(revocation, tfjsonpath.New("result"), knownvalue.StringExact(bigiq.ResultFailed)),
				statecheck.ExpectKnownValue(revocation, tfjsonpath.New("outcome"), knownvalue.StringExact(string(bigiq.OutcomeNothingToRevoke))),
				statecheck.ExpectKnownValue(revocation, tfjsonpath.New("error_message"), knownvalue.StringExact(bigiq.MessageTokensNotFound)),
			},
		}, {
			// Not tainted: nothing to do on the next plan.
			Config: revocationConfig(m, `
  user_name     = "nobody"
  cluster_names = ["RedCluster"]
`),
			ConfigPlanChecks: expectEmptyPlan,
		}},
	})
}

// TestAccRevocation_failureTaintsAndRetries: a failed task is saved so the
// resource is tainted, and the next apply runs the revocation again.
func TestAccRevocation_failureTaintsAndRetries(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
`)
	body := `{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1","clusterNames":["BlueCluster"]}`
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.QueueTaskOutcome(bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeFail, Message: "Device 10.255.4.124 is unreachable."})
				},
				Config:      config,
				ExpectError: errorPattern("Token revocation failed", "revoke-tokens task <task-id> FAILED at step", "Device 10.255.4.124 is unreachable.", "resource is tainted"),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(revocation, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: expectFinished(bigiq.ActionRevokeForUser),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRevokeBodies(m, body, body),
					expectTokens(m, blueDeviceID, blueAlice, blueCapAlice, blueBob),
				),
			},
		},
	})
}

func TestAccRevocation_noMatchingDevices(t *testing.T) {
	m := startMock(t)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["NoSuchCluster"]
`),
			ExpectError: errorPattern("Unknown cluster", `cluster_names contains "NoSuchCluster"`, bigiq.MessageNoMatchingDevices,
				"BIG-IQ knows these clusters: BlueCluster, RedCluster."),
		}},
	})
	expectNoRevokePOST(t, m)
}

func TestAccRevocation_cancelled(t *testing.T) {
	m := startMock(t)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() { m.QueueTaskOutcome(bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeCancel}) },
			Config: revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
`),
			ExpectError: errorPattern("Token revocation failed", "revoke-tokens task <task-id> CANCELLED at step", "cancelled on BIG-IQ"),
		}},
	})
}

func TestAccRevocation_timeout(t *testing.T) {
	m := startMock(t)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() { m.QueueTaskOutcome(bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeHang}) },
			Config: revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
  timeouts {
    create = "1s"
  }
`),
			ExpectError: errorPattern("Timed out waiting for the token revocation", "revoke-tokens task <task-id> was still STARTED at step", "after 1s", "raise timeouts.create"),
		}},
	})
}

// TestAccRevocation_cancelRequested: someone asks BIG-IQ to cancel the task
// and it never stops; the wait times out saying so, not as a plain hang.
func TestAccRevocation_cancelRequested(t *testing.T) {
	m := startMock(t)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() { m.QueueTaskOutcome(bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeCancelRequested}) },
			Config: revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
  timeouts {
    create = "2s"
  }
`),
			ExpectError: errorPattern("Timed out waiting for the token revocation", "revoke-tokens task <task-id> was still CANCEL_REQUESTED", "asked BIG-IQ to cancel it"),
		}},
	})
}

// TestAccRevocation_outcomeUnknown: the POST's answer is lost and BIG-IQ's
// task list cannot be read, so nobody knows whether a task started. The
// error says exactly that, not that nothing happened.
func TestAccRevocation_outcomeUnknown(t *testing.T) {
	m := startMock(t)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				m.DropNext(http.MethodPost, revokeTasksPath, 1)
				m.FailNext(http.MethodGet, revokeTasksPath, 100, http.StatusServiceUnavailable)
			},
			Config: revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
`),
			ExpectError: errorPattern("Token revocation outcome unknown", "could not be read to find out whether it started a task", "Nothing is saved in the state"),
		}},
	})
}

// TestAccRevocation_startFails: BIG-IQ refuses the task; nothing is saved.
func TestAccRevocation_startFails(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
`)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { m.FailNext(http.MethodPost, revokeTasksPath, 1, http.StatusBadRequest) },
				Config:      config,
				ExpectError: errorPattern("Could not start the token revocation", "did not create a revoke-tokens task", "Nothing is saved in the state", "400 Bad Request"),
			},
			{
				// Nothing was saved: the next plan creates, not replaces.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(revocation, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: expectFinished(bigiq.ActionRevokeForUser),
			},
		},
	})
}

// TestAccRevocation_taskDeleted: a task purged on BIG-IQ keeps its record
// in the state (Read warns, naming it), so the next plan is empty and the
// revocation is not run again.
func TestAccRevocation_taskDeleted(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
`)
	var firstID string
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  saveID(&firstID),
			},
			{
				PreConfig:    func() { m.DeleteTask(firstID) },
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					func(s *terraform.State) error {
						if rs, ok := s.RootModule().Resources[revocation]; !ok || rs.Primary.ID != firstID {
							return fmt.Errorf("after the task was purged, the state lost the record of task %s", firstID)
						}
						return nil
					},
					resource.TestCheckResourceAttr(revocation, "status", bigiq.StatusFinished),
					resource.TestCheckResourceAttr(revocation, "outcome", string(bigiq.OutcomeRevoked)),
				),
			},
			{
				Config:           config,
				ConfigPlanChecks: expectEmptyPlan,
				Check:            expectRevokeBodies(m, `{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1","clusterNames":["BlueCluster"]}`),
			},
		},
	})
}

// TestAccRevocation_destroyForgets: destroying does not touch BIG-IQ's
// task record.
func TestAccRevocation_destroyForgets(t *testing.T) {
	m := startMock(t)
	var id string
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, ok := m.TaskJSON(id); !ok {
				return fmt.Errorf("task %s was deleted from BIG-IQ; it must stay for audit", id)
			}
			if n := m.CountRequests(http.MethodDelete, revokeTasksPath); n != 0 {
				return fmt.Errorf("provider sent %d DELETEs for tasks", n)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
`),
			Check: saveID(&id),
		}},
	})
}

func saveID(dst *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[revocation]
		if !ok {
			return fmt.Errorf("%s not in state", revocation)
		}
		*dst = rs.Primary.ID
		return nil
	}
}

func expectNewID(old *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[revocation]
		if !ok {
			return fmt.Errorf("%s not in state", revocation)
		}
		if rs.Primary.ID == "" || rs.Primary.ID == *old {
			return fmt.Errorf("task id %q, want a new task (old %q)", rs.Primary.ID, *old)
		}
		return nil
	}
}

// TestAccRevocation_invalidConfig: every mistake that can be seen without
// BIG-IQ fails at plan, names the attribute, and sends nothing.
func TestAccRevocation_invalidConfig(t *testing.T) {
	m := startMock(t)
	cases := []struct {
		name, body string
		want       []string
	}{
		{"no mode", `cluster_names = ["BlueCluster"]`,
			[]string{"Missing Attribute Configuration", "Exactly one of these attributes must be configured: [user_name,client_id,per_device_oauth_ids]"}},
		{"two modes", `
  user_name     = "user1"
  client_id     = "abc"
  cluster_names = ["BlueCluster"]`,
			[]string{"Invalid Attribute Combination", "user_name", "[user_name,client_id,per_device_oauth_ids]"}},
		{"blank user", `
  user_name     = "  "
  cluster_names = ["BlueCluster"]`,
			[]string{"Blank value", "Set user_name to"}},
		{"empty client id", `
  client_id     = ""
  cluster_names = ["BlueCluster"]`,
			[]string{"Blank value", "Set client_id to"}},
		{"no target", `user_name = "user1"`,
			[]string{"Missing revocation target", "user_name = \"user1\"", "Revoking by user_name needs to know where", "cluster_names"}},
		{"empty cluster set", `
  user_name     = "user1"
  cluster_names = []`,
			[]string{"Attribute cluster_names set must contain at least 1 elements"}},
		{"empty access group set", `
  user_name          = "user1"
  access_group_names = []`,
			[]string{"Attribute access_group_names set must contain at least 1 elements"}},
		{"empty device reference set", `
  user_name         = "user1"
  device_references = []`,
			[]string{"Attribute device_references set must contain at least 1 elements"}},
		{"user name with surrounding space", `
  user_name     = "alice "
  cluster_names = ["BlueCluster"]`,
			[]string{"Invisible or surrounding characters in a name", "ends with the space character ' ' (U+0020)", "Set user_name to"}},
		{"client id with surrounding space", `
  client_id     = " abc"
  cluster_names = ["BlueCluster"]`,
			[]string{"Invisible or surrounding characters in a name", "begins with the space character", "Set client_id to"}},
		// Look-alike names: BIG-IQ compares names exactly, so each would
		// match nothing and the run would report nothing to revoke.
		{"user name with a zero-width space", `
  user_name     = "ali\u200bce"
  cluster_names = ["BlueCluster"]`,
			[]string{"Invisible or surrounding characters in a name", `format character '\u200b' (U+200B) at character 4 of 6`, "Set user_name to"}},
		{"user name with a control character", `
  user_name     = "ali\tce"
  cluster_names = ["BlueCluster"]`,
			[]string{"Invisible or surrounding characters in a name", `control character '\t' (U+0009)`, "Set user_name to"}},
		{"cluster name with a byte-order mark", `
  user_name     = "alice"
  cluster_names = ["\ufeffBlueCluster"]`,
			[]string{"Invisible or surrounding characters in a name", `format character '\ufeff' (U+FEFF) at character 1`, "Set cluster_names["}},
		{"access group with a trailing no-break space", `
  user_name          = "alice"
  access_group_names = ["TestGroup\u00a0"]`,
			[]string{"Invisible or surrounding characters in a name", `ends with the space character '\u00a0' (U+00A0)`, "Set access_group_names["}},
		{"null cluster name", `
  user_name     = "user1"
  cluster_names = ["BlueCluster", null]`,
			[]string{"Null element", "cluster_names has a null element"}},
		{"null access group", `
  user_name          = "user1"
  access_group_names = [null]`,
			[]string{"Null element", "access_group_names has a null element"}},
		{"null device reference", `
  user_name         = "user1"
  device_references = ["` + redDeviceID + `", null]`,
			[]string{"Null element", "device_references has a null element"}},
		{"null token entry", `per_device_oauth_ids = [null]`,
			[]string{"Null element", "per_device_oauth_ids has a null element (element 0)"}},
		{"blank access group", `
  user_name          = "user1"
  access_group_names = ["TestGroup", " "]`,
			[]string{"Blank value", `Set access_group_names[Value(" ")] to`}},
		{"malformed device reference", `
  user_name         = "user1"
  device_references = ["bluebigipveha1"]`,
			[]string{"Invalid device reference", `Set device_references[Value("bluebigipveha1")] to`}},
		{"foreign device link", `
  user_name         = "user1"
  device_references = ["https://bigiq.example.com/mgmt/cm/system/machineid-resolver/` + blueDeviceID + `"]`,
			[]string{"Invalid device reference", "Set device_references[Value("}},
		{"same device twice", `
  user_name         = "user1"
  device_references = ["` + blueDeviceID + `", "` + deviceLink(blueDeviceID) + `"]`,
			[]string{"Duplicate device reference", "name the same device"}},
		{"empty token list", `per_device_oauth_ids = []`,
			[]string{"Attribute per_device_oauth_ids list must contain at least 1 elements"}},
		{"empty oauth ids", `per_device_oauth_ids = [{ device_reference = "` + redDeviceID + `", oauth_ids = [] }]`,
			[]string{"Attribute per_device_oauth_ids[0].oauth_ids list must contain at least 1 elements"}},
		// BIG-IQ names a listed token by the pair of its OAuth id and
		// client id: an id alone would match nothing and report success.
		{"oauth id without client id", `per_device_oauth_ids = [{ device_reference = "` + redDeviceID + `", oauth_ids = [{ id = "aa" }] }]`,
			[]string{"Incorrect attribute value type", `"oauth_ids": element 0: attribute "client_id" is required`}},
		// An id that is not hex has no form BIG-IQ would match.
		{"oauth id not hex", `per_device_oauth_ids = [{ device_reference = "` + redDeviceID + `", oauth_ids = [{ id = "token-1", client_id = "cc" }] }]`,
			[]string{"Invalid OAuth id or client id", `"token-1" is not hexadecimal`, "Set per_device_oauth_ids[0].oauth_ids[0].id to a hexadecimal id"}},
		{"oauth client id not hex", `per_device_oauth_ids = [{ device_reference = "` + redDeviceID + `", oauth_ids = [{ id = "aa", client_id = "calendar" }] }]`,
			[]string{"Invalid OAuth id or client id", `"calendar" is not hexadecimal`, "Set per_device_oauth_ids[0].oauth_ids[0].client_id to a hexadecimal id"}},
		{"client id not hex", `
  client_id     = "calendar-app"
  cluster_names = ["BlueCluster"]`,
			[]string{"Invalid OAuth id or client id", `"calendar-app" is not hexadecimal`, "Set client_id to a hexadecimal id"}},
		{"blank oauth id", `per_device_oauth_ids = [{ device_reference = "` + redDeviceID + `", oauth_ids = [{ id = "", client_id = "cc" }] }]`,
			[]string{"Blank value", "Set per_device_oauth_ids[0].oauth_ids[0].id to"}},
		{"blank oauth client id", `per_device_oauth_ids = [{ device_reference = "` + redDeviceID + `", oauth_ids = [{ id = "aa", client_id = " " }] }]`,
			[]string{"Blank value", "Set per_device_oauth_ids[0].oauth_ids[0].client_id to"}},
		{"duplicate oauth id", `per_device_oauth_ids = [{ device_reference = "` + redDeviceID + `", oauth_ids = [{ id = "aa", client_id = "cc" }, { id = "aa", client_id = "cc" }] }]`,
			[]string{"Duplicate OAuth id", `"aa" is already listed at oauth_ids[0]`}},
		{"device listed twice", `per_device_oauth_ids = [
    { device_reference = "` + redDeviceID + `", oauth_ids = [{ id = "aa", client_id = "cc" }] },
    { device_reference = "` + deviceLink(redDeviceID) + `", oauth_ids = [{ id = "bb", client_id = "cc" }] },
  ]`,
			[]string{"Duplicate device", "Entry 1 names the same device as entry 0"}},
		{"malformed per-device reference", `per_device_oauth_ids = [{ device_reference = "red", oauth_ids = [{ id = "aa", client_id = "cc" }] }]`,
			[]string{"Invalid device reference", "Set per_device_oauth_ids[0].device_reference to"}},
		{"bad timeout", `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
  timeouts {
    create = "soon"
  }`,
			[]string{"create = \"soon\"", "must be a string containing a sequence of decimal numbers"}},
		{"zero timeout", `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
  timeouts {
    create = "0s"
  }`,
			[]string{"Invalid timeout", "timeouts.create is 0s; set a positive duration"}},
		{"negative timeout", `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
  timeouts {
    create = "-5m"
  }`,
			[]string{"Invalid timeout", "timeouts.create is -5m0s"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			unitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      revocationConfig(m, tc.body),
					PlanOnly:    true,
					ExpectError: errorPattern(tc.want...),
				}},
			})
		})
	}
	expectNoRequests(t, m)
}

// TestAccRevocation_pollingFails: when BIG-IQ stops answering right after
// creating the task, the task id is still saved, so the resource is
// tainted rather than lost, and the next apply runs the revocation again.
func TestAccRevocation_pollingFails(t *testing.T) {
	m := startMock(t)
	body := `{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1","clusterNames":["BlueCluster"]}`
	config := revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
  timeouts {
    create = "3s"
  }
`)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Only the task's GETs fail: the plan and the apply's re-check
				// list the devices first.
				PreConfig:   func() { m.FailNext(http.MethodGet, revokeTasksPath, 1<<20, http.StatusServiceUnavailable) },
				Config:      config,
				ExpectError: errorPattern("Timed out waiting for the token revocation", "revoke-tokens task <task-id> could not be checked", "after 3s", "resource is tainted"),
			},
			{
				PreConfig: m.ClearFailures,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(revocation, plancheck.ResourceActionReplace),
				}},
				// The first task went on to revoke user1's tokens while
				// nobody watched, so the second finds none left: success,
				// with BIG-IQ's per-token failures recorded.
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(revocation, tfjsonpath.New("status"), knownvalue.StringExact(bigiq.StatusFailed)),
					statecheck.ExpectKnownValue(revocation, tfjsonpath.New("error_message"), knownvalue.StringExact(bigiq.MessageTokensNotFound)),
					statecheck.ExpectKnownValue(revocation, tfjsonpath.New("failures"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"device_reference": knownvalue.StringExact(deviceLink(blueDeviceID)),
							"id":               knownvalue.StringExact(blueUser1Shutterfly),
							"client_id":        knownvalue.StringExact("89923892aed8eb142a8871058da9005056b09ae221df6a57"),
							"error_code":       knownvalue.Int64Exact(400),
							"error":            knownvalue.StringRegexp(regexp.MustCompile(`The OAuth ID is not found`)),
						}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(blueUser1Maps)}),
					})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRevokeBodies(m, body, body),
					expectTokens(m, blueDeviceID, blueAlice, blueCapAlice, blueBob),
				),
			},
		},
	})
}

// TestAccRevocation_deviceKnownOnlyAtApply: a device reference taken from
// another resource is unknown while planning; it cannot be compared with
// the state, so the change replaces the resource instead of failing.
func TestAccRevocation_deviceKnownOnlyAtApply(t *testing.T) {
	m := startMock(t)
	config := func(run string) string {
		return providerConfig(m) + fmt.Sprintf(`
resource "terraform_data" "device" {
  input            = %q
  triggers_replace = [%q]
}

resource "bigiq_oauth_token_revocation" "test" {
  device_references = [terraform_data.device.output]
  per_device_oauth_ids = [{
    device_reference = terraform_data.device.output
    oauth_ids        = [{ id = %q, client_id = %q }]
  }]
}
`, redDeviceID, run, redBobToken, redBobClientID)
	}
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config("1")},
			{
				Config: config("2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(revocation, tfjsonpath.New("per_device_oauth_ids").AtSliceIndex(0).AtMapKey("device_reference")),
					plancheck.ExpectResourceAction(revocation, plancheck.ResourceActionReplace),
				}},
			},
		},
	})
}

// TestAccRevocation_respelledDevices: writing the same devices in another
// form (a link where a bare machine id was, as after an import) updates the
// state in place and does not revoke again; a different device does.
func TestAccRevocation_respelledDevices(t *testing.T) {
	m := startMock(t)
	configWithToken := func(device, perDevice, token string) string {
		return revocationConfig(m, fmt.Sprintf(`
  device_references = [%q]
  per_device_oauth_ids = [{
    device_reference = %q
    oauth_ids        = [{ id = %q, client_id = %q }]
  }]
`, device, perDevice, token, redBobClientID))
	}
	config := func(device, perDevice string) string { return configWithToken(device, perDevice, redBobToken) }
	planAction := func(action plancheck.ResourceActionType) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(revocation, action)}}
	}
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(redDeviceID, redDeviceID),
				Check:  expectTokens(m, redDeviceID, redUser1Token, redAliceToken, redCapAliceToken),
			},
			{
				Config:           config(deviceLink(redDeviceID), redDeviceID),
				ConfigPlanChecks: planAction(plancheck.ResourceActionUpdate),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(revocation, "device_references.0", deviceLink(redDeviceID)),
					func(*terraform.State) error {
						if n := m.CountRequests(http.MethodPost, revokeTasksPath); n != 1 {
							return fmt.Errorf("%d revoke-tokens POSTs, want 1", n)
						}
						return nil
					},
				),
			},
			{
				Config:           config(deviceLink(redDeviceID), deviceLink(redDeviceID)),
				ConfigPlanChecks: planAction(plancheck.ResourceActionUpdate),
				Check:            resource.TestCheckResourceAttr(revocation, "per_device_oauth_ids.0.device_reference", deviceLink(redDeviceID)),
			},
			{
				// Another token on the same device: a new revocation.
				Config:           configWithToken(deviceLink(redDeviceID), deviceLink(redDeviceID), redCapAliceToken),
				ConfigPlanChecks: planAction(plancheck.ResourceActionReplace),
				Check:            expectTokens(m, redDeviceID, redUser1Token, redAliceToken),
			},
			{
				// Another target device: a new revocation. (Its tokens are
				// on that device: a token on a device the targets do not
				// reach is refused at plan.)
				Config:           configWithToken(blueDeviceID, deviceLink(blueDeviceID), blueBob),
				ConfigPlanChecks: planAction(plancheck.ResourceActionReplace),
				Check: func(*terraform.State) error {
					if n := m.CountRequests(http.MethodPost, revokeTasksPath); n != 3 {
						return fmt.Errorf("%d revoke-tokens POSTs, want 3", n)
					}
					return nil
				},
			},
		},
	})
}

// TestRevocationCreate_interrupted calls Create directly to show that an
// interrupt (Terraform cancels the context on Ctrl-C) stops the wait at
// once, and that the task is still recorded so the resource is tainted.
func TestRevocationCreate_interrupted(t *testing.T) {
	m := startMock(t)
	m.QueueTaskOutcome(bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeHang})
	client, err := bigiq.NewClient(bigiq.Config{Address: m.URL, Username: "admin", Password: "admin", CACertificatePEM: m.CACertPEM()})
	if err != nil {
		t.Fatal(err)
	}
	r := &oauthTokenRevocationResource{client: client, data: newProviderData(client)}
	ctx := context.Background()
	var schemaResp fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &schemaResp)
	sch := schemaResp.Schema
	objType := sch.Type().TerraformType(ctx)

	clusters, _ := types.SetValueFrom(ctx, types.StringType, []string{"BlueCluster"})
	model := oauthTokenRevocationModel{
		revocationInputs: revocationInputs{
			UserName: types.StringValue("user1"), ClientID: types.StringNull(),
			PerDeviceOAuthIDs: types.ListNull(perDeviceOAuthIDsType()),
			ClusterNames:      clusters, AccessGroupNames: types.SetNull(types.StringType), DeviceReferences: types.SetNull(types.StringType),
			FailOnNotFound: types.BoolValue(false),
		},
		ID: types.StringUnknown(), Action: types.StringValue(string(bigiq.ActionRevokeForUser)),
		Triggers: types.MapNull(types.StringType),
		Status:   types.StringUnknown(), Result: types.StringUnknown(), CurrentStep: types.StringUnknown(),
		ErrorMessage: types.StringUnknown(), StartDateTime: types.StringUnknown(), EndDateTime: types.StringUnknown(),
		SelfLink: types.StringUnknown(), Failures: types.ListUnknown(failureType()), TargetDevices: types.ListUnknown(targetDeviceType()),
		ClientAppNames: types.SetNull(types.StringType),
		Timeouts:       timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"create": types.StringType})},
	}
	plan := tfsdk.Plan{Schema: sch, Raw: tftypes.NewValue(objType, nil)}
	if diags := plan.Set(ctx, &model); diags.HasError() {
		t.Fatal(diags)
	}

	ctx, cancel := context.WithCancel(ctx)
	go func() {
		for len(m.TaskIDs()) == 0 && t.Context().Err() == nil { // ends with the test
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond)
		cancel()
	}()
	resp := fwresource.CreateResponse{State: tfsdk.State{Schema: sch, Raw: tftypes.NewValue(objType, nil)}}
	start := time.Now()
	r.Create(ctx, fwresource.CreateRequest{Plan: plan}, &resp)
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Create took %s after the interrupt; it must stop waiting at once", elapsed)
	}

	if resp.Diagnostics.ErrorsCount() != 1 {
		t.Fatalf("want one error, got %v", resp.Diagnostics)
	}
	d := resp.Diagnostics.Errors()[0]
	taskID := m.TaskIDs()[0]
	if d.Summary() != "Stopped waiting for the token revocation" || !strings.Contains(d.Detail(), taskID) {
		t.Errorf("diagnostic does not explain the interrupt and name task %s: %s: %s", taskID, d.Summary(), d.Detail())
	}
	var saved types.String
	resp.State.GetAttribute(context.Background(), path.Root("id"), &saved)
	if saved.ValueString() != taskID {
		t.Errorf("state id = %s, want the task %s so the resource is tainted", saved, taskID)
	}
}
