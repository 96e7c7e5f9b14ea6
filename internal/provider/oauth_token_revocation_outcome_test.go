package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// Tests of issue 10's false successes: every path that ended in "Apply
// complete!" while a token asked for stayed live, or in a misleading record.

// TestAccRevocation_upperCaseMachineIDs: BIG-IQ matches machine ids
// case-sensitively, so an upper-case id next to another target used to be
// skipped while the task FINISHED. It is sent in lower case, and the
// device's tokens are really gone.
func TestAccRevocation_upperCaseMachineIDs(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, fmt.Sprintf(`
  user_name         = "user1"
  cluster_names     = ["BlueCluster"]
  device_references = [%q]
`, strings.ToUpper(redDeviceID)))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: expectFinished(bigiq.ActionRevokeForUser),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRevokeBodies(m, fmt.Sprintf(`{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1",
  "clusterNames":["BlueCluster"],"deviceReferences":[{"link":%q}]}`, deviceLink(redDeviceID))),
					expectTokens(m, redDeviceID, redAliceToken, redBobToken, redCapAliceToken),
					expectTokens(m, blueDeviceID, blueAlice, blueCapAlice, blueBob),
				),
			},
			{Config: config, ConfigPlanChecks: expectEmptyPlan},
		},
	})
}

// TestAccRevocation_upperCaseTokenDevice: the same for the device of a
// per_device_oauth_ids entry, which is also the task's target.
func TestAccRevocation_upperCaseTokenDevice(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, fmt.Sprintf(`
  per_device_oauth_ids = [{
    device_reference = %q
    oauth_ids        = [{ id = %q }]
  }]
`, strings.ToUpper(redDeviceID), redAliceToken))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: expectFinished(bigiq.ActionRevokeList),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRevokeBodies(m, fmt.Sprintf(`{"action":"REVOKE_LIST_OF_TOKENS",
  "perDeviceOauthIds":[{"deviceReference":{"link":%[1]q},"oauthIds":[{"id":%[2]q}]}],
  "deviceReferences":[{"link":%[1]q}]}`, deviceLink(redDeviceID), redAliceToken)),
					expectTokens(m, redDeviceID, redUser1Token, redBobToken, redCapAliceToken),
				),
			},
			{Config: config, ConfigPlanChecks: expectEmptyPlan},
		},
	})
}
