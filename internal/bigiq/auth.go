package bigiq

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Logging in, sharing one X-F5-Auth-Token between callers, renewing it when
// BIG-IQ refuses it, and freeing it on Close.

// PathLogin is where a username and password are exchanged for a token.
const PathLogin = "/mgmt/shared/authn/login"

// PathAuthTokens holds the issued auth tokens; deleting one frees it.
const PathAuthTokens = "/mgmt/shared/authz/tokens"

// PathExchange turns a refresh token into a new access token.
const PathExchange = "/mgmt/shared/authn/exchange"

// Close frees the tokens this client obtained by logging in: the refresh
// token as well as the access token, since a refresh token left behind
// stays live on BIG-IQ for 10 hours. BIG-IQ caps the live tokens of a
// user, so a client that leaks them can lock the user out. Pre-issued
// tokens are the caller's and are left alone. F5 documents the token store
// for BIG-IP, whose REST framework BIG-IQ shares.
//
// BIG-IQ API: DELETE /mgmt/shared/authz/tokens/{token}
// F5 docs: https://community.f5.com/kb/technicalarticles/icontrol-rest-authentication-token-management/287462
func (c *Client) Close(ctx context.Context) error {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	var errs []error
	if refresh := c.loadRefreshToken(); c.ownRefresh && refresh != "" {
		// Freeing it takes a live access token; the one in hand may have
		// expired, and the refresh token can still get another.
		access := c.loadToken()
		var err error
		if access == "" {
			access, err = c.exchangeLocked(ctx)
		}
		refused := false
		if err == nil {
			refused, err = c.freeTokenLocked(ctx, refresh, access)
		}
		if refused {
			// The access token had expired: one more, then once again.
			if access, err = c.exchangeLocked(ctx); err == nil {
				if refused, err = c.freeTokenLocked(ctx, refresh, access); err == nil && refused {
					err = errors.New("BIG-IQ refused the access token just exchanged for it")
				}
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("freeing the BIG-IQ refresh token: %w", err))
		}
	}
	c.refreshToken.Store("")
	c.ownRefresh = false
	if token := c.loadToken(); c.ownToken && token != "" {
		// A token BIG-IQ no longer accepts (401) has already gone.
		if _, err := c.freeTokenLocked(ctx, token, token); err != nil {
			errs = append(errs, fmt.Errorf("freeing the BIG-IQ auth token: %w", err))
		}
	}
	c.token.Store("")
	c.ownToken = false
	return errors.Join(errs...)
}

// freeTokenLocked deletes token, sending access as X-F5-Auth-Token.
// refused reports a 401: access is no longer accepted. A 404 means the
// token has already gone, which is the goal.
func (c *Client) freeTokenLocked(ctx context.Context, token, access string) (refused bool, err error) {
	// The log context is taken here, not by the caller: an exchange may
	// just have brought the access token, and the URL holds the token.
	ctx = c.logContext(ctx)
	for _, secret := range []string{token, access} {
		if secret != "" {
			ctx = tflog.SubsystemMaskLogStrings(ctx, logSubsystem, secret)
		}
	}
	resp, err := c.http.R().
		SetContext(ctx).
		SetHeader(authHeader, access).
		AddRetryCondition(retryIfUnacted).
		Delete(PathAuthTokens + "/" + token)
	if err != nil {
		// The error names the request's URL, which holds the token.
		return false, redactToken(describeTransportError(c.address, err), token)
	}
	switch {
	case resp.StatusCode() == http.StatusUnauthorized:
		return true, nil
	case resp.IsError() && resp.StatusCode() != http.StatusNotFound:
		return false, parseAPIError(http.MethodDelete, PathAuthTokens+"/…", resp.StatusCode(), resp.Body())
	}
	return false, nil
}

const authHeader = "X-F5-Auth-Token"

// maxRenewals bounds the logins one request may cause when BIG-IQ keeps
// refusing fresh tokens (a clock gone wrong, a revoked account).
const maxRenewals = 3

// currentToken returns the token to use, logging in if there is none yet.
func (c *Client) currentToken(ctx context.Context) (string, error) {
	if token := c.loadToken(); token != "" {
		return token, nil
	}
	c.authMu.Lock()
	defer c.authMu.Unlock()
	if token := c.loadToken(); token != "" {
		return token, nil
	}
	return c.renewLocked(ctx)
}

func (c *Client) loadToken() string {
	token, _ := c.token.Load().(string)
	return token
}

func (c *Client) loadRefreshToken() string {
	token, _ := c.refreshToken.Load().(string)
	return token
}

// renewToken replaces a token BIG-IQ rejected. Callers that were refused
// with the same stale token queue on the mutex; the first renews and the
// rest find the new token already there, so a burst of requests after
// expiry causes one renewal.
func (c *Client) renewToken(ctx context.Context, stale string) (string, error) {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	if token := c.loadToken(); token != stale && token != "" {
		return token, nil
	}
	return c.renewLocked(ctx)
}

