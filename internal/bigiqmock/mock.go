package bigiqmock

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Mock. The zero value is a BIG-IQ with the default
// fixture and the admin/admin local account.
type Options struct {
	Fixture        *Fixture // nil: DefaultFixture()
	Username       string   // default "admin"
	Password       string   // default "admin"
	LoginProviders []string // accepted loginProviderName values; default ["local"]
	// TaskDuration is how long a revoke task takes from STARTED to its
	// terminal state; 0 means the default 300ms, so use a tiny positive
	// value for "instant".
	TaskDuration time.Duration
	// TokenTTL is the access token lifetime; 0 means BIG-IQ's fixed 300s.
	// A test that needs a token to outlive a long wait without renewal
	// sets it, and says why.
	TokenTTL time.Duration
	// RefreshTokenTTL is the refresh token lifetime; 0 means BIG-IQ's
	// fixed 10 hours.
	RefreshTokenTTL time.Duration
	// Quirks select BIG-IQ's wire variations; the zero value is the
	// documented form.
	Quirks Quirks
	// MaxPageSize > 0 caps every collection page, even without $top.
	MaxPageSize int
	// MaxAuthTokensPerUser is how many live auth tokens a user may hold, as
	// BIG-IQ limits them; 0 means 100, negative means no limit.
	MaxAuthTokensPerUser int
	Now                  func() time.Time // default time.Now
	// Logf receives events such as revoked tokens; nil: silent. It is
	// called with the mock's lock held, so it must not call the Mock.
	Logf func(format string, args ...any)
}

const (
	defaultTaskDuration    = 300 * time.Millisecond
	defaultTokenTTL        = 300 * time.Second
	defaultRefreshTokenTTL = 36000 * time.Second
	defaultMaxAuthTokens   = 100
	maxRequestBody         = 10 << 20
)

// Mock is a BIG-IQ in memory. It implements http.Handler; all methods are
// safe for concurrent use.
type Mock struct {
	opts Options
	now  func() time.Time
	logf func(format string, args ...any)

	// The managed estate; replaced whole, under mu, by a run-time change.
	estate      atomic.Pointer[estate]
	startMicros int64

	restOperationID atomic.Int64

	mu            sync.Mutex
	authTokens    map[string]*authToken // access tokens
	refreshTokens map[string]*authToken
	logins        int
	exchanges     int
	freedTokens   int
	oauthTokens   map[string][]Token // machineId → live tokens
	revoked       map[string][]Token // machineId → tokens revoked by tasks
	refusing      map[string]bool    // machineId → its BIG-IP refuses to revoke (RefuseRevocationsOn)
	tasks         map[string]*task
	taskOrder     []string
	outcomes      []TaskOutcome
	quirks        Quirks
	taskDuration  time.Duration
	requests      []Request
	faults        faults
	hooks         []*requestHook
}

