package bigiqmock

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const devicesPath = "/mgmt/cm/system/machineid-resolver"

func TestFailNext(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	s.FailNext(http.MethodGet, devicesPath, 2, http.StatusInternalServerError)

	// Other methods and paths are not affected.
	if status, _ := c.do(http.MethodGet, "/mgmt/shared/resolver/device-groups", nil); status != http.StatusOK {
		t.Errorf("other path: %d", status)
	}
	for range 2 {
		status, body := c.do(http.MethodGet, devicesPath+"?$top=1", nil)
		wantError(t, status, body, http.StatusInternalServerError, "Internal Server Error (fault injected by bigiqmock)")
	}
	if status, _ := c.do(http.MethodGet, devicesPath, nil); status != http.StatusOK {
		t.Errorf("third request: %d, want the fault used up", status)
	}
}

func TestFailNextUnavailable(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	s.FailNextRetryAfter("", "/mgmt/cm/access/tasks/revoke-tokens", 1, http.StatusServiceUnavailable, 2500*time.Millisecond)
	resp, err := c.send(http.MethodPost, "/mgmt/cm/access/tasks/revoke-tokens", `{}`)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "3" ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), "Service Unavailable") {
		t.Errorf("503: status %d, Retry-After %q, Content-Type %q, body %q", resp.StatusCode, resp.Header.Get("Retry-After"), resp.Header.Get("Content-Type"), body)
	}
	if json.Valid(body) {
		t.Error("a 503 from the web server should not be JSON")
	}
	if len(s.TaskIDs()) != 0 {
		t.Error("the failed POST created a task")
	}
}

func TestDropNext(t *testing.T) {
	for _, start := range []func(testing.TB, Options) *Server{Start, StartPlain} {
		s := start(t, Options{})
		c := newTestClient(t, s)
		// Go's transport silently retries a GET whose reused connection
		// closes before answering; a fresh connection shows the drop.
		c.transport.DisableKeepAlives = true
		s.DropNext(http.MethodGet, devicesPath, 1)
		if resp, err := c.send(http.MethodGet, devicesPath, nil); err == nil {
			resp.Body.Close()
			t.Errorf("%s: dropped request got a response: %d", s.URL, resp.StatusCode)
		}
		if status, _ := c.do(http.MethodGet, devicesPath, nil); status != http.StatusOK {
			t.Errorf("%s: request after the drop: %d", s.URL, status)
		}
		if n := s.CountRequests(http.MethodGet, devicesPath); n != 2 {
			t.Errorf("%s: CountRequests = %d, want the dropped request recorded too", s.URL, n)
		}
	}
}

func TestSetDown(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	s.SetDown(true)
	for _, path := range []string{devicesPath, "/mgmt/shared/authn/login"} {
		if resp, err := c.send(http.MethodPost, path, `{}`); err == nil {
			resp.Body.Close()
			t.Errorf("%s answered %d while down", path, resp.StatusCode)
		}
	}
	// The mock's own endpoints stay up for inspection.
	if status, _ := c.doRaw(http.MethodGet, "/mock/tokens", nil); status != http.StatusOK {
		t.Errorf("/mock/tokens while down: %d", status)
	}
	s.SetDown(false)
	if status, _ := c.do(http.MethodGet, devicesPath, nil); status != http.StatusOK {
		t.Errorf("after coming back: %d", status)
	}
}

func TestExpireAuthTokens(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	s.ExpireAuthTokens()
	status, body := c.do(http.MethodGet, devicesPath, nil)
	wantError(t, status, body, http.StatusUnauthorized, "X-F5-Auth-Token has expired.")
	fresh := newTestClient(t, s)
	if status, _ := fresh.do(http.MethodGet, devicesPath, nil); status != http.StatusOK {
		t.Errorf("token issued after ExpireAuthTokens: %d", status)
	}
	if s.Logins() != 2 || len(s.LiveAuthTokens()) != 1 {
		t.Errorf("Logins %d LiveAuthTokens %v", s.Logins(), s.LiveAuthTokens())
	}
}

func TestLatency(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	s.SetLatency(60 * time.Millisecond)
	start := time.Now()
	c.do(http.MethodGet, devicesPath+"?$top=1", nil)
	if elapsed := time.Since(start); elapsed < 60*time.Millisecond {
		t.Errorf("request took %v with 60ms latency", elapsed)
	}
	s.SetLatency(0)
	start = time.Now()
	c.do(http.MethodGet, devicesPath+"?$top=1", nil)
	if elapsed := time.Since(start); elapsed >= 60*time.Millisecond {
		t.Errorf("request took %v without latency", elapsed)
	}
}

// chaosPattern replays the same request sequence and records what happened
// to each request: its status, or "drop".
func chaosPattern(t *testing.T, c Chaos) []string {
	s := StartPlain(t, Options{})
	client := newTestClient(t, s)
	s.SetChaos(c)
	var out []string
	for range 40 {
		resp, err := client.send(http.MethodGet, devicesPath+"?$top=1", nil)
		if err != nil {
			out = append(out, "drop")
			continue
		}
		resp.Body.Close()
		out = append(out, resp.Status[:3])
	}
	return out
}

func TestChaosIsDeterministic(t *testing.T) {
	chaos := Chaos{GetErrorRate: 0.3, ResetRate: 0.2, Seed: 7}
	first := strings.Join(chaosPattern(t, chaos), " ")
	if again := strings.Join(chaosPattern(t, chaos), " "); again != first {
		t.Errorf("same seed, different faults:\n%s\n%s", first, again)
	}
	for _, want := range []string{"200", "503", "drop"} {
		if !strings.Contains(first, want) {
			t.Errorf("no %s in %s", want, first)
		}
	}
	chaos.Seed = 8
	if other := strings.Join(chaosPattern(t, chaos), " "); other == first {
		t.Errorf("seeds 7 and 8 gave the same faults: %s", first)
	}
}

