// Package bigiq is the BIG-IQ REST client: authentication, TLS, retries,
// paging, error decoding and task polling. It is the only package that
// speaks HTTP. Each endpoint family has its own file (devices.go,
// oauth_apps.go, access_groups.go; the revoke-tokens tasks in tasks.go,
// task_start.go, task_wait.go, outcome.go and task_history.go); errors are
// in errors.go. Collections are read in pages (paging.go), each answer
// into a buffer of its own (body.go). BIG-IQ's $select names top-level
// fields only and cannot narrow inside a device's properties, which are
// nearly all of a BIG-IQ 7/8 device listing; so the device pages are read
// with a scanner (jsonscan.go) that skips what the provider does not use
// (devices.go). Field names follow BIG-IQ's
// JSON as F5's BIG-IQ API reference documents it:
// https://clouddocs.f5.com/products/big-iq/mgmt-api/latest/
package bigiq

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	// empty). Token, a pre-issued X-F5-Auth-Token, and RefreshToken, a
	// pre-issued refresh token, replace all three: Token is used until
	// BIG-IQ refuses it, RefreshToken renews it.
	Username          string
	Password          string
	LoginProviderName string
	Token             string
	RefreshToken      string
	// Insecure skips TLS verification. CACertificatePEM adds trusted CAs.
	Insecure         bool
	CACertificatePEM string
	// RequestTimeout bounds one HTTP exchange; 0 means defaultRequestTimeout.
	RequestTimeout time.Duration
	// MaxRetries bounds the retries of one request; nil means
	// DefaultMaxRetries, and 0 means none.
	MaxRetries *int
	UserAgent  string
}

// Defaults for Config fields left zero.
const (
	defaultLoginProvider  = "local"
	defaultRequestTimeout = 60 * time.Second
	DefaultMaxRetries     = 5
	defaultPageSize       = 500
	// maxResponseBytes stops a runaway answer; a page of 500 BIG-IQ 7/8
	// devices is about 12 MiB.
	maxResponseBytes = 64 << 20
	// maxIdleConnsPerHost covers terraform's -parallelism up to 100.
	maxIdleConnsPerHost = 100
)

// Client talks to one BIG-IQ. It is safe for concurrent use; all callers
// share one auth token (header X-F5-Auth-Token). The first request logs in
// (unless a token was given), and a token BIG-IQ refuses is renewed, with
// the refresh token where there is one, by logging in again otherwise. So
// any method may send one of these before its own request:
//
// BIG-IQ API: POST /mgmt/shared/authn/login
// F5 docs: https://clouddocs.f5.com/products/big-iq/mgmt-api/v7.1.0/ApiReferences/bigiq_public_api_ref/r_auth_login.html
//
// BIG-IQ API: POST /mgmt/shared/authn/exchange
// F5 docs: https://clouddocs.f5.com/products/big-iq/mgmt-api/v7.1.0/ApiReferences/bigiq_public_api_ref/r_auth_exchange.html
type Client struct {
	address    string
	http       *resty.Client
	cfg        Config
	maxRetries int
	pageSize   int
	clock      clock

	// authMu serializes logins. token holds the X-F5-Auth-Token in use; it
	// is atomic so that logging can mask it while a login holds authMu.
	// ownToken says it came from our own login or exchange, and ownRefresh
	// that refreshToken came from our own login, so Close may free them.
	// refreshToken renews the token without the password; it is set under
	// authMu, and atomic for the same reason as token. authErr, guarded by
	// authMu, is a credential BIG-IQ refused for good.
	authMu       sync.Mutex
	token        atomic.Value
	ownToken     bool
	ownRefresh   bool
	refreshToken atomic.Value
	authErr      error
	// tokenUser is the BIG-IQ user a pre-issued token belongs to, once read.
	tokenUser atomic.Value

	// serverOffset is BIG-IQ's clock minus ours, from the Date header of
	// its latest response; claims are the tasks this client's callers have.
	// Both serve to recognise a task whose POST lost its answer.
	serverOffset atomic.Int64
	claims       *taskClaims
}

