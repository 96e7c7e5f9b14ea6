package bigiq

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

const (
	bluebigip = "98901455-6384-47cd-bc41-00a39dfe338f"
	redbigip  = "901695c8-f405-489f-9996-54f7b21da642"
)

// newTestClient returns a client of the mock s that retries without
// waiting, so retry tests take no time.
func newTestClient(t *testing.T, s *bigiqmock.Server, edit ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{Address: s.URL, Username: "admin", Password: "admin", CACertificatePEM: s.CACertPEM(), UserAgent: "test"}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.http.SetRetryWaitTime(time.Millisecond).SetRetryMaxWaitTime(2 * time.Millisecond)
	return c
}

// sent returns the requests the mock received for method and path.
func sent(s *bigiqmock.Server, method, path string) []bigiqmock.Request {
	var out []bigiqmock.Request
	for _, r := range s.Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

func TestGetRetriesTransientFailures(t *testing.T) {
	t.Parallel()
	for _, status := range []int{429, 502, 503, 504} {
		s := bigiqmock.Start(t, bigiqmock.Options{})
		c := newTestClient(t, s)
		s.FailNext(http.MethodGet, PathDeviceGroups, 2, status)
		if _, err := c.ListAccessGroups(context.Background()); err != nil {
			t.Fatalf("%d twice: %v", status, err)
		}
		if n := len(sent(s, http.MethodGet, PathDeviceGroups)); n != 3 {
			t.Errorf("%d twice: %d GETs; want 3", status, n)
		}
	}

	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	s.DropNext(http.MethodGet, PathDeviceGroups, 2)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatalf("dropped connections were not retried: %v", err)
	}

	s.FailNext(http.MethodGet, PathDeviceGroups, 1, 500)
	if _, err := c.ListAccessGroups(context.Background()); err == nil {
		t.Error("a 500 was retried into success; it is not transient for a GET of a collection")
	}
}

func TestGetRetriesAreBounded(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s, func(cfg *Config) { cfg.MaxRetries = new(2) })
	s.FailNext(http.MethodGet, PathDeviceGroups, 10, 503)
	_, err := c.ListAccessGroups(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("err = %v", err)
	}
	if n := len(sent(s, http.MethodGet, PathDeviceGroups)); n != 3 {
		t.Errorf("%d GETs; want 1 + 2 retries", n)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	c.http.SetRetryMaxWaitTime(5 * time.Second)
	s.FailNextRetryAfter(http.MethodGet, PathDeviceGroups, 1, 503, time.Second)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	reqs := sent(s, http.MethodGet, PathDeviceGroups)
	if gap := reqs[1].Time.Sub(reqs[0].Time); gap < 900*time.Millisecond {
		t.Errorf("retried after %v; Retry-After asked for 1s", gap)
	}
}

func TestNewClientRefusesBadConfig(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]Config{
		"no address":        {Username: "a", Password: "b"},
		"http address":      {Address: "http://bigiq", Username: "a", Password: "b"},
		"no credentials":    {Address: "bigiq"},
		"no password":       {Address: "bigiq", Username: "a"},
		"token and pw":      {Address: "bigiq", Token: "t", Username: "a", Password: "b"},
		"bad CA":            {Address: "bigiq", Token: "t", CACertificatePEM: "nope"},
		"address with path": {Address: "https://bigiq/mgmt", Token: "t"},
	} {
		if _, err := NewClient(cfg); err == nil {
			t.Errorf("%s: NewClient accepted %+v", name, cfg)
		}
	}
}

// TestRefusedConnectionsAreRecognised checks the one transport error after
// which even a POST may be sent again: nothing was listening to act on it.
func TestRefusedConnectionsAreRecognised(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, dialErr := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if dialErr == nil {
		t.Skip("the closed port was reused")
	}
	if !refused(dialErr) || !retryIfUnacted(nil, dialErr) {
		t.Errorf("a refused dial (%v) is not recognised as unacted", dialErr)
	}
	if refused(io.ErrUnexpectedEOF) || retryIfUnacted(nil, io.ErrUnexpectedEOF) {
		t.Error("a connection lost mid-request counts as refused")
	}
}

// TestZeroRetriesMeansNone: a request that fails once is not sent again when
// the caller asks for no retries, and a negative count is refused.
func TestZeroRetriesMeansNone(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s, func(cfg *Config) { cfg.MaxRetries = new(0) })
	s.FailNext(http.MethodGet, PathDeviceGroups, 1, http.StatusServiceUnavailable)
	if _, err := c.ListAccessGroups(context.Background()); err == nil {
		t.Fatal("a 503 was retried although retries are off")
	}
	if n := len(sent(s, http.MethodGet, PathDeviceGroups)); n != 1 {
		t.Errorf("%d GETs; want 1", n)
	}
	if _, err := NewClient(Config{Address: "bigiq", Token: "t", MaxRetries: new(-1)}); err == nil {
		t.Error("a negative retry count was accepted")
	}
}
