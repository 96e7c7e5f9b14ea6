package bigiqmock

import (
	"net/http"
	"strings"
)

// requestHook runs fn once the remaining'th matching request is answered.
type requestHook struct {
	method     string // "" matches any
	pathPrefix string
	exact      bool // pathPrefix is the whole path
	remaining  int
	fn         func()
}

// AfterRequests runs fn once the n-th request from now matching method
// ("" for any) and path prefix has been answered, and before the next one
// is: a test can change the estate at an exact point of a run (between
// the listing an apply's plan made and the one its create makes, say).
// fn runs without the mock's lock, so it may call the Mock.
func (m *Mock) AfterRequests(method, pathPrefix string, n int, fn func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.hooks = append(m.hooks, &requestHook{method: method, pathPrefix: pathPrefix, remaining: n, fn: fn})
}

// AfterRequestsTo is AfterRequests counting only the requests for exactly
// path: a collection's GETs, say, and not those of its items.
func (m *Mock) AfterRequestsTo(method, path string, n int, fn func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.hooks = append(m.hooks, &requestHook{method: method, pathPrefix: path, exact: true, remaining: n, fn: fn})
}

// runHooks counts an answered request against the hooks and runs those
// it completes.
func (m *Mock) runHooks(r *http.Request) {
	var due []func()
	m.mu.Lock()
	kept := m.hooks[:0]
	for _, h := range m.hooks {
		matches := strings.HasPrefix(r.URL.Path, h.pathPrefix)
		if h.exact {
			matches = strings.TrimSuffix(r.URL.Path, "/") == h.pathPrefix
		}
		if (h.method == "" || h.method == r.Method) && matches {
			h.remaining--
		}
		if h.remaining <= 0 {
			due = append(due, h.fn)
			continue
		}
		kept = append(kept, h)
	}
	m.hooks = kept
	m.mu.Unlock()
	for _, fn := range due {
		fn()
	}
}