// renewLocked gets a new access token. BIG-IQ's access tokens last 300 s,
// so this is routine: it exchanges the refresh token first, as BIG-IQ
// intends, and sends the password only when BIG-IQ refuses the refresh
// token. A credential BIG-IQ refused is not tried again: the error is
// kept and returned to every later caller.
func (c *Client) renewLocked(ctx context.Context) (string, error) {
	if c.authErr != nil {
		return "", c.authErr
	}
	if c.loadRefreshToken() != "" {
		token, err := c.exchangeLocked(ctx)
		if TokenLimitReached(err) {
			// The password would meet the same cap.
			c.authErr = tokenLimitError(err)
			return "", c.authErr
		}
		if !refusedCredential(err) {
			return token, err
		}
		c.refreshToken.Store("")
		if c.cfg.Password == "" {
			c.authErr = &authError{fmt.Errorf("BIG-IQ refused the refresh token: it expired (BIG-IQ's refresh tokens "+
				"last 10 hours) or was revoked. Supply a fresh refresh token: %w", err)}
			return "", c.authErr
		}
		tflog.Info(c.logContext(ctx), "BIG-IQ refused the refresh token; logging in again", map[string]any{"error": err.Error()})
	}
	if c.cfg.Password == "" {
		c.authErr = &authError{errors.New("BIG-IQ no longer accepts the pre-issued auth token: it expired (BIG-IQ's access " +
			"tokens last 5 minutes) or was revoked. Supply a fresh token, or a refresh token for runs longer than a few minutes")}
		return "", c.authErr
	}
	return c.loginLocked(ctx)
}

// bigiqUser returns the BIG-IQ user the client acts as, which a task
// records as its username: the configured one, or for a pre-issued token
// the user BIG-IQ issued it to, read once from the token's record.
func (c *Client) bigiqUser(ctx context.Context) (string, error) {
	if c.cfg.Username != "" {
		return c.cfg.Username, nil
	}
	if user, _ := c.tokenUser.Load().(string); user != "" {
		return user, nil
	}
	token, err := c.currentToken(ctx)
	if err != nil {
		return "", err
	}
	// The token is in the path, so the path in an error is cut short.
	body, err := c.do(ctx, request{method: http.MethodGet, path: PathAuthTokens + "/" + token})
	if err != nil {
		return "", fmt.Errorf("reading which BIG-IQ user the token belongs to: %w", redactToken(err, token))
	}
	var record struct {
		UserName string `json:"userName"`
	}
	if err := json.Unmarshal(body, &record); err != nil || record.UserName == "" {
		return "", errors.New("reading which BIG-IQ user the token belongs to: the token's record names no user")
	}
	c.tokenUser.Store(record.UserName)
	return record.UserName, nil
}

// redactToken keeps a token that is part of a request path out of an error.
func redactToken(err error, token string) error {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		redacted := *apiErr
		redacted.Path = strings.ReplaceAll(redacted.Path, token, "…")
		redacted.Message = strings.ReplaceAll(redacted.Message, token, "…")
		return &redacted
	}
	return errors.New(strings.ReplaceAll(err.Error(), token, "…"))
}

// refusedLogins holds, for this process, the logins BIG-IQ refused, by
// loginKey. BIG-IQ counts failed logins towards locking the account, so
// a refused login is never sent again in the same run, by any client.
var refusedLogins sync.Map

// loginKey identifies a login by everything that is sent, the password as
// a hash.
func (c *Client) loginKey() string {
	sum := sha256.Sum256([]byte(strings.Join([]string{c.address, c.cfg.LoginProviderName, c.cfg.Username, c.cfg.Password}, "\x00")))
	return string(sum[:])
}

// refusedCredential reports whether err is BIG-IQ turning a credential
// down, rather than failing to answer: trying the same credential again
// will not help.
func refusedCredential(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && (apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusBadRequest)
}

// messageTokenLimit is BIG-IQ's 400 to a login or exchange by a user who
// holds as many live tokens as BIG-IQ allows, whatever the password (the
// message of the REST framework BIG-IQ shares with BIG-IP).
const messageTokenLimit = "Maximum active login tokens reached."

// TokenLimitReached reports whether err is BIG-IQ refusing a token because
// the user holds too many, rather than refusing the credential.
func TokenLimitReached(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest &&
		strings.TrimSuffix(strings.TrimSpace(apiErr.Message), ".") == strings.TrimSuffix(messageTokenLimit, ".")
}

