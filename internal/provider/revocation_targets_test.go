package provider

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// The default fixture's devices as target_devices shows them.
var (
	blueTarget        = targetDevice(blueDeviceID, "bluebigipveha1.labf.com", "10.255.4.124", "BlueCluster", "TestGroup")
	blueStandbyTarget = targetDevice(blueStandbyID, "bluebigipveha2.labf.com", "10.255.4.125", "BlueCluster", "TestGroup")
	greenTarget       = targetDevice(greenDeviceID, "greenbigip1.labf.com", "10.255.6.10", "", "GreenGroup")
	redTarget         = targetDevice(redDeviceID, "redbigip1.labf.com", "10.255.5.10", "RedCluster", "TestGroup2")
)

func targetDevice(machineID, hostname, address, cluster, group string) knownvalue.Check {
	orNull := func(s string) knownvalue.Check {
		if s == "" {
			return knownvalue.Null()
		}
		return knownvalue.StringExact(s)
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"machine_id":        knownvalue.StringExact(machineID),
		"hostname":          knownvalue.StringExact(hostname),
		"address":           knownvalue.StringExact(address),
		"cluster_name":      orNull(cluster),
		"access_group_name": orNull(group),
		"self_link":         knownvalue.StringExact(deviceLink(machineID)),
	})
}

// expectNoRevokePOST checks that BIG-IQ was never asked to start a task.
func expectNoRevokePOST(t *testing.T, m *bigiqmock.Server) {
	t.Helper()
	if n := m.CountRequests(http.MethodPost, revokeTasksPath); n != 0 {
		t.Errorf("mock received %d revoke-tokens POSTs, want none", n)
	}
}

// TestAccRevocationTargets_unionInPlan: a cluster, an Access group and a
// device reference together select the union of their devices; the plan
// shows them, the state records them, and the request BIG-IQ gets still
// names the targets, not the devices.
func TestAccRevocationTargets_unionInPlan(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, fmt.Sprintf(`
  user_name          = "bob"
  cluster_names      = ["RedCluster"]
  access_group_names = ["TestGroup"]
  device_references  = [%q, %q]
`, deviceLink(greenDeviceID), deviceLink(redDeviceID)))
	want := knownvalue.ListExact([]knownvalue.Check{blueTarget, blueStandbyTarget, greenTarget, redTarget})
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: append([]resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(revocation, plancheck.ResourceActionCreate),
				plancheck.ExpectKnownValue(revocation, tfjsonpath.New("target_devices"), want),
			}},
			ConfigStateChecks: append(expectFinished(bigiq.ActionRevokeForUser),
				statecheck.ExpectKnownValue(revocation, tfjsonpath.New("target_devices"), want)),
			Check: expectRevokeBodies(m, fmt.Sprintf(`{"action":"REVOKE_TOKEN_FOR_USER","userName":"bob",`+
				`"accessGroupNames":["TestGroup"],"clusterNames":["RedCluster"],"deviceReferences":[{"link":%q},{"link":%q}]}`,
				deviceLink(redDeviceID), deviceLink(greenDeviceID))),
		}}, stableAndImportable(config)...),
	})
}

// TestAccRevocationTargets_listedTokensNameTheirDevices: without targets,
// the devices of per_device_oauth_ids are the targets.
func TestAccRevocationTargets_listedTokensNameTheirDevices(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, fmt.Sprintf(`
  per_device_oauth_ids = [{
    device_reference = %q
    oauth_ids        = [{ id = %q, client_id = %q }]
  }]
`, redDeviceID, redBobToken, redBobClientID))
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(revocation, tfjsonpath.New("target_devices"), knownvalue.ListExact([]knownvalue.Check{redTarget})),
			}},
			Check: expectRevokeBodies(m, fmt.Sprintf(`{"action":"REVOKE_LIST_OF_TOKENS","perDeviceOauthIds":[{"oauthIds":[{"id":%q,"clientId":%q}],`+
				`"deviceReference":{"link":%q}}],"deviceReferences":[{"link":%q}]}`, redBobToken, redBobClientID, deviceLink(redDeviceID), deviceLink(redDeviceID))),
		}},
	})
}

