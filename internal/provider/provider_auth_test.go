package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// TestAccProvider_oneRefusedLogin: BIG-IQ counts failed logins towards
// locking the account. With a wrong password, an apply of 30 revocations
// and a data source sends one login, and every one of them fails with
// BIG-IQ's refusal.
func TestAccProvider_oneRefusedLogin(t *testing.T) {
	m := startMock(t)
	config := strings.Replace(providerConfig(m), `password       = "admin"`, `password       = "wrong-password"`, 1) + `
resource "bigiq_oauth_token_revocation" "leavers" {
  count         = 30
  user_name     = "leaver${count.index}"
  cluster_names = ["BlueCluster"]
}
`
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: errorPattern("BIG-IQ refused the credentials", `refused the login of the configured username`, "No other login is attempted"),
		}},
	})
	if n := m.CountRequests(http.MethodPost, bigiq.PathLogin); n != 1 {
		t.Errorf("%d login POSTs with a wrong password; want 1", n)
	}
	if n := m.CountRequests("", "/"); n != 1 {
		t.Errorf("%d requests; want only the refused login", n)
	}
}

// TestStartDiagnostics_refusedLogin: the error for a refused login says so
// and does not send the user to check the Access_Manager role, which is
// not what went wrong.
func TestStartDiagnostics_refusedLogin(t *testing.T) {
	text := startErrorWithoutLogin(t, startMock(t), "wrong")
	if !strings.Contains(text, "refused the login") || strings.Contains(text, "Access_Manager") {
		t.Errorf("diagnostic:\n%s", text)
	}
}

// startErrorWithoutLogin starts a revocation as admin with password on a
// mock that will not issue a token, checks that it is one error and that
// no task POST was sent, and returns the error's summary and detail.
func startErrorWithoutLogin(t *testing.T, m *bigiqmock.Server, password string) string {
	t.Helper()
	client, err := bigiq.NewClient(bigiq.Config{Address: m.URL, Username: "admin", Password: password, CACertificatePEM: m.CACertPEM()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.StartRevokeTask(context.Background(), bigiq.RevokeRequest{Action: bigiq.ActionRevokeForUser, UserName: "u", ClusterNames: []string{"BlueCluster"}})
	diags := startDiagnostics(err, resourceWords)
	if diags.ErrorsCount() != 1 {
		t.Fatalf("diagnostics = %v", diags)
	}
	if n := m.CountRequests(http.MethodPost, bigiq.PathRevokeTasks); n != 0 {
		t.Errorf("%d task POSTs without a login", n)
	}
	d := diags.Errors()[0]
	return d.Summary() + "\n" + d.Detail()
}

// TestStartDiagnostics_speakTheCallersTerms: the action keeps no state, so
// its errors for a run that started no task say nothing of state and say
// how to run it again: invoke it, or replace the resource whose
// action_trigger ran it; the resource's say what its state keeps.
func TestStartDiagnostics_speakTheCallersTerms(t *testing.T) {
	t.Parallel()
	for _, err := range []error{errors.New("400 Bad Request"), &bigiq.APIError{Method: http.MethodPost, Path: bigiq.PathRevokeTasks, StatusCode: 400}} {
		action := startDiagnostics(err, actionWords).Errors()[0].Detail()
		if strings.Contains(action, "state") || !strings.Contains(action, "-invoke=action.bigiq_revoke_oauth_tokens.") ||
			!strings.Contains(action, "-replace=") {
			t.Errorf("the action's start error speaks of the resource:\n%s", action)
		}
		if resource := startDiagnostics(err, resourceWords).Errors()[0].Detail(); !strings.Contains(resource, "Nothing is saved in the state") {
			t.Errorf("the resource's start error does not say what its state keeps:\n%s", resource)
		}
	}
}

// TestAccProvider_refreshToken: a pre-issued refresh token authenticates
// a whole run without a password: every access token comes from an
// exchange of it, and the provider never logs in.
func TestAccProvider_refreshToken(t *testing.T) {
	m := startMock(t)
	refresh := m.IssueRefreshToken()
	provider := fmt.Sprintf(`
provider "bigiq" {
  address        = %q
  refresh_token  = %q
  ca_certificate = <<EOT
%sEOT
}
`, m.URL, refresh, m.CACertPEM())
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: provider + devicesDataSourceConfig + `
resource "bigiq_oauth_token_revocation" "test" {
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
}
`,
			ConfigStateChecks: expectFinished(bigiq.ActionRevokeForUser),
			Check: func(*terraform.State) error {
				exchanges := 0
				for _, r := range m.Requests() {
					if r.Path == bigiq.PathExchange {
						exchanges++
						if !strings.Contains(string(r.Body), refresh) {
							return fmt.Errorf("exchange %s does not carry the configured refresh token", r.Body)
						}
					}
				}
				if m.Logins() != 0 || m.CountRequests(http.MethodPost, bigiq.PathLogin) != 0 || exchanges == 0 || m.Exchanges() != exchanges {
					return fmt.Errorf("%d logins, %d exchanges (%d granted); want exchanges only", m.Logins(), exchanges, m.Exchanges())
				}
				return nil
			},
		}},
	})
}

