package bigiq

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"
)

// The history of revoke-tokens tasks: the record an auditor reads, and what
// a pipeline checks before it revokes again.

// TaskFilter selects revoke-tokens tasks. A zero field selects every task.
type TaskFilter struct {
	UserName     string // whose tokens (the task's input), exactly as given
	ClientID     string
	Action       Action
	Status       string
	StartedAfter time.Time // tasks that started strictly after this instant
}

// statusSpellings are the spellings BIG-IQ may use for a status: F5's own
// code spells CANCELLED both ways.
func statusSpellings(status string) []string {
	if status == StatusCancelled || status == statusCanceled {
		return []string{StatusCancelled, statusCanceled}
	}
	return []string{status}
}

// odata is the part of the filter BIG-IQ applies. Start times are left to
// matches: BIG-IQ writes them with its own zone's offset, so comparing them
// as strings, which is all OData's gt can do with them, misorders them.
func (f TaskFilter) odata() string {
	var terms []string
	for _, eq := range []struct{ field, value string }{
		{"userName", f.UserName},
		{"clientId", f.ClientID},
		{"action", string(f.Action)},
	} {
		if eq.value != "" {
			terms = append(terms, ODataEq(eq.field, eq.value))
		}
	}
	if f.Status != "" {
		var spellings []string
		for _, s := range statusSpellings(f.Status) {
			spellings = append(spellings, ODataEq("status", s))
		}
		terms = append(terms, "("+strings.Join(spellings, " or ")+")")
	}
	return strings.Join(terms, " and ")
}

// matches reports whether the task passes every filter. A task whose start
// time cannot be read does not pass StartedAfter: nothing shows it started
// after that time.
func (f TaskFilter) matches(t *Task) bool {
	if (f.UserName != "" && t.UserName != f.UserName) ||
		(f.ClientID != "" && t.ClientID != f.ClientID) ||
		(f.Action != "" && t.Action != f.Action) ||
		(f.Status != "" && !slices.Contains(statusSpellings(f.Status), t.Status)) {
		return false
	}
	if !f.StartedAfter.IsZero() {
		started, ok := parseBIGIQTime(t.StartDateTime)
		return ok && started.After(f.StartedAfter)
	}
	return true
}

// ListRevokeTasks lists the revoke-tokens tasks that match f, newest first,
// reading every page. BIG-IQ filters by user name, client id, action and
// status; the start time is compared here. Every filter is applied again to
// what BIG-IQ returns, so a BIG-IQ that ignores part of $filter cannot
// widen the result. Whole tasks are read, failure details included and
// normalized as GetTask does, so a task from the history is the same as
// one read by GetTask.
//
// BIG-IQ API: GET /mgmt/cm/access/tasks/revoke-tokens
// F5 docs: https://clouddocs.f5.com/products/big-iq/mgmt-api/v6.1.0/ApiReferences/bigiq_public_api_ref/r_access_revoke_tokens.html
//
// BIG-IQ pages by offset, and purges and adds tasks as it runs: a task
// purged between two pages moves every later one a place back, so the
// next $skip steps over one that was there all along. A listing that took
// more than one page is therefore read again until two readings in a row
// name the same tasks, and a task named twice is kept once.
func (c *Client) ListRevokeTasks(ctx context.Context, f TaskFilter) ([]Task, error) {
	const maxReadings = 4
	var previous []string
	for reading := 1; ; reading++ {
		tasks, pages, err := c.readRevokeTasks(ctx, f)
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(tasks))
		for i := range tasks {
			ids[i] = tasks[i].ID
		}
		if pages <= 1 || slices.Equal(ids, previous) {
			sortNewestFirst(tasks)
			return tasks, nil
		}
		if reading == maxReadings {
			return nil, fmt.Errorf("GET %s: BIG-IQ's task list changed between its pages on each of %d readings; "+
				"try again when fewer tasks are starting or being purged", PathRevokeTasks, maxReadings)
		}
		previous = ids
	}
}

// readRevokeTasks reads the task collection once, in BIG-IQ's order, and
// says how many pages it took.
func (c *Client) readRevokeTasks(ctx context.Context, f TaskFilter) ([]Task, int, error) {
	var tasks []Task
	seen := map[string]bool{}
	pages := 0
	err := list(ctx, c, PathRevokeTasks, query{filter: f.odata()}, func(page []Task) error {
		pages++
		for i := range page {
			if seen[page[i].ID] || !f.matches(&page[i]) {
				continue
			}
			seen[page[i].ID] = true
			page[i].normalizeFailures()
			tasks = append(tasks, page[i])
		}
		return nil
	})
	return tasks, pages, err
}

// sortNewestFirst orders tasks by start time, newest first. BIG-IQ lists
// tasks oldest first, so tasks whose times are equal or unreadable keep
// the reverse of that order, and unreadable ones come last.
func sortNewestFirst(tasks []Task) {
	slices.Reverse(tasks)
	slices.SortStableFunc(tasks, func(a, b Task) int {
		ta, okA := parseBIGIQTime(a.StartDateTime)
		tb, okB := parseBIGIQTime(b.StartDateTime)
		switch {
		case okA && okB:
			return tb.Compare(ta)
		case okA:
			return -1
		case okB:
			return 1
		}
		return 0
	})
}

// StartedBy is the BIG-IQ account that started the task: username, or the
// last segment of userReference when BIG-IQ sends only that.
func (t *Task) StartedBy() string {
	if t.Username != "" || t.UserReference == nil {
		return t.Username
	}
	u, err := url.Parse(t.UserReference.Link)
	if err != nil || u.Path == "" {
		return ""
	}
	return path.Base(u.Path)
}

// StartTime is when the task started, if BIG-IQ's date can be read.
func (t *Task) StartTime() (time.Time, bool) {
	return parseBIGIQTime(t.StartDateTime)
}