// tokenLimitError explains BIG-IQ's token cap: what it means and how to
// free tokens. It is final for the client: trying again at once would meet
// the same cap.
func tokenLimitError(err error) error {
	return &authError{fmt.Errorf("BIG-IQ issued no auth token: the provider's BIG-IQ user already holds as many live "+
		"tokens as BIG-IQ allows. The password was not refused. BIG-IQ frees a token when it expires (an access token "+
		"after 5 minutes, a refresh token after 10 hours) or when it is deleted (DELETE %s/<token>): wait a few "+
		"minutes, or have a BIG-IQ administrator free this user's tokens, and make the other tools that log in as "+
		"this user (scripts, other pipelines) free theirs when done, as this provider does. The provider does not "+
		"try again in this run: %w", PathAuthTokens, err)}
}

// tokenJSON is how BIG-IQ sends an access or refresh token.
type tokenJSON struct {
	Token string `json:"token"`
}

type loginResponse struct {
	Token        tokenJSON `json:"token"`
	RefreshToken tokenJSON `json:"refreshToken"`
}

func (c *Client) loginLocked(ctx context.Context) (string, error) {
	if refused, ok := refusedLogins.Load(c.loginKey()); ok {
		if err, ok := refused.(error); ok {
			return "", err
		}
	}
	body := map[string]string{
		"username":          c.cfg.Username,
		"password":          c.cfg.Password,
		"loginProviderName": c.cfg.LoginProviderName,
	}
	resp, err := c.http.R().
		SetContext(c.logContext(ctx)).
		SetHeader("Content-Type", "application/json").
		SetBody(body).
		// A login whose answer is lost is safe to repeat: at worst BIG-IQ
		// keeps an unused token until it expires.
		AddRetryCondition(retryIfTurnedAway).
		Post(PathLogin)
	if err != nil {
		return "", fmt.Errorf("logging in to BIG-IQ: %w", describeTransportError(c.address, err))
	}
	if resp.IsError() {
		apiErr := parseAPIError(http.MethodPost, PathLogin, resp.StatusCode(), resp.Body())
		if TokenLimitReached(apiErr) {
			// Not a refused password, so not one of refusedLogins.
			c.authErr = tokenLimitError(apiErr)
			return "", c.authErr
		}
		if !refusedCredential(apiErr) {
			return "", fmt.Errorf("logging in to BIG-IQ: %w", apiErr)
		}
		refused := &authError{fmt.Errorf("BIG-IQ refused the login of the configured username through login provider %q: check the username, "+
			"password and login provider. No other login is attempted in this run, since failed logins count towards "+
			"locking the account: %w", c.cfg.LoginProviderName, apiErr)}
		refusedLogins.Store(c.loginKey(), refused)
		return "", refused
	}
	var login loginResponse
	if err := json.Unmarshal(resp.Body(), &login); err != nil || login.Token.Token == "" {
		return "", fmt.Errorf("logging in to BIG-IQ: the response carries no token (%d bytes of %s)", len(resp.Body()), resp.Header().Get("Content-Type"))
	}
	c.token.Store(login.Token.Token)
	c.ownToken = true
	c.refreshToken.Store(login.RefreshToken.Token)
	c.ownRefresh = true
	return login.Token.Token, nil
}

type exchangeRequest struct {
	RefreshToken tokenJSON `json:"refreshToken"`
}

type exchangeResponse struct {
	Token tokenJSON `json:"token"`
}

// exchangeLocked turns the refresh token into a new access token. An
// *APIError with 401 or 400 means BIG-IQ refused the refresh token.
func (c *Client) exchangeLocked(ctx context.Context) (string, error) {
	resp, err := c.http.R().
		SetContext(c.logContext(ctx)).
		SetHeader("Content-Type", "application/json").
		SetBody(exchangeRequest{RefreshToken: tokenJSON{Token: c.loadRefreshToken()}}).
		// Like a login, an exchange whose answer is lost is safe to repeat.
		AddRetryCondition(retryIfTurnedAway).
		Post(PathExchange)
	if err != nil {
		return "", fmt.Errorf("renewing the BIG-IQ auth token: %w", describeTransportError(c.address, err))
	}
	if resp.IsError() {
		return "", fmt.Errorf("renewing the BIG-IQ auth token with the refresh token: %w",
			parseAPIError(http.MethodPost, PathExchange, resp.StatusCode(), resp.Body()))
	}
	var exchanged exchangeResponse
	if err := json.Unmarshal(resp.Body(), &exchanged); err != nil || exchanged.Token.Token == "" {
		return "", fmt.Errorf("renewing the BIG-IQ auth token: the response carries no token (%d bytes of %s)", len(resp.Body()), resp.Header().Get("Content-Type"))
	}
	c.token.Store(exchanged.Token.Token)
	// The new access token is as much this client's as one from a login:
	// Close frees it.
	c.ownToken = true
	return exchanged.Token.Token, nil
}
