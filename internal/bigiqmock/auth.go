package bigiqmock

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
)

// BIG-IQ's auth tokens, as F5 documents them: a login returns an
// access token that lasts 300 s and a refresh token that lasts 10 hours;
// POST /mgmt/shared/authn/exchange turns the refresh token into a new
// access token without the password; neither timeout can be changed.

type authToken struct {
	value    string
	user     string
	provider string
	address  string
	start    time.Time
	timeout  int // seconds from start, as BIG-IQ counts it
	// hardExpiry, if set, ends the token early (chaos), unannounced.
	hardExpiry time.Time
	expired    bool // forced by ExpireAuthTokens or ExpireRefreshTokens
}

func (t *authToken) expiresAt() time.Time {
	exp := t.start.Add(time.Duration(t.timeout) * time.Second)
	if !t.hardExpiry.IsZero() && t.hardExpiry.Before(exp) {
		return t.hardExpiry
	}
	return exp
}

func (t *authToken) live(now time.Time) bool {
	return !t.expired && now.Before(t.expiresAt())
}

// MessageTokenLimit is BIG-IQ's 400 for a login or exchange by a user who
// already holds as many live tokens as BIG-IQ allows, whatever the
// password: the message of the REST framework BIG-IQ shares with BIG-IP.
const MessageTokenLimit = "Maximum active login tokens reached."

type loginRequest struct {
	Username          string `json:"username"`
	Password          string `json:"password"`
	LoginProviderName string `json:"loginProviderName"`
}

type authTokenItem struct {
	Token            string `json:"token"`
	Name             string `json:"name"`
	UserName         string `json:"userName"`
	AuthProviderName string `json:"authProviderName"`
	User             link   `json:"user"`
	Timeout          int    `json:"timeout"`
	StartTime        string `json:"startTime"`
	Address          string `json:"address"`
	Partition        string `json:"partition"`
	Generation       int64  `json:"generation"`
	LastUpdateMicros int64  `json:"lastUpdateMicros"`
	ExpirationMicros int64  `json:"expirationMicros"`
	Kind             string `json:"kind"`
	SelfLink         string `json:"selfLink"`
}

type loginResponse struct {
	Username          string        `json:"username"`
	LoginReference    link          `json:"loginReference"`
	LoginProviderName string        `json:"loginProviderName"`
	Token             authTokenItem `json:"token"`
	RefreshToken      authTokenItem `json:"refreshToken"`
	Generation        int64         `json:"generation"`
	LastUpdateMicros  int64         `json:"lastUpdateMicros"`
}

// exchangeRequest is the body of POST /mgmt/shared/authn/exchange.
type exchangeRequest struct {
	RefreshToken *struct {
		Token string `json:"token"`
	} `json:"refreshToken"`
}

type exchangeResponse struct {
	Token authTokenItem `json:"token"`
}

func (t *authToken) item() authTokenItem {
	return authTokenItem{
		Token: t.value, Name: t.value, UserName: t.user, AuthProviderName: t.provider,
		User:      link{selfHost + pathAuthUsers + "/" + t.user},
		Timeout:   t.timeout,
		StartTime: t.start.Format(bigiqTimeLayout),
		Address:   t.address, Partition: "[All]",
		Generation: 1, LastUpdateMicros: t.start.UnixMicro(),
		ExpirationMicros: t.start.Add(time.Duration(t.timeout) * time.Second).UnixMicro(),
		Kind:             kindAuthToken,
		SelfLink:         selfHost + pathAuthTokens + "/" + t.value,
	}
}

// IssueAuthToken returns a live access token of the mock's account, as if
// an administrator had logged in elsewhere (with curl, say) and handed it
// on: a pre-issued token. It is not counted in Logins.
func (m *Mock) IssueAuthToken() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.issueAccessLocked(m.opts.Username, "local", "127.0.0.1", m.now()).value
}

// IssueRefreshToken returns a live refresh token of the mock's account, as
// if an administrator had logged in elsewhere and handed it on, so a
// pipeline can renew access tokens without the password. It is not counted
// in Logins.
func (m *Mock) IssueRefreshToken() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.issueRefreshLocked(m.opts.Username, "local", "127.0.0.1", m.now()).value
}

func (m *Mock) issueAccessLocked(user, provider, address string, now time.Time) *authToken {
	tok := newAuthToken(user, provider, address, now, m.opts.TokenTTL)
	if m.faults.chaos.TokenExpiry > 0 {
		tok.hardExpiry = now.Add(m.faults.chaos.TokenExpiry)
	}
	m.authTokens[tok.value] = tok
	return tok
}

func (m *Mock) issueRefreshLocked(user, provider, address string, now time.Time) *authToken {
	tok := newAuthToken(user, provider, address, now, m.opts.RefreshTokenTTL)
	m.refreshTokens[tok.value] = tok
	return tok
}

func newAuthToken(user, provider, address string, now time.Time, ttl time.Duration) *authToken {
	return &authToken{
		value: newAuthTokenValue(), user: user, provider: provider,
		address: address, start: now, timeout: int(ttl / time.Second),
	}
}

// newAuthTokenValue makes a token like BIG-IQ's: 26 upper-case base32 characters.
func newAuthTokenValue() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base32.StdEncoding.EncodeToString(b)[:26]
}

