package bigiqmock

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Ids from the default fixture.
const (
	blueActive  = "98901455-6384-47cd-bc41-00a39dfe338f"
	blueStandby = "3f320100-2177-42e0-8a46-2e33cd3366da"
	red         = "901695c8-f405-489f-9996-54f7b21da642"
	green       = "c8e2a3b4-5d6f-4a7b-8c9d-0e1f2a3b4c5d"
	orange      = "5e7d1c2b-3a4f-4e5d-9c8b-7a6f5e4d3c2b"

	redClientID        = "e3f3e7204d00d88ad92cbb970dd5005056b093adfa6d7457"
	redUser1Token      = "da6d57ffab9decbe9d75b7fdd4440ad43bedc7a475f3105b"
	redAliceToken      = "0df998ae62ace6fb6a82bb745b8586e7306afb94e3ca146a"
	shutterflyClientID = "89923892aed8eb142a8871058da9005056b09ae221df6a57"
)

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2016, 9, 12, 19, 18, 23, 451e6, time.FixedZone("PDT", -7*3600))}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testClient speaks to a running mock the way a BIG-IQ client would.
type testClient struct {
	t         testing.TB
	base      string
	http      *http.Client
	transport *http.Transport // set by newTestClient
	token     string
}

func newTestClient(t testing.TB, s *Server) *testClient {
	t.Helper()
	c := &testClient{t: t, base: s.URL, transport: &http.Transport{}}
	c.http = &http.Client{Timeout: 10 * time.Second, Transport: c.transport}
	if pem := s.CACertPEM(); pem != "" {
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM([]byte(pem))
		c.transport.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	status, body := c.do(http.MethodPost, "/mgmt/shared/authn/login", map[string]string{"username": "admin", "password": "admin", "loginProviderName": "local"})
	if status != http.StatusOK {
		t.Fatalf("login: %d %v", status, body)
	}
	c.token = str(obj(body["token"])["token"])
	return c
}

// do sends a request (body encoded as JSON unless it is already []byte or a
// string) and decodes a JSON object answer.
func (c *testClient) do(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	status, raw := c.doRaw(method, path, body)
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			c.t.Fatalf("%s %s: answer is not a JSON object: %v: %s", method, path, err, raw)
		}
	}
	return status, out
}

func (c *testClient) doRaw(method, path string, body any) (int, []byte) {
	c.t.Helper()
	resp, err := c.send(method, path, body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read: %v", method, path, err)
	}
	return resp.StatusCode, raw
}

func (c *testClient) send(method, path string, body any) (*http.Response, error) {
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		reader = bytes.NewReader(b)
	case string:
		reader = bytes.NewReader([]byte(b))
	default:
		reader = bytes.NewReader(mustJSON(b))
	}
	req, err := http.NewRequestWithContext(c.t.Context(), method, c.base+path, reader)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("X-F5-Auth-Token", c.token)
	}
	return c.http.Do(req)
}

// items returns the ids (by key) of a collection answer's items.
func itemValues(t testing.TB, body map[string]any, key string) []string {
	t.Helper()
	items, ok := body["items"].([]any)
	if !ok {
		t.Fatalf("no items in %v", body)
	}
	out := []string{}
	for _, it := range items {
		out = append(out, str(obj(it)[key]))
	}
	return out
}

func tokenIDs(toks []Token) []string {
	out := []string{}
	for _, t := range toks {
		out = append(out, t.ID)
	}
	return out
}

func usersOf(toks []Token) map[string]int {
	out := map[string]int{}
	for _, t := range toks {
		out[t.UserName]++
	}
	return out
}

func wantError(t testing.TB, status int, body map[string]any, wantStatus int, wantMessage string) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("status = %d, want %d (body %v)", status, wantStatus, body)
	}
	if body["message"] != wantMessage {
		t.Errorf("message = %q, want %q", body["message"], wantMessage)
	}
	if body["code"] != float64(wantStatus) {
		t.Errorf("code = %v, want %d", body["code"], wantStatus)
	}
	if body["kind"] != ":resterrorresponse" {
		t.Errorf("kind = %v", body["kind"])
	}
	if _, ok := body["restOperationId"].(float64); !ok {
		t.Errorf("restOperationId missing: %v", body)
	}
	if _, ok := body["referer"].(string); !ok {
		t.Errorf("referer missing: %v", body)
	}
	if stack, ok := body["errorStack"].([]any); !ok || len(stack) == 0 {
		t.Errorf("errorStack missing: %v", body)
	}
}

// Accessors for decoded JSON answers: a value of the wrong shape becomes
// the zero value, which the assertion that follows then reports.
func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func arr(v any) []any          { a, _ := v.([]any); return a }
func str(v any) string         { s, _ := v.(string); return s }
