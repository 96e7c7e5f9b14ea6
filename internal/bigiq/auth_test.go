package bigiq

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

func TestOneLoginSharedByConcurrentCallers(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	ctx := context.Background()

	burst := func() {
		var wg sync.WaitGroup
		errs := make(chan error, 50)
		for range 50 {
			wg.Go(func() {
				if _, err := c.ListAccessGroups(ctx); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
	burst()
	if n := len(sent(s, http.MethodPost, PathLogin)); s.Logins() != 1 || n != 1 {
		t.Fatalf("50 parallel first calls caused %d logins (%d login POSTs); want 1", s.Logins(), n)
	}
	s.ExpireAuthTokens()
	burst()
	if s.Logins() != 1 || s.Exchanges() != 1 {
		t.Errorf("50 parallel calls after expiry caused %d more logins and %d exchanges; want one exchange", s.Logins()-1, s.Exchanges())
	}
	login := sent(s, http.MethodPost, PathLogin)[0]
	var body map[string]string
	if err := json.Unmarshal(login.Body, &body); err != nil || !reflect.DeepEqual(body, map[string]string{
		"username": "admin", "password": "admin", "loginProviderName": "local",
	}) {
		t.Errorf("login body = %s", login.Body)
	}
	for _, r := range s.Requests() {
		if r.Path != PathLogin && r.Path != PathExchange && r.Header.Get(authHeader) == "" {
			t.Fatalf("%s %s was sent without %s", r.Method, r.Path, authHeader)
		}
	}
}

// A user name is personal data: the error says which setting to check,
// not whose login it was.
func TestLoginFailureNamesNeitherUserNorPassword(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s, func(cfg *Config) { cfg.Password = "hunter2-wrong" })

	_, err := c.ListAccessGroups(context.Background())
	if err == nil || !strings.Contains(err.Error(), "configured username") || !strings.Contains(err.Error(), `login provider "local"`) ||
		!strings.Contains(err.Error(), "refused the login") || !IsAuthFailure(err) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("the password reached the error: %v", err)
	}
	if strings.Contains(err.Error(), "admin") {
		t.Fatalf("the user name reached the error: %v", err)
	}
	if n := s.CountRequests(http.MethodGet, ""); n != 0 {
		t.Errorf("%d GETs were sent without a login", n)
	}
}

// TestOneRefusedLoginPerProcess: BIG-IQ counts failed logins towards
// locking the account, so after one refusal every caller, in this client
// or another one with the same credentials in this process, gets the same
// error without another attempt.
func TestOneRefusedLoginPerProcess(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	wrong := func(cfg *Config) { cfg.Password = "wrong-password" }
	c := newTestClient(t, s, wrong)

	var wg sync.WaitGroup
	errs := make([]error, 31)
	for i := range 30 {
		wg.Go(func() { _, errs[i] = c.ListAccessGroups(context.Background()) })
	}
	wg.Wait()
	// Another provider configuration with the same credentials, as an
	// alias or a second Configure in the same process would make.
	_, errs[30] = newTestClient(t, s, wrong).StartRevokeTask(context.Background(), revokeUser1OnBlue)
	for _, err := range errs {
		if !IsAuthFailure(err) || !strings.Contains(err.Error(), "refused the login") {
			t.Fatalf("err = %v", err)
		}
	}
	if n := len(sent(s, http.MethodPost, PathLogin)); n != 1 {
		t.Errorf("%d login POSTs with a wrong password; want 1", n)
	}
	if n := len(s.Requests()); n != 1 {
		t.Errorf("%d requests; want the one refused login and nothing else", n)
	}

	// The right password is another credential: it logs in.
	if _, err := newTestClient(t, s).ListAccessGroups(context.Background()); err != nil || s.Logins() != 1 {
		t.Errorf("the right password after a wrong one: %v, %d logins", err, s.Logins())
	}
}

func TestPreIssuedToken(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	token := s.IssueAuthToken()

	c := newTestClient(t, s, func(cfg *Config) { cfg.Username, cfg.Password, cfg.Token = "", "", token })
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(context.Background()); err != nil || s.FreedAuthTokens() != 0 {
		t.Errorf("Close freed a token the client does not own (%v, %d freed)", err, s.FreedAuthTokens())
	}
	s.ExpireAuthTokens()
	_, err := c.ListAccessGroups(context.Background())
	if err == nil || !strings.Contains(err.Error(), "pre-issued auth token") || strings.Contains(err.Error(), token) {
		t.Errorf("err = %v", err)
	}
	if n := len(sent(s, http.MethodPost, PathLogin)); s.Logins() != 0 || n != 0 {
		t.Errorf("a client with a pre-issued token logged in (%d logins, %d login POSTs)", s.Logins(), n)
	}
}

// TestCloseFreesTheToken: Close frees the access token and the refresh
// token of the client's login, each by a DELETE of its value; a refresh
// token left behind would stay live on BIG-IQ for 10 hours.
func TestCloseFreesTheToken(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	if err := c.Close(context.Background()); err != nil || s.FreedAuthTokens() != 0 {
		t.Fatalf("Close before any login: %v, %d freed", err, s.FreedAuthTokens())
	}
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	access, refresh := s.LiveAuthTokens(), s.LiveRefreshTokens()
	if len(access) != 1 || len(refresh) != 1 {
		t.Fatalf("after one login: %d access and %d refresh tokens live", len(access), len(refresh))
	}
	if err := c.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantFreed(t, s, refresh[0], access[0])
}

// TestCloseFreesTheRefreshTokenAfterExpiry: freeing a token takes a live
// access token. When the one in hand has expired, Close gets another from
// the refresh token, frees the refresh token with it, then frees it too.
func TestCloseFreesTheRefreshTokenAfterExpiry(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	refresh := s.LiveRefreshTokens()
	s.ExpireAuthTokens()
	if err := c.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s.Exchanges() != 1 {
		t.Errorf("%d exchanges; want one, for the access token that frees the refresh token", s.Exchanges())
	}
	deletes := tokenDeletes(s)
	if len(deletes) != 3 || deletes[0].Path != PathAuthTokens+"/"+refresh[0] || deletes[0].Header.Get(authHeader) == "" {
		paths := make([]string, len(deletes))
		for i, d := range deletes {
			paths[i] = d.Path
		}
		t.Fatalf("DELETEs of %q; want the refresh token's, refused with the expired token, then again, then the new access token's", paths)
	}
	wantFreed(t, s, refresh[0], deletes[2].Path[len(PathAuthTokens)+1:])
}

// TestCloseLeavesPreIssuedRefreshTokenAlone: a pre-issued refresh token is
// the caller's, for its other runs; only the access token the client got
// from it is freed.
func TestCloseLeavesPreIssuedRefreshTokenAlone(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	refresh := s.IssueRefreshToken()
	c := newTestClient(t, s, func(cfg *Config) { cfg.Username, cfg.Password, cfg.RefreshToken = "", "", refresh })
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	access := s.LiveAuthTokens()
	if err := c.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	deletes := tokenDeletes(s)
	if len(access) != 1 || len(deletes) != 1 || deletes[0].Path != PathAuthTokens+"/"+access[0] {
		t.Errorf("%d DELETEs; want only the access token's", len(deletes))
	}
	if live := s.LiveRefreshTokens(); len(live) != 1 || live[0] != refresh {
		t.Errorf("live refresh tokens %v; want the pre-issued one", live)
	}
}

// wantFreed checks that the mock received a DELETE for each token, in that
// order, as the last DELETEs, and that no token is live afterwards.
func wantFreed(t *testing.T, s *bigiqmock.Server, tokens ...string) {
	t.Helper()
	deletes := tokenDeletes(s)
	if len(deletes) < len(tokens) {
		t.Fatalf("%d DELETEs of tokens; want at least %d", len(deletes), len(tokens))
	}
	for i, token := range tokens {
		if got := deletes[len(deletes)-len(tokens)+i].Path; got != PathAuthTokens+"/"+token {
			t.Errorf("DELETE %d is of %s; want %s/<token %d>", i, got, PathAuthTokens, i)
		}
	}
	if live, refresh := s.LiveAuthTokens(), s.LiveRefreshTokens(); len(live) != 0 || len(refresh) != 0 {
		t.Errorf("after Close: %d access and %d refresh tokens live; want none", len(live), len(refresh))
	}
}

// TestCloseErrorHidesTheToken: when freeing the token fails (Terraform
// gives the provider 1.5 s to stop), the error names the request, whose URL
// holds the token; main.go writes that error to stderr.
func TestCloseErrorHidesTheToken(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	token := s.LiveAuthTokens()[0]
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := c.Close(ctx)
	if err == nil {
		t.Fatal("Close with a cancelled context succeeded")
	}
	if strings.Contains(err.Error(), token) {
		t.Errorf("Close's error shows the auth token: %v", err)
	}
}

func TestLoginRetriedWhenItsAnswerIsLost(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	s.DropNext(http.MethodPost, PathLogin, 2)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(sent(s, http.MethodPost, PathLogin)); n != 3 || s.Logins() != 1 {
		t.Errorf("%d login POSTs, %d logins; want two lost and one that worked", n, s.Logins())
	}
}

// TestRenewsAgainWhenTheReplayIsRefused: the token a replay carries can
// expire before it arrives; the request renews again instead of failing,
// and gives up after a few refusals.
func TestRenewsAgainWhenTheReplayIsRefused(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.FailNext(http.MethodGet, PathDeviceGroups, 2, http.StatusUnauthorized)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatalf("two refusals in a row: %v", err)
	}
	if s.Logins() != 1 || s.Exchanges() != 2 {
		t.Errorf("%d logins, %d exchanges; want the first login and one renewal per refusal", s.Logins(), s.Exchanges())
	}

	s.FailNext(http.MethodGet, PathDeviceGroups, 10, http.StatusUnauthorized)
	_, err := c.ListAccessGroups(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized {
		t.Fatalf("err = %v", err)
	}
	if got := s.Exchanges() - 2; got != maxRenewals || s.Logins() != 1 {
		t.Errorf("%d renewals for one endlessly refused request; want %d", got, maxRenewals)
	}
}

// TestRenewalExchangesTheRefreshToken: BIG-IQ's access tokens last 300 s,
// so renewal is routine. It goes through the refresh token the login
// returned, without sending the password again; the password is sent only
// when BIG-IQ refuses the refresh token. A burst of callers refused at once
// still causes one renewal.
func TestRenewalExchangesTheRefreshToken(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	ctx := context.Background()
	burst := func() {
		t.Helper()
		var wg sync.WaitGroup
		for range 30 {
			wg.Go(func() {
				if _, err := c.ListAccessGroups(ctx); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}

	burst()
	s.ExpireAuthTokens()
	burst()
	exchanges := sent(s, http.MethodPost, PathExchange)
	if s.Logins() != 1 || len(sent(s, http.MethodPost, PathLogin)) != 1 || s.Exchanges() != 1 || len(exchanges) != 1 {
		t.Fatalf("after expiry: %d logins, %d exchanges (%d POSTs); want the first login and one exchange",
			s.Logins(), s.Exchanges(), len(exchanges))
	}
	var body struct {
		RefreshToken struct {
			Token string `json:"token"`
		} `json:"refreshToken"`
	}
	if err := json.Unmarshal(exchanges[0].Body, &body); err != nil || body.RefreshToken.Token == "" ||
		strings.Contains(string(exchanges[0].Body), "admin") {
		t.Errorf("exchange body = %s", exchanges[0].Body)
	}

	// The refresh token has run out too: one refused exchange, then one login.
	s.ExpireAuthTokens()
	s.ExpireRefreshTokens()
	burst()
	if s.Logins() != 2 || len(sent(s, http.MethodPost, PathExchange)) != 2 || s.Exchanges() != 1 {
		t.Errorf("after both expired: %d logins, %d exchange POSTs (%d granted); want one refused exchange and one login",
			s.Logins(), len(sent(s, http.MethodPost, PathExchange)), s.Exchanges())
	}
	// The new login's refresh token is used for the next renewal.
	s.ExpireAuthTokens()
	burst()
	if s.Logins() != 2 || s.Exchanges() != 2 {
		t.Errorf("after the re-login: %d logins, %d exchanges; want the new refresh token exchanged", s.Logins(), s.Exchanges())
	}
	for _, r := range s.Requests() {
		if r.Path != PathLogin && r.Path != PathExchange && r.Header.Get(authHeader) == "" {
			t.Fatalf("%s %s was sent without %s", r.Method, r.Path, authHeader)
		}
	}
}

// TestPreIssuedRefreshToken: a pipeline that holds a refresh token and no
// password gets access tokens by exchange for as long as the refresh token
// lives (10 hours on BIG-IQ), never logs in, and once BIG-IQ refuses the
// refresh token fails every caller at once without asking again.
func TestPreIssuedRefreshToken(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	refresh := s.IssueRefreshToken()
	c := newTestClient(t, s, func(cfg *Config) { cfg.Username, cfg.Password, cfg.RefreshToken = "", "", refresh })
	ctx := context.Background()

	if _, err := c.ListAccessGroups(ctx); err != nil {
		t.Fatal(err)
	}
	s.ExpireAuthTokens()
	if _, err := c.ListAccessGroups(ctx); err != nil {
		t.Fatal(err)
	}
	if s.Exchanges() != 2 || len(sent(s, http.MethodPost, PathLogin)) != 0 {
		t.Fatalf("%d exchanges, %d login POSTs; want one exchange per access token and no login",
			s.Exchanges(), len(sent(s, http.MethodPost, PathLogin)))
	}
	for _, r := range sent(s, http.MethodPost, PathExchange) {
		if !strings.Contains(string(r.Body), refresh) {
			t.Errorf("exchange body %s does not carry the given refresh token", r.Body)
		}
	}

	s.ExpireAuthTokens()
	s.ExpireRefreshTokens()
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.ListAccessGroups(ctx) })
	}
	wg.Wait()
	for _, err := range errs {
		if !IsAuthFailure(err) || !strings.Contains(err.Error(), "refused the refresh token") || strings.Contains(err.Error(), refresh) {
			t.Fatalf("err = %v", err)
		}
	}
	if n := len(sent(s, http.MethodPost, PathExchange)); n != 3 {
		t.Errorf("%d exchange POSTs; want the two granted and one refused", n)
	}
	// The refresh token is the caller's: Close frees only the access token
	// the exchange issued.
	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range sent(s, http.MethodDelete, PathAuthTokens+"/"+refresh) {
		t.Errorf("Close freed the pre-issued refresh token: %s", r.Path)
	}
}

// TestPreIssuedAccessAndRefreshToken: given both, the access token is used
// until BIG-IQ refuses it, then the refresh token renews it.
func TestPreIssuedAccessAndRefreshToken(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	access, refresh := s.IssueAuthToken(), s.IssueRefreshToken()
	c := newTestClient(t, s, func(cfg *Config) { cfg.Username, cfg.Password, cfg.Token, cfg.RefreshToken = "", "", access, refresh })
	if _, err := c.ListAccessGroups(context.Background()); err != nil || s.Exchanges() != 0 {
		t.Fatalf("%v, %d exchanges; want the access token used as given", err, s.Exchanges())
	}
	s.ExpireAuthTokens()
	if _, err := c.ListAccessGroups(context.Background()); err != nil || s.Exchanges() != 1 || s.Logins() != 0 {
		t.Fatalf("%v, %d exchanges, %d logins; want one exchange", err, s.Exchanges(), s.Logins())
	}
}

// TestTokenLimitIsNotARefusedPassword: past BIG-IQ's cap of live tokens a
// login is answered 400 "Maximum active login tokens reached." whatever
// the password. That used to be reported as a refused password; it gets
// its own error saying what it means and how to free tokens, is not
// tried again by this client, and does not block a later login with the
// same credentials as a refused password would.
func TestTokenLimitIsNotARefusedPassword(t *testing.T) {
	t.Parallel()
	wantLimitError := func(t *testing.T, err error) {
		t.Helper()
		if !IsAuthFailure(err) || !TokenLimitReached(err) {
			t.Fatalf("err = %v; want the token limit, final", err)
		}
		msg := err.Error()
		for _, want := range []string{bigiqmock.MessageTokenLimit, "The password was not refused", "DELETE " + PathAuthTokens + "/<token>", "after 5 minutes"} {
			if !strings.Contains(msg, want) {
				t.Errorf("the error does not say %q: %s", want, msg)
			}
		}
		if strings.Contains(msg, "refused the login") || strings.Contains(msg, "check the username") {
			t.Errorf("the error blames the credentials: %s", msg)
		}
	}
	t.Run("login", func(t *testing.T) {
		t.Parallel()
		s := bigiqmock.Start(t, bigiqmock.Options{MaxAuthTokensPerUser: 1})
		s.IssueAuthToken() // the user's one token, held by another tool
		c := newTestClient(t, s)
		for range 3 {
			_, err := c.ListAccessGroups(context.Background())
			wantLimitError(t, err)
		}
		if n := len(sent(s, http.MethodPost, PathLogin)); n != 1 || len(s.Requests()) != 1 {
			t.Errorf("%d login POSTs, %d requests; want one login and nothing else", n, len(s.Requests()))
		}
		// Once the other token has gone, the same credentials log in.
		s.ExpireAuthTokens()
		if _, err := newTestClient(t, s).ListAccessGroups(context.Background()); err != nil || s.Logins() != 1 {
			t.Errorf("the same credentials after the cap freed up: %v, %d logins", err, s.Logins())
		}
	})
	t.Run("exchange", func(t *testing.T) {
		t.Parallel()
		s := bigiqmock.Start(t, bigiqmock.Options{MaxAuthTokensPerUser: 1})
		c := newTestClient(t, s)
		if _, err := c.ListAccessGroups(context.Background()); err != nil {
			t.Fatal(err)
		}
		s.ExpireAuthTokens()
		s.IssueAuthToken() // another tool takes the one free slot
		_, err := c.ListAccessGroups(context.Background())
		wantLimitError(t, err)
		// The password would meet the same cap: no second login.
		if n := len(sent(s, http.MethodPost, PathLogin)); n != 1 || len(sent(s, http.MethodPost, PathExchange)) != 1 {
			t.Errorf("%d login POSTs, %d exchange POSTs; want the first login and one exchange", n, len(sent(s, http.MethodPost, PathExchange)))
		}
	})
}

// tokenDeletes returns the DELETEs of auth tokens the mock received.
func tokenDeletes(s *bigiqmock.Server) []bigiqmock.Request {
	var out []bigiqmock.Request
	for _, r := range s.Requests() {
		if r.Method == http.MethodDelete && strings.HasPrefix(r.Path, PathAuthTokens+"/") {
			out = append(out, r)
		}
	}
	return out
}

// TestFailedExchangeDoesNotSendThePassword: only BIG-IQ refusing the
// refresh token (401, 400) is a reason to log in with the password again.
// An exchange that fails otherwise (a 500, BIG-IQ busy) fails the request;
// the refresh token is kept, and the next renewal exchanges it again.
func TestFailedExchangeDoesNotSendThePassword(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.ExpireAuthTokens()
	s.FailNext(http.MethodPost, PathExchange, 10, http.StatusInternalServerError)
	_, err := c.ListAccessGroups(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusInternalServerError || IsAuthFailure(err) {
		t.Fatalf("err = %v; want the exchange's 500, not final", err)
	}
	if n := len(sent(s, http.MethodPost, PathLogin)); n != 1 || len(sent(s, http.MethodPost, PathExchange)) == 0 {
		t.Fatalf("%d login POSTs, %d exchange POSTs; want only the first login, and the exchange tried",
			n, len(sent(s, http.MethodPost, PathExchange)))
	}
	s.ClearFailures()
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s.Logins() != 1 || s.Exchanges() != 1 {
		t.Errorf("after the 500s: %d logins, %d exchanges; want the refresh token exchanged, no new login", s.Logins(), s.Exchanges())
	}
}

// TestCloseSaysWhenTheRefreshTokenStaysLive: when Close cannot get an
// access token to free the refresh token with (the exchange fails), it
// says so, rather than returning as if the token were freed.
func TestCloseSaysWhenTheRefreshTokenStaysLive(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	refresh := s.LiveRefreshTokens()
	s.ExpireAuthTokens()
	s.FailNext(http.MethodPost, PathExchange, 10, http.StatusInternalServerError)
	err := c.Close(context.Background())
	if err == nil || !strings.Contains(err.Error(), "freeing the BIG-IQ refresh token") {
		t.Fatalf("Close = %v; want an error saying the refresh token was not freed", err)
	}
	if live := s.LiveRefreshTokens(); len(refresh) != 1 || !slices.Contains(live, refresh[0]) {
		t.Fatalf("refresh tokens %d before, live after: %d; want the one still live, as the error says", len(refresh), len(live))
	}
}
