package bigiqmock

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestLoginBody(t *testing.T) {
	clock := newFakeClock()
	s := StartPlain(t, Options{Now: clock.Now})
	c := &testClient{t: t, base: s.URL, http: http.DefaultClient}

	// loginProviderName may be left out: BIG-IQ then uses local.
	status, body := c.do(http.MethodPost, "/mgmt/shared/authn/login", `{"username":"admin","password":"admin"}`)
	if status != http.StatusOK {
		t.Fatalf("login: %d %v", status, body)
	}
	if body["username"] != "admin" || body["loginProviderName"] != "local" || body["generation"] != 0.0 || body["lastUpdateMicros"] != 0.0 {
		t.Errorf("login envelope = %v", body)
	}
	tok := obj(body["token"])
	value, _ := tok["token"].(string)
	if len(value) != 26 || strings.ToUpper(value) != value {
		t.Errorf("token value %q is not 26 upper-case characters", value)
	}
	want := map[string]any{
		"name":             value,
		"userName":         "admin",
		"timeout":          1200.0,
		"startTime":        "2016-09-12T19:18:23.451-0700",
		"expirationMicros": float64(clock.Now().Add(1200 * time.Second).UnixMicro()),
		"kind":             "shared:authz:tokens:authtokenitemstate",
		"selfLink":         "https://localhost/mgmt/shared/authz/tokens/" + value,
	}
	for k, v := range want {
		if tok[k] != v {
			t.Errorf("token.%s = %v, want %v", k, tok[k], v)
		}
	}
	if s.Logins() != 1 {
		t.Errorf("Logins() = %d, want 1", s.Logins())
	}
	if live := s.LiveAuthTokens(); len(live) != 1 || live[0] != value {
		t.Errorf("LiveAuthTokens() = %v, want [%s]", live, value)
	}
}

func TestLoginFailures(t *testing.T) {
	s := StartPlain(t, Options{Username: "ops", Password: "s3cret", LoginProviders: []string{"local", "RadiusServer"}})
	c := &testClient{t: t, base: s.URL, http: http.DefaultClient}

	status, body := c.do(http.MethodPost, "/mgmt/shared/authn/login", `{"username":"ops","password":"wrong","loginProviderName":"local"}`)
	wantError(t, status, body, http.StatusUnauthorized, "Authentication failed.")
	if echo, _ := body["originalRequestBody"].(string); strings.Contains(echo, "wrong") || !strings.Contains(echo, `"username":"ops"`) {
		t.Errorf("originalRequestBody = %q: want the request without its password", echo)
	}

	status, body = c.do(http.MethodPost, "/mgmt/shared/authn/login", `{"username":"ops","password":"s3cret","loginProviderName":"tacacs"}`)
	if status != http.StatusBadRequest || !strings.Contains(str(body["message"]), "tacacs") {
		t.Errorf("unknown provider: %d %v", status, body)
	}

	status, _ = c.do(http.MethodPost, "/mgmt/shared/authn/login", `{"username":"ops","password":"s3cret","loginProviderName":"RadiusServer"}`)
	if status != http.StatusOK {
		t.Errorf("configured provider RadiusServer: status %d", status)
	}
	status, body = c.do(http.MethodPost, "/mgmt/shared/authn/login", `{"username":`)
	if status != http.StatusBadRequest {
		t.Errorf("malformed login: %d %v", status, body)
	}
	if s.Logins() != 1 {
		t.Errorf("Logins() = %d, want 1", s.Logins())
	}
}

func TestRequestsNeedAuthToken(t *testing.T) {
	s := StartPlain(t, Options{})
	c := &testClient{t: t, base: s.URL, http: http.DefaultClient}

	status, body := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver", nil)
	if status != http.StatusUnauthorized || !strings.HasPrefix(str(body["message"]),
		"Authorization failed: no user authentication header or token detected. Uri:") {
		t.Errorf("no token: %d %v", status, body)
	}
	wantError(t, status, body, http.StatusUnauthorized, str(body["message"]))

	// Basic auth is disabled, as on a default BIG-IQ.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL+"/mgmt/cm/system/machineid-resolver", nil)
	req.SetBasicAuth("admin", "admin")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("basic auth: status %d, want 401", resp.StatusCode)
	}

	c.token = "NOSUCHTOKEN"
	status, body = c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver", nil)
	wantError(t, status, body, http.StatusUnauthorized, "X-F5-Auth-Token does not exist.")
}

