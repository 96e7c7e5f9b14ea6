package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

// The acceptance tests run terraform against the provider in-process and
// the mock BIG-IQ: they need no real BIG-IQ, so they are unit tests in
// terraform-plugin-testing's sense and run under a plain go test, without
// TF_ACC. They need a terraform CLI, which findTerraform looks for once.

// terraformMissing is why there is no terraform CLI to run, or nil.
var terraformMissing error

// findTerraform pins TF_ACC_TERRAFORM_PATH to the CLI tfcli finds (that
// variable, else terraform on PATH), so that terraform-plugin-testing
// never falls back to downloading one.
func findTerraform() {
	path, err := tfcli.TerraformPath()
	if err != nil {
		terraformMissing = err
		return
	}
	terraformMissing = os.Setenv(tfcli.EnvTerraformPath, path)
}

// unitTest runs an acceptance test case against the in-process provider,
// whether or not TF_ACC is set. With no terraform CLI it fails, saying in
// one line how to get one.
func unitTest(t *testing.T, c resource.TestCase) {
	t.Helper()
	if terraformMissing != nil {
		t.Fatal(terraformMissing)
	}
	resource.UnitTest(t, c)
}

// parallelUnitTest is unitTest run in parallel with the package's other
// parallel tests, as resource.ParallelTest is.
func parallelUnitTest(t *testing.T, c resource.TestCase) {
	t.Helper()
	t.Parallel()
	unitTest(t, c)
}

// testAccProtoV6ProviderFactories runs the provider in-process for
// acceptance tests.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	// The server main serves, fast reads of the list data sources included.
	"bigiq": func() (tfprotov6.ProviderServer, error) { return NewProtocol6Server("test")(), nil },
}

// Fixture values from bigiqmock.DefaultFixture, the estate of the examples
// in F5's how-to, "OAuth Token Revocation on BIG-IP devices using a
// BIG-IQ":
// https://clouddocs.f5.com/products/big-iq/mgmt-api/v7.1.0/HowToSamples/bigiq_public_api_wf/t_revoke_oauth_token.html
const (
	blueDeviceID   = "98901455-6384-47cd-bc41-00a39dfe338f" // BlueCluster/TestGroup, active
	blueStandbyID  = "3f320100-2177-42e0-8a46-2e33cd3366da" // BlueCluster/TestGroup, standby
	redDeviceID    = "901695c8-f405-489f-9996-54f7b21da642" // RedCluster/TestGroup2
	greenDeviceID  = "c8e2a3b4-5d6f-4a7b-8c9d-0e1f2a3b4c5d" // no cluster, GreenGroup
	orangeDeviceID = "5e7d1c2b-3a4f-4e5d-9c8b-7a6f5e4d3c2b" // no APM

	redCalendarClientID = "e3f3e7204d00d88ad92cbb970dd5005056b093adfa6d7457"
	redBobClientID      = "d8d092f25e47976a94ff978c5686b498d316c97db6c7b62b" // bob's and Alice's tokens on red
	redUser1Token       = "da6d57ffab9decbe9d75b7fdd4440ad43bedc7a475f3105b"
	redAliceToken       = "0df998ae62ace6fb6a82bb745b8586e7306afb94e3ca146a"
	redBobToken         = "a56d80eb224e02c9093e2b363f155768ca3e19098b43a2bf"
	redCapAliceToken    = "22328d6b0ccc532b02bc0049056f54baaad4367a1a96fc82"

	blueUser1Shutterfly = "cc9dd2c129c2de9f9e7fdef99939c80c017390bcd6a30d3b"
	blueUser1Maps       = "358b8b4b4f44bda126283f387c60e10df66852936d8d76a0"
	blueAlice           = "f868bc635a493b15a3327c2e8cd5a147966f9eab93c3f5c6"
	blueCapAlice        = "bd617dbd4cf30d8c4e69a849828fe91dbc21e4abcbddd9c0"
	blueBob             = "027fc69814e7daca489e51488e70c0d1ac141c3a586cb0a9"

	// unknownOAuthID is an OAuth id in BIG-IQ's form that no device holds.
	unknownOAuthID = "ffffffffffffffffffffffffffffffffffffffffffffffff"

	revokeTasksPath = bigiq.PathRevokeTasks
)

