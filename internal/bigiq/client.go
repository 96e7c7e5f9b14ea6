// Package bigiq is the BIG-IQ REST client: authentication, TLS, retries,
// paging, error decoding and task polling. It is the only package that
// speaks HTTP; callers work with the domain types in types.go.
package bigiq

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/go-resty/resty/v2"
)

// Config says how to reach and authenticate to BIG-IQ.
type Config struct {
	// Address is "host", "host:port" or "https://host[:port]".
	Address string
	// Username and Password log in through LoginProviderName ("local" when
	// empty). Token, a pre-issued X-F5-Auth-Token, replaces all three.
	Username          string
	Password          string
	LoginProviderName string
	Token             string
	// Insecure skips TLS verification. CACertificatePEM adds trusted CAs.
	Insecure         bool
	CACertificatePEM string
	// RequestTimeout bounds one HTTP exchange; 0 means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// MaxRetries bounds the retries of one request; nil means
	// DefaultMaxRetries, and 0 means none.
	MaxRetries *int
	UserAgent  string
}

// Defaults for Config fields left zero.
const (
	DefaultLoginProvider  = "local"
	DefaultRequestTimeout = 60 * time.Second
	DefaultMaxRetries     = 5
	defaultPageSize       = 500
	// maxResponseBytes stops a runaway body before it exhausts memory; a
	// page of 500 devices is well under 5 MiB.
	maxResponseBytes = 64 << 20
	// maxIdleConnsPerHost covers terraform's -parallelism up to 100.
	maxIdleConnsPerHost = 100
)

// Client talks to one BIG-IQ. It is safe for concurrent use; all callers
// share one auth token.
type Client struct {
	address    string
	http       *resty.Client
	cfg        Config
	maxRetries int
	pageSize   int
	clock      clock

	// authMu serializes logins. token holds the X-F5-Auth-Token in use; it
	// is atomic so that logging can mask it while a login holds authMu.
	// ownToken says it came from our own login, so Close may free it.
	authMu   sync.Mutex
	token    atomic.Value
	ownToken bool
	logins   int

	// serverOffset is BIG-IQ's clock minus ours, from the Date header of
	// its latest response; claimed holds the ids of the tasks this client
	// started. Both serve to recognise a task whose POST lost its answer.
	serverOffset atomic.Int64
	claimedMu    sync.Mutex
	claimed      map[string]bool
}

