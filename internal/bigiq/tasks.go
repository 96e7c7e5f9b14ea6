package bigiq

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// The revoke-tokens tasks: the request that starts one, the task BIG-IQ
// returns and polls, and the errors of a task that did not revoke.

// PathRevokeTasks holds the revoke-tokens tasks.
const PathRevokeTasks = "/mgmt/cm/access/tasks/revoke-tokens"

// Action is the kind of revocation a task performs.
type Action string

// The three revocation actions BIG-IQ accepts.
const (
	ActionRevokeForUser     Action = "REVOKE_TOKEN_FOR_USER"
	ActionRevokeForClientID Action = "REVOKE_TOKEN_FOR_CLIENT_ID"
	ActionRevokeList        Action = "REVOKE_LIST_OF_TOKENS"
)

// Task statuses. FINISHED, FAILED and CANCELLED (which F5's own test code
// spells CANCELED) are terminal; CREATED comes before STARTED. The status
// is kept as BIG-IQ spelt it; Cancelled reads both spellings.
const (
	StatusCreated         = "CREATED"
	StatusStarted         = "STARTED"
	StatusFinished        = "FINISHED"
	StatusFailed          = "FAILED"
	StatusCancelled       = "CANCELLED"
	StatusCanceled        = "CANCELED"
	StatusCancelRequested = "CANCEL_REQUESTED"
)

// Task results and the final step.
const (
	ResultComplete = "COMPLETE"
	ResultFailed   = "FAILED"
	StepDone       = "DONE"
)

// Messages BIG-IQ puts in errorMessage for the failures seen in practice.
const (
	MessageNoMatchingDevices = "No matching device(s) found for given accessGroup or cluster or deviceReference list."
	MessageTokensNotFound    = tokensNotFoundPrefix + ". Possibly already revoked tokens."
)

// OAuthID names one OAuth token on a device.
type OAuthID struct {
	ID       string `json:"id"`
	ClientID string `json:"clientId,omitempty"`
}

// DeviceOAuthIDs is one entry of perDeviceOauthIds.
type DeviceOAuthIDs struct {
	OAuthIDs        []OAuthID `json:"oauthIds"`
	DeviceReference Reference `json:"deviceReference"`
}

// RevokeRequest is the body of POST /mgmt/cm/access/tasks/revoke-tokens.
type RevokeRequest struct {
	Action            Action           `json:"action"`
	UserName          string           `json:"userName,omitempty"`
	ClientID          string           `json:"clientId,omitempty"`
	PerDeviceOAuthIDs []DeviceOAuthIDs `json:"perDeviceOauthIds,omitempty"`
	AccessGroupNames  []string         `json:"accessGroupNames,omitempty"`
	ClusterNames      []string         `json:"clusterNames,omitempty"`
	DeviceReferences  []Reference      `json:"deviceReferences,omitempty"`
}

// FailedID is one token BIG-IQ could not revoke on a device.
type FailedID struct {
	ErrorCode  int    `json:"errorCode,omitempty"`
	Error      string `json:"error,omitempty"`
	ID         string `json:"id,omitempty"`
	DBInstance string `json:"dbInstance,omitempty"`
	ClientID   string `json:"clientId,omitempty"`
}

// DeviceFailure groups the failed ids of one device, as in failureDetails
// and resultDetails.
type DeviceFailure struct {
	DeviceReference Reference  `json:"deviceReference"`
	FailedIDs       []FailedID `json:"failedIds"`
}