func deviceLink(machineID string) string { return bigiq.DeviceLinkPrefix + machineID }

// startMock starts a BIG-IQ mock for one test. Tasks take long enough that
// the provider really polls, and short enough to keep tests fast.
func startMock(t *testing.T) *bigiqmock.Server {
	t.Helper()
	return bigiqmock.Start(t, bigiqmock.Options{TaskDuration: 150 * time.Millisecond})
}

// providerConfig renders a provider block that reaches the mock over
// verified TLS, trusting its self-signed certificate.
func providerConfig(s *bigiqmock.Server) string {
	return fmt.Sprintf(`
provider "bigiq" {
  address        = %q
  username       = "admin"
  password       = "admin"
  request_timeout = "10s"
  max_retries    = 1
  ca_certificate = <<EOT
%sEOT
}
`, s.URL, s.CACertPEM())
}

// tokenProviderConfig is the provider block that authenticates to s with a
// pre-issued access token instead of a password.
func tokenProviderConfig(s *bigiqmock.Server, token string) string {
	return fmt.Sprintf(`
provider "bigiq" {
  address        = %q
  token          = %q
  ca_certificate = <<EOT
%sEOT
}
`, s.URL, token, s.CACertPEM())
}

// expectRevokeBodies checks the bodies of every POST that started a task,
// compared as JSON values so that key order does not matter.
func expectRevokeBodies(m *bigiqmock.Server, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, r := range m.Requests() {
			if r.Method == http.MethodPost && r.Path == revokeTasksPath {
				got = append(got, string(r.Body))
			}
		}
		if len(got) != len(want) {
			return fmt.Errorf("mock received %d revoke-tokens POSTs, want %d: %q", len(got), len(want), got)
		}
		for i := range want {
			var g, w any
			if err := json.Unmarshal([]byte(got[i]), &g); err != nil {
				return fmt.Errorf("POST %d body is not JSON: %w: %s", i, err, got[i])
			}
			if err := json.Unmarshal([]byte(want[i]), &w); err != nil {
				return fmt.Errorf("test bug: want %d is not JSON: %w", i, err)
			}
			gj, _ := json.Marshal(g)
			wj, _ := json.Marshal(w)
			if !bytes.Equal(gj, wj) {
				return fmt.Errorf("POST %d body:\n got  %s\n want %s", i, gj, wj)
			}
		}
		return nil
	}
}

// expectTokens checks which OAuth tokens are left on a mock device.
func expectTokens(m *bigiqmock.Server, machineID string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, tok := range m.Tokens(machineID) {
			got = append(got, tok.ID)
		}
		slices.Sort(got)
		want = slices.Clone(want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			return fmt.Errorf("tokens left on %s:\n got  %q\n want %q", machineID, got, want)
		}
		return nil
	}
}

// expectNoRequests is for tests whose configurations must fail before any
// BIG-IQ traffic.
func expectNoRequests(t *testing.T, m *bigiqmock.Server) {
	t.Helper()
	if reqs := m.Requests(); len(reqs) != 0 {
		var lines []string
		for _, r := range reqs {
			lines = append(lines, r.Method+" "+r.Path)
		}
		t.Errorf("mock received %d requests, want none: %s", len(reqs), strings.Join(lines, ", "))
	}
}

const devicesDataSourceConfig = `
data "bigiq_devices" "test" {
  addresses = ["10.255.4.124"]
}
`

func TestAccProvider_environment(t *testing.T) {
	m := startMock(t)
	t.Setenv(envAddress, m.URL)
	t.Setenv(envUsername, "admin")
	t.Setenv(envPassword, "admin")
	t.Setenv(envCACertificate, m.CACertPEM())
	t.Setenv(envLoginProvider, "local")
	t.Setenv(envToken, "")
	t.Setenv(envInsecure, "false")

	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: devicesDataSourceConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.bigiq_devices.test",
					tfjsonpath.New("devices").AtSliceIndex(0).AtMapKey("uuid"), knownvalue.StringExact(blueDeviceID)),
			},
			Check: func(*terraform.State) error {
				for _, r := range m.Requests() {
					if ua := r.Header.Get("User-Agent"); ua != "terraform-provider-bigiq/test" {
						return fmt.Errorf("%s %s sent User-Agent %q", r.Method, r.Path, ua)
					}
				}
				return nil
			},
		}},
	})
}

