package bigiq

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// targetsFixture is an estate with a device of every kind ResolveTargets
// tells apart: the default fixture's devices plus one whose trust broke, one
// whose Access configuration is not imported, and one in BlueCluster but in
// no Access group.
func targetsFixture() *bigiqmock.Fixture {
	f := bigiqmock.DefaultFixture()
	f.Devices = append(f.Devices,
		bigiqmock.FixtureDevice{UUID: "11111111-1111-4111-8111-111111111111", Hostname: "untrusted.labf.com", Address: "10.255.8.1",
			ClusterName: "RedCluster", AccessGroupName: "TestGroup2", AccessDiscovered: true, AccessImported: true, FailoverState: "standby"},
		bigiqmock.FixtureDevice{UUID: "22222222-2222-4222-8222-222222222222", Hostname: "notimported.labf.com", Address: "10.255.8.2",
			AccessGroupName: "GreenGroup", TrustEstablished: true, AccessDiscovered: true},
		bigiqmock.FixtureDevice{UUID: "33333333-3333-4333-8333-333333333333", Hostname: "bluebigipveha3.labf.com", Address: "10.255.4.126",
			ClusterName: "BlueCluster", TrustEstablished: true, AccessDiscovered: true, AccessImported: true, FailoverState: "standby"},
	)
	return f
}

const (
	greenbigip     = "c8e2a3b4-5d6f-4a7b-8c9d-0e1f2a3b4c5d"
	orangebigip    = "5e7d1c2b-3a4f-4e5d-9c8b-7a6f5e4d3c2b"
	bluebigip2     = "3f320100-2177-42e0-8a46-2e33cd3366da"
	bluebigip3     = "33333333-3333-4333-8333-333333333333"
	untrustedbigip = "11111111-1111-4111-8111-111111111111"
	notimported    = "22222222-2222-4222-8222-222222222222"
	unmanaged      = "44444444-4444-4444-8444-444444444444"
)

// targetCases are the requests both resolutions are checked on.
var targetCases = []struct {
	name    string
	req     RevokeRequest
	devices []string // machine ids, in hostname order
	misses  []TargetMiss
	skipped map[string]string // machine id → reason
}{
	{
		name:    "cluster",
		req:     RevokeRequest{Action: ActionRevokeForUser, UserName: "u", ClusterNames: []string{"BlueCluster"}},
		devices: []string{bluebigip, bluebigip2, bluebigip3},
	},
	{
		name:    "cluster with an untrusted member",
		req:     RevokeRequest{Action: ActionRevokeForUser, UserName: "u", ClusterNames: []string{"RedCluster"}},
		devices: []string{redbigip},
		skipped: map[string]string{untrustedbigip: skipTrustNotEstablished},
	},
	{
		name:    "Access group covers only imported devices",
		req:     RevokeRequest{Action: ActionRevokeForUser, UserName: "u", AccessGroupNames: []string{"GreenGroup"}},
		devices: []string{greenbigip},
		skipped: map[string]string{notimported: SkipAccessNotImported},
	},
	{
		name:    "a device reference reaches a device its group does not",
		req:     RevokeRequest{Action: ActionRevokeForUser, UserName: "u", AccessGroupNames: []string{"GreenGroup"}, DeviceReferences: []Reference{{DeviceLinkPrefix + notimported}}},
		devices: []string{greenbigip, notimported},
	},
	{
		name: "union of a cluster, an Access group and a device reference",
		req: RevokeRequest{Action: ActionRevokeForClientID, ClientID: "c", ClusterNames: []string{"RedCluster"},
			AccessGroupNames: []string{"TestGroup"}, DeviceReferences: []Reference{{DeviceLinkPrefix + greenbigip}, {DeviceLinkPrefix + redbigip}}},
		devices: []string{bluebigip, bluebigip2, greenbigip, redbigip},
		skipped: map[string]string{untrustedbigip: skipTrustNotEstablished},
	},
	{
		name:    "Access not discovered",
		req:     RevokeRequest{Action: ActionRevokeForUser, UserName: "u", DeviceReferences: []Reference{{DeviceLinkPrefix + orangebigip}}},
		skipped: map[string]string{orangebigip: SkipAccessNotDiscovered},
	},
	{
		name: "misses",
		req: RevokeRequest{Action: ActionRevokeForUser, UserName: "u", ClusterNames: []string{"BlueCluster", "BlueClustr"},
			AccessGroupNames: []string{"NoGroup"}, DeviceReferences: []Reference{{DeviceLinkPrefix + unmanaged}}},
		devices: []string{bluebigip, bluebigip2, bluebigip3},
		misses: []TargetMiss{{TargetCluster, "BlueClustr"}, {TargetAccessGroup, "NoGroup"},
			{TargetDeviceReference, DeviceLinkPrefix + unmanaged}},
	},
	{
		name: "listed tokens without targets name their devices",
		req: RevokeRequest{Action: ActionRevokeList, PerDeviceOAuthIDs: []DeviceOAuthIDs{
			{DeviceReference: Reference{DeviceLinkPrefix + redbigip}, OAuthIDs: []OAuthID{{ID: "a"}}},
			{DeviceReference: Reference{DeviceLinkPrefix + unmanaged}, OAuthIDs: []OAuthID{{ID: "b"}}},
		}},
		devices: []string{redbigip},
		misses:  []TargetMiss{{TargetTokenDevice, DeviceLinkPrefix + unmanaged}},
	},
	{
		name: "listed tokens on an unmanaged device, with a cluster target",
		req: RevokeRequest{Action: ActionRevokeList, ClusterNames: []string{"RedCluster"}, PerDeviceOAuthIDs: []DeviceOAuthIDs{
			{DeviceReference: Reference{DeviceLinkPrefix + unmanaged}, OAuthIDs: []OAuthID{{ID: "b"}}},
		}},
		devices: []string{redbigip},
		misses:  []TargetMiss{{TargetTokenDevice, DeviceLinkPrefix + unmanaged}},
		skipped: map[string]string{untrustedbigip: skipTrustNotEstablished},
	},
}

