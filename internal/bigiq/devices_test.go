package bigiq

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

func TestListDevicesDecodesTheDocumentedDevice(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)

	devices, err := c.ListDevices(context.Background(), []string{"10.255.4.124"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Device{{
		UUID: bluebigip, MachineID: bluebigip, Hostname: "bluebigipveha1.labf.com",
		Address: "10.255.4.124", ManagementAddress: "10.192.123.69", DeviceURI: "https://10.192.123.69:443",
		HTTPSPort: 443, State: "ACTIVE", Product: "BIG-IP", Version: "12.1.0", Build: "0.0.1354",
		ClusterName: "BlueCluster", AccessGroupName: "TestGroup", IsClustered: false, IsVirtual: true,
		TrustEstablished: true, AccessDiscovered: true, AccessImported: true,
		SelfLink: DeviceLinkPrefix + bluebigip,
	}}
	if !reflect.DeepEqual(devices, want) {
		t.Errorf("devices =\n%+v\nwant\n%+v", devices, want)
	}
	reqs := sent(s, http.MethodGet, PathDevices)
	if len(reqs) != 1 {
		t.Fatalf("%d device requests; want 1", len(reqs))
	}
	if got := reqs[0].Query.Get("$filter"); got != "('address' eq '10.255.4.124')" {
		t.Errorf("$filter = %q", got)
	}
	if !strings.HasPrefix(reqs[0].RawQuery, "$filter=") {
		t.Errorf("query %q does not name $filter literally, as BIG-IQ writes it", reqs[0].RawQuery)
	}
	if got, want := reqs[0].Query.Get("$select"), strings.Join(deviceFields, ","); got != want {
		t.Errorf("$select = %q; want %q", got, want)
	}
}

func TestListDevicesQuotesHostileFilterValues(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)

	hostile := []string{"x' or 'address' ne 'y", "10.255.4.124') or ('a' eq 'a"}
	devices, err := c.ListDevices(context.Background(), hostile)
	if err != nil {
		t.Fatal(err)
	}
	if len(devices) != 0 {
		t.Errorf("a hostile value matched %d devices: it changed the filter", len(devices))
	}
	got := sent(s, http.MethodGet, PathDevices)[0].Query.Get("$filter")
	want := "('address' eq 'x'' or ''address'' ne ''y' or 'address' eq '10.255.4.124'') or (''a'' eq ''a')"
	if got != want {
		t.Errorf("$filter = %q\nwant      %q", got, want)
	}
}

func TestNormalizeDeviceReference(t *testing.T) {
	t.Parallel()
	const id = "98901455-6384-47cd-bc41-00a39dfe338f"
	valid := map[string]string{
		id:                    DeviceLinkPrefix + id,
		DeviceLinkPrefix + id: DeviceLinkPrefix + id,
		// The device-groups form is sent as the documented machineid-resolver link.
		"https://localhost/mgmt/shared/resolver/device-groups/cm-access-allBigIpDevices/devices/" + id: DeviceLinkPrefix + id,
	}
	for in, want := range valid {
		got, err := NormalizeDeviceReference(in)
		if err != nil || got != want {
			t.Errorf("NormalizeDeviceReference(%q) = %q, %v; want %q", in, got, err, want)
		}
		if MachineIDOf(in) != id {
			t.Errorf("MachineIDOf(%q) = %q; want %q", in, MachineIDOf(in), id)
		}
	}
	for _, in := range []string{
		"",
		"bluebigipveha1",
		"3f320100-2177-42e0-8a46-2e33cd3366d", // the malformed id of F5's revocation how-to: one digit short
		"https://evil.example.com/mgmt/cm/system/machineid-resolver/" + id,
		"http://localhost/mgmt/cm/system/machineid-resolver/" + id,
		"https://localhost/mgmt/cm/system/other/" + id,
		DeviceLinkPrefix,
		DeviceLinkPrefix + id + "/extra",
		DeviceLinkPrefix + "../" + id,
		" " + id,
	} {
		if got, err := NormalizeDeviceReference(in); err == nil {
			t.Errorf("NormalizeDeviceReference(%q) = %q; want an error", in, got)
		}
	}
	// BIG-IQ matches machine ids case-sensitively and writes them in lower
	// case: an upper-case id is sent lower-cased, or the task skips it.
	upper := strings.ToUpper(id)
	for in, want := range map[string]string{
		upper:                    DeviceLinkPrefix + id,
		DeviceLinkPrefix + upper: DeviceLinkPrefix + id,
		"https://localhost/mgmt/shared/resolver/device-groups/cm-access-allBigIpDevices/devices/" + upper: DeviceLinkPrefix + id,
	} {
		if got, err := NormalizeDeviceReference(in); err != nil || got != want {
			t.Errorf("NormalizeDeviceReference(%q) = %q, %v; want %q", in, got, err, want)
		}
		if MachineIDOf(in) != id {
			t.Errorf("MachineIDOf(%q) = %q; want %q", in, MachineIDOf(in), id)
		}
	}
	if !SameDevice(id, DeviceLinkPrefix+strings.ToUpper(id)) || SameDevice("", "") || SameDevice(id, "x") {
		t.Error("SameDevice does not compare machine ids")
	}
}