// NewClient checks cfg and builds a client. It does not contact BIG-IQ: the
// first request logs in.
func NewClient(cfg Config) (*Client, error) {
	address, err := NormalizeAddress(cfg.Address)
	if err != nil {
		return nil, fmt.Errorf("invalid BIG-IQ address: %w", err)
	}
	hasToken := cfg.Token != "" || cfg.RefreshToken != ""
	switch {
	case hasToken && (cfg.Username != "" || cfg.Password != ""):
		return nil, errors.New("give either a token or a username and password, not both")
	case !hasToken && (cfg.Username == "" || cfg.Password == ""):
		return nil, errors.New("a username and password, or a token, are required to log in to BIG-IQ")
	}
	if cfg.LoginProviderName == "" {
		cfg.LoginProviderName = defaultLoginProvider
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = defaultRequestTimeout
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
		claims:     newTaskClaims(),
	}
	c.token.Store(cfg.Token)
	c.refreshToken.Store(cfg.RefreshToken)
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
	c.http.SetTransport(bodyReader{next: c.http.GetClient().Transport})
	c.http.OnBeforeRequest(c.logRequest)
	c.http.OnAfterResponse(c.logResponse)
	c.http.OnAfterResponse(c.noteServerTime)
	c.http.AddRetryHook(c.logRetry)
	return c, nil
}

// request is one call to BIG-IQ. body is marshalled as JSON when not nil.
type request struct {
	method string
	path   string
	query  string
	body   any
	// read, when set, reads a 2xx answer as it arrives (see bodyReader),
	// and do returns no body.
	read func(io.Reader) error
}

// do sends req with the shared token, logging in again once if BIG-IQ says
// the token is no longer valid, and returns the body of a 2xx response.
func (c *Client) do(ctx context.Context, req request) ([]byte, error) {
	token, err := c.currentToken(ctx)
	if err != nil {
		return nil, err
	}
	// Only the request itself reads its answer with req.read: a login on
	// the way reads its own.
	sendCtx, answer := withAnswer(ctx, req.read)
	resp, err := c.send(sendCtx, req, token)
	// A token can expire while a request waits out retries, and a replay
	// can carry a token that another caller renewed long enough ago to
	// have expired too: so renew as often as BIG-IQ refuses, within reason.
	for renewals := 0; err == nil && resp.StatusCode() == http.StatusUnauthorized && renewals < maxRenewals; renewals++ {
		if token, err = c.renewToken(ctx, token); err != nil {
			return nil, err
		}
		resp, err = c.send(sendCtx, req, token)
	}
	if err != nil {
		return nil, c.transportError(req, err)
	}
	if resp.IsError() {
		return nil, parseAPIError(req.method, req.path, resp.StatusCode(), answer.body)
	}
	if answer.unreadable != nil {
		return nil, fmt.Errorf("%s %s: %w", req.method, req.path, answer.unreadable)
	}
	return answer.body, nil
}

func (c *Client) send(ctx context.Context, req request, token string) (*resty.Response, error) {
	r := c.http.R().SetContext(c.logContext(ctx)).SetHeader(authHeader, token)
	if req.method == http.MethodGet {
		r.AddRetryCondition(retryIfTurnedAway)
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

// retryIfTurnedAway is the retry rule of requests that are safe to repeat:
// a request that failed in transit, or that BIG-IQ or a proxy turned away
// for now. resty consults only these conditions once any is set, so
// transport errors are listed here too.
func retryIfTurnedAway(resp *resty.Response, err error) bool {
	if err != nil {
		return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) && !isTLSFailure(err) &&
			!errors.Is(err, errAnswerTooLarge)
	}
	return turnedAwayForNow(resp.StatusCode())
}

// turnedAwayForNow reports whether status says BIG-IQ, or a proxy in front
// of it, declined a request for now without acting on it: too many
// requests, or the service behind the proxy is down or slow.
func turnedAwayForNow(status int) bool {
	switch status {
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
		c.serverOffset.Store(int64(date.Sub(c.clock.Now())))
	}
	return nil
}

// serverNow estimates BIG-IQ's clock. It reads the client's clock, as
// noteServerTime does, so that the two agree when a test injects one.
func (c *Client) serverNow() time.Time {
	return c.clock.Now().Add(time.Duration(c.serverOffset.Load()))
}

// discardLogger silences resty's own logger: requests are logged through
// tflog in the hooks, where the request's context (and so the masks) is known.
type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}

func (discardLogger) Warnf(string, ...any) {}

func (discardLogger) Debugf(string, ...any) {}
