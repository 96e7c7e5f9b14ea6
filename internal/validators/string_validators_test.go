package validators_test

import (
	"context"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/validators"
)

// selfSignedPEM returns a freshly made certificate, so the test does not
// depend on a fixture that could expire or rot.
func selfSignedPEM(t *testing.T) string {
	t.Helper()
	_, certPEM, err := bigiqmock.NewCertificate()
	if err != nil {
		t.Fatal(err)
	}
	return certPEM
}

func TestStringValidators(t *testing.T) {
	t.Parallel()

	const machineID = "98901455-6384-47cd-bc41-00a39dfe338f"
	testCertificate := selfSignedPEM(t)
	cases := []struct {
		name      string
		validator validator.String
		value     types.String
		wantError string // "" means valid
	}{
		{"not blank: word", validators.NotBlank(), types.StringValue("user1"), ""},
		{"not blank: empty", validators.NotBlank(), types.StringValue(""), "Blank value"},
		{"not blank: spaces", validators.NotBlank(), types.StringValue(" \t\n"), "Blank value"},
		{"not blank: null", validators.NotBlank(), types.StringNull(), ""},
		{"not blank: unknown", validators.NotBlank(), types.StringUnknown(), ""},

		{"hex id: lower", validators.HexID(), types.StringValue("e3f3e7204d00d88ad92cbb970dd5005056b093adfa6d7457"), ""},
		{"hex id: upper", validators.HexID(), types.StringValue("E3F3E720"), ""},
		{"hex id: word", validators.HexID(), types.StringValue("calendar"), "Invalid OAuth id or client id"},
		{"hex id: unknown", validators.HexID(), types.StringUnknown(), ""},

		{"exact name: plain", validators.ExactName(), types.StringValue("alice"), ""},
		{"exact name: zero-width space", validators.ExactName(), types.StringValue("ali\u200bce"), "Invisible or surrounding characters in a name"},
		{"exact name: null", validators.ExactName(), types.StringNull(), ""},
		{"exact name: unknown", validators.ExactName(), types.StringUnknown(), ""},

		{"rfc3339: utc", validators.RFC3339(), types.StringValue("2026-11-20T10:00:00Z"), ""},
		{"rfc3339: offset", validators.RFC3339(), types.StringValue("2026-11-20T10:00:00.5-07:00"), ""},
		{"rfc3339: date only", validators.RFC3339(), types.StringValue("2026-11-20"), "Invalid time"},
		{"rfc3339: bigiq form", validators.RFC3339(), types.StringValue("2026-11-20T10:00:00.000-0700"), "Invalid time"},
		{"rfc3339: blank", validators.RFC3339(), types.StringValue(" "), "Invalid time"},
		{"rfc3339: unknown", validators.RFC3339(), types.StringUnknown(), ""},

		{"address: host", validators.HTTPSAddress(), types.StringValue("bigiq.example.com"), ""},
		{"address: host:port", validators.HTTPSAddress(), types.StringValue("10.0.0.1:8443"), ""},
		{"address: https url", validators.HTTPSAddress(), types.StringValue("https://bigiq.example.com"), ""},
		{"address: http url", validators.HTTPSAddress(), types.StringValue("http://bigiq.example.com"), "Invalid BIG-IQ address"},
		{"address: path", validators.HTTPSAddress(), types.StringValue("https://bigiq.example.com/mgmt"), "Invalid BIG-IQ address"},
		{"address: userinfo", validators.HTTPSAddress(), types.StringValue("https://admin:secret@bigiq.example.com"), "Invalid BIG-IQ address"},
		{"address: empty", validators.HTTPSAddress(), types.StringValue(""), "Invalid BIG-IQ address"},
		{"address: unknown", validators.HTTPSAddress(), types.StringUnknown(), ""},

		{"device: bare id", validators.DeviceReference(), types.StringValue(machineID), ""},
		{"device: resolver link", validators.DeviceReference(), types.StringValue("https://localhost/mgmt/cm/system/machineid-resolver/" + machineID), ""},
		{"device: group link", validators.DeviceReference(), types.StringValue("https://localhost/mgmt/shared/resolver/device-groups/cm-access-allBigIpDevices/devices/" + machineID), ""},
		{"device: foreign host", validators.DeviceReference(), types.StringValue("https://evil.example.com/mgmt/cm/system/machineid-resolver/" + machineID), "Invalid device reference"},
		{"device: other path", validators.DeviceReference(), types.StringValue("https://localhost/mgmt/shared/authz/users/admin"), "Invalid device reference"},
		{"device: malformed id", validators.DeviceReference(), types.StringValue("not-a-machine-id"), "Invalid device reference"},
		{"device: empty", validators.DeviceReference(), types.StringValue(""), "Invalid device reference"},
		{"device: null", validators.DeviceReference(), types.StringNull(), ""},

		{"machine id: uuid", validators.MachineID(), types.StringValue(machineID), ""},
		{"machine id: link", validators.MachineID(), types.StringValue("https://localhost/mgmt/cm/system/machineid-resolver/" + machineID), "Invalid machine id"},
		{"machine id: blank", validators.MachineID(), types.StringValue(" "), "Invalid machine id"},
		{"machine id: empty", validators.MachineID(), types.StringValue(""), "Invalid machine id"},
		{"machine id: quote", validators.MachineID(), types.StringValue("x' or 'a' eq 'a"), "Invalid machine id"},

		{"pem: certificate", validators.PEMCertificate(), types.StringValue(testCertificate), ""},
		{"pem: garbage", validators.PEMCertificate(), types.StringValue("not a certificate"), "Invalid CA certificate"},
		{"pem: truncated", validators.PEMCertificate(), types.StringValue(testCertificate[:200]), "Invalid CA certificate"},
		{"pem: unknown", validators.PEMCertificate(), types.StringUnknown(), ""},

		{"duration: seconds", validators.PositiveDuration(), types.StringValue("30s"), ""},
		{"duration: compound", validators.PositiveDuration(), types.StringValue("1m30s"), ""},
		{"duration: zero", validators.PositiveDuration(), types.StringValue("0s"), "Invalid duration"},
		{"duration: negative", validators.PositiveDuration(), types.StringValue("-5s"), "Invalid duration"},
		{"duration: no unit", validators.PositiveDuration(), types.StringValue("30"), "Invalid duration"},
		{"duration: null", validators.PositiveDuration(), types.StringNull(), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			attrPath := path.Root("attr")
			resp := validator.StringResponse{}
			tc.validator.ValidateString(context.Background(), validator.StringRequest{
				Path:        attrPath,
				ConfigValue: tc.value,
			}, &resp)

			if tc.wantError == "" {
				if resp.Diagnostics.HasError() {
					t.Fatalf("want no error, got %v", resp.Diagnostics)
				}
				return
			}
			if resp.Diagnostics.ErrorsCount() != 1 {
				t.Fatalf("want one error, got %v", resp.Diagnostics)
			}
			d := resp.Diagnostics.Errors()[0]
			if d.Summary() != tc.wantError {
				t.Errorf("summary = %q, want %q", d.Summary(), tc.wantError)
			}
			withPath, ok := d.(interface{ Path() path.Path })
			if !ok || !withPath.Path().Equal(attrPath) {
				t.Errorf("diagnostic is not attached to %s: %v", attrPath, d)
			}
			if !strings.Contains(d.Detail(), "Set attr to") {
				t.Errorf("detail does not tell the user what to set: %q", d.Detail())
			}
		})
	}
}