// Task is a revoke-tokens task as BIG-IQ returns it.
//
// BIG-IQ sends both userName (whose tokens, the input) and username (the
// BIG-IQ account that started the task). encoding/json matches keys without
// regard to case when there is no exact match, so both are declared to keep
// one from being filled from the other.
type Task struct {
	ID                 string           `json:"id"`
	Action             Action           `json:"action"`
	UserName           string           `json:"userName,omitempty"`
	Username           string           `json:"username,omitempty"`
	ClientID           string           `json:"clientId,omitempty"`
	PerDeviceOAuthIDs  []DeviceOAuthIDs `json:"perDeviceOauthIds,omitempty"`
	AccessGroupNames   []string         `json:"accessGroupNames,omitempty"`
	ClusterNames       []string         `json:"clusterNames,omitempty"`
	DeviceReferences   []Reference      `json:"deviceReferences,omitempty"`
	Status             string           `json:"status"`
	Result             string           `json:"result,omitempty"`
	CurrentStep        string           `json:"currentStep,omitempty"`
	ErrorMessage       string           `json:"errorMessage,omitempty"`
	StartDateTime      string           `json:"startDateTime,omitempty"`
	EndDateTime        string           `json:"endDateTime,omitempty"`
	FailureDetails     []DeviceFailure  `json:"failureDetails,omitempty"`
	ResultDetails      []DeviceFailure  `json:"resultDetails,omitempty"`
	UserReference      *Reference       `json:"userReference,omitempty"`
	IdentityReferences []Reference      `json:"identityReferences,omitempty"`
	OwnerMachineID     string           `json:"ownerMachineId,omitempty"`
	Generation         int64            `json:"generation"`
	LastUpdateMicros   int64            `json:"lastUpdateMicros"`
	Kind               string           `json:"kind,omitempty"`
	SelfLink           string           `json:"selfLink,omitempty"`
}

// Terminal reports whether the task will not change any more.
func (t *Task) Terminal() bool {
	switch t.Status {
	case StatusFinished, StatusFailed, StatusCancelled, StatusCanceled:
		return true
	}
	return false
}

// Cancelled reports whether the task was cancelled, in either spelling.
func (t *Task) Cancelled() bool {
	return t.Status == StatusCancelled || t.Status == StatusCanceled
}

// NoDeviceMatched reports whether the task failed because its targets
// (clusters, Access groups, device references) named no managed device.
func (t *Task) NoDeviceMatched() bool {
	return t.ErrorMessage == MessageNoMatchingDevices
}

// Input returns the revocation as it was asked for: the task's echo of its
// request, less the targets StartRevokeTask derived from PerDeviceOAuthIDs.
func (t *Task) Input() RevokeRequest {
	req := t.Request()
	if req.Action == ActionRevokeList && len(req.ClusterNames) == 0 && len(req.AccessGroupNames) == 0 &&
		SameDevices(links(req.DeviceReferences), links(perDeviceRefs(req.PerDeviceOAuthIDs))) {
		req.DeviceReferences = nil
	}
	return req
}

// withDerivedTargets makes the devices named in PerDeviceOAuthIDs the
// targets of a list action that names none: BIG-IQ versions differ on
// whether that action needs a target.
func (r RevokeRequest) withDerivedTargets() RevokeRequest {
	if r.Action == ActionRevokeList && len(r.ClusterNames) == 0 && len(r.AccessGroupNames) == 0 && len(r.DeviceReferences) == 0 {
		r.DeviceReferences = perDeviceRefs(r.PerDeviceOAuthIDs)
	}
	return r
}

func perDeviceRefs(entries []DeviceOAuthIDs) []Reference {
	refs := make([]Reference, 0, len(entries))
	for _, entry := range entries {
		refs = append(refs, entry.DeviceReference)
	}
	return refs
}

// Request returns the revocation input the task echoes back, targets
// derived by StartRevokeTask included.
func (t *Task) Request() RevokeRequest {
	return RevokeRequest{
		Action:            t.Action,
		UserName:          t.UserName,
		ClientID:          t.ClientID,
		PerDeviceOAuthIDs: t.PerDeviceOAuthIDs,
		AccessGroupNames:  t.AccessGroupNames,
		ClusterNames:      t.ClusterNames,
		DeviceReferences:  t.DeviceReferences,
	}
}

func parseTask(body []byte) (*Task, error) {
	var task Task
	if err := json.Unmarshal(body, &task); err != nil {
		return nil, fmt.Errorf("the response is not a revoke-tokens task: %w", err)
	}
	if task.ID == "" {
		return nil, errors.New("the response is not a revoke-tokens task: it has no id")
	}
	task.normalizeFailures()
	return &task, nil
}

// normalizeFailures reads the per-token failures in their documented form
// whichever form this BIG-IQ wrote them in: a device in the device-groups
// link form gets its machineid-resolver link, and a client id that BIG-IQ
// put in dbInstance (leaving clientId "") moves to ClientID. dbInstance
// otherwise names the OAuth database, a path such as "/Common/oauthdb".
func (t *Task) normalizeFailures() {
	for _, details := range [][]DeviceFailure{t.FailureDetails, t.ResultDetails} {
		for i := range details {
			d := &details[i]
			if id, ok := strings.CutPrefix(d.DeviceReference.Link, deviceGroupLinkPrefix); ok && machineIDPattern.MatchString(id) {
				d.DeviceReference.Link = DeviceLinkPrefix + id
			}
			for j := range d.FailedIDs {
				f := &d.FailedIDs[j]
				if f.ClientID == "" && f.DBInstance != "" && !strings.HasPrefix(f.DBInstance, "/") {
					f.ClientID = f.DBInstance
				}
			}
		}
	}
}

