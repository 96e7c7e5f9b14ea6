package validators_test

import (
	"context"
	"strings"
	"testing"

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
		validators.NotBlank(), validators.HTTPSAddress(), validators.DeviceReference(),
		validators.PEMCertificate(), validators.PositiveDuration(), validators.MachineID(), validators.RFC3339(),
	} {
		ctx := context.Background()
		if v.Description(ctx) == "" || v.MarkdownDescription(ctx) == "" {
			t.Errorf("%T has an empty description", v)
		}
	}
}