func TestDescriptions(t *testing.T) {
	t.Parallel()
	for _, v := range []validator.String{
		validators.NotBlank(), validators.ExactName(), validators.HexID(), validators.HTTPSAddress(), validators.DeviceReference(),
		validators.PEMCertificate(), validators.PositiveDuration(), validators.MachineID(), validators.RFC3339(),
	} {
		ctx := context.Background()
		if v.Description(ctx) == "" || v.MarkdownDescription(ctx) == "" {
			t.Errorf("%T has an empty description", v)
		}
	}
}

// TestCheckExactName: a name BIG-IQ cannot hold, though it looks like one,
// is refused with the character shown as an escape and its place, and
// without the value itself (a user name is personal data).
func TestCheckExactName(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"alice", "Alice", "Blue Cluster", "Zoë Ångström", "山田", "a", "x-1_y.z@example.com"} {
		if err := validators.CheckExactName(ok); err != nil {
			t.Errorf("CheckExactName(%q) = %v, want nil", ok, err)
		}
	}
	for value, want := range map[string]string{
		"Qw\u200bzy":  `format character '\u200b' (U+200B) at character 3 of 5`,
		"\ufeffQwzyx": `format character '\ufeff' (U+FEFF) at character 1 of 6`,
		"Qwzyx\u202e": `format character '\u202e' (U+202E) at character 6 of 6`,
		"Qw\u00adzy":  `format character '\u00ad' (U+00AD)`,
		"Qw\tzy":      `control character '\t' (U+0009) at character 3 of 5`,
		"Qwzyx\n":     `control character '\n' (U+000A) at character 6 of 6`,
		"Qw\x00zy":    `control character '\x00' (U+0000)`,
		"Qw\u0085zy":  `control character '\u0085' (U+0085)`,
		" Qwzyx":      `begins with the space character ' ' (U+0020)`,
		"Qwzyx\u00a0": `ends with the space character '\u00a0' (U+00A0)`,
		"\u2003Qwzyx": `begins with the space character '\u2003' (U+2003)`,
		"Qwzyx\u3000": `ends with the space character '\u3000' (U+3000)`,
		"Qwzyx\xff":   "not valid UTF-8",
		"Qw\ufffdzy":  `replacement character '\ufffd' (U+FFFD) at character 3 of 5`,
	} {
		err := validators.CheckExactName(value)
		if err == nil {
			t.Errorf("CheckExactName(%q) = nil, want an error saying %s", value, want)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("CheckExactName(%q) = %q, want it to say %s", value, err, want)
		}
		if strings.Contains(err.Error(), "Qw") || strings.Contains(err.Error(), "zy") {
			t.Errorf("CheckExactName(%q) = %q quotes the value", value, err)
		}
	}
}

// FuzzCheckExactName: an accepted name has no control or format character
// and no space at either end; a refusal is printable ASCII, so the
// character that caused it is always shown as an escape.
func FuzzCheckExactName(f *testing.F) {
	for _, seed := range []string{"alice", "ali\u200bce", " alice", "alice\u00a0", "a\tb", "\ufeff", "\u202ebob", "Zoë", "", "\xff"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := validators.CheckExactName(s)
		if strings.TrimSpace(s) == "" {
			return // NotBlank's to refuse
		}
		if err != nil {
			for _, r := range err.Error() {
				if r < 0x20 || r > 0x7e {
					t.Fatalf("CheckExactName(%q): message holds %U, not an escape: %q", s, r, err)
				}
			}
			return
		}
		runes := []rune(s)
		for i, r := range runes {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
				t.Fatalf("CheckExactName(%q) accepted %U at %d", s, r, i)
			}
		}
		if len(runes) > 0 {
			for _, r := range []rune{runes[0], runes[len(runes)-1]} {
				if unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) {
					t.Fatalf("CheckExactName(%q) accepted space %U at an end", s, r)
				}
			}
		}
	})
}