// TestAccProvider_configKindWinsOverEnvironment: the kind of credential the
// configuration sets wins; the other kind exported in the environment is
// ignored rather than a conflict, in both directions. What reached the mock
// shows which credential was used.
func TestAccProvider_configKindWinsOverEnvironment(t *testing.T) {
	t.Run("password in config, tokens in environment", func(t *testing.T) {
		m := startMock(t)
		t.Setenv(envToken, "env-token-never-sent")
		t.Setenv(envRefreshToken, "env-refresh-never-sent")
		unitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: providerConfig(m) + devicesDataSourceConfig,
				Check: func(*terraform.State) error {
					for _, r := range m.Requests() {
						if strings.Contains(r.Header.Get("X-F5-Auth-Token"), "never-sent") || strings.Contains(string(r.Body), "never-sent") {
							return fmt.Errorf("%s %s carried a token from the environment", r.Method, r.Path)
						}
					}
					if m.Logins() == 0 || m.CountRequests(http.MethodPost, bigiq.PathExchange) != 0 {
						return fmt.Errorf("%d logins; want the configured password to log in", m.Logins())
					}
					return nil
				},
			}},
		})
	})

	t.Run("token in config, password in environment", func(t *testing.T) {
		m := startMock(t)
		t.Setenv(envUsername, "admin")
		t.Setenv(envPassword, "env-password-never-sent")
		token := m.IssueAuthToken()
		unitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: tokenProviderConfig(m, token) + devicesDataSourceConfig,
				Check: func(*terraform.State) error {
					if n := m.CountRequests(http.MethodPost, bigiq.PathLogin); n != 0 {
						return fmt.Errorf("%d login POSTs; the password in the environment must be ignored", n)
					}
					for _, r := range m.Requests() {
						if r.Header.Get("X-F5-Auth-Token") != token {
							return fmt.Errorf("%s %s did not carry the configured token", r.Method, r.Path)
						}
					}
					return nil
				},
			}},
		})
	})
}

// TestAccRevocation_tokenExpiresDuringWait: a pre-issued access token that
// expires while the task runs cannot be renewed. The apply fails at once,
// naming the task and saying the token expired, instead of polling until
// timeouts.create and then advising a longer timeout. "At once" is counted
// in polls, not measured in time: the token expires as soon as the POST is
// answered, and the wait must stop at the first refused poll.
func TestAccRevocation_tokenExpiresDuringWait(t *testing.T) {
	m := startMock(t)
	m.QueueTaskOutcome(bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeHang})
	token := m.IssueAuthToken()
	m.AfterRequestsTo(http.MethodPost, bigiq.PathRevokeTasks, 1, m.ExpireAuthTokens)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: tokenProviderConfig(m, token) + `
resource "bigiq_oauth_token_revocation" "test" {
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
}
`,
			ExpectError: errorPattern("Lost access to BIG-IQ while waiting for the token revocation", "revoke-tokens task <task-id>",
				"pre-issued auth token: it expired"),
		}},
	})
	ids := m.TaskIDs()
	if len(ids) != 1 {
		t.Fatalf("tasks %v; want one", ids)
	}
	if polls := m.CountRequests(http.MethodGet, bigiq.PathRevokeTasks+"/"+ids[0]); polls != 1 {
		t.Errorf("task %s polled %d times; want one poll, refused, and no more", ids[0], polls)
	}
}

// TestStartDiagnostics_tokenLimit: BIG-IQ's cap of live login tokens is
// not a refused password, and the diagnostic does not send the user to
// fix the credentials.
func TestStartDiagnostics_tokenLimit(t *testing.T) {
	t.Parallel()
	m := bigiqmock.Start(t, bigiqmock.Options{MaxAuthTokensPerUser: 1})
	m.IssueAuthToken()
	text := startErrorWithoutLogin(t, m, "admin")
	for _, want := range []string{"limit of live login tokens reached", "no revoke-tokens task was started", "The credentials were not refused",
		bigiqmock.MessageTokenLimit, "DELETE " + bigiq.PathAuthTokens + "/<token>"} {
		if !strings.Contains(text, want) {
			t.Errorf("the diagnostic does not say %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Fix the credentials") || strings.Contains(text, "refused the login") {
		t.Errorf("the diagnostic blames the credentials:\n%s", text)
	}
}
