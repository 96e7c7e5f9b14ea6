package bigiqmock

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// device fetches one resolver item.
func (e *taskEnv) device(uuid string) map[string]any {
	e.Helper()
	status, d := e.client.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver/"+uuid, nil)
	if status != http.StatusOK {
		e.Fatalf("GET device %s: %d %v", uuid, status, d)
	}
	return d
}

// accessProps is a device's cm-access-allBigIpDevices block.
func accessProps(d map[string]any) map[string]any {
	return obj(obj(d["properties"])["cm-access-allBigIpDevices"])
}

// clusterMembers lists the machine ids the resolver reports in a cluster.
func (e *taskEnv) clusterMembers(cluster string) []string {
	e.Helper()
	_, list := e.client.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver", nil)
	var out []string
	for _, it := range arr(list["items"]) {
		if accessProps(obj(it))["clusterName"] == cluster {
			out = append(out, str(obj(it)["machineId"]))
		}
	}
	return out
}

func TestMoveDevice(t *testing.T) {
	env := newTaskEnv(t)
	before := env.device(green)

	// Red leaves RedCluster, which is then empty, and green joins it.
	if err := env.server.MoveDevice(red, "", "TestGroup2"); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, env.run(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "alice", "clusterNames": []string{"RedCluster"}}),
		"FAILED", "FAILED", "RESOLVE_DEVICES", MessageNoMatchingDevices)
	if err := env.server.MoveDevice(green, "RedCluster", "TestGroup"); err != nil {
		t.Fatal(err)
	}
	after := env.device(green)
	if p := accessProps(after); p["clusterName"] != "RedCluster" || p["cm:access:access-group-name"] != "TestGroup" {
		t.Errorf("moved device's access properties = %v", p)
	}
	if gen := func(d map[string]any) float64 { g, _ := d["generation"].(float64); return g }; after["isClustered"] != true || gen(after) <= gen(before) {
		t.Errorf("isClustered = %v, generation %v → %v", after["isClustered"], before["generation"], after["generation"])
	}
	// Its first task in the new cluster revokes there; its old group no
	// longer reaches it.
	wantStatus(t, env.run(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "clusterNames": []string{"RedCluster"}}), "FINISHED", "COMPLETE", "DONE", "")
	if usersOf(env.server.Tokens(green))["user1"] != 0 {
		t.Error("user1's token on the moved device survived a task on its new cluster")
	}
	wantStatus(t, env.run(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "alice", "accessGroupNames": []string{"GreenGroup"}}),
		"FAILED", "FAILED", "RESOLVE_DEVICES", MessageNoMatchingDevices)

	// Joining a cluster with an active member, it becomes the standby.
	if err := env.server.MoveDevice(green, "BlueCluster", "TestGroup"); err != nil {
		t.Fatal(err)
	}
	if got := env.clusterMembers("BlueCluster"); !slices.Equal(got, []string{blueActive, blueStandby, green}) {
		t.Errorf("BlueCluster = %v", got)
	}
	if accessProps(env.device(green))["cm:access:source-device"] != false {
		t.Error("a device that joined an HA pair is its source device")
	}

	// Leaving every cluster, it is standalone and active again.
	if err := env.server.MoveDevice(green, "", ""); err != nil {
		t.Fatal(err)
	}
	if p := accessProps(env.device(green)); p["clusterName"] != nil || p["cm:access:access-group-name"] != nil || p["cm:access:source-device"] != true {
		t.Errorf("standalone device's access properties = %v", p)
	}
}

func TestMoveDeviceRefusesWhatBIGIQCouldNotHave(t *testing.T) {
	env := newTaskEnv(t)
	if err := env.server.MoveDevice(green, "", "NoSuchGroup"); err == nil {
		t.Error("moved into an Access group that does not exist")
	}
	if err := env.server.MoveDevice(green, "NoSuchCluster", ""); err == nil {
		t.Error("moved into a cluster that does not exist")
	}
	if err := env.server.MoveDevice("no-such-device", "BlueCluster", ""); !errors.Is(err, ErrUnknownDevice) {
		t.Errorf("unknown device: %v", err)
	}
	// A refused change leaves the estate as it was.
	if p := accessProps(env.device(green)); p["cm:access:access-group-name"] != "GreenGroup" || p["clusterName"] != nil {
		t.Errorf("after a refused move: %v", p)
	}
}