func TestDeviceRef(t *testing.T) {
	t.Parallel()
	for _, in := range []string{redbigip, DeviceLinkPrefix + redbigip} {
		ref, err := DeviceRef(in)
		if err != nil || ref != (Reference{Link: DeviceLinkPrefix + redbigip}) {
			t.Errorf("DeviceRef(%q) = %+v, %v", in, ref, err)
		}
	}
	if ref, err := DeviceRef("red"); err == nil || ref != (Reference{}) {
		t.Errorf("DeviceRef(\"red\") = %+v, %v; want an error", ref, err)
	}
}

func TestSameDevices(t *testing.T) {
	t.Parallel()
	upper := strings.ToUpper(redbigip)
	cases := []struct {
		a, b []string
		same bool
	}{
		{[]string{redbigip, bluebigip}, []string{DeviceLinkPrefix + bluebigip, upper}, true},
		{[]string{redbigip, redbigip}, []string{DeviceLinkPrefix + redbigip}, true},
		{[]string{redbigip}, []string{bluebigip}, false},
		{[]string{redbigip}, []string{redbigip, bluebigip}, false},
		{nil, []string{}, true},
	}
	for _, tc := range cases {
		if got := SameDevices(tc.a, tc.b); got != tc.same {
			t.Errorf("SameDevices(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

// A BIG-IQ 7/8 lists each device at 20-30 KB, with a block per service
// (LTM, ASM, AFM, DNS) and per cluster beside Access; the client reads the
// same devices from it as from the 5.2-era item.
func TestListDevicesReadsBIGIQ8Items(t *testing.T) {
	t.Parallel()
	fixture := bigiqmock.GenerateFixture(24, 1, 0, 4)
	// Vary what the client reads, so a block of another service that says
	// otherwise (every service block says imported) cannot pass for Access.
	for i := range fixture.Devices {
		d := &fixture.Devices[i]
		switch i % 6 {
		case 2:
			d.AccessImported = false
		case 3:
			d.AccessGroupName = ""
		case 5:
			d.AccessImported, d.AccessDiscovered = false, false
		}
	}
	fixture.Devices[7].TrustEstablished = false
	want := make([]Device, len(fixture.Devices))
	for i, d := range fixture.Devices {
		want[i] = Device{
			UUID: d.UUID, MachineID: d.UUID, Hostname: d.Hostname, Address: d.Address,
			ManagementAddress: d.ManagementAddress, DeviceURI: "https://" + d.ManagementAddress + ":443",
			HTTPSPort: 443, State: "ACTIVE", Product: "BIG-IP", Version: d.Version, Build: d.Build,
			IsClustered: d.IsClustered, IsVirtual: d.IsVirtual,
			TrustEstablished: d.TrustEstablished, AccessDiscovered: d.AccessDiscovered, AccessImported: d.AccessImported,
			SelfLink: DeviceLinkPrefix + d.UUID,
		}
		if d.AccessDiscovered {
			want[i].ClusterName, want[i].AccessGroupName = d.ClusterName, d.AccessGroupName
		}
	}
	for _, shape := range []string{bigiqmock.DeviceShape52, bigiqmock.DeviceShape8} {
		t.Run(shape, func(t *testing.T) {
			t.Parallel()
			f := *fixture
			f.DeviceShape = shape
			s := bigiqmock.Start(t, bigiqmock.Options{Fixture: &f})
			c := newTestClient(t, s)
			c.pageSize = 10
			devices, err := c.ListDevices(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(devices, want) {
				t.Errorf("devices =\n%+v\nwant\n%+v", devices, want)
			}
			if got := len(sent(s, http.MethodGet, PathDevices)); got != 3 {
				t.Errorf("%d page requests; want 3", got)
			}
		})
	}
}
