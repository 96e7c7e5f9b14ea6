package bigiqmock

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// listDeviceItems reads the whole machineid-resolver as raw items.
func listDeviceItems(t *testing.T, s *Server) []json.RawMessage {
	t.Helper()
	c := newTestClient(t, s)
	status, raw := c.doRaw(http.MethodGet, pathDevices, nil)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", pathDevices, status, raw)
	}
	var page struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		t.Fatal(err)
	}
	return page.Items
}

func TestDeviceShape8ListsBIGIQ8SizedItems(t *testing.T) {
	f := GenerateFixture(40, 1, 0, 3)
	f.DeviceShape = DeviceShape8
	items := listDeviceItems(t, StartPlain(t, Options{Fixture: f}))
	if len(items) != 40 {
		t.Fatalf("%d items", len(items))
	}
	total := 0
	for i, raw := range items {
		d := &f.Devices[i]
		total += len(raw)
		// F5: 20 to 30 KB an item once LTM, ASM, AFM and DNS are discovered.
		if len(raw) < 17_000 || len(raw) > 32_000 {
			t.Errorf("device %d (clustered %v): %d bytes", i, d.IsClustered, len(raw))
		}
		var item struct {
			Properties map[string]json.RawMessage `json:"properties"`
		}
		if err := json.Unmarshal(raw, &item); err != nil {
			t.Fatal(err)
		}
		want := []string{"cm-bigip-allBigIpDevices", "cm-adccore-allbigipDevices", "cm-asm-allAsmDevices", "cm-security-shared-allSharedDevices", "cm-dns-allBigIpDevices"}
		clusterBlocks := []string{"cm-adccore-adccluster_", "cm-asm-asmCluster_", "cm-dns-dnsCluster_"}
		for _, prefix := range clusterBlocks {
			name := prefix + d.ClusterName
			if _, ok := item.Properties[name]; ok != (d.ClusterName != "") {
				t.Errorf("device %d in cluster %q: block %s present %v", i, d.ClusterName, name, ok)
			}
			if d.ClusterName != "" {
				want = append(want, name)
			}
		}
		for _, name := range want {
			var block map[string]any
			if err := json.Unmarshal(item.Properties[name], &block); err != nil {
				t.Fatalf("device %d: %s: %v", i, name, err)
			}
			flags := 0
			for key, v := range block {
				if _, isBool := v.(bool); isBool && strings.HasPrefix(key, "supports") {
					flags++
				}
			}
			if flags < 90 || block["discoveryStatus"] != "FINISHED" || block["importStatus"] != "FINISHED" ||
				block["lastDiscoveredDateTime"] == nil || block["importedDateTime"] == nil {
				t.Errorf("device %d: %s has %d supports flags: %v", i, name, flags, block)
			}
			if cluster, _ := block["clusterName"].(string); cluster != d.ClusterName {
				t.Errorf("device %d: %s names cluster %q, want %q", i, name, cluster, d.ClusterName)
			}
		}
		var gui []string
		if err := json.Unmarshal(item.Properties["cm:gui:module"], &gui); err != nil {
			t.Fatal(err)
		}
		for _, m := range []string{"Access", "BigIPDevice", "adc", "asmsecurity", "sharedsecurity", "dns"} {
			if !slices.Contains(gui, m) {
				t.Errorf("device %d: cm:gui:module %v lacks %s", i, gui, m)
			}
		}
		// What the 5.2 shape says stays said.
		if _, ok := item.Properties[groupAllAccessDevices]; !ok {
			t.Errorf("device %d: no %s block", i, groupAllAccessDevices)
		}
	}
	if mean := total / len(items); mean < 20_000 || mean > 30_000 {
		t.Errorf("mean item %d bytes, want 20-30 KB", mean)
	}
}

func TestDeviceShapeDefaultIsSeed001Size(t *testing.T) {
	for _, shape := range []string{"", DeviceShape52} {
		f := GenerateFixture(8, 1, 0, 3)
		f.DeviceShape = shape
		for i, raw := range listDeviceItems(t, StartPlain(t, Options{Fixture: f})) {
			if len(raw) > 4_000 || strings.Contains(string(raw), "cm-asm-allAsmDevices") {
				t.Errorf("shape %q, device %d: %d bytes, BIG-IQ 8 blocks %v", shape, i, len(raw), strings.Contains(string(raw), "cm-asm"))
			}
		}
	}
}

func TestDeviceShapeInFixtureFile(t *testing.T) {
	f, err := ParseFixture([]byte(`{"deviceShape": "8", "accessGroups": [], "devices": [
		{"uuid": "d1", "hostname": "a.example", "address": "10.0.0.1", "trustEstablished": true, "accessDiscovered": true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if items := listDeviceItems(t, StartPlain(t, Options{Fixture: f})); len(items[0]) < 17_000 {
		t.Errorf("deviceShape 8 item is %d bytes", len(items[0]))
	}
	_, err = ParseFixture([]byte(`{"deviceShape": "9", "accessGroups": [], "devices": []}`))
	if err == nil || !strings.Contains(err.Error(), `deviceShape: "9" is neither "5.2" nor "8"`) {
		t.Errorf("deviceShape 9: %v", err)
	}
}
