package e2e

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// issueToken logs in to the mock as an administrator would with curl, to
// get a pre-issued token to configure the provider with.
func issueToken(t *testing.T, s *bigiqmock.Server, password string) string {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM([]byte(s.CACertPEM()))
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	body, _ := json.Marshal(map[string]string{"username": "admin", "password": password, "loginProviderName": "local"})
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, s.URL+"/mgmt/shared/authn/login", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var login struct {
		Token struct {
			Token string `json:"token"`
		} `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&login); err != nil || login.Token.Token == "" {
		t.Fatalf("login: %v", err)
	}
	return login.Token.Token
}
