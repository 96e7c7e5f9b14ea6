package bigiq

import (
	"bytes"
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// An answer past the 64 MiB cap is an error, with or without a
// Content-Length, and the client reads no further than the cap.
func TestAnswerPastTheCapIsAnError(t *testing.T) {
	t.Parallel()
	m := bigiqmock.New(bigiqmock.Options{})
	var sentBytes, asked atomic.Int64
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != PathDevices {
			m.ServeHTTP(w, r)
			return
		}
		asked.Add(1)
		chunk := bytes.Repeat([]byte(" "), 1<<20)
		if r.URL.Query().Get("length") == "yes" {
			w.Header().Set("Content-Length", strconv.Itoa(maxResponseBytes+len(chunk)))
		}
		for range maxResponseBytes>>20 + 1 {
			n, err := w.Write(chunk)
			sentBytes.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	c := clientOf(t, srv)
	for _, length := range []string{"yes", "no"} {
		asked.Store(0)
		body, err := c.do(context.Background(), request{method: http.MethodGet, path: PathDevices, query: "length=" + length})
		if err == nil || !strings.Contains(err.Error(), "larger than 64 MiB") {
			t.Errorf("Content-Length %s: read %d bytes, err = %v; want the cap named", length, len(body), err)
		}
		// Asking again would bring the same answer.
		if n := asked.Load(); n != 1 {
			t.Errorf("Content-Length %s: asked %d times; want once, since the same answer would come again", length, n)
		}
	}
	// A listing's page, read as it arrives (the spaces are white space
	// before a document that never comes), stops at the cap too.
	asked.Store(0)
	sentBytes.Store(0)
	devices, err := c.ListDevices(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "larger than 64 MiB") {
		t.Errorf("listing: %d devices, err = %v; want the cap named", len(devices), err)
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("listing: asked %d times; want once", n)
	}
}

// A listing's page that arrives whole but is not a collection (a proxy's
// HTML page, say) is an error naming the collection, and it is not asked
// for again; a page that breaks off on the way is asked for again, and
// the listing then reads the whole one.
func TestListingPagesThatAreNotCollections(t *testing.T) {
	t.Parallel()
	m := bigiqmock.New(bigiqmock.Options{Fixture: bigiqmock.GenerateFixture(3, 0, 0, 1)})
	var mode atomic.Value
	var asked atomic.Int64
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != PathDevices {
			m.ServeHTTP(w, r)
			return
		}
		n := asked.Add(1)
		switch mode.Load() {
		case "html":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html><body>Portal login</body></html>"))
		case "broken once":
			if n == 1 {
				// Half a page, then the connection drops.
				rec := httptest.NewRecorder()
				m.ServeHTTP(rec, r)
				w.Header().Set("Content-Length", strconv.Itoa(rec.Body.Len()))
				_, _ = w.Write(rec.Body.Bytes()[:rec.Body.Len()/2])
				rc := http.NewResponseController(w)
				_ = rc.Flush() // the half page reaches the client before the drop
				if conn, _, err := rc.Hijack(); err == nil {
					_ = conn.Close()
				}
				return
			}
			m.ServeHTTP(w, r)
		}
	}))
	c := clientOf(t, srv)

	mode.Store("html")
	_, err := c.ListDevices(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "GET "+PathDevices+": the response is not a BIG-IQ collection") {
		t.Errorf("an HTML page: err = %v; want it named as no collection of %s", err, PathDevices)
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("an HTML page: asked %d times; want once", n)
	}

	mode.Store("broken once")
	asked.Store(0)
	devices, err := c.ListDevices(context.Background(), nil)
	if err != nil || len(devices) != 3 {
		t.Errorf("a page broken off once: %d devices, err = %v; want the 3 of the whole page asked for again", len(devices), err)
	}
	if n := asked.Load(); n != 2 {
		t.Errorf("a page broken off once: asked %d times; want twice", n)
	}
}

// Every page of a listing is read through a window whose room is reused:
// the devices of the first page must not change when the second arrives.
func TestPagesReuseTheirWindowSafely(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{Fixture: bigiqmock.GenerateFixture(30, 0, 0, 1)})
	c := newTestClient(t, s)
	one, err := c.ListDevices(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	c.pageSize = 7
	paged, err := c.ListDevices(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(one) != 30 || len(paged) != 30 {
		t.Fatalf("%d and %d devices; want 30", len(one), len(paged))
	}
	for i := range one {
		if one[i] != paged[i] {
			t.Errorf("device %d: in one page %+v, in pages of 7 %+v", i, one[i], paged[i])
		}
	}
	if n := len(sent(s, http.MethodGet, PathDevices)); n != 1+5 {
		t.Errorf("%d device requests; want 1 and then 5 pages of 7", n)
	}
}

// clientOf is a client of srv, a test server in front of the mock, that
// retries at once; srv is closed when the test ends.
func clientOf(t *testing.T, srv *httptest.Server) *Client {
	t.Helper()
	t.Cleanup(srv.Close)
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	c, err := NewClient(Config{Address: srv.URL, Username: "admin", Password: "admin", CACertificatePEM: caPEM})
	if err != nil {
		t.Fatal(err)
	}
	c.http.SetRetryWaitTime(time.Millisecond).SetRetryMaxWaitTime(time.Millisecond)
	return c
}
