package bigiq

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// The scanner must read a device page exactly as encoding/json reads it
// into deviceJSON: on the mock's pages of both shapes, with and without
// $select, and on a page that holds what BIG-IQ's pages hold rarely
// (escapes, nulls, nested arrays, numbers in every form, values longer
// than its window), however the bytes arrive.
func TestParseDevicePageMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	pages := map[string][]byte{
		"rare values": []byte(`{"kind":"x","items":[
			{"uuid":"a\"b\\u00e9\u00e9","hostname":null,"httpsPort":-443,"isClustered":true,"isVirtual":null,
			 "slots":[{"n":[1,-2.5e+3,0.1E-2,true,false,null,{},[]]}],"x":"}]","y":"\\\\",
			 "properties":{"cm:gui:module":["Access",null,"BigIP\/Device"],"z":{"cm-access-allBigIpDevices":{"clusterName":"wrong"}},
			  "cm-access-allBigIpDevices":{"clusterName":"c\ta","imported":true,"cm:access:access-group-name":"g","deep":[[[{"a":"]"}]]]}},
			 "selfLink":"l","ma\u0063hineId":"escaped key"},
			null,
			{"properties":null,"uuid":"dup","uuid":"last wins"}],
		  "totalItems": 3 ,"nextLink":null}`),
		"not UTF-8":   []byte("{\"items\":[{\"hostname\":\"caf\xe9\",\"address\":\"\xff\xfe\",\"state\":\"\u00e9t\u00e9\"}]}"),
		"items twice": []byte(`{"items":[{"uuid":"a"}],"totalItems":1,"items":[{"uuid":"b"}]}`),
		// Values longer than the scanner's window, read and skipped.
		"long values": []byte(`{"items":[{"hostname":"` + strings.Repeat("h", 3*scanWindow) + `","properties":{"x":"` +
			strings.Repeat(`a\"`, scanWindow) + `","` + strings.Repeat("k", 2*scanWindow) + `":1},"uuid":"u"}],"totalItems":1}`),
	}
	for name, fixture := range map[string]*bigiqmock.Fixture{"5.2": bigiqmock.GenerateFixture(20, 0, 0, 1), "8": bigiqmock.GenerateFixture(20, 0, 0, 1)} {
		if name == "8" {
			fixture.DeviceShape = bigiqmock.DeviceShape8
		}
		s := bigiqmock.Start(t, bigiqmock.Options{Fixture: fixture})
		c := newTestClient(t, s)
		for sel, q := range map[string]query{"select": deviceQuery(query{}), "all": {}} {
			body, err := c.do(context.Background(), request{method: http.MethodGet, path: PathDevices, query: q.encode(10, 5)})
			if err != nil {
				t.Fatal(err)
			}
			pages[name+" "+sel] = body
		}
	}
	for name, body := range pages {
		want, err := parseCollection[deviceJSON](bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: encoding/json: %v", name, err)
		}
		for how, r := range arrivals(body) {
			got, err := parseDevicePage(r)
			if err != nil {
				t.Fatalf("%s, %s: %v", name, how, err)
			}
			if len(got.Items) == 0 || !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %s: scanned\n%+v\nencoding/json\n%+v", name, how, got, want)
			}
		}
	}
}

func TestParseDevicePageRejectsWhatIsNotACollection(t *testing.T) {
	t.Parallel()
	page := `{"items":[{"uuid":"a","httpsPort":443,"properties":{"cm:gui:module":["Access"],"f":{"g":[true,1]}}}],"totalItems":1}`
	var bad []string
	for i := range len(page) {
		bad = append(bad, page[:i]) // every truncation
	}
	bad = append(bad,
		`<html>502 Bad Gateway</html>`, `[]`, `"items"`, page+`x`, page+`{}`,
		`{"items":[{"uuid":1}]}`, `{"items":[{"httpsPort":"443"}]}`, `{"items":[{"httpsPort":4.5}]}`,
		`{"items":[{"httpsPort":0443}]}`, `{"items":[{"httpsPort":+443}]}`, `{"items":[{"isVirtual":"true"}]}`,
		`{"items":[{"isVirtual":tru}]}`, `{"items":{}}`, `{"totalItems":"many"}`,
		`{"items":[{"properties":{"cm:gui:module":"Access"}}]}`,
		`{"items":[{"x":[}]}`, `{"items":[{"x":{]}}`, `{"items":[{"x":@}]}`,
		"{\"items\":[{\"hostname\":\"a\tb\"}]}", "{\"items\":[{\"hostname\":\"\u00e9\x01\"}]}",
		`{"items":[{"x" 1}]}`, `{"items":[{"x":1 "y":2}]}`, `{"items":[1 2]}`, `{items:[]}`,
	)
	for _, body := range bad {
		for how, r := range arrivals([]byte(body)) {
			if page, err := parseDevicePage(r); err == nil {
				t.Errorf("%s: accepted %q as %+v", how, body, page)
			} else if !strings.Contains(err.Error(), "not a BIG-IQ collection") {
				t.Errorf("%s: %q: error %q does not say what was wrong", how, body, err)
			}
		}
	}
}

// A BIG-IQ 7/8 lists every device with far more properties; the devices the
// client reads are the same.
func TestListDevicesReadsBothShapesAlike(t *testing.T) {
	t.Parallel()
	var lists [][]Device
	for _, shape := range []string{bigiqmock.DeviceShape52, bigiqmock.DeviceShape8} {
		fixture := bigiqmock.GenerateFixture(40, 0, 0, 1)
		fixture.DeviceShape = shape
		s := bigiqmock.Start(t, bigiqmock.Options{Fixture: fixture})
		c := newTestClient(t, s)
		c.pageSize = 15
		devices, err := c.ListDevices(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(sent(s, http.MethodGet, PathDevices)); n != 3 {
			t.Errorf("shape %s: %d requests; want 3 pages of 15", shape, n)
		}
		lists = append(lists, devices)
	}
	if len(lists[0]) != 40 || !reflect.DeepEqual(lists[0], lists[1]) {
		t.Errorf("5.2 shape:\n%+v\n8 shape:\n%+v", lists[0], lists[1])
	}
	clustered := 0
	for _, d := range lists[1] {
		if d.ClusterName != "" && d.AccessDiscovered {
			clustered++
		}
	}
	if clustered == 0 {
		t.Error("no clustered Access device in the estate: the comparison reads no cluster name")
	}
}

// arrivals hands body over whole, a byte at a time (so that the scanner
// refills its window at every byte), and a byte at a time with the end of
// the document reported beside the last byte.
func arrivals(body []byte) map[string]io.Reader {
	return map[string]io.Reader{
		"whole":                      bytes.NewReader(body),
		"a byte at a time":           trickle(body),
		"a byte at a time, with EOF": iotest.DataErrReader(trickle(body)),
	}
}

func trickle(body []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(body)) }