func (m *Mock) handleLogin(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method != http.MethodPost {
		m.methodNotAllowed(w, r)
		return
	}
	var req loginRequest
	if err := json.Unmarshal(body, &req); err != nil {
		m.writeError(w, r, http.StatusBadRequest, "Invalid JSON in request body: "+err.Error(), nil)
		return
	}
	if req.LoginProviderName == "" {
		req.LoginProviderName = "local"
	}
	// BIG-IQ echoes the request without the password.
	echo := mustJSON(map[string]any{"username": req.Username, "loginProviderName": req.LoginProviderName, "generation": 0, "lastUpdateMicros": 0})
	if !slices.Contains(m.opts.LoginProviders, req.LoginProviderName) {
		m.writeError(w, r, http.StatusBadRequest, "Login provider "+req.LoginProviderName+" not found: no login provider with that name is configured", echo)
		return
	}
	if req.Username != m.opts.Username || req.Password != m.opts.Password {
		m.writeError(w, r, http.StatusUnauthorized, "Authentication failed.", echo)
		return
	}
	m.loginReply(r, req, echo).write(w)
}

// loginReply gives a logged-in user a new access and refresh token, unless
// the user already holds as many live access tokens as BIG-IQ allows.
func (m *Mock) loginReply(r *http.Request, req loginRequest, echo []byte) reply {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if m.atTokenLimitLocked(req.Username, now) {
		return m.errorReply(r, http.StatusBadRequest, MessageTokenLimit, echo)
	}
	access := m.issueAccessLocked(req.Username, req.LoginProviderName, remoteHost(r), now)
	refresh := m.issueRefreshLocked(req.Username, req.LoginProviderName, remoteHost(r), now)
	m.logins++
	return okReply(loginResponse{
		Username: req.Username, LoginProviderName: req.LoginProviderName,
		LoginReference: link{selfHost + "/mgmt/cm/system/authn/providers/" + req.LoginProviderName + "/login"},
		Token:          access.item(),
		RefreshToken:   refresh.item(),
	})
}

func (m *Mock) atTokenLimitLocked(user string, now time.Time) bool {
	if m.opts.MaxAuthTokensPerUser < 0 {
		return false
	}
	live := 0
	for _, t := range m.authTokens {
		if t.user == user && t.live(now) {
			live++
		}
	}
	return live >= m.opts.MaxAuthTokensPerUser
}

func (m *Mock) handleExchange(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method != http.MethodPost {
		m.methodNotAllowed(w, r)
		return
	}
	var req exchangeRequest
	if err := json.Unmarshal(body, &req); err != nil || req.RefreshToken == nil || req.RefreshToken.Token == "" {
		// The body holds a secret: it is not echoed.
		m.writeError(w, r, http.StatusBadRequest, `Invalid request: expected {"refreshToken": {"token": "<refresh token>"}}`, nil)
		return
	}
	m.exchangeReply(r, req.RefreshToken.Token).write(w)
}

// exchangeReply issues a new access token for a live refresh token.
func (m *Mock) exchangeReply(r *http.Request, refreshValue string) reply {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	refresh, ok := m.refreshTokens[refreshValue]
	if !ok || !refresh.live(now) {
		// BIG-IQ's wording is not documented; the status is what a client
		// acts on (log in with the password again).
		return m.errorReply(r, http.StatusUnauthorized, "Refresh token is invalid or has expired.", nil)
	}
	if m.atTokenLimitLocked(refresh.user, now) {
		return m.errorReply(r, http.StatusBadRequest, MessageTokenLimit, nil)
	}
	access := m.issueAccessLocked(refresh.user, refresh.provider, remoteHost(r), now)
	m.exchanges++
	return okReply(exchangeResponse{Token: access.item()})
}

// authenticate checks X-F5-Auth-Token and returns the BIG-IQ user. Basic
// auth is off, as on a default BIG-IQ, so an Authorization header alone
// does not count, and a refresh token is not an access token.
func (m *Mock) authenticate(w http.ResponseWriter, r *http.Request) (string, bool) {
	value := r.Header.Get("X-F5-Auth-Token")
	if value == "" {
		m.writeError(w, r, http.StatusUnauthorized,
			"Authorization failed: no user authentication header or token detected. Uri:http://localhost:8100"+
				strings.TrimPrefix(r.URL.RequestURI(), "/mgmt")+" Referrer:"+remoteHost(r)+" Sender:"+remoteHost(r), nil)
		return "", false
	}
	user, known, live := m.accessTokenState(value)
	switch {
	case !known:
		m.writeError(w, r, http.StatusUnauthorized, "X-F5-Auth-Token does not exist.", nil)
		return "", false
	case !live:
		m.writeError(w, r, http.StatusUnauthorized, "X-F5-Auth-Token has expired.", nil)
		return "", false
	}
	return user, true
}

func (m *Mock) accessTokenState(value string) (user string, known, live bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	tok, known := m.authTokens[value]
	if !known {
		return "", false, false
	}
	return tok.user, true, tok.live(m.now())
}

func (m *Mock) handleAuthToken(w http.ResponseWriter, r *http.Request, value string) {
	m.authTokenReply(r, value).write(w)
}

// authTokenReply serves /mgmt/shared/authz/tokens/<value> for access and
// refresh tokens alike.
func (m *Mock) authTokenReply(r *http.Request, value string) reply {
	m.mu.Lock()
	defer m.mu.Unlock()
	tokens := m.authTokens
	tok, ok := tokens[value]
	if !ok {
		tokens = m.refreshTokens
		tok, ok = tokens[value]
	}
	if !ok || !tok.live(m.now()) {
		return m.notFoundReply(r)
	}
	switch r.Method {
	case http.MethodGet:
		return okReply(tok.item())
	case http.MethodPatch:
		// BIG-IP lets a client extend its token this way; BIG-IQ does not:
		// "you cannot change the default token timeout values".
		return m.errorReply(r, http.StatusBadRequest, "The timeout of a BIG-IQ auth token cannot be changed.", nil)
	case http.MethodDelete:
		delete(tokens, value)
		m.freedTokens++
		return okReply(tok.item())
	}
	return m.methodNotAllowedReply(r)
}

func remoteHost(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}