func TestResolveTargets(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{Fixture: targetsFixture()})
	devices, err := newTestClient(t, s).ListDevices(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range targetCases {
		t.Run(tc.name, func(t *testing.T) {
			res := ResolveTargets(devices, tc.req)
			if got := machineIDs(res.Devices); !slices.Equal(got, tc.devices) {
				t.Errorf("devices = %v, want %v", got, tc.devices)
			}
			if !slices.Equal(res.Misses, tc.misses) {
				t.Errorf("misses = %v, want %v", res.Misses, tc.misses)
			}
			skipped := map[string]string{}
			for _, s := range res.Skipped {
				skipped[s.Device.MachineID] = s.Reason
			}
			if len(skipped) != 0 || len(tc.skipped) != 0 {
				if !reflect.DeepEqual(skipped, tc.skipped) {
					t.Errorf("skipped = %v, want %v", skipped, tc.skipped)
				}
			}
		})
	}
	res := ResolveTargets(devices, RevokeRequest{})
	if want := []string{"BlueCluster", "RedCluster"}; !slices.Equal(res.Clusters, want) {
		t.Errorf("known clusters = %v, want %v", res.Clusters, want)
	}
	if want := []string{"GreenGroup", "TestGroup", "TestGroup2"}; !slices.Equal(res.AccessGroups, want) {
		t.Errorf("known Access groups = %v, want %v", res.AccessGroups, want)
	}
}

// TestResolveTargetsAgreesWithTheMock: the plan shows the devices the task
// will run on only if the client's rule is the mock's (which stands for
// BIG-IQ's) on every case.
func TestResolveTargetsAgreesWithTheMock(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{Fixture: targetsFixture()})
	devices, err := newTestClient(t, s).ListDevices(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range targetCases {
		body, err := json.Marshal(tc.req.withDerivedTargets())
		if err != nil {
			t.Fatal(err)
		}
		mockIDs, err := s.ResolveTargets(body)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		slices.Sort(mockIDs)
		clientIDs := machineIDs(ResolveTargets(devices, tc.req).Devices)
		slices.Sort(clientIDs)
		if !slices.Equal(clientIDs, mockIDs) {
			t.Errorf("%s: client resolves %v, the mock %v", tc.name, clientIDs, mockIDs)
		}
	}
}

func machineIDs(devices []Device) []string {
	var ids []string
	for _, d := range devices {
		ids = append(ids, d.MachineID)
	}
	return ids
}
