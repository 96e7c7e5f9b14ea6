package bigiq

import (
	"context"
	"strings"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

func TestTLSIsVerified(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})

	c := newTestClient(t, s, func(cfg *Config) { cfg.CACertificatePEM = "" })
	_, err := c.ListAccessGroups(context.Background())
	if err == nil || !strings.Contains(err.Error(), "ca_certificate") {
		t.Fatalf("an unverifiable certificate gave %v", err)
	}
	if s.Logins() != 0 {
		t.Error("a login went through an unverified connection")
	}

	c = newTestClient(t, s, func(cfg *Config) { cfg.CACertificatePEM, cfg.Insecure = "", true })
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Errorf("insecure: %v", err)
	}
}

func TestValidateCACertificate(t *testing.T) {
	t.Parallel()
	testCertPEM := selfSignedPEM(t)
	for name, in := range map[string]string{
		"empty":      "",
		"not pem":    "hello",
		"key block":  "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
		"bad der":    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		"trailing":   testCertPEM + "garbage",
		"whitespace": "  \n ",
	} {
		if err := ValidateCACertificate(in); err == nil {
			t.Errorf("%s: ValidateCACertificate accepted %q", name, in)
		}
	}
	if err := ValidateCACertificate(testCertPEM + "\n" + testCertPEM); err != nil {
		t.Errorf("ValidateCACertificate rejected a two-certificate bundle: %v", err)
	}
}

// selfSignedPEM makes a real certificate, so the test checks parsing rather
// than a fixture's validity.
func selfSignedPEM(t *testing.T) string {
	t.Helper()
	_, certPEM, err := bigiqmock.NewCertificate()
	if err != nil {
		t.Fatal(err)
	}
	return certPEM
}
