package bigiq

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// TestLogsCarryNoSecret drives every kind of call with trace logging on and
// checks the log for the password and every auth token the mock issued.
func TestLogsCarryNoSecret(t *testing.T) {
	t.Setenv("TF_LOG_PROVIDER_BIGIQ_HTTP", "TRACE")
	const password = "s3cret-Pa55word"
	s := bigiqmock.Start(t, bigiqmock.Options{Password: password})
	c := newTestClient(t, s, func(cfg *Config) { cfg.Password = password })
	c.clock = newFakeClock()
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)

	if _, err := c.ListDevices(ctx, []string{"10.255.4.124"}); err != nil {
		t.Fatal(err)
	}
	s.ExpireAuthTokens() // a renewal, so a second token to keep out
	refreshToken := c.loadRefreshToken()
	task, err := c.StartRevokeTask(ctx, revokeUser1OnBlue)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForTask(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
	tokens := map[string]bool{}
	for _, r := range s.Requests() {
		if tok := r.Header.Get(authHeader); tok != "" {
			tokens[tok] = true
		}
	}
	// Close after the access token expired: it gets a new one to free the
	// refresh token with, and frees that one by its value in the URL.
	s.ExpireAuthTokens()
	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}
	closeTokens := map[string]bool{}
	for _, r := range s.Requests() {
		if tok := r.Header.Get(authHeader); tok != "" && !tokens[tok] {
			closeTokens[tok] = true
		}
	}

	out := logs.String()
	for _, want := range []string{"BIG-IQ request", "BIG-IQ response body", "revoke-tokens task progressed", PathRevokeTasks} {
		if !strings.Contains(out, want) {
			t.Fatalf("the log lacks %q, so it proves nothing:\n%s", want, out)
		}
	}
	if len(tokens) != 2 {
		t.Fatalf("%d distinct tokens were used; want 2", len(tokens))
	}
	if strings.Contains(out, password) {
		t.Error("the password reached the log")
	}
	if refreshToken == "" || strings.Contains(out, refreshToken) {
		t.Errorf("the refresh token (%d chars) reached the log, or there was none", len(refreshToken))
	}
	if s.Exchanges() != 2 {
		t.Errorf("%d exchanges; want 2 (a renewal, and Close's): the log of a renewal was not tested", s.Exchanges())
	}
	if len(closeTokens) != 1 {
		t.Fatalf("Close used %d new tokens; want 1, the one it got to free the refresh token", len(closeTokens))
	}
	for _, used := range []map[string]bool{tokens, closeTokens} {
		for tok := range used {
			if strings.Contains(out, tok) {
				t.Errorf("auth token %s… reached the log", tok[:4])
			}
		}
	}
}
