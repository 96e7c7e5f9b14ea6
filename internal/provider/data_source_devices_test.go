package provider

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// documentedDevice is the device of F5's how-to (see the fixture values in
// provider_test.go) as the data source returns it.
var documentedDevice = knownvalue.ObjectExact(map[string]knownvalue.Check{
	"uuid":               knownvalue.StringExact(blueDeviceID),
	"machine_id":         knownvalue.StringExact(blueDeviceID),
	"hostname":           knownvalue.StringExact("bluebigipveha1.labf.com"),
	"address":            knownvalue.StringExact("10.255.4.124"),
	"management_address": knownvalue.StringExact("10.192.123.69"),
	"device_uri":         knownvalue.StringExact("https://10.192.123.69:443"),
	"https_port":         knownvalue.Int64Exact(443),
	"state":              knownvalue.StringExact("ACTIVE"),
	"product":            knownvalue.StringExact("BIG-IP"),
	"version":            knownvalue.StringExact("12.1.0"),
	"build":              knownvalue.StringExact("0.0.1354"),
	"cluster_name":       knownvalue.StringExact("BlueCluster"),
	"access_group_name":  knownvalue.StringExact("TestGroup"),
	"is_clustered":       knownvalue.Bool(false),
	"is_virtual":         knownvalue.Bool(true),
	"trust_established":  knownvalue.Bool(true),
	"access_discovered":  knownvalue.Bool(true),
	"access_imported":    knownvalue.Bool(true),
	"self_link":          knownvalue.StringExact(deviceLink(blueDeviceID)),
})

func deviceUUIDs(ids ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"uuid": knownvalue.StringExact(id)})
	}
	return knownvalue.ListExact(checks)
}

func TestAccDevicesDataSource(t *testing.T) {
	m := startMock(t)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(m) + `
data "bigiq_devices" "all" {}

data "bigiq_devices" "by_address" {
  addresses = ["10.255.4.124", "10.255.5.10"]
}

data "bigiq_devices" "blue" {
  cluster_name = "BlueCluster"
}

data "bigiq_devices" "green" {
  access_group_name = "GreenGroup"
}

data "bigiq_devices" "none" {
  addresses    = ["10.255.4.124"]
  cluster_name = "RedCluster"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.bigiq_devices.all", tfjsonpath.New("devices"),
					deviceUUIDs(blueDeviceID, blueStandbyID, redDeviceID, greenDeviceID, orangeDeviceID)),
				statecheck.ExpectKnownValue("data.bigiq_devices.all", tfjsonpath.New("devices").AtSliceIndex(0), documentedDevice),
				statecheck.ExpectKnownValue("data.bigiq_devices.all", tfjsonpath.New("devices").AtSliceIndex(3).AtMapKey("cluster_name"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.bigiq_devices.all", tfjsonpath.New("devices").AtSliceIndex(4).AtMapKey("access_discovered"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.bigiq_devices.by_address", tfjsonpath.New("devices"), deviceUUIDs(blueDeviceID, redDeviceID)),
				statecheck.ExpectKnownValue("data.bigiq_devices.blue", tfjsonpath.New("devices"), deviceUUIDs(blueDeviceID, blueStandbyID)),
				statecheck.ExpectKnownValue("data.bigiq_devices.green", tfjsonpath.New("devices"), deviceUUIDs(greenDeviceID)),
				statecheck.ExpectKnownValue("data.bigiq_devices.none", tfjsonpath.New("devices"), knownvalue.ListExact([]knownvalue.Check{})),
			},
			Check: expectAddressFilter(m, "('address' eq '10.255.4.124' or 'address' eq '10.255.5.10')"),
		}},
	})
}

// expectAddressFilter checks that BIG-IQ, not the provider, filtered by
// address: the OData $filter of F5's how-to was sent.
func expectAddressFilter(m *bigiqmock.Server, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var filters []string
		for _, r := range m.Requests() {
			if r.Method == http.MethodGet && r.Path == bigiq.PathDevices {
				filters = append(filters, r.Query.Get("$filter"))
			}
		}
		if !slices.Contains(filters, want) {
			return fmt.Errorf("no device listing with $filter %q; filters sent: %q", want, filters)
		}
		return nil
	}
}

// TestAccDevicesDataSource_hostileValues: quotes and OData keywords in a
// filter value are matched literally; they can never widen the filter.
func TestAccDevicesDataSource_hostileValues(t *testing.T) {
	m := startMock(t)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(m) + `
data "bigiq_devices" "hostile" {
  addresses    = ["10.255.4.124' or 'address' ne '", "x') or (true"]
  cluster_name = "BlueCluster' or 'a' eq 'a"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.bigiq_devices.hostile", tfjsonpath.New("devices"), knownvalue.ListExact([]knownvalue.Check{})),
			},
			Check: expectAddressFilter(m, "('address' eq '10.255.4.124'' or ''address'' ne ''' or 'address' eq 'x'') or (true')"),
		}},
	})
}

