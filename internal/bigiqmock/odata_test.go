package bigiqmock

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestFilterParsing(t *testing.T) {
	item := []byte(`{"address":"10.255.4.124","hostname":"it's.example","isVirtual":true,"httpsPort":443,
		"properties":{"cm-access-allBigIpDevices":{"clusterName":"BlueCluster"},"cm:gui:module":["Access","BigIPDevice"]},
		"lsoDeviceReference":{"machineId":"m1"}}`)
	cases := []struct {
		filter string
		want   bool
	}{
		{`'address' eq '10.255.4.124'`, true},
		{`address eq '10.255.4.124'`, true},
		{`('address' eq '10.255.4.124')`, true},
		{`'address' eq '10.255.4.1' or 'address' eq '10.255.4.124'`, true},
		{`'address' eq '10.255.4.1' or 'address' eq '10.255.4.2'`, false},
		{`'address' eq '10.255.4.124' and 'hostname' eq 'x'`, false},
		// and binds tighter than or; parentheses change that.
		{`'hostname' eq 'x' and 'address' eq 'nope' or 'isVirtual' eq 'true'`, true},
		{`'hostname' eq 'x' and ('address' eq 'nope' or 'isVirtual' eq 'true')`, false},
		{`'hostname' eq 'it''s.example'`, true},
		{`'hostname' eq 'its.example'`, false},
		{`'properties/cm-access-allBigIpDevices/clusterName' eq 'BlueCluster'`, true},
		{`'lsoDeviceReference/machineId' eq 'm1'`, true},
		{`'properties/cm:gui:module' eq 'Access'`, true},
		{`'isVirtual' eq true`, true},
		{`'httpsPort' eq 443`, true},
		{`'httpsPort' eq '443'`, true},
		{`'hostname' ne 'x'`, true},
		{`'missing' eq ''`, false},
		{`'missing' ne 'x'`, true},
		// A hostile value is still one literal.
		{`'address' eq 'x'' or ''a'' eq ''a'`, false},
		{`'address' EQ '10.255.4.124' OR 'a' eq 'b'`, true},
	}
	for _, tc := range cases {
		n, err := parseFilter(tc.filter)
		if err != nil {
			t.Errorf("%s: %v", tc.filter, err)
			continue
		}
		got := evalFilter(n, func(field string) []string { return fieldValues(item, field) })
		if got != tc.want {
			t.Errorf("%s = %v, want %v", tc.filter, got, tc.want)
		}
	}
}

func TestMalformedFilters(t *testing.T) {
	for _, f := range []string{
		`'address' eq`,
		`'address' eq '10.1`,
		`'address' '10.1'`,
		`('address' eq 'a'`,
		`'address' eq 'a')`,
		`'address' eq 'a' and`,
		`'address' gt 'a'`,
		`address eq bare`,
		`and eq 'a'`,
		`'a' eq 'b' 'c'`,
		`()`,
		`   `,
	} {
		if _, err := parseFilter(f); err == nil {
			t.Errorf("%q parsed; want an error", f)
		}
	}

	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	status, body := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver?"+url.Values{"$filter": {"'address' eq '10.1"}}.Encode(), nil)
	if status != http.StatusBadRequest || !strings.Contains(str(body["message"]), "$filter") {
		t.Errorf("malformed filter: %d %v", status, body)
	}
	wantError(t, status, body, http.StatusBadRequest, str(body["message"]))
	if status, _ := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver?$top=-1", nil); status != http.StatusBadRequest {
		t.Errorf("$top=-1: %d", status)
	}
}

func TestFilterOverHTTP(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	get := func(filter string) []string {
		t.Helper()
		q := url.Values{"$filter": {filter}, "$select": {"hostname"}}
		status, body := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver?"+q.Encode(), nil)
		if status != http.StatusOK {
			t.Fatalf("%s: %d %v", filter, status, body)
		}
		return itemValues(t, body, "hostname")
	}
	cases := []struct {
		filter string
		want   []string
	}{
		{`('address' eq '10.255.4.124' or 'address' eq '10.255.5.10')`, []string{"bluebigipveha1.labf.com", "redbigip1.labf.com"}},
		{`'properties/cm-access-allBigIpDevices/clusterName' eq 'BlueCluster' and hostname eq 'bluebigipveha2.labf.com'`, []string{"bluebigipveha2.labf.com"}},
		{`'hostname' eq 'x'' or ''a'' eq ''a'`, []string{}},
		{`'hostname' ne 'bluebigipveha1.labf.com' and 'properties/cm-access-allBigIpDevices/cm:access:access-group-name' eq 'TestGroup'`, []string{"bluebigipveha2.labf.com"}},
	}
	for _, tc := range cases {
		if got := get(tc.filter); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.filter, got, tc.want)
		}
	}
}

func TestSelect(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	status, body := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver?$select=hostname,uuid,nosuchfield&$top=1", nil)
	if status != http.StatusOK {
		t.Fatal(status)
	}
	want := []any{map[string]any{"hostname": "bluebigipveha1.labf.com", "uuid": blueActive}}
	if !reflect.DeepEqual(body["items"], want) {
		t.Errorf("items = %v, want %v", body["items"], want)
	}
}