// NewClient checks cfg and builds a client. It does not contact BIG-IQ: the
// first request logs in.
func NewClient(cfg Config) (*Client, error) {
	address, err := NormalizeAddress(cfg.Address)
	if err != nil {
		return nil, fmt.Errorf("invalid BIG-IQ address: %w", err)
	}
	switch {
	case cfg.Token != "" && (cfg.Username != "" || cfg.Password != ""):
		return nil, errors.New("give either a token or a username and password, not both")
	case cfg.Token == "" && (cfg.Username == "" || cfg.Password == ""):
		return nil, errors.New("a username and password, or a token, are required to log in to BIG-IQ")
	}
	if cfg.LoginProviderName == "" {
		cfg.LoginProviderName = DefaultLoginProvider
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	maxRetries := DefaultMaxRetries
	if cfg.MaxRetries != nil {
		maxRetries = *cfg.MaxRetries
	}
	if maxRetries < 0 {
		return nil, fmt.Errorf("max retries is %d; it cannot be negative", maxRetries)
	}
	tlsConfig, err := buildTLSConfig(cfg)
	if err != nil {
		return nil, err
	}

	c := &Client{
		address:    address,
		maxRetries: maxRetries,
		cfg:        cfg,
		pageSize:   defaultPageSize,
		clock:      realClock{},
		claimed:    map[string]bool{},
	}
	c.token.Store(cfg.Token)
	c.http = resty.New().
		SetBaseURL(address).
		SetTimeout(cfg.RequestTimeout).
		SetTLSClientConfig(tlsConfig).
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", cfg.UserAgent).
		SetResponseBodyLimit(maxResponseBytes).
		SetRetryCount(maxRetries).
		SetRetryWaitTime(250 * time.Millisecond).
		SetRetryMaxWaitTime(20 * time.Second).
		SetRetryAfter(retryAfter).
		SetLogger(discardLogger{}).
		// Redirects would carry the auth token to wherever they point.
		SetRedirectPolicy(resty.NoRedirectPolicy())
	// resty keeps GOMAXPROCS+1 idle connections per host: on a 2-core
	// machine, 3. Terraform runs up to -parallelism revocations at once,
	// each polling its task, so most polls closed a connection and paid
	// a new TLS handshake.
	if transport, ok := c.http.GetClient().Transport.(*http.Transport); ok {
		transport.MaxIdleConnsPerHost = maxIdleConnsPerHost
	}
	c.http.OnBeforeRequest(c.logRequest)
	c.http.OnAfterResponse(c.logResponse)
	c.http.OnAfterResponse(c.noteServerTime)
	c.http.AddRetryHook(c.logRetry)
	return c, nil
}

func buildTLSConfig(cfg Config) (*tls.Config, error) {
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.Insecure {
		tlsConfig.InsecureSkipVerify = true //nolint:gosec // only when the user asks for it, and the provider warns
		return tlsConfig, nil
	}
	if cfg.CACertificatePEM == "" {
		return tlsConfig, nil
	}
	certs, err := parseCertificates(cfg.CACertificatePEM)
	if err != nil {
		return nil, fmt.Errorf("invalid CA certificate: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	for _, cert := range certs {
		pool.AddCert(cert)
	}
	tlsConfig.RootCAs = pool
	return tlsConfig, nil
}

// Address is the normalized base URL of BIG-IQ.
func (c *Client) Address() string { return c.address }

// Logins counts the logins this client performed.
func (c *Client) Logins() int {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	return c.logins
}

// Close frees the auth token this client obtained by logging in. BIG-IQ caps
// the live tokens of a user, so a client that leaks them can lock the user
// out. A pre-issued token is the caller's and is left alone.
func (c *Client) Close(ctx context.Context) error {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	token := c.loadToken()
	if !c.ownToken || token == "" {
		return nil
	}
	// The log context is taken while the token is still masked: its value
	// is part of the URL freed.
	ctx = c.logContext(ctx)
	c.token.Store("")
	c.ownToken = false
	resp, err := c.http.R().
		SetContext(ctx).
		SetHeader(authHeader, token).
		AddRetryCondition(retryIfUnacted).
		Delete(PathAuthTokens + "/" + token)
	if err != nil {
		return fmt.Errorf("freeing the BIG-IQ auth token: %w", describeTransportError(c.address, err))
	}
	// 401 and 404 mean the token has already gone, which is the goal.
	if resp.IsError() && resp.StatusCode() != http.StatusUnauthorized && resp.StatusCode() != http.StatusNotFound {
		return parseAPIError(http.MethodDelete, PathAuthTokens+"/…", resp.StatusCode(), resp.Body())
	}
	return nil
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
	return c.loginLocked(ctx)
}

func (c *Client) loadToken() string {
	token, _ := c.token.Load().(string)
	return token
}

// renewToken replaces a token BIG-IQ rejected. Callers that were refused
// with the same stale token queue on the mutex; the first logs in and the
// rest find the new token already there, so a burst of requests after
// expiry causes one login.
func (c *Client) renewToken(ctx context.Context, stale string) (string, error) {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	if token := c.loadToken(); token != stale && token != "" {
		return token, nil
	}
	if c.cfg.Token != "" {
		return "", errors.New("BIG-IQ rejected the pre-issued auth token (expired or revoked); supply a fresh token")
	}
	return c.loginLocked(ctx)
}

type loginResponse struct {
	Token struct {
		Token string `json:"token"`
	} `json:"token"`
}

func (c *Client) loginLocked(ctx context.Context) (string, error) {
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
		AddRetryCondition(retryIfTransient).
		Post(PathLogin)
	if err != nil {
		return "", fmt.Errorf("logging in to BIG-IQ: %w", describeTransportError(c.address, err))
	}
	if resp.IsError() {
		apiErr := parseAPIError(http.MethodPost, PathLogin, resp.StatusCode(), resp.Body())
		if resp.StatusCode() == http.StatusUnauthorized {
			return "", fmt.Errorf("BIG-IQ refused the login of user %q through login provider %q: check the username, password and login provider: %w",
				c.cfg.Username, c.cfg.LoginProviderName, apiErr)
		}
		return "", fmt.Errorf("logging in to BIG-IQ: %w", apiErr)
	}
	var login loginResponse
	if err := json.Unmarshal(resp.Body(), &login); err != nil || login.Token.Token == "" {
		return "", fmt.Errorf("logging in to BIG-IQ: the response carries no token (%d bytes of %s)", len(resp.Body()), resp.Header().Get("Content-Type"))
	}
	c.token.Store(login.Token.Token)
	c.ownToken = true
	c.logins++
	return login.Token.Token, nil
}

// request is one call to BIG-IQ. body is marshalled as JSON when not nil.
type request struct {
	method string
	path   string
	query  string
	body   any
}

// do sends req with the shared token, logging in again once if BIG-IQ says
// the token is no longer valid, and returns the body of a 2xx response.
func (c *Client) do(ctx context.Context, req request) ([]byte, error) {
	token, err := c.currentToken(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, req, token)
	// A token can expire while a request waits out retries, and a replay
	// can carry a token that another caller renewed long enough ago to
	// have expired too: so renew as often as BIG-IQ refuses, within reason.
	for renewals := 0; err == nil && resp.StatusCode() == http.StatusUnauthorized && renewals < maxRenewals; renewals++ {
		if token, err = c.renewToken(ctx, token); err != nil {
			return nil, err
		}
		resp, err = c.send(ctx, req, token)
	}
	if err != nil {
		return nil, c.transportError(req, err)
	}
	if resp.IsError() {
		return nil, parseAPIError(req.method, req.path, resp.StatusCode(), resp.Body())
	}
	return resp.Body(), nil
}

func (c *Client) send(ctx context.Context, req request, token string) (*resty.Response, error) {
	r := c.http.R().SetContext(c.logContext(ctx)).SetHeader(authHeader, token)
	if req.method == http.MethodGet {
		r.AddRetryCondition(retryIfTransient)
	} else {
		r.AddRetryCondition(retryIfUnacted)
	}
	if req.body != nil {
		r.SetHeader("Content-Type", "application/json").SetBody(req.body)
	}
	url := req.path
	if req.query != "" {
		url += "?" + req.query
	}
	return r.Execute(req.method, url)
}

func (c *Client) transportError(req request, err error) error {
	err = fmt.Errorf("%s %s: %w", req.method, req.path, describeTransportError(c.address, err))
	if req.method != http.MethodGet && !refused(err) {
		return &ambiguousError{err: err}
	}
	return err
}

// ambiguousError is a request that changes something and whose connection
// failed after it was sent: BIG-IQ may or may not have acted on it.
type ambiguousError struct{ err error }

func (e *ambiguousError) Error() string {
	return e.err.Error() + " (the connection failed after the request was sent, so BIG-IQ may or may not have acted on it)"
}

func (e *ambiguousError) Unwrap() error { return e.err }

// MayHaveActed reports whether err is a request that changes something
// whose outcome is unknown: the connection failed after it was sent, and
// the client could not settle whether BIG-IQ acted on it.
func MayHaveActed(err error) bool {
	var ambiguous *ambiguousError
	return errors.As(err, &ambiguous)
}

// describeTransportError adds what the user can do about a TLS failure.
func describeTransportError(address string, err error) error {
	if isTLSFailure(err) {
		return fmt.Errorf("the TLS certificate of %s could not be verified; supply the CA certificate that signed it in ca_certificate (or BIGIQ_CA_CERTIFICATE), or set insecure = true only for testing: %w", address, err)
	}
	return err
}

// retryIfTransient is the retry rule of idempotent requests: a request that
// failed in transit, or that BIG-IQ or a proxy turned away for now. resty
// consults only these conditions once any is set, so transport errors are
// listed here too.
func retryIfTransient(resp *resty.Response, err error) bool {
	if err != nil {
		return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) && !isTLSFailure(err)
	}
	switch resp.StatusCode() {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryIfUnacted is the retry rule of requests that change something: only
// where BIG-IQ cannot have acted on them (the connection was refused, or it
// answered 503 before doing anything), so one revocation never silently
// becomes two tasks.
func retryIfUnacted(resp *resty.Response, err error) bool {
	if err != nil {
		return refused(err)
	}
	return resp.StatusCode() == http.StatusServiceUnavailable
}

func refused(err error) bool {
	var opErr *net.OpError
	return errors.Is(err, syscall.ECONNREFUSED) || (errors.As(err, &opErr) && opErr.Op == "dial")
}

func isTLSFailure(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verify) || errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalid)
}

// retryAfter honours a Retry-After header given in seconds; resty bounds the
// result by the retry wait limits and falls back to jittered exponential
// backoff when it returns 0.
func retryAfter(_ *resty.Client, resp *resty.Response) (time.Duration, error) {
	if resp == nil {
		return 0, nil
	}
	// An absent or unreadable header (BIG-IQ sends none) leaves the wait to
	// the backoff.
	if secs, err := strconv.Atoi(strings.TrimSpace(resp.Header().Get("Retry-After"))); err == nil && secs > 0 {
		return time.Duration(secs) * time.Second, nil
	}
	return 0, nil
}

func (c *Client) noteServerTime(_ *resty.Client, resp *resty.Response) error {
	if date, err := http.ParseTime(resp.Header().Get("Date")); err == nil {
		c.serverOffset.Store(int64(time.Until(date)))
	}
	return nil
}

// serverNow estimates BIG-IQ's clock.
func (c *Client) serverNow() time.Time {
	return time.Now().Add(time.Duration(c.serverOffset.Load()))
}

// discardLogger silences resty's own logger: requests are logged through
// tflog in the hooks, where the request's context (and so the masks) is known.
type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}
