package bigiqmock

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// mockOnlyPrefix marks the mock's own endpoints, which a real BIG-IQ lacks.
const mockOnlyPrefix = "/mock/"

// Request is one request as the mock received it.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	Query    url.Values
	Header   http.Header
	Body     []byte
	Time     time.Time
}

// Requests returns every BIG-IQ request received, in order, including ones
// that were failed or dropped by a fault. /mock/ requests are not recorded.
func (m *Mock) Requests() []Request {
	m.lockAdvanced()
	defer m.mu.Unlock()
	return slices.Clone(m.requests)
}

// ResetRequests forgets the recorded requests.
func (m *Mock) ResetRequests() {
	m.lockAdvanced()
	defer m.mu.Unlock()
	m.requests = nil
}

// CountRequests counts recorded requests by method ("" for any) and path prefix.
func (m *Mock) CountRequests(method, pathPrefix string) int {
	m.lockAdvanced()
	defer m.mu.Unlock()
	n := 0
	for _, r := range m.requests {
		if (method == "" || r.Method == method) && strings.HasPrefix(r.Path, pathPrefix) {
			n++
		}
	}
	return n
}

// Logins counts successful logins.
func (m *Mock) Logins() int {
	m.lockAdvanced()
	defer m.mu.Unlock()
	return m.logins
}

// Exchanges counts refresh tokens successfully exchanged for an access
// token, which are not logins: a client that renews this way never sends
// the password again.
func (m *Mock) Exchanges() int {
	m.lockAdvanced()
	defer m.mu.Unlock()
	return m.exchanges
}

// FreedAuthTokens counts auth tokens (access or refresh) freed with DELETE.
func (m *Mock) FreedAuthTokens() int {
	m.lockAdvanced()
	defer m.mu.Unlock()
	return m.freedTokens
}

// LiveAuthTokens returns the X-F5-Auth-Token values that currently work.
func (m *Mock) LiveAuthTokens() []string {
	now := m.lockAdvanced()
	defer m.mu.Unlock()
	return liveValues(m.authTokens, now)
}

// LiveRefreshTokens returns the refresh tokens that BIG-IQ would still
// exchange for an access token.
func (m *Mock) LiveRefreshTokens() []string {
	now := m.lockAdvanced()
	defer m.mu.Unlock()
	return liveValues(m.refreshTokens, now)
}

func liveValues(tokens map[string]*authToken, now time.Time) []string {
	var live []string
	for v, t := range tokens {
		if t.live(now) {
			live = append(live, v)
		}
	}
	slices.Sort(live)
	return live
}

// Tokens returns the live OAuth tokens on a device.
func (m *Mock) Tokens(machineID string) []Token {
	m.lockAdvanced()
	defer m.mu.Unlock()
	return slices.Clone(m.oauthTokens[machineID])
}

// AllTokens returns the live OAuth tokens of every device, by machine id;
// devices without tokens are included with an empty list.
func (m *Mock) AllTokens() map[string][]Token {
	m.lockAdvanced()
	defer m.mu.Unlock()
	out := make(map[string][]Token, len(m.oauthTokens))
	for id, toks := range m.oauthTokens {
		out[id] = append([]Token{}, toks...)
	}
	return out
}

// AddToken gives a device a new live OAuth token, as a user logging in
// through APM would.
func (m *Mock) AddToken(machineID string, t Token) {
	m.lockAdvanced()
	defer m.mu.Unlock()
	m.oauthTokens[machineID] = append(m.oauthTokens[machineID], t)
}

// TaskIDs returns the ids of the existing tasks in creation order.
func (m *Mock) TaskIDs() []string {
	m.lockAdvanced()
	defer m.mu.Unlock()
	return slices.Clone(m.taskOrder)
}

