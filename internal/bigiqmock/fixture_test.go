package bigiqmock

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDefaultFixture(t *testing.T) {
	f := DefaultFixture()
	type summary struct {
		hostname, cluster, group, failover string
		apps, tokens                       int
		users                              map[string]int
	}
	want := map[string]summary{
		blueActive:  {"bluebigipveha1.labf.com", "BlueCluster", "TestGroup", "active", 2, 5, map[string]int{"user1": 2, "alice": 1, "Alice": 1, "bob": 1}},
		blueStandby: {"bluebigipveha2.labf.com", "BlueCluster", "TestGroup", "standby", 2, 0, map[string]int{}},
		red:         {"redbigip1.labf.com", "RedCluster", "TestGroup2", "active", 2, 4, map[string]int{"user1": 1, "alice": 1, "bob": 1, "Alice": 1}},
		green:       {"greenbigip1.labf.com", "", "GreenGroup", "active", 1, 2, map[string]int{"user1": 1, "alice": 1}},
		orange:      {"orangebigip1.labf.com", "", "", "active", 0, 0, map[string]int{}},
	}
	if len(f.Devices) != len(want) {
		t.Fatalf("%d devices, want %d", len(f.Devices), len(want))
	}
	for _, d := range f.Devices {
		got := summary{d.Hostname, d.ClusterName, d.AccessGroupName, d.FailoverState, len(d.ClientApps), len(d.Tokens), usersOf(d.Tokens)}
		if !reflect.DeepEqual(got, want[d.UUID]) {
			t.Errorf("%s = %+v, want %+v", d.UUID, got, want[d.UUID])
		}
	}
	howTo := f.Devices[0]
	if howTo.Address != "10.255.4.124" || howTo.ManagementAddress != "10.192.123.69" || howTo.Version != "12.1.0" || howTo.Build != "0.0.1354" || howTo.IsClustered || !howTo.IsVirtual {
		t.Errorf("the how-to device = %+v", howTo)
	}
	redTokens := f.Devices[2].Tokens
	if redTokens[0].ID != redUser1Token || redTokens[1].ID != redAliceToken || redTokens[0].ClientID != redClientID || redTokens[1].ClientID != redClientID {
		t.Errorf("red tokens = %+v", redTokens)
	}
	var groups []string
	for _, g := range f.AccessGroups {
		groups = append(groups, g.Name)
	}
	if !reflect.DeepEqual(groups, []string{"TestGroup", "TestGroup2", "GreenGroup"}) {
		t.Errorf("access groups = %v", groups)
	}
	// Each call is a fresh copy.
	f.Devices[0].Tokens = nil
	if len(DefaultFixture().Devices[0].Tokens) != 5 {
		t.Error("DefaultFixture shares state between calls")
	}
}