func TestAccDevicesDataSource_invalid(t *testing.T) {
	m := startMock(t)
	for name, tc := range map[string]struct{ body, want string }{
		"empty addresses":    {`addresses = []`, "Attribute addresses list must contain at least 1 elements"},
		"blank address":      {`addresses = [""]`, "Set addresses[0] to"},
		"blank cluster name": {`cluster_name = " "`, "Set cluster_name to"},
		"blank access group": {`access_group_name = ""`, "Set access_group_name to"},
		"null address":       {`addresses = ["10.255.4.124", null]`, "addresses has a null element (element 1)"},
	} {
		t.Run(name, func(t *testing.T) {
			unitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      providerConfig(m) + fmt.Sprintf("data \"bigiq_devices\" \"test\" {\n  %s\n}\n", tc.body),
					ExpectError: errorPattern(tc.want),
				}},
			})
		})
	}
	expectNoRequests(t, m)
}

// TestUnmatchedFilterDiagnostics: a cluster or Access group filter that no
// device carries warns and lists the names BIG-IQ knows; one that matches
// says nothing.
func TestUnmatchedFilterDiagnostics(t *testing.T) {
	m := startMock(t)
	client, err := bigiq.NewClient(bigiq.Config{Address: m.URL, Username: "admin", Password: "admin", CACertificatePEM: m.CACertPEM()})
	if err != nil {
		t.Fatal(err)
	}
	devices, err := client.ListDevices(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	diags := unmatchedFilterDiagnostics(devices, false, types.StringValue("bluecluster"), types.StringValue("Green Group"))
	if diags.HasError() || diags.WarningsCount() != 2 {
		t.Fatalf("want two warnings, got %v", diags)
	}
	for i, want := range []string{`cluster "bluecluster"`, `Access group "Green Group"`} {
		if d := diags[i].Detail(); !strings.Contains(d, want) {
			t.Errorf("warning %d does not name %s: %s", i, want, d)
		}
	}
	if d := diags[0].Detail(); !strings.Contains(d, `"BlueCluster", "RedCluster"`) {
		t.Errorf("cluster warning does not list the known clusters: %s", d)
	}
	if d := diags[1].Detail(); !strings.Contains(d, `"GreenGroup"`) {
		t.Errorf("Access group warning does not list the known groups: %s", d)
	}
	if diags := unmatchedFilterDiagnostics(devices, false, types.StringValue("BlueCluster"), types.StringValue("GreenGroup")); len(diags) != 0 {
		t.Errorf("filters that match gave %v", diags)
	}
	if diags := unmatchedFilterDiagnostics(devices, false, types.StringNull(), types.StringNull()); len(diags) != 0 {
		t.Errorf("no filter gave %v", diags)
	}

	// With addresses, the listed devices are those at the addresses: a
	// cluster that exists elsewhere is not called unknown.
	atBlue, err := client.ListDevices(context.Background(), []string{"10.255.4.124"})
	if err != nil {
		t.Fatal(err)
	}
	diags = unmatchedFilterDiagnostics(atBlue, true, types.StringValue("RedCluster"), types.StringNull())
	if len(diags) != 1 {
		t.Fatalf("want one warning, got %v", diags)
	}
	d := diags[0].Detail()
	for _, want := range []string{`None of the devices at the given addresses is in cluster "RedCluster"`,
		"may hold devices at other addresses", `"BlueCluster"`} {
		if !strings.Contains(d, want) {
			t.Errorf("warning does not say %q: %s", want, d)
		}
	}
	if strings.Contains(d, "Known cluster names") || strings.Contains(d, "No device BIG-IQ lists") {
		t.Errorf("warning suggests RedCluster does not exist: %s", d)
	}
}