// TaskJSON returns a task as BIG-IQ would send it now.
func (m *Mock) TaskJSON(id string) (map[string]any, bool) {
	m.lockAdvanced()
	defer m.mu.Unlock()
	t, ok := m.tasks[id]
	if !ok {
		return nil, false
	}
	var out map[string]any
	if err := json.Unmarshal(mustJSON(t.wire), &out); err != nil {
		panic("bigiqmock: " + err.Error())
	}
	return out, true
}

// DeleteTask removes a task record, as an administrator purging tasks would.
func (m *Mock) DeleteTask(id string) {
	m.lockAdvanced()
	defer m.mu.Unlock()
	m.deleteTaskLocked(id)
}

// deviceTokens is one device in the /mock/tokens listing.
type deviceTokens struct {
	MachineID string  `json:"machineId"`
	Hostname  string  `json:"hostname"`
	Tokens    []Token `json:"tokens"`
}

type recordedRequest struct {
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Query  string    `json:"query,omitempty"`
	Body   string    `json:"body,omitempty"`
	Time   time.Time `json:"time"`
}

// serveInspection answers the mock-only endpoints: GET /mock/tokens (live
// OAuth tokens per device, in fixture order), GET /mock/requests and
// POST /mock/move-device.
func (m *Mock) serveInspection(w http.ResponseWriter, r *http.Request, body []byte) {
	path := strings.TrimSuffix(r.URL.Path, "/")
	if path == mockOnlyPrefix+"move-device" && r.Method == http.MethodPost {
		m.serveMoveDevice(w, r, body)
		return
	}
	if r.Method != http.MethodGet {
		m.methodNotAllowed(w, r)
		return
	}
	switch path {
	case mockOnlyPrefix + "tokens":
		all := m.AllTokens()
		devices := m.estate.Load().devices
		out := make([]deviceTokens, 0, len(devices))
		for _, d := range devices {
			out = append(out, deviceTokens{MachineID: d.UUID, Hostname: d.Hostname, Tokens: all[d.UUID]})
		}
		writeJSON(w, http.StatusOK, map[string]any{"devices": out})
	case mockOnlyPrefix + "requests":
		reqs := m.Requests()
		out := make([]recordedRequest, 0, len(reqs))
		for _, rq := range reqs {
			out = append(out, recordedRequest{Method: rq.Method, Path: rq.Path, Query: rq.RawQuery, Body: redactSecrets(rq), Time: rq.Time})
		}
		writeJSON(w, http.StatusOK, map[string]any{"requests": out})
	default:
		m.writeError(w, r, http.StatusNotFound, "Public URI path not registered", nil)
	}
}

// redactSecrets keeps the login password and the refresh token being
// exchanged out of the inspection listing, which anyone who can reach the
// mock may read.
func redactSecrets(r Request) string {
	if r.Path != pathLogin && r.Path != pathExchange {
		return string(r.Body)
	}
	var body map[string]any
	if json.Unmarshal(r.Body, &body) != nil {
		return ""
	}
	if _, ok := body["password"]; ok {
		body["password"] = "********"
	}
	if refresh, ok := body["refreshToken"].(map[string]any); ok {
		refresh["token"] = "********"
	}
	return string(mustJSON(body))
}

// moveDeviceRequest is the body of POST /mock/move-device, MoveDevice over
// HTTP for a mock run as a separate process.
type moveDeviceRequest struct {
	MachineID       string `json:"machineId"`
	ClusterName     string `json:"clusterName"`
	AccessGroupName string `json:"accessGroupName"`
}

func (m *Mock) serveMoveDevice(w http.ResponseWriter, r *http.Request, body []byte) {
	var req moveDeviceRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || req.MachineID == "" {
		m.writeError(w, r, http.StatusBadRequest, `expected {"machineId": "...", "clusterName": "...", "accessGroupName": "..."}`, body)
		return
	}
	if err := m.MoveDevice(req.MachineID, req.ClusterName, req.AccessGroupName); err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, ErrUnknownDevice) {
			status = http.StatusNotFound
		}
		m.writeError(w, r, status, err.Error(), body)
		return
	}
	writeJSON(w, http.StatusOK, req)
}