// BIG-IQ's $select names top-level fields: a path into properties narrows
// nothing and selects nothing, so a client that asked for one would read
// devices without their properties.
func TestSelectDoesNotReachIntoProperties(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	status, body := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver?$select=uuid,properties/cm:gui:module,properties.cm:gui:module&$top=1", nil)
	if status != http.StatusOK {
		t.Fatal(status)
	}
	want := []any{map[string]any{"uuid": blueActive}}
	if !reflect.DeepEqual(body["items"], want) {
		t.Errorf("items = %v, want %v", body["items"], want)
	}
}

func TestPaging(t *testing.T) {
	s := StartPlain(t, Options{Fixture: GenerateFixture(23, 1, 0, 7)})
	c := newTestClient(t, s)
	var seen []string
	next := "/mgmt/cm/system/machineid-resolver?$select=hostname&$top=10"
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("too many pages")
		}
		status, body := c.do(http.MethodGet, next, nil)
		if status != http.StatusOK {
			t.Fatalf("%s: %d %v", next, status, body)
		}
		if body["totalItems"] != 23.0 {
			t.Errorf("totalItems = %v", body["totalItems"])
		}
		if body["pageIndex"] != float64(pages+1) || body["totalPages"] != 3.0 {
			t.Errorf("page %d: pageIndex %v totalPages %v", pages, body["pageIndex"], body["totalPages"])
		}
		seen = append(seen, itemValues(t, body, "hostname")...)
		next = ""
		if link, ok := body["nextLink"].(string); ok {
			u, err := url.Parse(link)
			if err != nil || u.Host != "localhost" || u.Scheme != "https" {
				t.Fatalf("nextLink %q", link)
			}
			if !strings.Contains(u.RawQuery, "$select=hostname") || !strings.Contains(u.RawQuery, "$top=10") {
				t.Errorf("nextLink %q lost the original query", link)
			}
			next = u.RequestURI()
		}
	}
	if len(seen) != 23 || seen[0] != "bigip00000.gen.example.com" || seen[22] != "bigip00022.gen.example.com" {
		t.Errorf("paged through %d items: %v", len(seen), seen)
	}

	status, body := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver?$top=5&$skip=20", nil)
	if status != http.StatusOK || len(arr(body["items"])) != 3 || body["nextLink"] != nil {
		t.Errorf("last page: %d, %d items, nextLink %v", status, len(arr(body["items"])), body["nextLink"])
	}
	status, body = c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver?$skip=30", nil)
	if status != http.StatusOK || len(arr(body["items"])) != 0 || body["totalItems"] != 23.0 {
		t.Errorf("skip past the end: %d %v", status, body)
	}
}

func TestMaxPageSizeForcesPaging(t *testing.T) {
	s := StartPlain(t, Options{Fixture: GenerateFixture(7, 0, 0, 1), MaxPageSize: 3})
	c := newTestClient(t, s)
	status, body := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver?$select=uuid", nil)
	if status != http.StatusOK || len(arr(body["items"])) != 3 || body["totalItems"] != 7.0 {
		t.Fatalf("%d %v", status, body)
	}
	if body["nextLink"] != "https://localhost/mgmt/cm/system/machineid-resolver?$select=uuid&$skip=3" {
		t.Errorf("nextLink = %v", body["nextLink"])
	}
	status, body = c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver?$top=100", nil)
	if status != http.StatusOK || len(arr(body["items"])) != 3 {
		t.Errorf("$top above the cap: %d items", len(arr(body["items"])))
	}
}

func TestScale(t *testing.T) {
	devices, budget := 10000, 10*time.Second
	if raceEnabled || testing.Short() {
		devices, budget = 2000, time.Minute
	}
	start := time.Now()
	s := StartPlain(t, Options{Fixture: GenerateFixture(devices, 5, 2, 42)})
	c := newTestClient(t, s)

	var ids []string
	pages := 0
	for next := "/mgmt/cm/system/machineid-resolver?$top=500&$select=uuid,hostname"; next != ""; pages++ {
		_, body := c.do(http.MethodGet, next, nil)
		ids = append(ids, itemValues(t, body, "uuid")...)
		next, _ = body["nextLink"].(string)
		next = strings.TrimPrefix(next, "https://localhost")
	}
	if len(ids) != devices || pages != devices/500 {
		t.Fatalf("paged %d devices in %d pages", len(ids), pages)
	}
	_, all := c.do(http.MethodGet, "/mgmt/cm/access/working-config/apm/oauth/oauth-client-app?$top=1", nil)
	if all["totalItems"] != float64(5*devices) {
		t.Errorf("apps totalItems = %v", all["totalItems"])
	}
	// One app lookup per device, as a provider reading every device does.
	for _, id := range ids[:200] {
		q := url.Values{"$filter": {fmt.Sprintf("'lsoDeviceReference/machineId' eq '%s'", id)}, "$select": {"clientId"}}
		_, body := c.do(http.MethodGet, "/mgmt/cm/access/working-config/apm/oauth/oauth-client-app?"+q.Encode(), nil)
		if body["totalItems"] != 5.0 {
			t.Fatalf("device %s: %v apps", id, body["totalItems"])
		}
	}
	elapsed := time.Since(start)
	t.Logf("%d devices / %d apps: generate, page, 200 lookups in %v", devices, 5*devices, elapsed)
	if elapsed > budget {
		t.Errorf("took %v, budget %v", elapsed, budget)
	}
}
