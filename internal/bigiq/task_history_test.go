package bigiq

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// historyEnv is a mock whose clock the test sets, so tasks start when and
// in which zone the test says, as BIG-IQs in different zones write them.
type historyEnv struct {
	server *bigiqmock.Server
	mu     sync.Mutex
	now    time.Time
}

func newHistoryEnv(t *testing.T) *historyEnv {
	t.Helper()
	env := &historyEnv{now: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	var opts bigiqmock.Options
	opts.Now = func() time.Time {
		env.mu.Lock()
		defer env.mu.Unlock()
		return env.now
	}
	opts.TaskDuration = time.Minute
	env.server = bigiqmock.Start(t, opts)
	return env
}

// startAt starts a task as account at the given time, written in loc.
func (e *historyEnv) startAt(t *testing.T, at time.Time, account, body string) string {
	t.Helper()
	e.mu.Lock()
	e.now = at
	e.mu.Unlock()
	id, err := e.server.StartTaskAs(account, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (e *historyEnv) setNow(at time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = at
}

func taskIDs(tasks []Task) []string {
	ids := make([]string, len(tasks))
	for i, t := range tasks {
		ids[i] = t.ID
	}
	return ids
}

const (
	aliceOnRed = `{"action":"REVOKE_TOKEN_FOR_USER","userName":"alice","clusterNames":["RedCluster"]}`
	bobOnBlue  = `{"action":"REVOKE_TOKEN_FOR_USER","userName":"bob","clusterNames":["BlueCluster"]}`
	redClient  = `{"action":"REVOKE_TOKEN_FOR_CLIENT_ID","clientId":"e3f3e7204d00d88ad92cbb970dd5005056b093adfa6d7457","clusterNames":["RedCluster"]}`
)

func TestListRevokeTasksFollowsEveryPageNewestFirst(t *testing.T) {
	t.Parallel()
	env := newHistoryEnv(t)
	base := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	var ids []string
	for i := range 5 {
		ids = append(ids, env.startAt(t, base.Add(time.Duration(i)*time.Hour), "admin", aliceOnRed))
	}
	c := newTestClient(t, env.server)
	c.pageSize = 2

	tasks, err := c.ListRevokeTasks(context.Background(), TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(ids)
	slices.Reverse(want)
	if got := taskIDs(tasks); !slices.Equal(got, want) {
		t.Errorf("tasks = %v, want %v (newest first)", got, want)
	}
	// Two readings of three pages: a listing of more than one page is read
	// again to see that no task moved between its pages.
	gets := sent(env.server, http.MethodGet, PathRevokeTasks)
	if len(gets) != 6 {
		t.Errorf("%d GETs of the task collection for 5 tasks in pages of 2; want 6 (two readings of 3 pages)", len(gets))
	}
	for _, g := range gets {
		if g.Query.Get("$filter") != "" {
			t.Errorf("GET %s: a filter with no filter set", g.RawQuery)
		}
	}
}

// TestListRevokeTasksWhileTasksComeAndGo: BIG-IQ purges and adds tasks
// while the client pages through the collection by offset. A purge between
// pages shifted every later task one place back, so $skip stepped over one
// that existed all along, and a generated config missed it; a task must
// also never be listed twice. Every task that existed throughout the
// listing is listed, each once.
func TestListRevokeTasksWhileTasksComeAndGo(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for name, change := range map[string]func(env *historyEnv, ids []string){
		"purged": func(env *historyEnv, ids []string) { env.server.DeleteTask(ids[0]) },
		"added":  func(env *historyEnv, ids []string) { env.startAt(t, base.Add(time.Minute), "admin", bobOnBlue) },
		"purged and added": func(env *historyEnv, ids []string) {
			env.server.DeleteTask(ids[0])
			env.startAt(t, base.Add(time.Minute), "admin", bobOnBlue)
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newHistoryEnv(t)
			var ids []string
			for i := range 6 {
				ids = append(ids, env.startAt(t, base.Add(time.Duration(i)*time.Hour), "admin", aliceOnRed))
			}
			env.setNow(base.Add(24 * time.Hour))
			c := newTestClient(t, env.server)
			c.pageSize = 2
			env.server.ResetRequests()
			env.server.AfterRequests(http.MethodGet, PathRevokeTasks, 1, func() { change(env, ids) })

			tasks, err := c.ListRevokeTasks(context.Background(), TaskFilter{})
			if err != nil {
				t.Fatal(err)
			}
			got := taskIDs(tasks)
			for _, id := range ids[1:] {
				if n := countOf(got, id); n != 1 {
					t.Errorf("task %s, there throughout, listed %d times: %v", id, n, got)
				}
			}
			for _, id := range got {
				if n := countOf(got, id); n != 1 {
					t.Errorf("task %s listed %d times: %v", id, n, got)
				}
			}
		})
	}
}

func countOf(ids []string, id string) int {
	n := 0
	for _, x := range ids {
		if x == id {
			n++
		}
	}
	return n
}

// BIG-IQ applies the equality filters; the client applies them again and
// the start time itself, so no set filter is ever ignored.
func TestListRevokeTasksFilters(t *testing.T) {
	t.Parallel()
	env := newHistoryEnv(t)
	pdt := time.FixedZone("PDT", -7*3600)
	// Started at 17:00Z but written "10:00-0700": a string comparison
	// would put it before bob's task at 12:00Z.
	alice := env.startAt(t, time.Date(2026, 11, 20, 10, 0, 0, 0, pdt), "ops", aliceOnRed)
	bob := env.startAt(t, time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC), "admin", bobOnBlue)
	client := env.startAt(t, time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC), "admin", redClient)
	env.setNow(time.Date(2026, 11, 20, 18, 0, 30, 0, time.UTC)) // client's task still runs
	c := newTestClient(t, env.server)

	for name, tc := range map[string]struct {
		filter     TaskFilter
		want       []string
		wantFilter string
	}{
		"user":          {TaskFilter{UserName: "alice"}, []string{alice}, "'userName' eq 'alice'"},
		"user is exact": {TaskFilter{UserName: "Alice"}, nil, "'userName' eq 'Alice'"},
		"client":        {TaskFilter{ClientID: "e3f3e7204d00d88ad92cbb970dd5005056b093adfa6d7457"}, []string{client}, "'clientId' eq 'e3f3e7204d00d88ad92cbb970dd5005056b093adfa6d7457'"},
		"action":        {TaskFilter{Action: ActionRevokeForUser}, []string{alice, bob}, "'action' eq 'REVOKE_TOKEN_FOR_USER'"},
		"status":        {TaskFilter{Status: StatusFinished}, []string{alice, bob}, "('status' eq 'FINISHED')"},
		"running":       {TaskFilter{Status: StatusStarted}, []string{client}, "('status' eq 'STARTED')"},
		"cancelled both spellings": {TaskFilter{Status: StatusCancelled}, nil,
			"('status' eq 'CANCELLED' or 'status' eq 'CANCELED')"},
		"started after, by instant": {TaskFilter{StartedAfter: time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)}, []string{client, alice}, ""},
		"started after is strict":   {TaskFilter{StartedAfter: time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)}, nil, ""},
		"all together": {TaskFilter{UserName: "alice", Action: ActionRevokeForUser, Status: StatusFinished, StartedAfter: time.Date(2026, 11, 20, 16, 59, 0, 0, time.UTC)},
			[]string{alice}, "'userName' eq 'alice' and 'action' eq 'REVOKE_TOKEN_FOR_USER' and ('status' eq 'FINISHED')"},
	} {
		t.Run(name, func(t *testing.T) {
			before := len(sent(env.server, http.MethodGet, PathRevokeTasks))
			tasks, err := c.ListRevokeTasks(context.Background(), tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := taskIDs(tasks); !slices.Equal(got, tc.want) && (len(got) != 0 || len(tc.want) != 0) {
				t.Errorf("tasks = %v, want %v", got, tc.want)
			}
			gets := sent(env.server, http.MethodGet, PathRevokeTasks)[before:]
			if len(gets) != 1 || gets[0].Query.Get("$filter") != tc.wantFilter {
				t.Errorf("GETs %v; want one with $filter=%s", gets, tc.wantFilter)
			}
		})
	}
}