// TestAccRevocationTargets_mistakesFailThePlan: each target that names
// nothing BIG-IQ manages is an error at plan time naming the attribute and
// the value and what BIG-IQ knows instead, and no task is started.
func TestAccRevocationTargets_mistakesFailThePlan(t *testing.T) {
	const unmanaged = "44444444-4444-4444-8444-444444444444"
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"cluster", `
  user_name     = "bob"
  cluster_names = ["BlueCluster", "BlueClustr"]
`, []string{"Unknown cluster", `cluster_names contains "BlueClustr"`, "BIG-IQ knows these clusters: BlueCluster, RedCluster."}},
		{"access group", `
  user_name          = "bob"
  access_group_names = ["TestGrop"]
`, []string{"Unknown Access group", `access_group_names contains "TestGrop"`, "Access groups: GreenGroup, TestGroup, TestGroup2."}},
		{"device reference", fmt.Sprintf(`
  user_name         = "bob"
  device_references = [%q]
`, unmanaged), []string{"Unknown device", `device_references contains "` + deviceLink(unmanaged) + `"`, "BIG-IQ manages no device with machine id " + unmanaged, "bigiq_devices"}},
		{"token device", fmt.Sprintf(`
  per_device_oauth_ids = [{
    device_reference = %q
    oauth_ids        = [{ id = %q, client_id = %q }]
  }]
`, unmanaged, unknownOAuthID, redBobClientID), []string{"Unknown device", "per_device_oauth_ids names device", "BIG-IQ manages no device with machine id " + unmanaged}},
		// BIG-IQ revokes listed tokens only on the devices the targets
		// select, and says nothing of the others.
		{"token device outside the targets", fmt.Sprintf(`
  cluster_names = ["BlueCluster"]
  per_device_oauth_ids = [{
    device_reference = %q
    oauth_ids        = [{ id = %q, client_id = %q }]
  }]
`, redDeviceID, redBobToken, redBobClientID), []string{"Listed tokens on a device the revocation does not reach", "machine id " + redDeviceID,
			"cluster_names, access_group_names and device_references do not select it", "leave those tokens live", "Add the device to the targets"}},
		{"token device BIG-IQ skips", fmt.Sprintf(`
  per_device_oauth_ids = [{
    device_reference = %q
    oauth_ids        = [{ id = %q, client_id = %q }]
  }]
`, orangeDeviceID, unknownOAuthID, redBobClientID), []string{"Listed tokens on a device the revocation does not reach", "machine id " + orangeDeviceID,
			"BIG-IQ skips it", "remove its entry from per_device_oauth_ids"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := startMock(t)
			parallelUnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      revocationConfig(m, tc.body),
					ExpectError: errorPattern(tc.want...),
				}},
			})
			expectNoRevokePOST(t, m)
		})
	}
}

// TestAccRevocationTargets_unknownAtPlan: a target known only at apply
// leaves target_devices unknown in the plan; the apply resolves and
// records it.
func TestAccRevocationTargets_unknownAtPlan(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, `
  user_name     = "bob"
  cluster_names = [terraform_data.cluster.output]
`) + `
resource "terraform_data" "cluster" {
  input = "RedCluster"
}
`
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(revocation, tfjsonpath.New("target_devices")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(revocation, tfjsonpath.New("target_devices"), knownvalue.ListExact([]knownvalue.Check{redTarget})),
				},
				Check: expectRevokeBodies(m, `{"action":"REVOKE_TOKEN_FOR_USER","userName":"bob","clusterNames":["RedCluster"]}`),
			},
			{Config: config, ConfigPlanChecks: expectEmptyPlan},
		},
	})
}

// TestAccRevocationTargets_refreshKeepsTheRecord: a device that joins the
// cluster after the revocation ran is not drift: the resource records one
// run, on the devices it ran on.
func TestAccRevocationTargets_refreshKeepsTheRecord(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, `
  user_name     = "bob"
  cluster_names = ["RedCluster"]
`)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: expectRevokeBodies(m, `{"action":"REVOKE_TOKEN_FOR_USER","userName":"bob","clusterNames":["RedCluster"]}`)},
			{
				PreConfig: func() {
					if err := m.MoveDevice(greenDeviceID, "RedCluster", "GreenGroup"); err != nil {
						t.Fatal(err)
					}
				},
				Config:           config,
				ConfigPlanChecks: expectEmptyPlan,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(revocation, tfjsonpath.New("target_devices"), knownvalue.ListExact([]knownvalue.Check{redTarget})),
				},
			},
		},
	})
}

// TestAccRevocationTargets_driftBeforeThePOST: a device that joins the
// cluster after the apply's final plan and before the task starts stops
// the apply: no POST, nothing in the state, and the error names the
// device. The move happens when the apply's final plan has listed the
// devices, so only the re-check just before the POST can see it.
func TestAccRevocationTargets_driftBeforeThePOST(t *testing.T) {
	m := startMock(t)
	expectDriftStopsThePOST(t, m, func() error {
		return m.MoveDevice(greenDeviceID, "RedCluster", "GreenGroup")
	}, "+ greenbigip1.labf.com ("+greenDeviceID+")")
}