// StartRevokeTask asks BIG-IQ to revoke tokens. The task runs on BIG-IQ;
// WaitForTask follows it. A list action that names no target gets the
// devices of its PerDeviceOAuthIDs as targets; Task.Input leaves them out.
//
// A POST whose connection fails after it was sent may or may not have
// started a task. Sending it again blindly could start a second one, so the
// task list is searched first: a task started since the POST, by the same
// BIG-IQ user, with the same request, and not already claimed by another
// caller of this client, is taken as the one the POST started. Only when
// there is none is the POST sent again.
func (c *Client) StartRevokeTask(ctx context.Context, req RevokeRequest) (*Task, error) {
	req = req.withDerivedTargets()
	sentAt := c.clock.Now()
	// The task the POST may have started began after sentAt, in BIG-IQ's
	// clock. The estimate of that clock is read when the search needs it,
	// after the task list's Date header has set it: with a pre-issued
	// token the POST may be the first request of the run.
	sentAtOnBIGIQ := func() time.Time {
		return c.serverNow().Add(sentAt.Sub(c.clock.Now())).Add(-recentTaskSlack)
	}
	for attempt := 0; ; attempt++ {
		body, err := c.do(ctx, request{method: http.MethodPost, path: PathRevokeTasks, body: req})
		var ambiguous *ambiguousError
		switch {
		case err == nil:
			task, err := parseTask(body)
			if err != nil {
				return nil, fmt.Errorf("POST %s: %w", PathRevokeTasks, err)
			}
			c.claim(task.ID)
			return task, nil
		case !errors.As(err, &ambiguous) || ctx.Err() != nil || attempt >= c.maxRetries:
			return nil, err
		}
		task, findErr := c.findTask(ctx, req, sentAtOnBIGIQ, false)
		if findErr != nil {
			return nil, fmt.Errorf("%w; looking for the task it may have started also failed: %w", err, findErr)
		}
		if task != nil {
			tflog.Info(ctx, "the revoke-tokens POST lost its answer; found the task it started", map[string]any{"task_id": task.ID})
			return task, nil
		}
		tflog.Warn(ctx, "the revoke-tokens POST lost its answer and started no task; sending it again", map[string]any{"error": err.Error()})
	}
}

// recentTaskSlack allows for the whole-second precision of the Date header
// the server's clock is estimated from.
const recentTaskSlack = 2 * time.Second

// StartOrResumeRevokeTask is StartRevokeTask for a caller that may have
// started the same revocation before and lost track of it: a run that timed
// out or was interrupted leaves its task running on BIG-IQ. Before the POST
// it looks for a task BIG-IQ is still running (not terminal) for the
// identical request, started by the same BIG-IQ user within the last
// within; if there is one it is adopted (resumed is true) instead of
// starting a second revocation alongside it.
func (c *Client) StartOrResumeRevokeTask(ctx context.Context, req RevokeRequest, within time.Duration) (task *Task, resumed bool, err error) {
	// The cutoff is read after the task list, whose Date header sets the
	// estimate of BIG-IQ's clock.
	cutoff := func() time.Time { return c.serverNow().Add(-within - recentTaskSlack) }
	task, err = c.findTask(ctx, req.withDerivedTargets(), cutoff, true)
	switch {
	case err != nil && (IsAuthFailure(err) || ctx.Err() != nil):
		return nil, false, err
	case err != nil:
		// Resuming spares BIG-IQ a duplicate; failing to look must not
		// keep the revocation from running.
		tflog.Warn(ctx, "could not look for a running revoke-tokens task to resume; starting a new one", map[string]any{"error": err.Error()})
	case task != nil:
		tflog.Info(ctx, "resuming the identical revoke-tokens task BIG-IQ is still running", map[string]any{"task_id": task.ID})
		return task, true, nil
	}
	task, err = c.StartRevokeTask(ctx, req)
	return task, false, err
}

