package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

func clientApp(name, appName, clientID string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"name":      knownvalue.StringExact(name),
		"app_name":  knownvalue.StringExact(appName),
		"client_id": knownvalue.StringExact(clientID),
	})
}

func TestAccOAuthClientAppsDataSource(t *testing.T) {
	m := startMock(t)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(m) + fmt.Sprintf(`
data "bigiq_oauth_client_apps" "blue" {
  machine_id = %q
}

data "bigiq_oauth_client_apps" "all" {}

data "bigiq_oauth_client_apps" "orange" {
  machine_id = %q
}
`, blueDeviceID, orangeDeviceID),
			ConfigStateChecks: []statecheck.StateCheck{
				// The example response of F5's how-to (see the fixture values in provider_test.go).
				statecheck.ExpectKnownValue("data.bigiq_oauth_client_apps.blue", tfjsonpath.New("client_apps"), knownvalue.ListExact([]knownvalue.Check{
					clientApp("shutterfly-client", "Shutterfly", "89923892aed8eb142a8871058da9005056b09ae221df6a57"),
					clientApp("maps-client", "Maps", "5b3e8851b1d872feed3086484141005056b09ae2d5277c57"),
				})),
				statecheck.ExpectKnownValue("data.bigiq_oauth_client_apps.all", tfjsonpath.New("client_apps"), knownvalue.ListSizeExact(7)),
				statecheck.ExpectKnownValue("data.bigiq_oauth_client_apps.orange", tfjsonpath.New("client_apps"), knownvalue.ListExact([]knownvalue.Check{})),
			},
			Check: func(*terraform.State) error {
				want := "'lsoDeviceReference/machineId' eq '" + blueDeviceID + "'"
				for _, r := range m.Requests() {
					if r.Method == http.MethodGet && r.Path == bigiq.PathOAuthApps && r.Query.Get("$filter") == want {
						return nil
					}
				}
				return fmt.Errorf("no client app listing filtered with %q", want)
			},
		}},
	})
}

func TestAccOAuthClientAppsDataSource_invalid(t *testing.T) {
	m := startMock(t)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(m) + `
data "bigiq_oauth_client_apps" "test" {
  machine_id = "x' or 'a' eq 'a"
}
`,
			ExpectError: errorPattern("Invalid machine id", "Set machine_id to"),
		}},
	})
	expectNoRequests(t, m)
}