// expectDriftStopsThePOST applies a revocation of bob's tokens on
// RedCluster, changing the estate with move once the apply's final plan
// has listed the devices, and expects the apply to fail before the POST
// with an error naming the devices added and gone (want), saving nothing.
func expectDriftStopsThePOST(t *testing.T, m *bigiqmock.Server, move func() error, want ...string) {
	t.Helper()
	config := revocationConfig(m, `
  user_name     = "bob"
  cluster_names = ["RedCluster"]
`)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// Listings: the plan's, then the apply's final plan's; the
			// estate changes after that second one is answered.
			PreConfig: func() {
				m.AfterRequests(http.MethodGet, bigiq.PathDevices, 2, func() {
					if err := move(); err != nil {
						t.Error(err)
					}
				})
			},
			Config: config,
			ExpectError: errorPattern(append(append([]string{"Revocation targets changed since the plan", "no task was started"}, want...),
				"Nothing is saved in the state", "Run terraform plan again")...),
		}},
		CheckDestroy: func(s *terraform.State) error {
			if len(s.RootModule().Resources) != 0 {
				return fmt.Errorf("state holds %d resources, want none", len(s.RootModule().Resources))
			}
			return nil
		},
	})
	expectNoRevokePOST(t, m)
}

// TestClusterMemberReferenceWarns: BIG-IQ revokes on a cluster's active
// member, and a reference to the standby finishes having revoked nothing,
// so a device reference to a cluster member is a warning that says to name
// the cluster. Devices named through per_device_oauth_ids alone are not,
// nor the member of a cluster of one.
func TestClusterMemberReferenceWarns(t *testing.T) {
	t.Parallel()
	devices := []bigiq.Device{
		{MachineID: blueDeviceID, Hostname: "bluebigipveha1.labf.com", ClusterName: "BlueCluster", TrustEstablished: true, AccessDiscovered: true},
		{MachineID: blueStandbyID, Hostname: "bluebigipveha2.labf.com", ClusterName: "BlueCluster", TrustEstablished: true, AccessDiscovered: true},
		// A cluster of one: its member is the active one.
		{MachineID: redDeviceID, Hostname: "redbigip1.labf.com", ClusterName: "RedCluster", TrustEstablished: true, AccessDiscovered: true},
		{MachineID: greenDeviceID, Hostname: "greenbigip1.labf.com", TrustEstablished: true, AccessDiscovered: true},
	}
	diags := skippedDeviceWarnings(bigiq.ResolveTargets(devices, bigiq.RevokeRequest{Action: bigiq.ActionRevokeForUser, UserName: "u",
		DeviceReferences: []bigiq.Reference{{Link: deviceLink(blueStandbyID)}, {Link: deviceLink(redDeviceID)}, {Link: deviceLink(greenDeviceID)}}}))
	if len(diags) != 1 || diags.HasError() {
		t.Fatalf("want 1 warning, got %v", diags)
	}
	if text := diags[0].Summary() + " " + diags[0].Detail(); !strings.Contains(text, "bluebigipveha2.labf.com") ||
		!strings.Contains(text, `cluster "BlueCluster"`) || !strings.Contains(text, "cluster_names instead") {
		t.Errorf("warning does not name the device and the cluster: %s", text)
	}
	listed := skippedDeviceWarnings(bigiq.ResolveTargets(devices, bigiq.RevokeRequest{Action: bigiq.ActionRevokeList,
		PerDeviceOAuthIDs: []bigiq.DeviceOAuthIDs{{DeviceReference: bigiq.Reference{Link: deviceLink(blueStandbyID)}, OAuthIDs: []bigiq.OAuthID{{ID: "x"}}}}}))
	if len(listed) != 0 {
		t.Errorf("a token device named only in per_device_oauth_ids warned: %v", listed)
	}
}

func TestSkippedDeviceWarningsNameTheDevice(t *testing.T) {
	t.Parallel()
	res := bigiq.ResolveTargets([]bigiq.Device{
		{MachineID: orangeDeviceID, Hostname: "orangebigip1.labf.com", TrustEstablished: true},
		{MachineID: greenDeviceID, Hostname: "greenbigip1.labf.com", AccessGroupName: "GreenGroup", TrustEstablished: true, AccessDiscovered: true},
	}, bigiq.RevokeRequest{Action: bigiq.ActionRevokeForUser, UserName: "u", AccessGroupNames: []string{"GreenGroup"},
		DeviceReferences: []bigiq.Reference{{Link: deviceLink(orangeDeviceID)}}})
	diags := skippedDeviceWarnings(res)
	if len(diags) != 2 || diags.HasError() {
		t.Fatalf("want 2 warnings, got %v", diags)
	}
	for i, want := range [][]string{
		{"greenbigip1.labf.com", "access_group_names", bigiq.SkipAccessNotImported, "No token will be revoked on it"},
		{"orangebigip1.labf.com", "device_references", bigiq.SkipAccessNotDiscovered, "No token will be revoked on it"},
	} {
		text := diags[i].Summary() + " " + diags[i].Detail()
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("warning %d %q does not say %q", i, text, w)
			}
		}
	}
}

