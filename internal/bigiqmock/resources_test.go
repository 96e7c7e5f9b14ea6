package bigiqmock

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"slices"
	"testing"
)

// The machineid-resolver item of F5's revocation how-to, verbatim.
func howToDevice(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("testdata/howto-device.json")
	if err != nil {
		t.Fatal(err)
	}
	var item map[string]any
	if err := json.Unmarshal(raw, &item); err != nil {
		t.Fatal(err)
	}
	return item
}

func TestSeedDeviceIsServedExactly(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	want := howToDevice(t)

	status, list := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver", nil)
	if status != http.StatusOK {
		t.Fatalf("list: %d %v", status, list)
	}
	var got map[string]any
	for _, it := range arr(list["items"]) {
		if obj(it)["uuid"] == blueActive {
			got = obj(it)
		}
	}
	if got == nil {
		t.Fatalf("the how-to device is missing from %v", itemValues(t, list, "uuid"))
	}
	for k, v := range want {
		if !reflect.DeepEqual(got[k], v) {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected field %s", k)
		}
	}

	status, one := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver/"+blueActive, nil)
	if status != http.StatusOK || !reflect.DeepEqual(one, want) {
		t.Errorf("single item: %d, equal to the how-to's: %v", status, reflect.DeepEqual(one, want))
	}
	if list["kind"] != kindDeviceCollection || list["generation"] != 0.0 || list["totalItems"] != 5.0 {
		t.Errorf("collection envelope: kind %v generation %v totalItems %v", list["kind"], list["generation"], list["totalItems"])
	}
}

func TestGeneratedDeviceProperties(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	cases := []struct {
		uuid        string
		modules     []any
		cluster     any
		accessGroup any
	}{
		{blueStandby, []any{"Access", "BigIPDevice"}, "BlueCluster", "TestGroup"},
		{red, []any{"Access", "BigIPDevice"}, "RedCluster", "TestGroup2"},
		{green, []any{"Access", "BigIPDevice"}, nil, "GreenGroup"},
		{orange, []any{"BigIPDevice"}, nil, nil},
	}
	for _, tc := range cases {
		status, d := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver/"+tc.uuid, nil)
		if status != http.StatusOK {
			t.Fatalf("%s: %d", tc.uuid, status)
		}
		props := obj(d["properties"])
		if !reflect.DeepEqual(props["cm:gui:module"], tc.modules) {
			t.Errorf("%s: cm:gui:module = %v, want %v", tc.uuid, props["cm:gui:module"], tc.modules)
		}
		access, _ := props["cm-access-allBigIpDevices"].(map[string]any)
		if access["clusterName"] != tc.cluster || access["cm:access:access-group-name"] != tc.accessGroup {
			t.Errorf("%s: cm-access-allBigIpDevices = %v", tc.uuid, access)
		}
		if d["machineId"] != tc.uuid || d["selfLink"] != "https://localhost/mgmt/cm/system/machineid-resolver/"+tc.uuid || d["kind"] != kindDevice {
			t.Errorf("%s: machineId/selfLink/kind = %v %v %v", tc.uuid, d["machineId"], d["selfLink"], d["kind"])
		}
	}

	status, body := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver/00000000-0000-0000-0000-000000000000", nil)
	wantError(t, status, body, http.StatusNotFound, "Object not found - https://localhost/mgmt/cm/system/machineid-resolver/00000000-0000-0000-0000-000000000000")
}