func TestParseFixtureRejectsImpossibleEstates(t *testing.T) {
	// Each case is a fixture with one mistake, written as a user would,
	// one key per line, and the error it must give: the line and the key.
	const head = `{
  "clusters": [{"name": "C"}],
  "accessGroups": [{"name": "G"}],
  "devices": [
    {"uuid": "d1", "hostname": "a.example", "address": "10.0.0.1",
     "trustEstablished": true, "accessDiscovered": true, "accessImported": true,
     "clientApps": [{"name": "app", "appName": "App", "clientId": "c1"}],
`
	const tail = `
    }
  ]
}`
	cases := []struct{ name, device, want string }{
		{"unknown key", `"hostnmae": "x"`, `line 8: devices[0].hostnmae: unknown key "hostnmae" (known: uuid, hostname, `},
		{"key in the wrong case", `"clusterNAME": "C"`, `line 8: devices[0].clusterNAME: unknown key "clusterNAME"`},
		{"undefined cluster", `"clusterName": "Blue"`, `line 8: devices[0].clusterName: "Blue" is not in clusters (known: C)`},
		{"undefined access group", `"accessGroupName": "Green Group"`, `line 8: devices[0].accessGroupName: "Green Group" is not in accessGroups (known: G)`},
		{"token of an unknown client app", `"tokens": [{"id": "t", "clientId": "nope", "userName": "u"}]`,
			`line 8: devices[0].tokens[0].clientId: "nope" is not the clientId of any of this device's clientApps`},
		{"token without user", `"tokens": [{"id": "t", "clientId": "c1"}]`, `line 8: devices[0].tokens[0]: id, clientId and userName are required`},
		{"repeated token id", `"tokens": [{"id": "t", "clientId": "c1", "userName": "u"},
     {"id": "t", "clientId": "c1", "userName": "v"}]`, `line 9: devices[0].tokens[1].id: "t" is repeated on this device`},
		{"unknown key in a token", `"tokens": [{"id": "t", "clientID": "c1", "userName": "u"}]`, `line 8: devices[0].tokens[0].clientID: unknown key "clientID"`},
		{"standby outside cluster", `"failoverState": "standby"`, `line 8: devices[0].failoverState: only a cluster member can be standby`},
		{"bad failover state", `"failoverState": "passive"`, `line 8: devices[0].failoverState: "passive" is neither active nor standby`},
		{"wrong type", `"httpsPort": "443"`, `line 8: devices[0].httpsPort: a string where a number belongs`},
		{"list where a string belongs", `"clusterName": ["C"]`, `line 8: devices[0].clusterName: a list where a string belongs`},
		{"pinned properties disagree", `"clusterName": "C", "properties": {"cm:gui:module": ["Access", "BigIPDevice"],
     "cm-access-allBigIpDevices": {"clusterName": "Other", "discovered": true, "imported": true}}`,
			`line 8: devices[0].properties: pinned properties disagree with the fixture`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseFixture([]byte(head + "     " + tc.device + tail))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error = %v\nwant it to start %q", err, tc.want)
			}
		})
	}

	for name, tc := range map[string]struct{ fixture, want string }{
		"two active members": {`{"clusters": [{"name": "C"}], "devices": [
  {"uuid": "d1", "hostname": "a", "address": "10.0.0.1", "clusterName": "C"},
  {"uuid": "d2", "hostname": "b", "address": "10.0.0.2", "clusterName": "C"}]}`,
			`line 3: devices[1].failoverState: cluster C already has an active member, d1; make one of them standby`},
		"duplicate uuid": {`{"devices": [
  {"uuid": "d1", "hostname": "a", "address": "10.0.0.1"},
  {"uuid": "d1", "hostname": "b", "address": "10.0.0.2"}]}`, `line 3: devices[1].uuid: d1 is also the uuid of devices[0]`},
		"missing address": {`{"devices": [{"uuid": "d1", "hostname": "a"}]}`, `line 1: devices[0]: uuid, hostname and address are required`},
		"cluster defined twice": {`{"clusters": [{"name": "C"},
  {"name": "C"}]}`, `line 2: clusters[1].name: "C" is defined twice`},
		"access group defined twice": {`{"accessGroups": [{"name": "G"},
  {"name": "G", "displayName": "Again"}]}`, `line 2: accessGroups[1].name: "G" is defined twice`},
		"cluster without a name": {`{"clusters": [
  {"name": ""}]}`, `line 2: clusters[0].name: is empty`},
		"client app without clientId": {`{"devices": [{"uuid": "d1", "hostname": "a", "address": "10.0.0.1",
  "clientApps": [{"name": "app", "appName": "App"}]}]}`, `line 2: devices[0].clientApps[0]: name, appName and clientId are required`},
		"client app defined twice": {`{"devices": [{"uuid": "d1", "hostname": "a", "address": "10.0.0.1",
  "clientApps": [{"name": "app", "appName": "App", "clientId": "c1"},
                 {"name": "app", "appName": "App 2", "clientId": "c2"}]}]}`, `line 3: devices[0].clientApps[1].name: "app" is defined twice on this device`},
		"unknown key in a client app": {`{"devices": [{"uuid": "d1", "hostname": "a", "address": "10.0.0.1",
  "clientApps": [{"name": "app", "appName": "App", "client_id": "c1"}]}]}`, `line 2: devices[0].clientApps[0].client_id: unknown key "client_id" (known: name, appName, clientId`},
		"unknown key in a cluster": {`{"clusters": [{"name": "C",
  "members": 2}]}`, `line 2: clusters[0].members: unknown key "members"`},
		"import without discovery": {`{"devices": [{"uuid": "d1", "hostname": "a", "address": "10.0.0.1", "trustEstablished": true, "accessImported": true}]}`,
			`line 1: devices[0].accessImported: APM cannot be imported without being discovered`},
		"unknown top-level key": {`{
  "device": []}`, `line 2: device: unknown key "device" (known: clusters, accessGroups, devices, deviceShape)`},
		"not JSON":      {"{\n  \"devices\": [\n  }", `line 3: invalid character '}'`},
		"cut short":     {`{"devices": [`, `line 1: the fixture ends too early`},
		"trailing data": {"{}\n{}", `line 2: unexpected data after the fixture`},
	} {
		if _, err := ParseFixture([]byte(tc.fixture)); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: error = %v\nwant it to start %q", name, err, tc.want)
		}
	}

	f, err := ParseFixture([]byte(head + `     "accessGroupName": "G", "clusterName": "C"` + tail))
	if err != nil {
		t.Fatal(err)
	}
	d := f.Devices[0]
	if d.HTTPSPort != 443 || d.ManagementAddress != "10.0.0.1" || d.Product != "BIG-IP" || d.FailoverState != "active" || d.MCPDeviceName != "/Common/a" || f.AccessGroups[0].DisplayName != "G" {
		t.Errorf("defaults not applied: %+v", d)
	}
}

