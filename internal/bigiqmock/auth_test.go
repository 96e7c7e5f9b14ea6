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
	value := str(tok["token"])
	// BIG-IQ's access token lasts 300 s and its refresh token 10 hours.
	wantTokenItem(t, "token", tok, clock.Now(), 300)
	refresh := obj(body["refreshToken"])
	wantTokenItem(t, "refreshToken", refresh, clock.Now(), 36000)
	if refresh["token"] == value {
		t.Error("the refresh token is the access token")
	}
	if s.Logins() != 1 {
		t.Errorf("Logins() = %d, want 1", s.Logins())
	}
	if live := s.LiveAuthTokens(); len(live) != 1 || live[0] != value {
		t.Errorf("LiveAuthTokens() = %v, want [%s]", live, value)
	}
}

func wantTokenItem(t *testing.T, name string, tok map[string]any, start time.Time, timeout int) {
	t.Helper()
	value := str(tok["token"])
	if len(value) != 26 || strings.ToUpper(value) != value {
		t.Errorf("%s value %q is not 26 upper-case characters", name, value)
	}
	want := map[string]any{
		"name":             value,
		"userName":         "admin",
		"timeout":          float64(timeout),
		"startTime":        start.Format(bigiqTimeLayout),
		"expirationMicros": float64(start.Add(time.Duration(timeout) * time.Second).UnixMicro()),
		"kind":             "shared:authz:tokens:authtokenitemstate",
		"selfLink":         "https://localhost/mgmt/shared/authz/tokens/" + value,
	}
	for k, v := range want {
		if tok[k] != v {
			t.Errorf("%s.%s = %v, want %v", name, k, tok[k], v)
		}
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
	s := StartPlain(t, Options{Now: clock.Now})
	c := newTestClient(t, s)
	path := "/mgmt/shared/authz/tokens/" + c.token

	// BIG-IP extends a token this way; BIG-IQ refuses.
	status, body := c.do(http.MethodPatch, path, map[string]int{"timeout": 600})
	wantError(t, status, body, http.StatusBadRequest, "The timeout of a BIG-IQ auth token cannot be changed.")
	if status, tok := c.do(http.MethodGet, path, nil); status != http.StatusOK || tok["timeout"] != 300.0 {
		t.Errorf("after the refused PATCH: %d %v", status, tok)
	}

	clock.Advance(299 * time.Second)
	if status, _ := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver", nil); status != http.StatusOK {
		t.Fatalf("token refused before 300 s: %d", status)
	}
	clock.Advance(time.Second)
	status, body = c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver", nil)
	wantError(t, status, body, http.StatusUnauthorized, "X-F5-Auth-Token has expired.")
	if live := s.LiveAuthTokens(); len(live) != 0 {
		t.Errorf("LiveAuthTokens() = %v after expiry", live)
	}
}

func TestLongerTokenLifetimeOption(t *testing.T) {
	clock := newFakeClock()
	s := StartPlain(t, Options{Now: clock.Now, TokenTTL: time.Hour, RefreshTokenTTL: 2 * time.Hour})
	c := &testClient{t: t, base: s.URL, http: http.DefaultClient}
	_, body := c.do(http.MethodPost, "/mgmt/shared/authn/login", `{"username":"admin","password":"admin"}`)
	wantTokenItem(t, "token", obj(body["token"]), clock.Now(), 3600)
	wantTokenItem(t, "refreshToken", obj(body["refreshToken"]), clock.Now(), 7200)
}

// exchange posts a refresh token to the exchange endpoint.
func exchange(c *testClient, refresh string) (int, map[string]any) {
	c.t.Helper()
	return c.do(http.MethodPost, "/mgmt/shared/authn/exchange", map[string]any{"refreshToken": map[string]string{"token": refresh}})
}