func TestChaosSparesLoginFrom503s(t *testing.T) {
	s := StartPlain(t, Options{})
	s.SetChaos(Chaos{GetErrorRate: 1, Seed: 1})
	c := newTestClient(t, s) // fails the test unless login works
	if status, _ := c.doRaw(http.MethodGet, devicesPath, nil); status != http.StatusServiceUnavailable {
		t.Errorf("GET under GetErrorRate 1: %d", status)
	}
	s.SetChaos(Chaos{ResetRate: 1, Seed: 1})
	if resp, err := c.send(http.MethodPost, "/mgmt/shared/authn/login", `{"username":"admin","password":"admin"}`); err == nil {
		resp.Body.Close()
		t.Error("login was not reset under ResetRate 1")
	}
	s.SetChaos(Chaos{})
	if status, _ := c.doRaw(http.MethodGet, devicesPath, nil); status != http.StatusOK {
		t.Errorf("after turning chaos off: %d", status)
	}
}

func TestChaosTokenExpiry(t *testing.T) {
	clock := newFakeClock()
	s := StartPlain(t, Options{Now: clock.Now})
	s.SetChaos(Chaos{TokenExpiry: 30 * time.Second, Seed: 1})
	c := newTestClient(t, s)
	clock.Advance(29 * time.Second)
	if status, _ := c.doRaw(http.MethodGet, devicesPath, nil); status != http.StatusOK {
		t.Errorf("before TokenExpiry: %d", status)
	}
	clock.Advance(time.Second)
	status, body := c.do(http.MethodGet, devicesPath, nil)
	wantError(t, status, body, http.StatusUnauthorized, "X-F5-Auth-Token has expired.")
}

func TestChaosLatencySpike(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	s.SetChaos(Chaos{LatencySpike: 50 * time.Millisecond, SpikeRate: 1, Seed: 3})
	start := time.Now()
	c.doRaw(http.MethodGet, devicesPath+"?$top=1", nil)
	if elapsed := time.Since(start); elapsed < 50*time.Millisecond {
		t.Errorf("request took %v with a certain 50ms spike", elapsed)
	}
}

func TestRequestRecording(t *testing.T) {
	clock := newFakeClock()
	s := StartPlain(t, Options{Now: clock.Now})
	c := newTestClient(t, s)
	s.FailNext(http.MethodGet, "/mgmt/shared/resolver", 1, http.StatusBadGateway)
	c.doRaw(http.MethodGet, "/mgmt/shared/resolver/device-groups?$filter='properties/cm:access:access_group'%20eq%20'true'", nil)
	clock.Advance(time.Second)
	c.doRaw(http.MethodPost, "/mgmt/cm/access/tasks/revoke-tokens", `{"action":"REVOKE_TOKEN_FOR_USER"}`)

	reqs := s.Requests()
	if len(reqs) != 3 {
		t.Fatalf("recorded %d requests, want login + 2", len(reqs))
	}
	login, groups, post := reqs[0], reqs[1], reqs[2]
	if login.Method != http.MethodPost || login.Path != "/mgmt/shared/authn/login" || !strings.Contains(string(login.Body), `"password":"admin"`) {
		t.Errorf("login recorded as %+v", login)
	}
	if groups.Query.Get("$filter") != "'properties/cm:access:access_group' eq 'true'" || groups.Header.Get("X-F5-Auth-Token") != c.token || !groups.Time.Equal(newFakeClock().Now()) {
		t.Errorf("failed GET recorded as %+v", groups)
	}
	if post.Body == nil || string(post.Body) != `{"action":"REVOKE_TOKEN_FOR_USER"}` || !post.Time.Equal(newFakeClock().Now().Add(time.Second)) {
		t.Errorf("POST recorded as %+v", post)
	}
	if n := s.CountRequests("", "/mgmt/shared"); n != 2 {
		t.Errorf("CountRequests(\"\", /mgmt/shared) = %d", n)
	}
	if n := s.CountRequests(http.MethodPost, "/mgmt/cm/access"); n != 1 {
		t.Errorf("CountRequests(POST, /mgmt/cm/access) = %d", n)
	}

	// The inspection endpoint lists the same requests without the password.
	status, raw := c.doRaw(http.MethodGet, "/mock/requests", nil)
	if status != http.StatusOK || strings.Contains(string(raw), `\"password\":\"admin\"`) || !strings.Contains(string(raw), `\"password\":\"********\"`) {
		t.Errorf("/mock/requests: %d %s", status, raw)
	}
	s.ResetRequests()
	if len(s.Requests()) != 0 {
		t.Error("ResetRequests kept requests")
	}
}

func TestMockTokensEndpoint(t *testing.T) {
	s := StartPlain(t, Options{})
	s.AddToken(green, Token{ID: "new-token", ClientID: shutterflyClientID, UserName: "carol"})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL+"/mock/tokens", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var listing struct {
		Devices []deviceTokens `json:"devices"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&listing); err != nil {
		t.Fatal(err)
	}
	if len(listing.Devices) != 5 || listing.Devices[0].MachineID != blueActive || len(listing.Devices[0].Tokens) != 5 {
		t.Fatalf("listing = %+v", listing)
	}
	greenTokens := listing.Devices[3].Tokens
	if listing.Devices[3].Hostname != "greenbigip1.labf.com" || len(greenTokens) != 3 || greenTokens[2].UserName != "carol" {
		t.Errorf("green = %+v", listing.Devices[3])
	}
	if len(s.Requests()) != 0 {
		t.Error("a /mock/ request was recorded as BIG-IQ traffic")
	}
}