// findTask looks in BIG-IQ's task list for a task for the same request, by
// the same BIG-IQ user, started no earlier than cutoff() and, when
// onlyRunning, not yet terminal, that no caller of this client has claimed;
// it claims and returns the first one found, or nil.
func (c *Client) findTask(ctx context.Context, req RevokeRequest, cutoff func() time.Time, onlyRunning bool) (*Task, error) {
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
	c.claimedMu.Lock()
	defer c.claimedMu.Unlock()
	for i := range tasks {
		t := &tasks[i]
		started, ok := parseBIGIQTime(t.StartDateTime)
		if c.claimed[t.ID] || !ok || started.Before(since) || t.StartedBy() != user ||
			(onlyRunning && t.Terminal()) || canonicalRequest(t.Request()) != want {
			continue
		}
		c.claimed[t.ID] = true
		return t, nil
	}
	return nil, nil
}

func (c *Client) claim(id string) {
	c.claimedMu.Lock()
	defer c.claimedMu.Unlock()
	c.claimed[id] = true
}

// canonicalRequest renders a request so that two requests for the same
// revocation, whatever the order of their lists, render the same.
func canonicalRequest(req RevokeRequest) string {
	req.AccessGroupNames = slices.Sorted(slices.Values(req.AccessGroupNames))
	req.ClusterNames = slices.Sorted(slices.Values(req.ClusterNames))
	req.DeviceReferences = slices.SortedFunc(slices.Values(req.DeviceReferences), func(a, b Reference) int {
		return strings.Compare(a.Link, b.Link)
	})
	perDevice := make([]DeviceOAuthIDs, len(req.PerDeviceOAuthIDs))
	for i, d := range req.PerDeviceOAuthIDs {
		d.OAuthIDs = slices.SortedFunc(slices.Values(d.OAuthIDs), func(a, b OAuthID) int {
			return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.ClientID, b.ClientID))
		})
		perDevice[i] = d
	}
	slices.SortFunc(perDevice, func(a, b DeviceOAuthIDs) int {
		return strings.Compare(a.DeviceReference.Link, b.DeviceReference.Link)
	})
	req.PerDeviceOAuthIDs = perDevice
	out, _ := json.Marshal(req)
	return string(out)
}

