package bigiq

import (
	"context"
	"sync"
	"time"
)

// One task per caller. Two callers of one client that start the same
// revocation at once (resources of a for_each that differ only in what
// BIG-IQ is not told, their triggers) must each get a task of their own:
// a search for the task a lost POST started, or for one an earlier run
// left running, must never hand a caller the task another caller has
// just started. Every start, every search and every adoption goes through
// taskClaims.

// taskClaims are the tasks the callers of one client have started or
// adopted, and the turns identical starts take.
type taskClaims struct {
	mu      sync.Mutex
	claimed map[string]bool
	// turns holds a lock per revocation (canonicalRequest) while any caller
	// starts it, and how many callers hold or wait for it.
	turns map[string]*turn
}

type turn struct {
	sync.Mutex
	users int
}

func newTaskClaims() *taskClaims {
	return &taskClaims{claimed: map[string]bool{}, turns: map[string]*turn{}}
}

// take waits for the turn to start req: identical starts take turns from
// their search to their claim, so none can see, in BIG-IQ's task list,
// the task another has posted but not claimed yet. It returns the release.
// Starts of other revocations do not wait.
func (tc *taskClaims) take(req RevokeRequest) func() {
	key := canonicalRequest(req)
	tc.mu.Lock()
	t := tc.turns[key]
	if t == nil {
		t = &turn{}
		tc.turns[key] = t
	}
	t.users++
	tc.mu.Unlock()
	t.Lock()
	return func() {
		t.Unlock()
		tc.mu.Lock()
		defer tc.mu.Unlock()
		if t.users--; t.users == 0 {
			delete(tc.turns, key)
		}
	}
}

// claim records that a caller has the task; false when another has it.
func (tc *taskClaims) claim(id string) bool {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.claimed[id] {
		return false
	}
	tc.claimed[id] = true
	return true
}

// findTask looks in BIG-IQ's task list for a task for the same request, by
// the same BIG-IQ user, started no earlier than cutoff(), that no caller
// of this client has claimed; it claims and returns the first one found,
// or nil. The caller holds the turn for req.
func (c *Client) findTask(ctx context.Context, req RevokeRequest, cutoff func() time.Time) (*Task, error) {
	// Only tasks of the same action for the same user or client can be the
	// one: let BIG-IQ leave out the rest of its history, which can be long.
	tasks, err := c.ListRevokeTasks(ctx, TaskFilter{Action: req.Action, UserName: req.UserName, ClientID: req.ClientID})
	if err != nil {
		return nil, err
	}
	user, err := c.bigiqUser(ctx)
	if err != nil {
		return nil, err
	}
	want := canonicalRequest(req)
	since := cutoff()
	for i := range tasks {
		t := &tasks[i]
		started, ok := parseBIGIQTime(t.StartDateTime)
		if !ok || started.Before(since) || t.StartedBy() != user || canonicalRequest(t.echoedRequest()) != want {
			continue
		}
		if c.claims.claim(t.ID) {
			return t, nil
		}
	}
	return nil, nil
}

// adoptTask reads the task id an earlier run of the same revocation left
// and claims it if it is still running, was asked for req, by the same
// BIG-IQ user, started within the last within, and no caller of this
// client has it; otherwise it returns nil. The caller holds the turn for
// req.
func (c *Client) adoptTask(ctx context.Context, req RevokeRequest, id string, within time.Duration) (*Task, error) {
	t, err := c.GetTask(ctx, id)
	if err != nil {
		return nil, err
	}
	user, err := c.bigiqUser(ctx)
	if err != nil {
		return nil, err
	}
	// The cutoff is read after the GET, whose Date header sets the
	// estimate of BIG-IQ's clock.
	started, ok := parseBIGIQTime(t.StartDateTime)
	if !ok || started.Before(c.serverNow().Add(-within-recentTaskSlack)) || t.terminal() || t.StartedBy() != user ||
		canonicalRequest(t.echoedRequest()) != canonicalRequest(req) || !c.claims.claim(t.ID) {
		return nil, nil
	}
	return t, nil
}