func TestRefreshTokenExchange(t *testing.T) {
	clock := newFakeClock()
	s := StartPlain(t, Options{Now: clock.Now})
	c := &testClient{t: t, base: s.URL, http: http.DefaultClient}
	_, login := c.do(http.MethodPost, "/mgmt/shared/authn/login", `{"username":"admin","password":"admin"}`)
	refresh := str(obj(login["refreshToken"])["token"])

	// A refresh token is not an access token.
	c.token = refresh
	status, body := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver", nil)
	wantError(t, status, body, http.StatusUnauthorized, "X-F5-Auth-Token does not exist.")

	// Long after the access token expired, the exchange needs no auth
	// header and gives a new 300 s access token that works.
	c.token = ""
	clock.Advance(9 * time.Hour)
	status, body = exchange(c, refresh)
	if status != http.StatusOK {
		t.Fatalf("exchange: %d %v", status, body)
	}
	wantTokenItem(t, "token", obj(body["token"]), clock.Now(), 300)
	c.token = str(obj(body["token"])["token"])
	if status, _ := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver", nil); status != http.StatusOK {
		t.Errorf("exchanged access token refused: %d", status)
	}
	if s.Logins() != 1 || s.Exchanges() != 1 {
		t.Errorf("Logins() = %d, Exchanges() = %d, want 1 and 1", s.Logins(), s.Exchanges())
	}

	// The inspection listing does not show the refresh token.
	_, raw := c.doRaw(http.MethodGet, "/mock/requests", nil)
	if strings.Contains(string(raw), refresh) {
		t.Error("/mock/requests shows the refresh token")
	}

	// After 10 hours the refresh token is refused, and so is an unknown one.
	clock.Advance(time.Hour)
	status, body = exchange(c, refresh)
	wantError(t, status, body, http.StatusUnauthorized, "Refresh token is invalid or has expired.")
	status, body = exchange(c, "NOSUCHREFRESHTOKEN")
	wantError(t, status, body, http.StatusUnauthorized, "Refresh token is invalid or has expired.")
	status, body = c.do(http.MethodPost, "/mgmt/shared/authn/exchange", `{"token":"x"}`)
	if status != http.StatusBadRequest {
		t.Errorf("exchange without refreshToken: %d %v", status, body)
	}
	if s.Exchanges() != 1 {
		t.Errorf("Exchanges() = %d after refused exchanges, want 1", s.Exchanges())
	}
}

func TestIssuedRefreshToken(t *testing.T) {
	s := StartPlain(t, Options{})
	c := &testClient{t: t, base: s.URL, http: http.DefaultClient}
	refresh := s.IssueRefreshToken()
	if status, body := exchange(c, refresh); status != http.StatusOK || str(obj(body["token"])["token"]) == "" {
		t.Fatalf("exchange of an issued refresh token: %d %v", status, body)
	}
	if s.Logins() != 0 || s.Exchanges() != 1 {
		t.Errorf("Logins() = %d, Exchanges() = %d, want 0 and 1", s.Logins(), s.Exchanges())
	}

	s.ExpireRefreshTokens()
	status, body := exchange(c, refresh)
	wantError(t, status, body, http.StatusUnauthorized, "Refresh token is invalid or has expired.")
}

func TestExpireAuthTokensSparesRefreshTokens(t *testing.T) {
	s := StartPlain(t, Options{})
	c := &testClient{t: t, base: s.URL, http: http.DefaultClient}
	refresh := s.IssueRefreshToken()
	c.token = s.IssueAuthToken()
	s.ExpireAuthTokens()
	status, body := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver", nil)
	wantError(t, status, body, http.StatusUnauthorized, "X-F5-Auth-Token has expired.")
	if status, _ := exchange(c, refresh); status != http.StatusOK {
		t.Errorf("exchange after ExpireAuthTokens: %d", status)
	}
}

func TestFreeRefreshToken(t *testing.T) {
	s := StartPlain(t, Options{})
	c := newTestClient(t, s)
	refresh := s.IssueRefreshToken()
	if status, _ := c.do(http.MethodDelete, "/mgmt/shared/authz/tokens/"+refresh, nil); status != http.StatusOK {
		t.Fatalf("free refresh token: %d", status)
	}
	status, body := exchange(c, refresh)
	wantError(t, status, body, http.StatusUnauthorized, "Refresh token is invalid or has expired.")
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
	wantError(t, status, body, http.StatusBadRequest, MessageTokenLimit)

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
