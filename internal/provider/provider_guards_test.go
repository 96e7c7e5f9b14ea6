package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// Tests that catch regressions the rest of the suite let through.

// TestAccProvider_verifiesTLSByDefault: against the mock's self-signed
// certificate, a provider configured without insecure and without
// ca_certificate fails TLS verification, says so, and sends nothing: no
// credential crosses an unverified connection.
func TestAccProvider_verifiesTLSByDefault(t *testing.T) {
	m := startMock(t)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "bigiq" {
  address     = %q
  username    = "admin"
  password    = "admin"
  max_retries = 0
}
`, m.URL) + devicesDataSourceConfig,
			ExpectError: errorPattern("TLS certificate of", "could not be verified", "ca_certificate"),
		}},
	})
	expectNoRequests(t, m)
}

// TestAccProvider_everyRequestCarriesTheToken: whatever the mock enforces,
// the provider sends X-F5-Auth-Token on every request but the login: data
// sources, the task POST, polls and refreshes.
func TestAccProvider_everyRequestCarriesTheToken(t *testing.T) {
	m := startMock(t)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(m) + devicesDataSourceConfig + `
data "bigiq_oauth_client_apps" "test" {
  machine_id = "` + redDeviceID + `"
}

resource "bigiq_oauth_token_revocation" "test" {
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
}
`,
			Check: func(*terraform.State) error {
				seen := map[string]bool{}
				for _, r := range m.Requests() {
					seen[r.Method+" "+r.Path] = true
					if r.Path != bigiq.PathLogin && r.Header.Get("X-F5-Auth-Token") == "" {
						return fmt.Errorf("%s %s was sent without X-F5-Auth-Token", r.Method, r.Path)
					}
				}
				if !seen[http.MethodPost+" "+bigiq.PathRevokeTasks] || len(seen) < 4 {
					return fmt.Errorf("too few kinds of request to prove anything: %v", seen)
				}
				return nil
			},
		}},
	})
}

// TestAccRevocation_finishedWithFailedResult: a task FINISHED with result
// FAILED did not revoke; the apply fails and the resource is tainted, so
// the next apply replaces it and runs the revocation again.
func TestAccRevocation_finishedWithFailedResult(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
`)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.QueueTaskOutcome(bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeFinishedFailed, Message: "Revocation failed on 1 of 1 devices"})
				},
				Config:      config,
				ExpectError: errorPattern("Token revocation failed", "revoke-tokens task <task-id> FINISHED", "with result FAILED", "resource is tainted"),
			},
			{
				PreConfig: func() {
					if n := len(m.Tokens(blueDeviceID)); n != 5 {
						t.Errorf("%d tokens on the blue device; the failed task revoked none of its five", n)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(revocation, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: expectFinished(bigiq.ActionRevokeForUser),
				Check:             expectTokens(m, blueDeviceID, blueAlice, blueCapAlice, blueBob),
			},
		},
	})
}

// TestAccRevocation_deviceRefusesItsTokens: a BIG-IP that answers a
// revocation with an error (down, out of disk) still holds the token. BIG-IQ
// reports it among the failures; the apply must not end green, whether the
// task otherwise finished (another device revoked its tokens) or failed
// with BIG-IQ's "Tokens not found" message (no device revoked anything),
// which on its own means nothing was left to revoke.
func TestAccRevocation_deviceRefusesItsTokens(t *testing.T) {
	for name, tc := range map[string]struct {
		clusters string
		want     *regexp.Regexp
		blueLeft []string
	}{
		"task finished": {
			clusters: `["BlueCluster", "RedCluster"]`,
			want:     errorPattern("Tokens not revoked", "did not revoke 1", "may still be live", redUser1Token, "resource is tainted"),
			blueLeft: []string{blueAlice, blueCapAlice, blueBob},
		},
		"task failed, Tokens not found": {
			clusters: `["RedCluster"]`,
			want:     errorPattern("Token revocation failed", redUser1Token, "not revoked: 503", "resource is tainted"),
			blueLeft: []string{blueUser1Shutterfly, blueUser1Maps, blueAlice, blueCapAlice, blueBob},
		},
	} {
		t.Run(name, func(t *testing.T) {
			m := startMock(t)
			m.RefuseRevocationsOn(redDeviceID)
			config := revocationConfig(m, `
  user_name     = "user1"
  cluster_names = `+tc.clusters+`
`)
			parallelUnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config, ExpectError: tc.want},
					{
						// The resource is tainted: the next plan runs the
						// revocation again.
						PreConfig: func() {
							if err := expectTokens(m, blueDeviceID, tc.blueLeft...)(nil); err != nil {
								t.Error(err)
							}
							if !slices.ContainsFunc(m.Tokens(redDeviceID), func(tok bigiqmock.Token) bool { return tok.ID == redUser1Token }) {
								t.Error("the refused token is gone from the red device")
							}
							if n := m.CountRequests(http.MethodPost, bigiq.PathRevokeTasks); n != 1 {
								t.Errorf("%d task POSTs; want 1", n)
							}
						},
						Config:             config,
						PlanOnly:           true,
						ExpectNonEmptyPlan: true,
					},
				},
			})
		})
	}
}