// TestAccRevocationTargets_oneListingPerPlan: a plan of many revocations
// lists BIG-IQ's devices once, not once per revocation.
func TestAccRevocationTargets_oneListingPerPlan(t *testing.T) {
	m := startMock(t)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(m) + `
resource "bigiq_oauth_token_revocation" "many" {
  count         = 30
  user_name     = "user${count.index}"
  cluster_names = ["BlueCluster"]
}
`,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
	// terraform-plugin-testing plans more than once; each plan is a
	// provider configured afresh, which logs in once.
	plans := m.Logins()
	if n := m.CountRequests(http.MethodGet, bigiq.PathDevices); plans == 0 || n != plans {
		t.Errorf("%d plans of 30 revocations listed the devices %d times, want once per plan", plans, n)
	}
	expectNoRevokePOST(t, m)
}

// TestAccRevocationTargets_rerunShowsItsDevices: a re-run (a new ticket in
// triggers replaces the resource) is a new revocation, so its plan shows
// the devices it will touch, resolved afresh, and a policy on
// target_devices can review it like the first run. A device that joined the
// cluster since the first run is in the re-run's plan.
func TestAccRevocationTargets_rerunShowsItsDevices(t *testing.T) {
	m := startMock(t)
	configFor := func(ticket string) string {
		return revocationConfig(m, fmt.Sprintf(`
  user_name     = "bob"
  cluster_names = ["RedCluster"]
  triggers      = { ticket = %q }
`, ticket))
	}
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: configFor("HR-1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(revocation, tfjsonpath.New("target_devices"), knownvalue.ListExact([]knownvalue.Check{redTarget})),
				},
			},
			{
				PreConfig: func() {
					if err := m.MoveDevice(greenDeviceID, "RedCluster", ""); err != nil {
						t.Fatal(err)
					}
				},
				Config: configFor("HR-2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(revocation, plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectKnownValue(revocation, tfjsonpath.New("action"), knownvalue.StringExact(string(bigiq.ActionRevokeForUser))),
					plancheck.ExpectKnownValue(revocation, tfjsonpath.New("target_devices"), knownvalue.ListSizeExact(2)),
				}},
			},
		},
	})
}

// TestUnreachedTokenDeviceAdvice: the error about listed tokens on a
// device the revocation does not reach advises about targets only when
// targets were given; without them it names what BIG-IQ skips.
func TestUnreachedTokenDeviceAdvice(t *testing.T) {
	t.Parallel()
	res := bigiq.Resolution{UnreachedTokenDevices: []string{deviceLink(orangeDeviceID)}}
	for _, tc := range []struct {
		name      string
		req       bigiq.RevokeRequest
		says, not []string
	}{
		{"no targets", bigiq.RevokeRequest{Action: bigiq.ActionRevokeList},
			[]string{"BIG-IQ skips it", "remove its entry from per_device_oauth_ids"},
			[]string{"cluster_names", "access_group_names", "device_references", "leave the targets out", "Add the device to the targets"}},
		{"with a cluster", bigiq.RevokeRequest{Action: bigiq.ActionRevokeList, ClusterNames: []string{"BlueCluster"}},
			[]string{"do not select it", "Add the device to the targets, or leave the targets out"}, nil},
	} {
		diags := targetMissDiagnostics(res, tc.req)
		if len(diags) != 1 {
			t.Fatalf("%s: want one error, got %v", tc.name, diags)
		}
		detail := diags[0].Detail()
		for _, w := range tc.says {
			if !strings.Contains(detail, w) {
				t.Errorf("%s: does not say %q: %s", tc.name, w, detail)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(detail, w) {
				t.Errorf("%s: says %q, which the configuration never gave: %s", tc.name, w, detail)
			}
		}
	}
}

// TestAccRevocationTargets_swapBeforeThePOST: the drift guard compares the
// devices, not their number. Between the apply's final plan and the POST
// the red device leaves RedCluster and the green one joins it: still one
// device, but not the one reviewed, so no task is started.
func TestAccRevocationTargets_swapBeforeThePOST(t *testing.T) {
	m := startMock(t)
	expectDriftStopsThePOST(t, m, func() error {
		return errors.Join(m.MoveDevice(redDeviceID, "", "TestGroup2"), m.MoveDevice(greenDeviceID, "RedCluster", "GreenGroup"))
	}, "+ greenbigip1.labf.com ("+greenDeviceID+")", "- redbigip1.labf.com ("+redDeviceID+")")
}
