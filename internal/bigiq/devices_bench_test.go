package bigiq

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// BenchmarkParseDevicePage decodes the pages of 1,000 devices as BIG-IQ 7/8
// lists them (20 to 30 KB an item), without the network, so a profile
// shows only the decoding: the scanner the client uses ("scan") and
// encoding/json into the same type ("encoding-json"), side by side:
//
//	go test -run '^$' -bench ParseDevicePage -benchmem -cpuprofile cpu.out ./internal/bigiq/
func BenchmarkParseDevicePage(b *testing.B) {
	fixture := bigiqmock.GenerateFixture(1000, 0, 0, 1)
	fixture.DeviceShape = bigiqmock.DeviceShape8
	s, err := bigiqmock.Listen(bigiqmock.New(bigiqmock.Options{Fixture: fixture}), "127.0.0.1:0", true)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	c, err := NewClient(Config{Address: s.URL, Username: "admin", Password: "admin", CACertificatePEM: s.CACertPEM()})
	if err != nil {
		b.Fatal(err)
	}
	for _, sel := range []struct {
		name string
		q    query
	}{{"select", deviceQuery(query{})}, {"all", query{}}} {
		var pages [][]byte
		size := 0
		for skip := 0; skip < 1000; skip += defaultPageSize {
			body, err := c.do(context.Background(), request{method: http.MethodGet, path: PathDevices, query: sel.q.encode(defaultPageSize, skip)})
			if err != nil {
				b.Fatal(err)
			}
			pages = append(pages, body)
			size += len(body)
		}
		for _, decoder := range []struct {
			name  string
			parse func(io.Reader) (*collection[deviceJSON], error)
		}{{"scan", parseDevicePage}, {"encoding-json", parseCollection[deviceJSON]}} {
			b.Run(sel.name+"/"+decoder.name, func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					n := 0
					for _, body := range pages {
						page, err := decoder.parse(bytes.NewReader(body))
						if err != nil {
							b.Fatal(err)
						}
						n += len(page.Items)
					}
					if n != 1000 {
						b.Fatalf("decoded %d devices; want 1000", n)
					}
				}
			})
		}
	}
}
