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
	seed := f.Devices[0]
	if seed.Address != "10.255.4.124" || seed.ManagementAddress != "10.192.123.69" || seed.Version != "12.1.0" || seed.Build != "0.0.1354" || seed.IsClustered || !seed.IsVirtual {
		t.Errorf("seed device = %+v", seed)
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
	device := `{"uuid":"d1","hostname":"a.example","address":"10.0.0.1","trustEstablished":true,"accessDiscovered":true,"accessImported":true`
	cases := map[string]string{
		"unknown field":            `{"devices":[` + device + `,"hostnmae":"x"}]}`,
		"missing address":          `{"devices":[{"uuid":"d1","hostname":"a"}]}`,
		"duplicate uuid":           `{"devices":[` + device + `},` + device + `}]}`,
		"undefined access group":   `{"devices":[` + device + `,"accessGroupName":"G"}]}`,
		"two active members":       `{"devices":[` + device + `,"clusterName":"C"},{"uuid":"d2","hostname":"b","address":"10.0.0.2","clusterName":"C"}]}`,
		"standby outside cluster":  `{"devices":[` + device + `,"failoverState":"standby"}]}`,
		"bad failover state":       `{"devices":[` + device + `,"failoverState":"passive"}]}`,
		"import without discovery": `{"devices":[{"uuid":"d1","hostname":"a","address":"10.0.0.1","trustEstablished":true,"accessImported":true}]}`,
		"repeated token id":        `{"devices":[` + device + `,"tokens":[{"id":"t","clientId":"c","userName":"u"},{"id":"t","clientId":"c","userName":"v"}]}]}`,
		"pinned properties disagree": `{"devices":[` + device + `,"clusterName":"C","properties":{"cm:gui:module":["Access","BigIPDevice"],
			"cm-access-allBigIpDevices":{"clusterName":"OtherCluster","discovered":true,"imported":true}}}]}`,
		"not JSON": `{"devices":`,
	}
	for name, data := range cases {
		if _, err := ParseFixture([]byte(data)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	f, err := ParseFixture([]byte(`{"accessGroups":[{"name":"G"}],"devices":[` + device + `,"accessGroupName":"G"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	d := f.Devices[0]
	if d.HTTPSPort != 443 || d.ManagementAddress != "10.0.0.1" || d.Product != "BIG-IP" || d.FailoverState != "active" || d.MCPDeviceName != "/Common/a" || f.AccessGroups[0].DisplayName != "G" {
		t.Errorf("defaults not applied: %+v", d)
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