func TestAddAndRemoveDevice(t *testing.T) {
	env := newTaskEnv(t)
	added := FixtureDevice{
		UUID: "0a1b2c3d-0000-4000-8000-000000000001", Hostname: "newbigip.labf.com", Address: "10.255.4.200",
		ClusterName: "RedCluster", FailoverState: "standby",
		TrustEstablished: true, AccessDiscovered: true, AccessImported: true,
		ClientApps: []FixtureClientApp{{Name: "new-client", AppName: "New", ClientID: "c0ffee"}},
		Tokens:     []Token{{ID: "new-token", ClientID: "c0ffee", UserName: "user1"}},
	}
	if err := env.server.AddDevice(added); err != nil {
		t.Fatal(err)
	}
	if got := env.clusterMembers("RedCluster"); !slices.Equal(got, []string{red, added.UUID}) {
		t.Errorf("RedCluster = %v", got)
	}
	if got := env.device(added.UUID)["hostname"]; got != added.Hostname {
		t.Errorf("added device's hostname = %v", got)
	}
	status, apps := env.client.do(http.MethodGet, "/mgmt/cm/access/working-config/apm/oauth/oauth-client-app?$filter='lsoDeviceReference/machineId'%20eq%20'"+added.UUID+"'", nil)
	if status != http.StatusOK || !slices.Equal(itemValues(t, apps, "clientId"), []string{"c0ffee"}) {
		t.Errorf("added device's apps: %d %v", status, apps)
	}
	if got := tokenIDs(env.server.Tokens(added.UUID)); !slices.Equal(got, []string{"new-token"}) {
		t.Errorf("added device's tokens = %v", got)
	}
	if err := env.server.AddDevice(added); err == nil {
		t.Error("added the same device twice")
	}

	if err := env.server.RemoveDevice(green); err != nil {
		t.Fatal(err)
	}
	if status, _ := env.client.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver/"+green, nil); status != http.StatusNotFound {
		t.Errorf("GET removed device: %d", status)
	}
	if len(env.server.Tokens(green)) != 0 {
		t.Error("a removed device kept its tokens")
	}
	wantStatus(t, env.run(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "deviceReferences": []any{deviceRef(green)}}),
		"FAILED", "FAILED", "RESOLVE_DEVICES", MessageNoMatchingDevices)
	if err := env.server.RemoveDevice(green); !errors.Is(err, ErrUnknownDevice) {
		t.Errorf("removing it again: %v", err)
	}
}

// BIG-IQ revokes only on devices it can reach: trust established and APM
// discovered, and through an Access group only where APM is imported.
func TestTargetsSkipDevicesBIGIQCannotReach(t *testing.T) {
	byGroup := map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "accessGroupNames": []string{"GreenGroup"}}
	byRef := map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "deviceReferences": []any{deviceRef(green)}}
	cases := []struct {
		name          string
		update        func(d *FixtureDevice)
		modules       []any
		groupReaches  bool
		directReaches bool
	}{
		{"reachable", func(*FixtureDevice) {}, []any{"Access", "BigIPDevice"}, true, true},
		{"APM not imported", func(d *FixtureDevice) { d.AccessImported = false }, []any{"Access", "BigIPDevice"}, false, true},
		{"APM not discovered", func(d *FixtureDevice) { d.AccessImported, d.AccessDiscovered = false, false }, []any{"BigIPDevice"}, false, false},
		{"trust broken after discovery", func(d *FixtureDevice) { d.TrustEstablished = false }, []any{"Access"}, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, input := range []map[string]any{byGroup, byRef} {
				env := newTaskEnv(t)
				if err := env.server.UpdateDevice(green, tc.update); err != nil {
					t.Fatal(err)
				}
				if got := obj(env.device(green)["properties"])["cm:gui:module"]; !slices.Equal(arr(got), tc.modules) {
					t.Errorf("cm:gui:module = %v, want %v", got, tc.modules)
				}
				reaches := tc.directReaches
				if _, ok := input["accessGroupNames"]; ok {
					reaches = tc.groupReaches
				}
				task := env.run(input)
				if reaches {
					wantStatus(t, task, "FINISHED", "COMPLETE", "DONE", "")
				} else {
					wantStatus(t, task, "FAILED", "FAILED", "RESOLVE_DEVICES", MessageNoMatchingDevices)
				}
				if revoked := usersOf(env.server.Tokens(green))["user1"] == 0; revoked != reaches {
					t.Errorf("%v: user1's token revoked = %v, want %v", input, revoked, reaches)
				}
			}
		})
	}
}