func TestAccProvider_configWinsOverEnvironment(t *testing.T) {
	m := startMock(t)
	t.Setenv(envAddress, "https://127.0.0.1:1")
	t.Setenv(envUsername, "nobody")
	t.Setenv(envPassword, "wrong")
	t.Setenv(envCACertificate, "not a certificate")
	t.Setenv(envToken, "")

	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(m) + devicesDataSourceConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.bigiq_devices.test", tfjsonpath.New("devices"), knownvalue.ListSizeExact(1)),
			},
		}},
	})
}

func TestAccProvider_token(t *testing.T) {
	m := startMock(t)
	token := m.IssueAuthToken()

	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: tokenProviderConfig(m, token) + devicesDataSourceConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.bigiq_devices.test", tfjsonpath.New("devices"), knownvalue.ListSizeExact(1)),
			},
			Check: func(*terraform.State) error {
				if got := m.Logins(); got != 0 {
					return fmt.Errorf("provider logged in %d times although it was given a token", got)
				}
				return nil
			},
		}},
	})
}

// TestAccProvider_invalidConfig covers settings that are wrong in the
// configuration itself: each fails before any request reaches BIG-IQ.
func TestAccProvider_invalidConfig(t *testing.T) {
	m := startMock(t)
	block := func(attrs string) string {
		return fmt.Sprintf("provider \"bigiq\" {\n  address = %q\n%s\n}\n", m.URL, attrs) + devicesDataSourceConfig
	}
	cases := []struct {
		name, config string
		want         *regexp.Regexp
	}{
		{"token and password", block(`token = "abc"
  username = "admin"
  password = "admin"`), errorPattern("Conflicting BIG-IQ credentials", "token (BIGIQ_TOKEN) and password (BIGIQ_PASSWORD) are set")},
		{"http address", `provider "bigiq" {
  address = "http://bigiq.example.com"
  username = "admin"
  password = "admin"
}` + devicesDataSourceConfig, errorPattern("Invalid BIG-IQ address", `scheme "http" is not supported`, "Set address to")},
		{"address with a path", `provider "bigiq" {
  address = "https://bigiq.example.com/mgmt/shared"
  username = "admin"
  password = "admin"
}` + devicesDataSourceConfig, errorPattern("Invalid BIG-IQ address", "must not have a path", "Set address to")},
		{"bad certificate", block(`username = "admin"
  password = "admin"
  ca_certificate = "not a certificate"`), errorPattern("Invalid CA certificate", "Set ca_certificate to")},
		{"zero request timeout", block(`username = "admin"
  password = "admin"
  request_timeout = "0s"`), errorPattern("Invalid duration", `the duration "0s" is not positive`, "Set request_timeout to")},
		{"negative retries", block(`username = "admin"
  password = "admin"
  max_retries = -1`), errorPattern("Attribute max_retries value must be at least 0, got: -1")},
		{"blank username", block(`username = " "
  password = "admin"`), errorPattern("Blank value", "Set username to")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			unitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      tc.config,
					ExpectError: tc.want,
				}},
			})
		})
	}
	expectNoRequests(t, m)
}