func TestClientAppsForDocumentedQuery(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	q := url.Values{
		"$filter": {"'lsoDeviceReference/machineId' eq '" + blueActive + "'"},
		"$select": {"appName,name,clientId"},
	}
	status, body := c.do(http.MethodGet, "/mgmt/cm/access/working-config/apm/oauth/oauth-client-app?"+q.Encode(), nil)
	if status != http.StatusOK {
		t.Fatalf("%d %v", status, body)
	}
	want := []any{
		map[string]any{"appName": "Shutterfly", "clientId": "89923892aed8eb142a8871058da9005056b09ae221df6a57", "name": "shutterfly-client"},
		map[string]any{"appName": "Maps", "clientId": "5b3e8851b1d872feed3086484141005056b09ae2d5277c57", "name": "maps-client"},
	}
	if !reflect.DeepEqual(body["items"], want) {
		t.Errorf("items = %v, want %v", body["items"], want)
	}
	if body["totalItems"] != 2.0 || body["kind"] != "cm:access:working-config:apm:oauth:oauth-client-app:oauthclientappcollectionstate" ||
		body["selfLink"] != "https://localhost/mgmt/cm/access/working-config/apm/oauth/oauth-client-app" {
		t.Errorf("envelope = %v", body)
	}

	status, all := c.do(http.MethodGet, "/mgmt/cm/access/working-config/apm/oauth/oauth-client-app", nil)
	if status != http.StatusOK || all["totalItems"] != 7.0 {
		t.Fatalf("all apps: %d totalItems %v", status, all["totalItems"])
	}
	app := obj(arr(all["items"])[0])
	ref := obj(app["lsoDeviceReference"])
	if ref["machineId"] != blueActive || ref["link"] != "https://localhost/mgmt/cm/system/machineid-resolver/"+blueActive ||
		app["kind"] != kindApp || app["selfLink"] != "https://localhost/mgmt/cm/access/working-config/apm/oauth/oauth-client-app/"+str(app["id"]) {
		t.Errorf("app item = %v", app)
	}
	if status, one := c.do(http.MethodGet, "/mgmt/cm/access/working-config/apm/oauth/oauth-client-app/"+str(app["id"]), nil); status != http.StatusOK || one["clientId"] != app["clientId"] {
		t.Errorf("app by id: %d %v", status, one)
	}
}

func TestAccessGroups(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	q := url.Values{"$filter": {"'properties/cm:access:access_group' eq 'true'"}, "$select": {"groupName,displayName"}}
	status, body := c.do(http.MethodGet, "/mgmt/shared/resolver/device-groups?"+q.Encode(), nil)
	if status != http.StatusOK {
		t.Fatalf("%d %v", status, body)
	}
	want := []any{
		map[string]any{"groupName": "TestGroup", "displayName": "TestGroup"},
		map[string]any{"groupName": "TestGroup2", "displayName": "TestGroup2"},
		map[string]any{"groupName": "GreenGroup", "displayName": "Green Group"},
	}
	if !reflect.DeepEqual(body["items"], want) {
		t.Errorf("items = %v, want %v", body["items"], want)
	}
	status, all := c.do(http.MethodGet, "/mgmt/shared/resolver/device-groups", nil)
	if status != http.StatusOK || !slices.Contains(itemValues(t, all, "groupName"), "cm-bigip-allBigIpDevices") {
		t.Errorf("unfiltered groups should include non-access groups: %v", all)
	}
	status, g := c.do(http.MethodGet, "/mgmt/shared/resolver/device-groups/TestGroup", nil)
	if status != http.StatusOK || obj(g["properties"])["cm:access:access_group"] != true || g["selfLink"] != "https://localhost/mgmt/shared/resolver/device-groups/TestGroup" {
		t.Errorf("group item: %d %v", status, g)
	}
	status, body = c.do(http.MethodGet, "/mgmt/shared/resolver/device-groups/NoSuchGroup", nil)
	wantError(t, status, body, http.StatusNotFound, "Object not found - https://localhost/mgmt/shared/resolver/device-groups/NoSuchGroup")
	status, body = c.do(http.MethodGet, "/mgmt/shared/resolver/device-groups/TestGroup/devices/x/y", nil)
	wantError(t, status, body, http.StatusNotFound, "Public URI path not registered")
}

func TestUnknownPath(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	status, body := c.do(http.MethodGet, "/mgmt/cm/nothing/here", nil)
	wantError(t, status, body, http.StatusNotFound, "Public URI path not registered")
	status, body = c.do(http.MethodDelete, "/mgmt/cm/system/machineid-resolver", nil)
	if status != http.StatusMethodNotAllowed || body["kind"] != ":resterrorresponse" {
		t.Errorf("DELETE on a collection: %d %v", status, body)
	}
}