func TestFixtureComments(t *testing.T) {
	f, err := ParseFixture([]byte(`// An estate of one.
{
  // No groups yet.
  "accessGroups": [],
  "devices": [
    // The lab box; "quotes" and // inside a comment are fine.
    {"uuid": "d1", "hostname": "a", "address": "10.0.0.1", "hostnmae": "x"}
  ]
}`))
	// Comments keep line numbers: the typo is reported on line 7.
	if err == nil || !strings.HasPrefix(err.Error(), "line 7: devices[0].hostnmae: unknown key") {
		t.Errorf("error = %v, fixture %v", err, f)
	}
}

// The example fixture users copy is small, loads, and behaves as its
// comments say.
func TestExampleFixture(t *testing.T) {
	f, err := LoadFixture("../../examples/mock/fixture.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Devices) != 4 || len(f.Clusters) != 2 || len(f.AccessGroups) != 2 {
		t.Errorf("example has %d devices, %d clusters, %d groups", len(f.Devices), len(f.Clusters), len(f.AccessGroups))
	}
	// It shows every part of the format a user writes: client apps and
	// tokens of more than one user, not just devices.
	apps, users := 0, map[string]bool{}
	for _, d := range f.Devices {
		apps += len(d.ClientApps)
		for _, tok := range d.Tokens {
			users[tok.UserName] = true
		}
	}
	if apps == 0 || len(users) < 2 {
		t.Errorf("example has %d client apps and tokens of users %v; want apps and tokens of two users at least", apps, users)
	}
	const (
		prodA = "0b6a1f0e-3c1d-4e2a-9f6b-1a2b3c4d5e01"
		dr    = "0b6a1f0e-3c1d-4e2a-9f6b-1a2b3c4d5e03"
		lab   = "0b6a1f0e-3c1d-4e2a-9f6b-1a2b3c4d5e04"
	)
	run := func(input map[string]any) *taskEnv {
		env := &taskEnv{T: t, clock: newFakeClock()}
		env.server = StartPlain(t, Options{Fixture: f, Now: env.clock.Now, TaskDuration: taskDuration})
		env.client = newTestClient(t, env.server)
		wantStatus(t, env.run(input), "FINISHED", "COMPLETE", "DONE", "")
		return env
	}
	aliceLeft := func(env *taskEnv, uuid string) int { return usersOf(env.server.Tokens(uuid))["alice"] }

	// Through both Access groups: the DR device is not imported and the
	// lab device has no trust, so only the production pair is reached.
	env := run(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "alice", "accessGroupNames": []string{"RetailGroup", "CorporateGroup"}})
	if left := []int{aliceLeft(env, prodA), aliceLeft(env, dr), aliceLeft(env, lab)}; !reflect.DeepEqual(left, []int{0, 1, 1}) {
		t.Errorf("by group, alice's tokens left on prod-a, dr, lab = %v, want [0 1 1]", left)
	}
	// By cluster and device reference, the DR device is reached; the lab
	// device never is.
	env = run(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "alice",
		"clusterNames": []string{"ProdCluster", "DRCluster"}, "deviceReferences": []any{deviceRef(lab)}})
	if left := []int{aliceLeft(env, prodA), aliceLeft(env, dr), aliceLeft(env, lab)}; !reflect.DeepEqual(left, []int{0, 0, 1}) {
		t.Errorf("by cluster, alice's tokens left on prod-a, dr, lab = %v, want [0 0 1]", left)
	}
}

func TestFixtureFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.json")
	want := GenerateFixture(12, 2, 3, 9)
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := LoadFixture(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("fixture changed through JSON")
	}
	if _, err := LoadFixture(filepath.Join(t.TempDir(), "none.json")); err == nil {
		t.Error("missing file accepted")
	}
}

func TestGenerateFixture(t *testing.T) {
	a, b := GenerateFixture(10, 3, 4, 1), GenerateFixture(10, 3, 4, 1)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, different fixtures")
	}
	if reflect.DeepEqual(a, GenerateFixture(10, 3, 4, 2)) {
		t.Error("different seeds, same fixture")
	}
	clusters := map[string][]string{}
	for i, d := range a.Devices {
		if !uuidPattern.MatchString(d.UUID) || !strings.HasPrefix(d.Hostname, "bigip") {
			t.Errorf("device %d: uuid %q hostname %q", i, d.UUID, d.Hostname)
		}
		if d.ClusterName != "" {
			clusters[d.ClusterName] = append(clusters[d.ClusterName], d.FailoverState)
		}
		switch d.FailoverState {
		case "standby":
			if len(d.Tokens) != 0 || !reflect.DeepEqual(d.ClientApps, a.Devices[i-1].ClientApps) {
				t.Errorf("standby %d: %d tokens, apps %v", i, len(d.Tokens), d.ClientApps)
			}
		default:
			if len(d.Tokens) != 4 || len(d.ClientApps) != 3 {
				t.Errorf("device %d: %d tokens %d apps", i, len(d.Tokens), len(d.ClientApps))
			}
		}
	}
	// 10 devices: pairs at 0-1, 4-5, 8-9; 2, 3, 6, 7 standalone.
	if len(clusters) != 3 {
		t.Errorf("clusters = %v", clusters)
	}
	for name, states := range clusters {
		if !reflect.DeepEqual(states, []string{"active", "standby"}) {
			t.Errorf("%s: %v", name, states)
		}
	}
	// An odd count leaves the last device without a peer, so standalone.
	if last := GenerateFixture(9, 0, 0, 1).Devices[8]; last.ClusterName != "" {
		t.Errorf("device without a peer is in %s", last.ClusterName)
	}
}

func TestNewDoesNotChangeTheCallersFixture(t *testing.T) {
	f := &Fixture{Devices: []FixtureDevice{{UUID: "d1", Hostname: "a.example", Address: "10.0.0.1"}}}
	m := New(Options{Fixture: f})
	if f.Devices[0].HTTPSPort != 0 {
		t.Error("New wrote defaults into the caller's fixture")
	}
	m.AddToken("d1", Token{ID: "t1", UserName: "u"})
	if len(f.Devices[0].Tokens) != 0 || len(m.Tokens("d1")) != 1 {
		t.Error("tokens are shared with the fixture")
	}
}
