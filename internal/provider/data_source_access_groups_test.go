package provider

import (
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

func accessGroup(name, displayName string, devices int64) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"name":         knownvalue.StringExact(name),
		"display_name": knownvalue.StringExact(displayName),
		"self_link":    knownvalue.StringExact("https://localhost" + bigiq.PathDeviceGroups + "/" + name),
		"device_count": knownvalue.Int64Exact(devices),
	})
}

// TestAccAccessGroupsDataSource lists the Access groups, not the built-in
// groups, with the number of devices in each; name picks one.
func TestAccAccessGroupsDataSource(t *testing.T) {
	m := startMock(t)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(m) + `
data "bigiq_access_groups" "all" {}

data "bigiq_access_groups" "green" {
  name = "GreenGroup"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.bigiq_access_groups.all", tfjsonpath.New("access_groups"), knownvalue.ListExact([]knownvalue.Check{
					accessGroup("TestGroup", "TestGroup", 2), accessGroup("TestGroup2", "TestGroup2", 1), accessGroup("GreenGroup", "Green Group", 1),
				})),
				statecheck.ExpectKnownValue("data.bigiq_access_groups.green", tfjsonpath.New("access_groups"), knownvalue.ListExact([]knownvalue.Check{
					accessGroup("GreenGroup", "Green Group", 1),
				})),
			},
			Check: func(*terraform.State) error {
				// The Access-group filter is BIG-IQ's, as the client sends it.
				for _, r := range m.Requests() {
					if r.Path == bigiq.PathDeviceGroups && r.Query.Get("$filter") != "'properties/cm:access:access_group' eq 'true'" {
						t.Errorf("device groups read without the Access-group filter: %s", r.RawQuery)
					}
				}
				return nil
			},
		}},
	})
}

// TestAccDataSourceFiltersRejectBlank: a filter set to "", or to a name
// with an invisible character, must fail validation naming the attribute,
// not be dropped and list everything, or list nothing.
func TestAccDataSourceFiltersRejectBlank(t *testing.T) {
	for _, tc := range []struct{ name, config, attribute string }{
		{"devices addresses", `data "bigiq_devices" "x" { addresses = [""] }`, "addresses"},
		{"devices cluster_name", `data "bigiq_devices" "x" { cluster_name = "" }`, "cluster_name"},
		{"devices access_group_name", `data "bigiq_devices" "x" { access_group_name = "" }`, "access_group_name"},
		{"client apps machine_id", `data "bigiq_oauth_client_apps" "x" { machine_id = "" }`, "machine_id"},
		{"access groups name", `data "bigiq_access_groups" "x" { name = "" }`, "name"},
		// A look-alike name would match nothing and list nothing.
		{"devices cluster_name look-alike", `data "bigiq_devices" "x" { cluster_name = "Blue\u200bCluster" }`, "cluster_name"},
		{"devices access_group_name look-alike", `data "bigiq_devices" "x" { access_group_name = "TestGroup\u00a0" }`, "access_group_name"},
		{"access groups name look-alike", `data "bigiq_access_groups" "x" { name = "\ufeffTestGroup" }`, "name"},
		{"tasks user_name look-alike", `data "bigiq_oauth_token_revocation_tasks" "x" { user_name = "ali\u200bce" }`, "user_name"},
		{"tasks client_id look-alike", `data "bigiq_oauth_token_revocation_tasks" "x" { client_id = "e3f3\te720" }`, "client_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := startMock(t)
			parallelUnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      providerConfig(m) + tc.config,
					ExpectError: errorPattern("Set "+tc.attribute, "to"),
				}},
			})
			if n := m.CountRequests(http.MethodGet, "/mgmt/"); n != 0 {
				t.Errorf("mock received %d GETs for a blank filter, want none", n)
			}
		})
	}
}