// New builds a mock BIG-IQ. It panics on an invalid Options.Fixture, which
// is a bug in the test that built it.
func New(opts Options) *Mock {
	if opts.Fixture == nil {
		opts.Fixture = DefaultFixture()
	} else {
		// Work on a copy: the caller may share one fixture between mocks
		// (even concurrently) and should not see defaults written into it.
		f := *opts.Fixture
		f.AccessGroups = slices.Clone(f.AccessGroups)
		f.Devices = slices.Clone(f.Devices)
		if err := f.normalize(); err != nil {
			panic("bigiqmock: invalid fixture: " + err.Error())
		}
		opts.Fixture = &f
	}
	if opts.Username == "" {
		opts.Username = "admin"
	}
	if opts.Password == "" {
		opts.Password = "admin"
	}
	if len(opts.LoginProviders) == 0 {
		opts.LoginProviders = []string{"local"}
	}
	if opts.TaskDuration <= 0 {
		opts.TaskDuration = defaultTaskDuration
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = defaultTokenTTL
	}
	if opts.RefreshTokenTTL <= 0 {
		opts.RefreshTokenTTL = defaultRefreshTokenTTL
	}
	if opts.MaxAuthTokensPerUser == 0 {
		opts.MaxAuthTokensPerUser = defaultMaxAuthTokens
	}
	m := &Mock{
		opts:          opts,
		now:           opts.Now,
		logf:          opts.Logf,
		authTokens:    map[string]*authToken{},
		refreshTokens: map[string]*authToken{},
		oauthTokens:   map[string][]Token{},
		revoked:       map[string][]Token{},
		tasks:         map[string]*task{},
		taskDuration:  opts.TaskDuration,
		quirks:        opts.Quirks,
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.logf == nil {
		m.logf = func(string, ...any) {}
	}
	m.startMicros = m.now().UnixMicro()
	m.restOperationID.Store(19541800)
	e := newEstate(opts.Fixture)
	for _, d := range e.devices {
		m.oauthTokens[d.UUID] = slices.Clone(d.Tokens)
	}
	m.estate.Store(e)
	return m
}

// ServeHTTP records the request, applies faults, authenticates and routes.
func (m *Mock) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if strings.HasPrefix(r.URL.Path, mockOnlyPrefix) {
		m.serveInspection(w, r, body)
		return
	}
	// BIG-IQ's Date header is its own clock, as the task times are: a
	// client estimates BIG-IQ's clock from it.
	w.Header().Set("Date", m.now().UTC().Format(http.TimeFormat))
	if !m.applyFaults(w, r, body) {
		return
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	switch path {
	case pathLogin:
		m.handleLogin(w, r, body)
		return
	case pathExchange:
		m.handleExchange(w, r, body)
		return
	}
	user, ok := m.authenticate(w, r)
	if !ok {
		return
	}
	m.route(w, r, path, body, user)
	m.runHooks(r)
}

func (m *Mock) route(w http.ResponseWriter, r *http.Request, path string, body []byte, user string) {
	e := m.estate.Load()
	switch {
	case childOf(path, pathAuthTokens) != "":
		m.handleAuthToken(w, r, childOf(path, pathAuthTokens))
	case path == pathDevices:
		m.serveCollection(w, r, e.resolver)
	case childOf(path, pathDevices) != "":
		m.serveItem(w, r, e.resolver, childOf(path, pathDevices), lookup(e.deviceIndex))
	case path == pathDeviceGroups:
		m.serveCollection(w, r, e.groups)
	case childOf(path, pathDeviceGroups) != "":
		m.serveItem(w, r, e.groups, childOf(path, pathDeviceGroups), lookup(e.groupIndex))
	case path == pathOAuthApps:
		m.serveCollection(w, r, e.apps)
	case childOf(path, pathOAuthApps) != "":
		m.serveItem(w, r, e.apps, childOf(path, pathOAuthApps), lookup(e.appIndex))
	case path == pathRevokeTasks:
		switch r.Method {
		case http.MethodGet:
			m.serveCollection(w, r, m.taskCollection())
		case http.MethodPost:
			m.createTask(w, r, body, user)
		default:
			m.methodNotAllowed(w, r)
		}
	case childOf(path, pathRevokeTasks) != "":
		m.handleTask(w, r, childOf(path, pathRevokeTasks), body)
	default:
		m.writeError(w, r, http.StatusNotFound, "Public URI path not registered", nil)
	}
}

// childOf returns the single path segment below prefix, or "".
func childOf(path, prefix string) string {
	rest, ok := strings.CutPrefix(path, prefix+"/")
	if !ok || rest == "" || strings.Contains(rest, "/") {
		return ""
	}
	return rest
}

func lookup(index map[string]int) func(string) (int, bool) {
	return func(key string) (int, bool) {
		i, ok := index[key]
		return i, ok
	}
}

func (m *Mock) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	m.methodNotAllowedReply(r).write(w)
}

func (m *Mock) methodNotAllowedReply(r *http.Request) reply {
	return m.errorReply(r, http.StatusMethodNotAllowed, "Method "+r.Method+" not allowed on "+r.URL.Path, nil)
}

func (m *Mock) serveCollection(w http.ResponseWriter, r *http.Request, c *collection) {
	if r.Method != http.MethodGet {
		m.methodNotAllowed(w, r)
		return
	}
	m.mu.Lock()
	nextLink := !m.quirks.NoNextLink
	m.mu.Unlock()
	body, err := c.list(r.URL.RawQuery, r.URL.Query(), m.opts.MaxPageSize, nextLink)
	if err != nil {
		m.writeError(w, r, http.StatusBadRequest, "Invalid query: "+err.Error(), nil)
		return
	}
	writeRawJSON(w, http.StatusOK, body)
}

func (m *Mock) serveItem(w http.ResponseWriter, r *http.Request, c *collection, key string, find func(string) (int, bool)) {
	if r.Method != http.MethodGet {
		m.methodNotAllowed(w, r)
		return
	}
	i, ok := find(key)
	if !ok {
		m.notFound(w, r)
		return
	}
	writeRawJSON(w, http.StatusOK, c.item(i, r.URL.Query()))
}

func (m *Mock) notFound(w http.ResponseWriter, r *http.Request) {
	m.notFoundReply(r).write(w)
}

func (m *Mock) notFoundReply(r *http.Request) reply {
	return m.errorReply(r, http.StatusNotFound, "Object not found - "+selfHost+r.URL.Path, nil)
}
