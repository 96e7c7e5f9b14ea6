package bigiqmock

import (
	"math/rand"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Chaos injects random faults. Draws come from a generator seeded with
// Seed, three per request in arrival order, so a sequential client sees
// the same faults on every run.
//
// Chaos covers every BIG-IQ endpoint, login included: a login can be reset
// but never gets a 503, because GetErrorRate only applies to GETs.
type Chaos struct {
	GetErrorRate float64       // fraction of GETs answered 503
	ResetRate    float64       // fraction of requests whose connection is dropped
	LatencySpike time.Duration // extra delay for a fraction SpikeRate of requests
	SpikeRate    float64
	// TokenExpiry makes auth tokens issued from now on stop working this
	// long after issue, whatever their advertised timeout; 0 = TokenTTL.
	TokenExpiry time.Duration
	Seed        int64
}

type faultRule struct {
	method     string // "" matches any
	pathPrefix string
	remaining  int
	status     int // 0: drop the connection
	retryAfter time.Duration
}

type faults struct {
	latency time.Duration
	down    bool
	rules   []*faultRule
	chaos   Chaos
	rng     *rand.Rand // nil while no chaos is set
}

// SetLatency delays every request by d.
func (m *Mock) SetLatency(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.faults.latency = d
}

// FailNext answers the next n requests matching method ("" for any) and
// path prefix with status: BIG-IQ's error body, or for 502/503/504 the
// web server's HTML page.
func (m *Mock) FailNext(method, pathPrefix string, n, status int) {
	m.FailNextRetryAfter(method, pathPrefix, n, status, 0)
}

// FailNextRetryAfter is FailNext with a Retry-After header (whole seconds).
func (m *Mock) FailNextRetryAfter(method, pathPrefix string, n, status int, retryAfter time.Duration) {
	m.addRule(&faultRule{method: method, pathPrefix: pathPrefix, remaining: n, status: status, retryAfter: retryAfter})
}

// DropNext closes the connection of the next n matching requests without
// answering.
func (m *Mock) DropNext(method, pathPrefix string, n int) {
	m.addRule(&faultRule{method: method, pathPrefix: pathPrefix, remaining: n})
}

func (m *Mock) addRule(r *faultRule) {
	if r.remaining <= 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.faults.rules = append(m.faults.rules, r)
}

// SetDown makes the mock drop every BIG-IQ request while down is true.
func (m *Mock) SetDown(down bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.faults.down = down
}

// ExpireAuthTokens invalidates every access token issued so far (401).
// Refresh tokens keep working, as when access tokens outlive their 300 s.
func (m *Mock) ExpireAuthTokens() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, t := range m.authTokens {
		t.expired = true
	}
}

// ExpireRefreshTokens invalidates every refresh token issued so far, so an
// exchange is refused (401) and only a login with the password renews.
func (m *Mock) ExpireRefreshTokens() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, t := range m.refreshTokens {
		t.expired = true
	}
}

// SetChaos replaces the random faults; the zero Chaos turns them off.
func (m *Mock) SetChaos(c Chaos) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.faults.chaos = c
	m.faults.rng = nil
	if c != (Chaos{}) {
		m.faults.rng = rand.New(rand.NewSource(c.Seed))
	}
}

// ClearFailures drops the rules FailNext and DropNext left unspent, so a
// test can fail one endpoint for as long as a step lasts and no longer.
func (m *Mock) ClearFailures() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.faults.rules = nil
}

// QueueTaskOutcome forces how the next created task ends; queued outcomes
// apply first in, first out.
func (m *Mock) QueueTaskOutcome(o TaskOutcome) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.outcomes = append(m.outcomes, o)
}

// SetTaskDuration changes how long tasks created from now on take.
func (m *Mock) SetTaskDuration(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if d <= 0 {
		d = defaultTaskDuration
	}
	m.taskDuration = d
}

// EndTasksNow brings every running task to the end of its duration at
// once, as if the time had passed: each ends as it would have (a task
// queued to hang goes on hanging). With AfterRequests it lets a test end a
// task after a given number of polls, without a clock or a sleep.
func (m *Mock) EndTasksNow() {
	now := m.lockAdvanced()
	defer m.mu.Unlock()
	for _, id := range m.taskOrder {
		t := m.tasks[id]
		if t.terminal() {
			continue
		}
		t.duration = now.Sub(t.created)
		if t.startAt.After(now) {
			t.startAt = now
		}
		m.advance(t, now)
	}
}

type faultDecision struct {
	drop       bool
	status     int
	retryAfter time.Duration
	delay      time.Duration
}

// applyFaults records the request and carries out any fault; it reports
// whether the request should go on to be served.
func (m *Mock) applyFaults(w http.ResponseWriter, r *http.Request, body []byte) bool {
	now := m.lockAdvanced()
	m.requests = append(m.requests, Request{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Query: r.URL.Query(),
		Header: r.Header.Clone(), Body: body, Time: now,
	})
	d := m.decideFault(r)
	m.mu.Unlock()

	if d.delay > 0 {
		timer := time.NewTimer(d.delay)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			return false
		}
	}
	switch {
	case d.drop:
		dropConnection(w)
		return false
	case d.status == http.StatusBadGateway || d.status == http.StatusServiceUnavailable || d.status == http.StatusGatewayTimeout:
		setRetryAfter(w, d.retryAfter)
		writeUnavailable(w, d.status)
		return false
	case d.status != 0:
		setRetryAfter(w, d.retryAfter)
		m.writeError(w, r, d.status, http.StatusText(d.status)+" (fault injected by bigiqmock)", nil)
		return false
	}
	return true
}

func (m *Mock) decideFault(r *http.Request) faultDecision {
	f := &m.faults
	d := faultDecision{drop: f.down, delay: f.latency}
	if !d.drop {
		for i, rule := range f.rules {
			if (rule.method == "" || rule.method == r.Method) && strings.HasPrefix(r.URL.Path, rule.pathPrefix) {
				d.drop, d.status, d.retryAfter = rule.status == 0, rule.status, rule.retryAfter
				if rule.remaining--; rule.remaining <= 0 {
					f.rules = append(f.rules[:i], f.rules[i+1:]...)
				}
				break
			}
		}
	}
	if f.rng != nil {
		reset, getError, spike := f.rng.Float64(), f.rng.Float64(), f.rng.Float64()
		if !d.drop && d.status == 0 {
			switch {
			case reset < f.chaos.ResetRate:
				d.drop = true
			case r.Method == http.MethodGet && getError < f.chaos.GetErrorRate:
				d.status = http.StatusServiceUnavailable
			}
		}
		if spike < f.chaos.SpikeRate {
			d.delay += f.chaos.LatencySpike
		}
	}
	return d
}

func setRetryAfter(w http.ResponseWriter, d time.Duration) {
	if d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((d+time.Second-1)/time.Second)))
	}
}

// dropConnection closes the connection with a TCP reset and no response,
// as a crashed proxy would.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	raw := conn
	if nc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		raw = nc.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
