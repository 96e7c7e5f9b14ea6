package bigiqmock

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
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
	TokenTTL     time.Duration // auth token lifetime; default 1200s
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
	defaultTaskDuration  = 300 * time.Millisecond
	defaultTokenTTL      = 1200 * time.Second
	defaultMaxAuthTokens = 100
	// BIG-IQ refuses auth token timeouts above ten hours.
	maxAuthTokenTimeout = 36000
	maxRequestBody      = 10 << 20
)

// Mock is a BIG-IQ in memory. It implements http.Handler; all methods are
// safe for concurrent use.
type Mock struct {
	opts Options
	now  func() time.Time
	logf func(format string, args ...any)

	// The estate's devices, apps and groups never change; only the live
	// OAuth tokens on the devices do.
	devices     []*FixtureDevice
	deviceIndex map[string]int // uuid → position in resolver
	resolver    *collection
	apps        *collection
	appIndex    map[string]int // app id → position in apps
	groups      *collection
	groupIndex  map[string]int
	startMicros int64

	restOperationID atomic.Int64

	mu           sync.Mutex
	authTokens   map[string]*authToken
	logins       int
	freedTokens  int
	oauthTokens  map[string][]Token // machineId → live tokens
	revoked      map[string][]Token // machineId → tokens revoked by tasks
	tasks        map[string]*task
	taskOrder    []string
	outcomes     []TaskOutcome
	taskDuration time.Duration
	requests     []Request
	faults       faults
}

