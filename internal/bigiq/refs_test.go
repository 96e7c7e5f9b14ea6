package bigiq

import (
	"strings"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

func TestNormalizeAddress(t *testing.T) {
	t.Parallel()
	valid := map[string]string{
		"bigiq.example.com":             "https://bigiq.example.com",
		"10.1.1.4:8443":                 "https://10.1.1.4:8443",
		"https://bigiq.example.com/":    "https://bigiq.example.com",
		" https://[2001:db8::1]:443 ":   "https://[2001:db8::1]:443",
		"https://bigiq.example.com:443": "https://bigiq.example.com:443",
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
	}
	for in, wantInErr := range invalid {
		_, err := NormalizeAddress(in)
		if err == nil || !strings.Contains(err.Error(), wantInErr) {
			t.Errorf("NormalizeAddress(%q) error = %v; want one mentioning %q", in, err, wantInErr)
		}
	}
}

func TestNormalizeDeviceReference(t *testing.T) {
	t.Parallel()
	const id = "98901455-6384-47cd-bc41-00a39dfe338f"
	valid := map[string]string{
		id:                    DeviceLinkPrefix + id,
		DeviceLinkPrefix + id: DeviceLinkPrefix + id,
		"https://localhost/mgmt/shared/resolver/device-groups/cm-access-allBigIpDevices/devices/" + id: "https://localhost/mgmt/shared/resolver/device-groups/cm-access-allBigIpDevices/devices/" + id,
	}
	for in, want := range valid {
		got, err := NormalizeDeviceReference(in)
		if err != nil || got != want {
			t.Errorf("NormalizeDeviceReference(%q) = %q, %v; want %q", in, got, err, want)
		}
		if MachineIDOf(in) != id {
			t.Errorf("MachineIDOf(%q) = %q; want %q", in, MachineIDOf(in), id)
		}
	}
	for _, in := range []string{
		"",
		"bluebigipveha1",
		"3f320100-2177-42e0-8a46-2e33cd3366d", // the seed's malformed example: one digit short
		"https://evil.example.com/mgmt/cm/system/machineid-resolver/" + id,
		"http://localhost/mgmt/cm/system/machineid-resolver/" + id,
		"https://localhost/mgmt/cm/system/other/" + id,
		DeviceLinkPrefix,
		DeviceLinkPrefix + id + "/extra",
		DeviceLinkPrefix + "../" + id,
		" " + id,
	} {
		if got, err := NormalizeDeviceReference(in); err == nil {
			t.Errorf("NormalizeDeviceReference(%q) = %q; want an error", in, got)
		}
	}
	if !SameDevice(id, DeviceLinkPrefix+strings.ToUpper(id)) || SameDevice("", "") || SameDevice(id, "x") {
		t.Error("SameDevice does not compare machine ids")
	}
}

func TestODataString(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"10.1.1.1":                 "'10.1.1.1'",
		"O'Brien":                  "'O''Brien'",
		"x' or 'a' eq 'a":          "'x'' or ''a'' eq ''a'",
		"''":                       "''''''",
		"":                         "''",
		"a eq 'b') or (1 eq 1":     "'a eq ''b'') or (1 eq 1'",
		"lsoDeviceReference/machi": "'lsoDeviceReference/machi'",
	}
	for in, want := range cases {
		if got := ODataString(in); got != want {
			t.Errorf("ODataString(%q) = %s; want %s", in, got, want)
		}
	}
	if got := ODataEq("address", "10.255.4.124"); got != "'address' eq '10.255.4.124'" {
		t.Errorf("ODataEq = %s", got)
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