func TestAuthTokenLifetime(t *testing.T) {
	clock := newFakeClock()
	s := StartPlain(t, Options{Now: clock.Now, TokenTTL: 60 * time.Second})
	c := newTestClient(t, s)
	path := "/mgmt/shared/authz/tokens/" + c.token

	clock.Advance(50 * time.Second)
	status, body := c.do(http.MethodPatch, path, map[string]int{"timeout": 600})
	if status != http.StatusOK || body["timeout"] != 600.0 {
		t.Fatalf("extend: %d %v", status, body)
	}
	clock.Advance(500 * time.Second) // past the original 60s, within 600s
	if status, _ := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver", nil); status != http.StatusOK {
		t.Fatalf("extended token refused: %d", status)
	}
	status, body = c.do(http.MethodPatch, path, map[string]int{"timeout": 36001})
	if status != http.StatusBadRequest {
		t.Errorf("timeout above 36000: %d %v", status, body)
	}
	clock.Advance(60 * time.Second) // 610s after issue
	status, body = c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver", nil)
	wantError(t, status, body, http.StatusUnauthorized, "X-F5-Auth-Token has expired.")
	if live := s.LiveAuthTokens(); len(live) != 0 {
		t.Errorf("LiveAuthTokens() = %v after expiry", live)
	}
}

func TestFreeAuthToken(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	if status, _ := c.do(http.MethodDelete, "/mgmt/shared/authz/tokens/"+c.token, nil); status != http.StatusOK {
		t.Fatalf("free: %d", status)
	}
	if s.FreedAuthTokens() != 1 || len(s.LiveAuthTokens()) != 0 {
		t.Errorf("FreedAuthTokens() = %d, LiveAuthTokens() = %v", s.FreedAuthTokens(), s.LiveAuthTokens())
	}
	status, body := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver", nil)
	wantError(t, status, body, http.StatusUnauthorized, "X-F5-Auth-Token does not exist.")
}

func TestLiveAuthTokenLimit(t *testing.T) {
	s := StartPlain(t, Options{MaxAuthTokensPerUser: 2})
	first := newTestClient(t, s)
	newTestClient(t, s)
	c := &testClient{t: t, base: s.URL, http: http.DefaultClient}
	login := `{"username":"admin","password":"admin","loginProviderName":"local"}`
	status, body := c.do(http.MethodPost, "/mgmt/shared/authn/login", login)
	wantError(t, status, body, http.StatusUnauthorized, "maximum active login tokens")

	first.do(http.MethodDelete, "/mgmt/shared/authz/tokens/"+first.token, nil)
	if status, _ := c.do(http.MethodPost, "/mgmt/shared/authn/login", login); status != http.StatusOK {
		t.Errorf("login after freeing a token: %d", status)
	}
}

func TestTLSServerCertificate(t *testing.T) {
	s := Start(t, Options{})
	if !strings.HasPrefix(s.URL, "https://127.0.0.1:") {
		t.Fatalf("URL = %s", s.URL)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM([]byte(s.CACertPEM())) {
		t.Fatal("CACertPEM is not a PEM certificate")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	for _, host := range []string{s.URL, strings.Replace(s.URL, "127.0.0.1", "localhost", 1)} {
		c := &testClient{t: t, base: host, http: client}
		if status, _ := c.do(http.MethodPost, "/mgmt/shared/authn/login", `{"username":"admin","password":"admin"}`); status != http.StatusOK {
			t.Errorf("%s: login over verified TLS: %d", host, status)
		}
	}
}
