package bigiq

import (
	"context"
	"fmt"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// BenchmarkList reads a large estate (10,000 devices, 50,000 client apps)
// at several page sizes, to weigh round trips against page size:
//
//	go test -run '^$' -bench List -benchmem ./internal/bigiq/
func BenchmarkList(b *testing.B) {
	s, err := bigiqmock.Listen(bigiqmock.New(bigiqmock.Options{Fixture: bigiqmock.GenerateFixture(10000, 5, 0, 1)}), "127.0.0.1:0", true)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	lists := map[string]func(*Client) (int, error){
		"devices": func(c *Client) (int, error) {
			d, err := c.ListDevices(context.Background(), nil)
			return len(d), err
		},
		"apps": func(c *Client) (int, error) {
			a, err := c.ListOAuthClientApps(context.Background(), "")
			return len(a), err
		},
	}
	for _, name := range []string{"devices", "apps"} {
		for _, pageSize := range []int{500, 2000, 5000} {
			b.Run(fmt.Sprintf("%s/page=%d", name, pageSize), func(b *testing.B) {
				c, err := NewClient(Config{Address: s.URL, Username: "admin", Password: "admin", CACertificatePEM: s.CACertPEM()})
				if err != nil {
					b.Fatal(err)
				}
				c.pageSize = pageSize
				for b.Loop() {
					if _, err := lists[name](c); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