func TestMoveDeviceOverHTTP(t *testing.T) {
	env := newTaskEnv(t)
	status, body := env.client.do(http.MethodPost, "/mock/move-device", map[string]string{"machineId": green, "clusterName": "BlueCluster", "accessGroupName": "TestGroup"})
	if status != http.StatusOK || body["machineId"] != green {
		t.Fatalf("move: %d %v", status, body)
	}
	if got := env.clusterMembers("BlueCluster"); !slices.Contains(got, green) {
		t.Errorf("BlueCluster = %v", got)
	}
	status, body = env.client.do(http.MethodPost, "/mock/move-device", map[string]string{"machineId": "nope"})
	wantError(t, status, body, http.StatusNotFound, "bigiqmock: no such device: nope")
	status, _ = env.client.do(http.MethodPost, "/mock/move-device", map[string]string{"machineID": green, "cluster": "x"})
	if status != http.StatusBadRequest {
		t.Errorf("misspelt body: %d", status)
	}
	if n := env.server.CountRequests("", "/mock/"); n != 0 {
		t.Errorf("/mock/ requests were recorded: %d", n)
	}
}

// TestChangeEstateDuring: a change timed before a task's RESOLVE_DEVICES
// step decides what the task revokes on; one timed after it does not, but
// the estate after the task shows it. Both happen on the fake clock, at
// the step, not at the POST.
func TestChangeEstateDuring(t *testing.T) {
	redUser1 := map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "clusterNames": []string{"RedCluster"}}
	t.Run("before resolve", func(t *testing.T) {
		env := newTaskEnv(t)
		env.server.ChangeEstateDuring(BeforeResolve, Move(red, "", "TestGroup2"))
		id := str(env.start(redUser1)["id"])
		if got := env.clusterMembers("RedCluster"); !slices.Equal(got, []string{red}) {
			t.Fatalf("RedCluster after the POST = %v, want red still there: the change waits for the step", got)
		}
		env.clock.Advance(taskDuration)
		wantStatus(t, env.get(id), "FAILED", "FAILED", "RESOLVE_DEVICES", MessageNoMatchingDevices)
		if !slices.Contains(tokenIDs(env.server.Tokens(red)), redUser1Token) {
			t.Error("red left before the task resolved its targets, yet its token of user1 was revoked")
		}
	})
	t.Run("after resolve", func(t *testing.T) {
		env := newTaskEnv(t)
		env.server.ChangeEstateDuring(AfterResolve, Move(red, "", "TestGroup2"))
		env.server.ChangeEstateDuring(AfterResolve, Move("no-such-device", "", ""))
		wantStatus(t, env.run(redUser1), "FINISHED", "COMPLETE", "DONE", "")
		if slices.Contains(tokenIDs(env.server.Tokens(red)), redUser1Token) {
			t.Error("red left after the task resolved its targets, yet its token of user1 is still live")
		}
		if got := env.clusterMembers("RedCluster"); len(got) != 0 {
			t.Errorf("RedCluster after the task = %v, want empty", got)
		}
		env.mu.Lock()
		defer env.mu.Unlock()
		if !slices.ContainsFunc(env.events, func(e string) bool { return strings.Contains(e, "timed estate change failed") }) {
			t.Errorf("the failed change was not logged: %v", env.events)
		}
	})
}

// TestListings counts whole listings, not pages or filtered queries.
func TestListings(t *testing.T) {
	env := newTaskEnv(t)
	for _, q := range []string{"", "?$top=2", "?$top=2&$skip=2", "?$filter=address+eq+'10.0.0.1'"} {
		env.client.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver"+q, nil)
	}
	if got := env.server.Listings("/mgmt/cm/system/machineid-resolver"); got != 2 {
		t.Errorf("Listings = %d, want 2 (the unpaged one and the first of two pages)", got)
	}
}