// parseBIGIQTime reads a task date as BIG-IQ writes it
// ("2016-09-12T19:18:23.451-0700"), or in RFC 3339.
func parseBIGIQTime(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// GetTask reads a revoke-tokens task. IsNotFound(err) says it is gone.
func (c *Client) GetTask(ctx context.Context, id string) (*Task, error) {
	path := PathRevokeTasks + "/" + url.PathEscape(id)
	body, err := c.do(ctx, request{method: http.MethodGet, path: path})
	if err != nil {
		return nil, err
	}
	task, err := parseTask(body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	return task, nil
}

// The poll schedule. A task is first read after firstPoll; after that the
// interval is a tenth of the time waited so far, kept between minPoll and
// maxPoll. The lag between a task finishing and the wait noticing is then
// at most about a tenth of the task's duration (or minPoll for short ones),
// and a long task is read once per maxPoll.
const (
	firstPoll = 100 * time.Millisecond
	minPoll   = 200 * time.Millisecond
	maxPoll   = 5 * time.Second
)

func pollInterval(waited time.Duration) time.Duration {
	return min(max(waited/10, minPoll), maxPoll)
}

// WaitForTask polls the task until it is terminal and returns its last
// state. The error is nil when it FINISHED with result COMPLETE, a
// *TaskError when it failed or was cancelled, and a *WaitError when ctx
// ended first or BIG-IQ gave an answer that will not change by waiting
// (the task is gone, the credentials were refused for good, the
// certificate does not verify). Transient failures to read the
// task (connection errors, 5xx) are logged and polling goes on until ctx
// ends, so a BIG-IQ that restarts mid-task does not fail the wait.
//
// Options may ask to be told of the task's progress (OnProgress).
func (c *Client) WaitForTask(ctx context.Context, id string, options ...WaitOption) (*Task, error) {
	var opts waitOptions
	for _, o := range options {
		o(&opts)
	}
	ctx = tflog.SetField(ctx, "task_id", id)
	start := c.clock.Now()
	delay := firstPoll
	var last *Task
	var lastErr error
	for {
		if err := c.clock.Sleep(ctx, delay); err != nil {
			return last, &WaitError{TaskID: id, Last: last, Err: withLastError(err, lastErr)}
		}
		delay = pollInterval(c.clock.Now().Sub(start))

		task, err := c.GetTask(ctx, id)
		if err != nil {
			if ctx.Err() != nil {
				return last, &WaitError{TaskID: id, Last: last, Err: withLastError(ctx.Err(), err)}
			}
			if !pollMayRecover(err) {
				return last, &WaitError{TaskID: id, Last: last, Err: err}
			}
			lastErr = err
			tflog.Warn(ctx, "reading the revoke-tokens task failed; will try again", map[string]any{"error": err.Error()})
			continue
		}
		lastErr = nil
		if last == nil || task.Status != last.Status || task.CurrentStep != last.CurrentStep {
			tflog.Info(ctx, "revoke-tokens task progressed", map[string]any{
				"status":       task.Status,
				"current_step": task.CurrentStep,
				"waited_ms":    c.clock.Now().Sub(start).Milliseconds(),
			})
			if opts.onProgress != nil {
				opts.onProgress(task)
			}
		}
		last = task
		if !task.Terminal() {
			continue
		}
		if !task.succeeded() {
			return task, &TaskError{Task: task}
		}
		return task, nil
	}
}

// WaitOption changes how WaitForTask waits.
type WaitOption func(*waitOptions)

type waitOptions struct {
	onProgress func(*Task)
}

// OnProgress makes WaitForTask call f with the task each time a poll finds
// its status or step changed, the first poll included. f is called on
// the goroutine that called WaitForTask, before the wait goes on, so it
// never runs after WaitForTask has returned: a caller may report progress
// through something that must not be used once it is done (Terraform's
// progress events). The wait does not interrupt f; it should return
// promptly.
func OnProgress(f func(*Task)) WaitOption {
	return func(o *waitOptions) { o.onProgress = f }
}

// pollMayRecover reports whether a failed read of a task may succeed on a
// later poll: the connection failed, BIG-IQ or a proxy turned the read away
// for now, or BIG-IQ answered 500, as it does while it restarts. The client
// already retried the read a few times within moments; polling waits longer.
// Credentials BIG-IQ refused for good and a certificate that does not
// verify will not change by waiting.
func pollMayRecover(err error) bool {
	if IsAuthFailure(err) || isTLSFailure(err) {
		return false
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return true // the connection failed
	}
	return turnedAwayForNow(apiErr.StatusCode) || apiErr.StatusCode == http.StatusInternalServerError
}

// withLastError keeps, next to why the wait ended, the poll error that kept
// it from seeing the task finish, if any.
func withLastError(err, lastErr error) error {
	if lastErr == nil {
		return err
	}
	return fmt.Errorf("%w (last poll: %w)", err, lastErr)
}

// TaskError is a revoke-tokens task that ended without revoking what it was
// asked to: FAILED, CANCELLED, or FINISHED with a failed result.
type TaskError struct {
	Task *Task
}

func (e *TaskError) Error() string {
	t := e.Task
	msg := fmt.Sprintf("revoke-tokens task %s %s at step %s", t.ID, t.Status, orNone(t.CurrentStep))
	if t.Result != "" && t.Result != t.Status {
		msg += " with result " + t.Result
	}
	if t.ErrorMessage != "" {
		msg += ": " + t.ErrorMessage
	}
	return msg
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// WaitError is a wait for a task that ended before the task did: the
// context was cancelled or timed out, or BIG-IQ stopped answering usefully.
type WaitError struct {
	TaskID string
	// Last is the last state of the task that was read, or nil.
	Last *Task
	Err  error
}

func (e *WaitError) Error() string {
	msg := fmt.Sprintf("stopped waiting for revoke-tokens task %s", e.TaskID)
	if e.Last != nil {
		msg += fmt.Sprintf(" (last seen %s at step %s)", e.Last.Status, orNone(e.Last.CurrentStep))
	}
	if IsNotFound(e.Err) {
		msg += fmt.Sprintf(": task %s is gone: BIG-IQ no longer has it (it was deleted or purged), so its outcome is unknown", e.TaskID)
	}
	return msg + ": " + e.Err.Error()
}

func (e *WaitError) Unwrap() error { return e.Err }
