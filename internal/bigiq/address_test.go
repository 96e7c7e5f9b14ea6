package bigiq

import (
	"strings"
	"testing"
)

func TestNormalizeAddress(t *testing.T) {
	t.Parallel()
	valid := map[string]string{
		"bigiq.example.com":             "https://bigiq.example.com",
		"10.1.1.4:8443":                 "https://10.1.1.4:8443",
		"https://bigiq.example.com/":    "https://bigiq.example.com",
		" https://[2001:db8::1]:443 ":   "https://[2001:db8::1]:443",
		"https://bigiq.example.com:443": "https://bigiq.example.com:443",
		// A bare IPv6 address is bracketed; with a port it must be
		// written in brackets, since "::1:8443" is itself an address.
		"::1":                "https://[::1]",
		"2001:db8::1":        "https://[2001:db8::1]",
		"[::1]":              "https://[::1]",
		"[::1]:8443":         "https://[::1]:8443",
		"[2001:db8::1]:443":  "https://[2001:db8::1]:443",
		"https://[::1]:8443": "https://[::1]:8443",
	}
	for in, want := range valid {
		got, err := NormalizeAddress(in)
		if err != nil || got != want {
			t.Errorf("NormalizeAddress(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	invalid := map[string]string{
		"":                               "empty",
		"   ":                            "empty",
		"http://bigiq.example.com":       "scheme \"http\"",
		"ftp://bigiq":                    "scheme",
		"https://bigiq/mgmt":             "path",
		"https://bigiq?x=1":              "query",
		"https://admin:pw@bigiq":         "credentials",
		"https://":                       "no host",
		"https://bigiq.example.com#frag": "fragment",
		"2001:db8::1::443":               "in brackets",
		"https://::1":                    "[::1]",
		"https://2001:db8::1:443/":       "in brackets",
	}
	for in, wantInErr := range invalid {
		_, err := NormalizeAddress(in)
		if err == nil || !strings.Contains(err.Error(), wantInErr) {
			t.Errorf("NormalizeAddress(%q) error = %v; want one mentioning %q", in, err, wantInErr)
		}
	}
}
