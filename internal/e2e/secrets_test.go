package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

const revokeUser1 = tfcli.RequiredProviders + `
data "bigiq_devices" "blue" {
  cluster_name = "BlueCluster"
}

resource "bigiq_oauth_token_revocation" "leaver" {
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
}

output "status" {
  value = bigiq_oauth_token_revocation.leaver.status
}
`

// TestSecretsStayOutOfEverything runs a whole plan, apply and destroy with
// trace logging, in each authentication mode, and searches every output,
// the log, the state and the plan JSON for the password and every auth
// token the mock issued or accepted.
func TestSecretsStayOutOfEverything(t *testing.T) {
	t.Parallel()
	const password = "Zq9-unguessable-P4ssword"

	t.Run("password", func(t *testing.T) {
		t.Parallel()
		s := bigiqmock.Start(t, bigiqmock.Options{Password: password, TaskDuration: 200 * time.Millisecond})
		env := tfcli.MockEnv(s.URL, s.CACertPEM())
		env["BIGIQ_PASSWORD"] = password
		runAndSearch(t, s, env, []string{password}, "BIGIQ_PASSWORD=not-"+password)
	})

	t.Run("pre-issued token", func(t *testing.T) {
		t.Parallel()
		s := bigiqmock.Start(t, bigiqmock.Options{Password: password, TaskDuration: 200 * time.Millisecond})
		token := s.IssueAuthToken()
		env := tfcli.MockEnv(s.URL, s.CACertPEM())
		delete(env, "BIGIQ_USERNAME")
		delete(env, "BIGIQ_PASSWORD")
		env["BIGIQ_TOKEN"] = token
		runAndSearch(t, s, env, []string{password, token}, "BIGIQ_TOKEN=revoked-"+token)
	})

	t.Run("pre-issued refresh token", func(t *testing.T) {
		t.Parallel()
		s := bigiqmock.Start(t, bigiqmock.Options{Password: password, TaskDuration: 200 * time.Millisecond})
		refresh := s.IssueRefreshToken()
		env := tfcli.MockEnv(s.URL, s.CACertPEM())
		delete(env, "BIGIQ_USERNAME")
		delete(env, "BIGIQ_PASSWORD")
		env["BIGIQ_REFRESH_TOKEN"] = refresh
		runAndSearch(t, s, env, []string{password, refresh}, "BIGIQ_REFRESH_TOKEN=revoked-"+refresh)
		if s.Exchanges() == 0 || s.Logins() != 0 {
			t.Errorf("%d exchanges, %d logins; the refresh token was not what authenticated", s.Exchanges(), s.Logins())
		}
	})
}

// runAndSearch also runs a plan with badCredential (an environment setting
// that holds a secret but fails), so error messages are searched too.
func runAndSearch(t *testing.T, s *bigiqmock.Server, env map[string]string, secrets []string, badCredential string) {
	t.Helper()
	ctx := context.Background()
	logPath := filepath.Join(t.TempDir(), "trace.log")
	env["TF_LOG"] = "TRACE"
	env["TF_LOG_PATH"] = logPath
	w := tfcli.WorkspaceForTest(t, env)
	if err := w.WriteFile("main.tf", revokeUser1); err != nil {
		t.Fatal(err)
	}

	var printed strings.Builder
	for _, args := range [][]string{
		{"plan", "-out=tfplan"},
		{"show", "-json", "tfplan"},
		{"apply", "tfplan"},
		{"plan", "-detailed-exitcode"},
		{"destroy", "-auto-approve"},
	} {
		res, err := w.Run(ctx, args...)
		printed.WriteString(res.Stdout + res.Stderr)
		if err != nil {
			t.Fatal(err)
		}
		if args[0] == "show" {
			if err := w.WriteFile("plan.json", res.Stdout); err != nil {
				t.Fatal(err)
			}
		}
	}
	failing := *w
	failing.Env = append(append([]string(nil), w.Env...), badCredential)
	res, err := failing.Run(ctx, "plan")
	if err == nil {
		t.Fatalf("a plan with %s succeeded", strings.SplitN(badCredential, "=", 2)[0])
	}
	printed.WriteString(res.Stdout + res.Stderr)

	seen := 0
	for _, r := range s.Requests() {
		if tok := r.Header.Get("X-F5-Auth-Token"); tok != "" {
			seen++
			if !contains(secrets, tok) {
				secrets = append(secrets, tok)
			}
		}
	}
	if seen == 0 {
		t.Fatal("no auth token was seen in the requests; the test would prove nothing")
	}

	searched := map[string]string{"terraform's output": printed.String()}
	for _, name := range []string{"trace.log", "terraform.tfstate", "terraform.tfstate.backup", "plan.json"} {
		dir := w.Dir
		if name == "trace.log" {
			dir = filepath.Dir(logPath)
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		searched[name] = string(data)
	}
	if !strings.Contains(searched["trace.log"], "BIG-IQ request") || !strings.Contains(searched["trace.log"], "revoke-tokens") {
		t.Fatal("the trace log lacks the provider's HTTP log lines; it proves nothing")
	}
	if !strings.Contains(searched["plan.json"], `"user_name"`) {
		t.Fatal("the plan JSON lacks the resource; it proves nothing")
	}
	for where, text := range searched {
		for _, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s contains the secret %.4s…", where, secret)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestAuthTokenFreedAtExit: each provider process frees the access and
// refresh token of its login when Terraform stops it, so runs do not pile
// up live tokens against BIG-IQ's per-user cap (a refresh token would stay
// live for 10 hours).
func TestAuthTokenFreedAtExit(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: 200 * time.Millisecond})
	w := tfcli.WorkspaceForTest(t, tfcli.MockEnv(s.URL, s.CACertPEM()))
	if err := w.WriteFile("main.tf", revokeUser1); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Run(context.Background(), "apply", "-auto-approve"); err != nil {
		t.Fatal(err)
	}
	if s.Logins() == 0 || s.FreedAuthTokens() != 2*s.Logins() || len(s.LiveAuthTokens()) != 0 || len(s.LiveRefreshTokens()) != 0 {
		t.Errorf("%d logins, %d tokens freed, %d access and %d refresh tokens still live; want both tokens of every login freed",
			s.Logins(), s.FreedAuthTokens(), len(s.LiveAuthTokens()), len(s.LiveRefreshTokens()))
	}
}

// TestValidateNeedsNoCredentials: terraform validate works on a machine
// with no BIG-IQ settings at all, as in a CI lint job.
func TestValidateNeedsNoCredentials(t *testing.T) {
	t.Parallel()
	w := tfcli.WorkspaceForTest(t, nil)
	for _, kv := range w.Env {
		if strings.HasPrefix(kv, "BIGIQ_") {
			t.Fatalf("the workspace passes %s to terraform; this test needs none", strings.SplitN(kv, "=", 2)[0])
		}
	}
	if err := w.WriteFile("main.tf", revokeUser1); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Run(context.Background(), "validate"); err != nil {
		t.Fatal(err)
	}
}
