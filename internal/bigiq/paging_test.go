package bigiq

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

func TestListFollowsEveryPage(t *testing.T) {
	t.Parallel()
	fixture := bigiqmock.GenerateFixture(23, 2, 0, 1)
	for name, setup := range map[string]struct {
		pageSize, mockCap, wantRequests int
		noNextLink                      bool
		wantSkips                       []string // the $skip of each page request
	}{
		"nextLink paging":   {pageSize: 50, mockCap: 4, wantRequests: 6},
		"nextLink by $top":  {pageSize: 5, wantRequests: 5},
		"exact page border": {pageSize: 23, wantRequests: 1},
		// Without nextLink the client's own $skip is all there is: it must
		// skip exactly what it has read, whatever size the pages came in.
		"skip paging":               {pageSize: 5, noNextLink: true, wantRequests: 5, wantSkips: []string{"0", "5", "10", "15", "20"}},
		"skip paging, capped pages": {pageSize: 50, mockCap: 4, noNextLink: true, wantRequests: 6, wantSkips: []string{"0", "4", "8", "12", "16", "20"}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := bigiqmock.Start(t, bigiqmock.Options{Fixture: fixture, MaxPageSize: setup.mockCap, Quirks: bigiqmock.Quirks{NoNextLink: setup.noNextLink}})
			c := newTestClient(t, s)
			c.pageSize = setup.pageSize

			devices, err := c.ListDevices(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, d := range devices {
				seen[d.MachineID] = true
			}
			if len(devices) != 23 || len(seen) != 23 {
				t.Errorf("read %d devices (%d distinct); want 23", len(devices), len(seen))
			}
			pages := sent(s, http.MethodGet, PathDevices)
			if got := len(pages); got != setup.wantRequests {
				t.Errorf("%d page requests; want %d", got, setup.wantRequests)
			}
			if setup.wantSkips != nil {
				skips := make([]string, len(pages))
				for i, p := range pages {
					skips[i] = p.Query.Get("$skip")
				}
				if !slices.Equal(skips, setup.wantSkips) {
					t.Errorf("$skip of the page requests = %q; want %q", skips, setup.wantSkips)
				}
			}
			apps, err := c.ListOAuthClientApps(context.Background(), "")
			if err != nil || len(apps) != 46 {
				t.Errorf("read %d apps, %v; want 46", len(apps), err)
			}
		})
	}
}

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