// TestAccProvider_missingSettings covers what can only be found once the
// environment is merged in: the message names attribute and variable.
func TestAccProvider_missingSettings(t *testing.T) {
	m := startMock(t)
	for _, env := range []string{envAddress, envUsername, envPassword, envToken, envRefreshToken, envLoginProvider, envInsecure, envCACertificate} {
		t.Setenv(env, "")
	}
	cases := []struct {
		name, config string
		env          map[string]string
		want         *regexp.Regexp
	}{
		{"no address", `provider "bigiq" {
  username = "admin"
  password = "admin"
}`, nil, errorPattern("Missing BIG-IQ address", "Set address (BIGIQ_ADDRESS) to")},
		{"username without password", fmt.Sprintf(`provider "bigiq" {
  address = %q
  username = "admin"
}`, m.URL), nil, errorPattern("Missing BIG-IQ password", "username (BIGIQ_USERNAME) is set, so password (BIGIQ_PASSWORD) is required")},
		{"no credentials", fmt.Sprintf(`provider "bigiq" {
  address = %q
}`, m.URL), nil, errorPattern("Missing BIG-IQ credentials", "Set username (BIGIQ_USERNAME) and password (BIGIQ_PASSWORD), or refresh_token (BIGIQ_REFRESH_TOKEN) (or token (BIGIQ_TOKEN)")},
		{"token and password both from the environment", fmt.Sprintf(`provider "bigiq" {
  address = %q
}`, m.URL), map[string]string{envToken: "abc", envUsername: "admin", envPassword: "admin"}, errorPattern("Conflicting BIG-IQ credentials", "token (BIGIQ_TOKEN) and username (BIGIQ_USERNAME) are set")},
		{"bad insecure variable", fmt.Sprintf(`provider "bigiq" {
  address = %q
  username = "admin"
  password = "admin"
}`, m.URL), map[string]string{envInsecure: "maybe"}, errorPattern("Invalid insecure setting", `insecure (BIGIQ_INSECURE) must be true or false, not "maybe"`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			unitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      tc.config + devicesDataSourceConfig,
					ExpectError: tc.want,
				}},
			})
		})
	}
	expectNoRequests(t, m)
}

// TestProviderConfigure_insecureWarns calls Configure directly, since the
// test framework does not surface warnings.
func TestProviderConfigure_insecureWarns(t *testing.T) {
	for _, env := range []string{envAddress, envUsername, envPassword, envToken, envRefreshToken, envLoginProvider, envInsecure, envCACertificate} {
		t.Setenv(env, "")
	}
	for _, insecure := range []bool{true, false} {
		diags := configureProvider(t, map[string]tftypes.Value{
			"address":  tftypes.NewValue(tftypes.String, "bigiq.example.com"),
			"username": tftypes.NewValue(tftypes.String, "admin"),
			"password": tftypes.NewValue(tftypes.String, "s3cret-password"),
			"insecure": tftypes.NewValue(tftypes.Bool, insecure),
		})
		if diags.HasError() {
			t.Fatalf("insecure=%v: unexpected errors: %v", insecure, diags)
		}
		warnings := diags.Warnings()
		if insecure && (len(warnings) != 1 || !strings.Contains(warnings[0].Summary(), "TLS certificate verification is disabled")) {
			t.Errorf("insecure=true: want one TLS warning, got %v", diags)
		}
		if !insecure && len(warnings) != 0 {
			t.Errorf("insecure=false: want no warning, got %v", diags)
		}
		for _, d := range diags {
			if strings.Contains(d.Detail(), "s3cret-password") {
				t.Errorf("diagnostic leaks the password: %q", d.Detail())
			}
		}
	}
}

// TestProviderConfigure_unknownValues: during plan the configuration may
// depend on other resources; Configure must then do nothing, not fail.
func TestProviderConfigure_unknownValues(t *testing.T) {
	for _, env := range []string{envAddress, envUsername, envPassword, envToken} {
		t.Setenv(env, "")
	}
	diags := configureProvider(t, map[string]tftypes.Value{
		"address": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
	})
	if len(diags) != 0 {
		t.Fatalf("want no diagnostics for unknown values, got %v", diags)
	}
}

func configureProvider(t *testing.T, values map[string]tftypes.Value) diag.Diagnostics {
	t.Helper()
	ctx := context.Background()
	p := New("test")()
	var schemaResp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &schemaResp)
	objType, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("provider schema type is %T, want an object", schemaResp.Schema.Type().TerraformType(ctx))
	}
	all := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		all[name] = tftypes.NewValue(typ, nil)
		if v, ok := values[name]; ok {
			all[name] = v
		}
	}
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{
		Config: tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objType, all)},
	}, &resp)
	return resp.Diagnostics
}

// taskIDPattern stands for a task id inside errorPattern phrases.
const taskIDPattern = "<task-id>"

// errorPattern matches phrases in order in Terraform's output, which wraps
// long lines: spaces in a phrase match any whitespace, and taskIDPattern
// matches a task id.
func errorPattern(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		quoted := regexp.QuoteMeta(p)
		quoted = strings.ReplaceAll(quoted, " ", `\s+`)
		parts[i] = strings.ReplaceAll(quoted, regexp.QuoteMeta(taskIDPattern), `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}
