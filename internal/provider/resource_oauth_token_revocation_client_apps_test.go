package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
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

const shutterflyClientID = "89923892aed8eb142a8871058da9005056b09ae221df6a57"

// expectClientAppListings checks that every GET of the OAuth client apps
// BIG-IQ received was the one listing by clientID, and that there were n.
func expectClientAppListings(m *bigiqmock.Server, clientID string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var got int
		for _, r := range m.Requests() {
			if r.Method != http.MethodGet || r.Path != bigiq.PathOAuthApps {
				continue
			}
			got++
			if f, s := r.Query.Get("$filter"), r.Query.Get("$select"); f != "'clientId' eq '"+clientID+"'" || s != "appName,lsoDeviceReference" {
				return fmt.Errorf("GET %s?%s; want the apps of client %s, with their device", r.Path, r.Query.Encode(), clientID)
			}
		}
		if got != n {
			return fmt.Errorf("mock received %d GETs of the OAuth client apps, want %d", got, n)
		}
		return nil
	}
}

// TestAccRevocationClientApps_inPlan: a revocation by client id shows the
// app's name in the plan, read with one listing by client id, and records
// it; a second plan and an import agree.
func TestAccRevocationClientApps_inPlan(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, `
  client_id     = "`+shutterflyClientID+`"
  cluster_names = ["BlueCluster"]
`)
	want := knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("Shutterfly")})
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: append([]resource.TestStep{{
			PlanOnly: true, ExpectNonEmptyPlan: true, Config: config,
			Check: expectClientAppListings(m, shutterflyClientID, 1),
		}, {
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(revocation, tfjsonpath.New("client_app_names"), want),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(revocation, tfjsonpath.New("client_app_names"), want),
			},
			Check: expectRevokeBodies(m, `{"action":"REVOKE_TOKEN_FOR_CLIENT_ID","clientId":"`+shutterflyClientID+`","clusterNames":["BlueCluster"]}`),
		}}, stableAndImportable(config)...),
	})
}

// TestAccRevocationClientApps_nullByUser: a revocation by user names no
// client app, and lists none.
func TestAccRevocationClientApps_nullByUser(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, `
  user_name     = "bob"
  cluster_names = ["RedCluster"]
`)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(revocation, tfjsonpath.New("client_app_names"), knownvalue.Null()),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(revocation, tfjsonpath.New("client_app_names"), knownvalue.Null()),
			},
			Check: expectClientAppListings(m, "", 0),
		}},
	})
}

// TestAccRevocationClientApps_unknownAtPlan: a client id known only at
// apply leaves client_app_names unknown in the plan, but not the devices:
// the targets are known, so the plan still lists target_devices for the
// reviewer. The apply reads and records the apps, and refresh keeps them.
func TestAccRevocationClientApps_unknownAtPlan(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, `
  client_id     = terraform_data.client.output
  cluster_names = ["RedCluster"]
`) + `
resource "terraform_data" "client" {
  input = "` + redCalendarClientID + `"
}
`
	want := knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("Calendar")})
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(revocation, tfjsonpath.New("client_app_names")),
					plancheck.ExpectKnownValue(revocation, tfjsonpath.New("target_devices"), knownvalue.ListSizeExact(1)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(revocation, tfjsonpath.New("client_app_names"), want),
				},
				Check: expectClientAppListings(m, redCalendarClientID, 1),
			},
			{Config: config, ConfigPlanChecks: expectEmptyPlan},
		},
	})
}

// TestPlanClientAppNames_warnsWhenNoTargetKnowsTheClient: a client id that
// no target device carries is a warning naming the client id and the
// devices, not an error, and the plan shows no app.
func TestPlanClientAppNames_warnsWhenNoTargetKnowsTheClient(t *testing.T) {
	m := startMock(t)
	client, err := bigiq.NewClient(bigiq.Config{Address: m.URL, Username: "admin", Password: "admin", CACertificatePEM: m.CACertPEM()})
	if err != nil {
		t.Fatal(err)
	}
	r := &oauthTokenRevocationResource{client: client, data: newProviderData(client)}
	ctx := context.Background()
	sch := oauthTokenRevocationSchema(ctx)
	out := tfsdk.Plan{Schema: sch, Raw: tftypes.NewValue(sch.Type().TerraformType(ctx), nil)}
	targets, diags := targetDevicesValue(ctx, []bigiq.Device{{MachineID: blueDeviceID, Hostname: "bluebigipveha1.labf.com"}})
	diags.Append(out.SetAttribute(ctx, path.Root("target_devices"), targets)...)
	if diags.HasError() {
		t.Fatal(diags)
	}

	// The Calendar app is on the red device only.
	diags = r.planClientAppNames(ctx, oauthTokenRevocationModel{revocationInputs: revocationInputs{ClientID: types.StringValue(redCalendarClientID)}}, &out)
	if diags.HasError() || diags.WarningsCount() != 1 {
		t.Fatalf("want one warning, got %v", diags)
	}
	w := diags.Warnings()[0]
	for _, phrase := range []string{redCalendarClientID, "bluebigipveha1.labf.com", "bigiq_oauth_client_apps"} {
		if !strings.Contains(w.Detail(), phrase) {
			t.Errorf("warning %q does not say %q", w.Detail(), phrase)
		}
	}
	var names types.Set
	out.GetAttribute(ctx, path.Root("client_app_names"), &names)
	if names.IsNull() || names.IsUnknown() || len(names.Elements()) != 0 {
		t.Errorf("client_app_names = %s; want a known, empty set", names)
	}
	if err := expectClientAppListings(m, redCalendarClientID, 1)(nil); err != nil {
		t.Error(err)
	}
}