type authToken struct {
	value    string
	user     string
	provider string
	address  string
	start    time.Time
	timeout  int // seconds from start, as BIG-IQ counts it
	// hardExpiry, if set, ends the token early (chaos), unannounced.
	hardExpiry time.Time
	expired    bool // forced by ExpireAuthTokens
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
	if opts.MaxAuthTokensPerUser == 0 {
		opts.MaxAuthTokensPerUser = defaultMaxAuthTokens
	}
	m := &Mock{
		opts:         opts,
		now:          opts.Now,
		logf:         opts.Logf,
		deviceIndex:  map[string]int{},
		appIndex:     map[string]int{},
		groupIndex:   map[string]int{},
		authTokens:   map[string]*authToken{},
		oauthTokens:  map[string][]Token{},
		revoked:      map[string][]Token{},
		tasks:        map[string]*task{},
		taskDuration: opts.TaskDuration,
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.logf == nil {
		m.logf = func(string, ...any) {}
	}
	m.startMicros = m.now().UnixMicro()
	m.restOperationID.Store(19541800)
	m.loadFixture(opts.Fixture)
	return m
}

func (m *Mock) loadFixture(f *Fixture) {
	type deviceApp struct {
		device *FixtureDevice
		app    FixtureClientApp
	}
	var apps []deviceApp
	for i := range f.Devices {
		d := &f.Devices[i]
		m.devices = append(m.devices, d)
		m.deviceIndex[d.UUID] = i
		for _, a := range d.ClientApps {
			m.appIndex[appID(d.UUID, a.Name)] = len(apps)
			apps = append(apps, deviceApp{d, a})
		}
		m.oauthTokens[d.UUID] = slices.Clone(d.Tokens)
	}
	var groupItems [][]byte
	for _, g := range f.AccessGroups {
		m.groupIndex[g.Name] = len(groupItems)
		groupItems = append(groupItems, renderGroup(g.Name, g.DisplayName, "Access group "+g.DisplayName, true))
	}
	// Built-in groups that are not access groups, so the access-group
	// filter has something to leave out.
	for _, name := range []string{groupAllAccessDevices, "cm-bigip-allBigIpDevices"} {
		m.groupIndex[name] = len(groupItems)
		groupItems = append(groupItems, renderGroup(name, name, "Built-in device group", false))
	}
	// Generation and lastUpdateMicros of the resolver collection are zero
	// in seed 001; the others carry real values.
	m.resolver = newCollection(pathDevices, kindDeviceCollection, 0, 0,
		len(m.devices), func(i int) []byte { return renderDevice(m.devices[i]) })
	m.apps = newCollection(pathOAuthApps, kindAppCollection, int64(len(apps)), fixtureEpochMicros,
		len(apps), func(i int) []byte { return renderApp(apps[i].device, apps[i].app) })
	m.groups = newCollection(pathDeviceGroups, kindGroupCollection, int64(len(groupItems)), fixtureEpochMicros,
		len(groupItems), func(i int) []byte { return groupItems[i] })
}

// ServeHTTP records the request, applies faults, authenticates and routes.
func (m *Mock) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if strings.HasPrefix(r.URL.Path, mockOnlyPrefix) {
		m.serveInspection(w, r)
		return
	}
	if !m.applyFaults(w, r, body) {
		return
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	if path == pathLogin {
		m.handleLogin(w, r, body)
		return
	}
	user, ok := m.authenticate(w, r)
	if !ok {
		return
	}
	m.route(w, r, path, body, user)
}

func (m *Mock) route(w http.ResponseWriter, r *http.Request, path string, body []byte, user string) {
	switch {
	case childOf(path, pathAuthTokens) != "":
		m.handleAuthToken(w, r, childOf(path, pathAuthTokens), body)
	case path == pathDevices:
		m.serveCollection(w, r, m.resolver)
	case childOf(path, pathDevices) != "":
		m.serveItem(w, r, m.resolver, childOf(path, pathDevices), lookup(m.deviceIndex))
	case path == pathDeviceGroups:
		m.serveCollection(w, r, m.groups)
	case childOf(path, pathDeviceGroups) != "":
		m.serveItem(w, r, m.groups, childOf(path, pathDeviceGroups), lookup(m.groupIndex))
	case path == pathOAuthApps:
		m.serveCollection(w, r, m.apps)
	case childOf(path, pathOAuthApps) != "":
		m.serveItem(w, r, m.apps, childOf(path, pathOAuthApps), lookup(m.appIndex))
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
	body, err := c.list(r.URL.RawQuery, r.URL.Query(), m.opts.MaxPageSize)
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

// --- authentication ---

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
	Generation        int64         `json:"generation"`
	LastUpdateMicros  int64         `json:"lastUpdateMicros"`
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

// IssueAuthToken returns a live auth token of the mock's account, as if an
// administrator had logged in elsewhere (with curl, say) and handed it on:
// a pre-issued token. It is not counted in Logins.
func (m *Mock) IssueAuthToken() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.issueLocked(m.opts.Username, "local", "127.0.0.1", m.now()).value
}

func (m *Mock) issueLocked(user, provider, address string, now time.Time) *authToken {
	tok := &authToken{
		value: newAuthTokenValue(), user: user, provider: provider,
		address: address, start: now, timeout: int(m.opts.TokenTTL / time.Second),
	}
	if m.faults.chaos.TokenExpiry > 0 {
		tok.hardExpiry = now.Add(m.faults.chaos.TokenExpiry)
	}
	m.authTokens[tok.value] = tok
	return tok
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

	m.issueLogin(r, req, echo).write(w)
}

// issueLogin gives a logged-in user a new auth token, unless the user
// already holds as many live tokens as BIG-IQ allows.
func (m *Mock) issueLogin(r *http.Request, req loginRequest, echo []byte) reply {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	live := 0
	for _, t := range m.authTokens {
		if t.user == req.Username && t.live(now) {
			live++
		}
	}
	if m.opts.MaxAuthTokensPerUser > 0 && live >= m.opts.MaxAuthTokensPerUser {
		return m.errorReply(r, http.StatusUnauthorized, "maximum active login tokens", echo)
	}
	tok := m.issueLocked(req.Username, req.LoginProviderName, remoteHost(r), now)
	m.logins++
	return okReply(loginResponse{
		Username: req.Username, LoginProviderName: req.LoginProviderName,
		LoginReference: link{selfHost + "/mgmt/cm/system/authn/providers/" + req.LoginProviderName + "/login"},
		Token:          tok.item(),
	})
}

// newAuthTokenValue makes a token like BIG-IQ's: 26 upper-case base32 characters.
func newAuthTokenValue() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base32.StdEncoding.EncodeToString(b)[:26]
}

// authenticate checks X-F5-Auth-Token and returns the BIG-IQ user. Basic
// auth is off, as on a default BIG-IQ, so an Authorization header alone
// does not count.
func (m *Mock) authenticate(w http.ResponseWriter, r *http.Request) (string, bool) {
	value := r.Header.Get("X-F5-Auth-Token")
	if value == "" {
		m.writeError(w, r, http.StatusUnauthorized,
			"Authorization failed: no user authentication header or token detected. Uri:http://localhost:8100"+
				strings.TrimPrefix(r.URL.RequestURI(), "/mgmt")+" Referrer:"+remoteHost(r)+" Sender:"+remoteHost(r), nil)
		return "", false
	}
	user, known, live := m.authTokenState(value)
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

func (m *Mock) authTokenState(value string) (user string, known, live bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	tok, known := m.authTokens[value]
	if !known {
		return "", false, false
	}
	return tok.user, true, tok.live(m.now())
}

func (m *Mock) handleAuthToken(w http.ResponseWriter, r *http.Request, value string, body []byte) {
	m.authTokenReply(r, value, body).write(w)
}

func (m *Mock) authTokenReply(r *http.Request, value string, body []byte) reply {
	m.mu.Lock()
	defer m.mu.Unlock()
	tok, ok := m.authTokens[value]
	if !ok || !tok.live(m.now()) {
		return m.notFoundReply(r)
	}
	switch r.Method {
	case http.MethodGet:
		return okReply(tok.item())
	case http.MethodPatch:
		var req struct {
			Timeout *int `json:"timeout"`
		}
		if err := json.Unmarshal(body, &req); err != nil || req.Timeout == nil || *req.Timeout <= 0 {
			return m.errorReply(r, http.StatusBadRequest, "Invalid request: expected {\"timeout\": <seconds>}", body)
		}
		if *req.Timeout > maxAuthTokenTimeout {
			return m.errorReply(r, http.StatusBadRequest, "timeout value cannot be greater than 36000", body)
		}
		tok.timeout = *req.Timeout
		return okReply(tok.item())
	case http.MethodDelete:
		delete(m.authTokens, value)
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