// A BIG-IQ that ignores $filter (or a proxy that drops the query) must not
// widen the result: the client filters what it reads.
func TestTaskFilterMatchesWhatBIGIQReturns(t *testing.T) {
	t.Parallel()
	tasks := []Task{
		{ID: "a", Action: ActionRevokeForUser, UserName: "alice", Status: StatusFinished, StartDateTime: "2026-11-20T10:00:00.000-0700"},
		{ID: "b", Action: ActionRevokeForUser, UserName: "bob", Status: statusCanceled, StartDateTime: "2026-11-20T12:00:00.000+0000"},
		{ID: "c", Action: ActionRevokeForClientID, ClientID: "x", Status: StatusFailed, StartDateTime: "not a date"},
	}
	for name, tc := range map[string]struct {
		filter TaskFilter
		want   []string
	}{
		"user":               {TaskFilter{UserName: "alice"}, []string{"a"}},
		"client":             {TaskFilter{ClientID: "x"}, []string{"c"}},
		"action":             {TaskFilter{Action: ActionRevokeForClientID}, []string{"c"}},
		"cancelled":          {TaskFilter{Status: StatusCancelled}, []string{"b"}},
		"unreadable start":   {TaskFilter{StartedAfter: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}, []string{"a", "b"}},
		"after by instant":   {TaskFilter{StartedAfter: time.Date(2026, 11, 20, 13, 0, 0, 0, time.UTC)}, []string{"a"}},
		"nothing set is all": {TaskFilter{}, []string{"a", "b", "c"}},
	} {
		var got []string
		for i := range tasks {
			if tc.filter.matches(&tasks[i]) {
				got = append(got, tasks[i].ID)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", name, got, tc.want)
		}
	}

	sorted := slices.Clone(tasks)
	sortNewestFirst(sorted)
	if got := taskIDs(sorted); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("newest first = %v; want a (17:00Z), b (12:00Z), then c whose time is unreadable", got)
	}
}

func TestTaskStartedBy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		task Task
		want string
	}{
		{Task{Username: "admin", UserReference: &Reference{Link: "https://localhost/mgmt/shared/authz/users/other"}}, "admin"},
		{Task{UserReference: &Reference{Link: "https://localhost/mgmt/shared/authz/users/ops"}}, "ops"},
		{Task{}, ""},
	} {
		if got := tc.task.StartedBy(); got != tc.want {
			t.Errorf("%+v: started by %q, want %q", tc.task, got, tc.want)
		}
	}
}

// The mock names the account in both fields; the history reports it.
func TestListRevokeTasksReportsWhoStartedEachTask(t *testing.T) {
	t.Parallel()
	env := newHistoryEnv(t)
	env.startAt(t, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), "ops", aliceOnRed)
	tasks, err := newTestClient(t, env.server).ListRevokeTasks(context.Background(), TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 || tasks[0].StartedBy() != "ops" || tasks[0].StartDateTime != "2026-11-20T10:00:00.000+0000" {
		t.Errorf("tasks = %+v; want one started by ops at 10:00Z", tasks)
	}
}
