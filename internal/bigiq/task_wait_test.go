package bigiq

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// fakeClock is shared by the client's waiter and the mock: a sleep moves
// time on, and the mock's task moves with it, so a 20 s task is waited for
// without sleeping.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
	// deadline, when set, plays a context deadline in fake time.
	deadline time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.deadline.IsZero() && f.now.Add(d).After(f.deadline) {
		f.now = f.deadline
		return context.DeadlineExceeded
	}
	f.now = f.now.Add(d)
	f.sleeps = append(f.sleeps, d)
	return nil
}

func (f *fakeClock) polls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sleeps)
}

// startWaitTest starts a mock and a client sharing a fake clock, and a task
// in the mock that takes duration.
func startWaitTest(t *testing.T, duration time.Duration, outcome *bigiqmock.TaskOutcome, req RevokeRequest) (*bigiqmock.Server, *Client, *fakeClock, *Task) {
	t.Helper()
	clock := newFakeClock()
	s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: duration, Now: clock.Now})
	if outcome != nil {
		s.QueueTaskOutcome(*outcome)
	}
	c := newTestClient(t, s)
	c.clock = clock
	task, err := c.StartRevokeTask(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return s, c, clock, task
}

var revokeUser1OnBlue = RevokeRequest{Action: ActionRevokeForUser, UserName: "user1", ClusterNames: []string{"BlueCluster"}}

func TestWaitForTaskFinished(t *testing.T) {
	t.Parallel()
	for _, duration := range []time.Duration{200 * time.Millisecond, 2 * time.Second, 20 * time.Second} {
		s, c, clock, task := startWaitTest(t, duration, nil, revokeUser1OnBlue)
		started := clock.Now()

		done, err := c.WaitForTask(context.Background(), task.ID)
		if err != nil {
			t.Fatalf("%v task: %v", duration, err)
		}
		if !done.succeeded() || done.CurrentStep != StepDone || done.EndDateTime == "" {
			t.Errorf("%v task ended as %+v", duration, done)
		}
		lag := clock.Now().Sub(started) - duration
		if limit := max(duration/10, 250*time.Millisecond); lag < 0 || lag > limit {
			t.Errorf("%v task: noticed %v after it finished; want at most %v", duration, lag, limit)
		}
		if n := len(s.Tokens(bluebigip)); n != 3 {
			t.Errorf("%v task: %d tokens left on bluebigip; want user1's two gone, three left", duration, n)
		}
		if polls, gets := clock.polls(), len(sent(s, http.MethodGet, PathRevokeTasks+"/"+task.ID)); polls != gets {
			t.Errorf("%d sleeps but %d polls", polls, gets)
		}
	}
}

// OnProgress reports each change of status or step once, in order, the
// last one being the state the wait returns.
func TestWaitForTaskReportsProgress(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		outcome *bigiqmock.TaskOutcome
		want    []string
	}{
		{nil, []string{"STARTED RESOLVE_DEVICES", "STARTED REVOKE_TOKENS_FOR_CLUSTER", "FINISHED DONE"}},
		{&bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeCancel}, []string{"STARTED RESOLVE_DEVICES", "CANCEL_REQUESTED REVOKE_TOKENS_FOR_CLUSTER", "CANCELLED REVOKE_TOKENS_FOR_CLUSTER"}},
	} {
		_, c, _, task := startWaitTest(t, 2*time.Second, tc.outcome, revokeUser1OnBlue)
		var got []string
		done, _ := c.WaitForTask(context.Background(), task.ID, OnProgress(func(p *Task) {
			got = append(got, p.Status+" "+p.CurrentStep)
		}))
		if strings.Join(got, ", ") != strings.Join(tc.want, ", ") {
			t.Errorf("progress reported: %q\nwant %q", got, tc.want)
		}
		if last := tc.want[len(tc.want)-1]; done == nil || done.Status+" "+done.CurrentStep != last {
			t.Errorf("the wait returned %+v, want the last state reported (%s)", done, last)
		}
	}
}

func TestWaitForTaskPollsALongTaskSparingly(t *testing.T) {
	t.Parallel()
	_, c, clock, task := startWaitTest(t, 10*time.Minute, nil, revokeUser1OnBlue)
	if _, err := c.WaitForTask(context.Background(), task.ID); err != nil {
		t.Fatal(err)
	}
	steady := 0
	for _, d := range clock.sleeps {
		if d > maxPoll {
			t.Fatalf("slept %v between polls; the cap is %v", d, maxPoll)
		}
		if d == maxPoll {
			steady++
		}
	}
	// The interval is 200 ms for the first 2 s (10 polls), then grows by a
	// tenth each poll until it reaches the 5 s cap at 50 s (about 34 more);
	// the remaining 550 s take one poll per 5 s (110).
	if steady < 105 || clock.polls() > 160 {
		t.Errorf("%d polls, %d at the cap, over a 10 minute task", clock.polls(), steady)
	}
	if first := clock.sleeps[0]; first >= time.Second {
		t.Errorf("first poll after %v; want well under a second", first)
	}
}

func TestWaitForTaskFailures(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		outcome       *bigiqmock.TaskOutcome
		req           RevokeRequest
		status        string
		message       string
		tokensMissing bool
	}{
		"unknown cluster": {
			req:     RevokeRequest{Action: ActionRevokeForUser, UserName: "user1", ClusterNames: []string{"NoSuchCluster"}},
			status:  StatusFailed,
			message: MessageNoMatchingDevices,
		},
		"nothing left to revoke": {
			req:           RevokeRequest{Action: ActionRevokeForUser, UserName: "nobody", ClusterNames: []string{"BlueCluster"}},
			status:        StatusFailed,
			message:       MessageTokensNotFound,
			tokensMissing: true,
		},
		"cancelled": {
			outcome: &bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeCancel},
			req:     revokeUser1OnBlue,
			status:  StatusCancelled,
		},
		// FINISHED is not success unless the result is COMPLETE.
		"finished with a failed result": {
			outcome: &bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeFinishedFailed, Message: "Revocation failed on 1 of 1 devices"},
			req:     revokeUser1OnBlue,
			status:  StatusFinished,
			message: "Revocation failed on 1 of 1 devices",
		},
		"forced failure": {
			outcome: &bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeFail, Message: "Device 10.1.1.1 is unreachable"},
			req:     revokeUser1OnBlue,
			status:  StatusFailed,
			message: "Device 10.1.1.1 is unreachable",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, c, _, task := startWaitTest(t, time.Second, tc.outcome, tc.req)
			last, err := c.WaitForTask(context.Background(), task.ID)
			var taskErr *TaskError
			if !errors.As(err, &taskErr) {
				t.Fatalf("err = %v; want a TaskError", err)
			}
			if last != taskErr.Task || last.Status != tc.status || last.ErrorMessage != tc.message || last.ID != task.ID {
				t.Errorf("task = %+v", last)
			}
			if (last.Outcome().Name == OutcomeNothingToRevoke) != tc.tokensMissing {
				t.Errorf("outcome %q; want nothing to revoke: %v", last.Outcome().Name, tc.tokensMissing)
			}
			if !strings.Contains(err.Error(), task.ID) || !strings.Contains(err.Error(), tc.status) {
				t.Errorf("error %q does not name the task and its status", err)
			}
		})
	}
}

func TestWaitForTaskNotFoundDetails(t *testing.T) {
	t.Parallel()
	req := RevokeRequest{Action: ActionRevokeList, DeviceReferences: []Reference{{Link: DeviceLinkPrefix + redbigip}},
		PerDeviceOAuthIDs: []DeviceOAuthIDs{{DeviceReference: Reference{Link: DeviceLinkPrefix + redbigip}, OAuthIDs: []OAuthID{{ID: "feedface"}}}}}
	_, c, _, task := startWaitTest(t, time.Second, nil, req)
	last, err := c.WaitForTask(context.Background(), task.ID)
	if taskErr := (*TaskError)(nil); !errors.As(err, &taskErr) || last.Outcome().Name != OutcomeNothingToRevoke {
		t.Fatalf("err = %v", err)
	}
	failures := last.failures()
	if len(failures) != 1 || failures[0].DeviceReference.Link != DeviceLinkPrefix+redbigip ||
		len(failures[0].FailedIDs) != 1 || failures[0].FailedIDs[0].ID != "feedface" || failures[0].FailedIDs[0].ErrorCode != 400 {
		t.Errorf("failures = %+v", failures)
	}
}

func TestWaitForTaskEndsWithItsContext(t *testing.T) {
	t.Parallel()
	hang := &bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeHang}

	t.Run("deadline", func(t *testing.T) {
		t.Parallel()
		_, c, clock, task := startWaitTest(t, time.Second, hang, revokeUser1OnBlue)
		clock.deadline = clock.Now().Add(15 * time.Minute)
		last, err := c.WaitForTask(context.Background(), task.ID)
		var waitErr *WaitError
		if !errors.As(err, &waitErr) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
		if last == nil || last.Status != StatusStarted || waitErr.TaskID != task.ID {
			t.Errorf("last = %+v", last)
		}
		if !strings.Contains(err.Error(), task.ID) || !strings.Contains(err.Error(), "last seen STARTED") {
			t.Errorf("error %q lacks the task id or its last status", err)
		}
	})

	t.Run("cancel", func(t *testing.T) {
		t.Parallel()
		s, c, _, task := startWaitTest(t, time.Second, hang, revokeUser1OnBlue)
		c.clock = realClock{}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() {
			_, err := c.WaitForTask(ctx, task.ID)
			done <- err
		}()
		// Cancel once the waiter is between polls.
		for s.CountRequests(http.MethodGet, PathRevokeTasks+"/") == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestWaitForTaskRidesOutAnOutage(t *testing.T) {
	t.Parallel()
	s, c, _, task := startWaitTest(t, 2*time.Second, nil, revokeUser1OnBlue)
	c.http.SetRetryCount(0)
	s.FailNext(http.MethodGet, PathRevokeTasks+"/", 4, 503)
	s.DropNext(http.MethodGet, PathRevokeTasks+"/", 3)
	last, err := c.WaitForTask(context.Background(), task.ID)
	if err != nil || !last.succeeded() {
		t.Fatalf("after an outage: %+v, %v", last, err)
	}
	if n := len(sent(s, http.MethodGet, PathRevokeTasks+"/"+task.ID)); n < 8 {
		t.Errorf("%d polls; the 7 failed ones were not all made", n)
	}
}

func TestWaitForTaskThatDisappears(t *testing.T) {
	t.Parallel()
	s, c, _, task := startWaitTest(t, 2*time.Second, nil, revokeUser1OnBlue)
	s.DeleteTask(task.ID)
	_, err := c.WaitForTask(context.Background(), task.ID)
	var waitErr *WaitError
	if !errors.As(err, &waitErr) || !IsNotFound(err) || !strings.Contains(err.Error(), task.ID+" is gone") {
		t.Fatalf("err = %v", err)
	}
	if n := len(sent(s, http.MethodGet, PathRevokeTasks+"/"+task.ID)); n != 1 {
		t.Errorf("polled a deleted task %d times; a 404 will not change", n)
	}
}

func TestWaitForTaskAcrossTokenExpiry(t *testing.T) {
	t.Parallel()
	s, c, _, task := startWaitTest(t, 2*time.Second, nil, revokeUser1OnBlue)
	s.ExpireAuthTokens()
	if _, err := c.WaitForTask(context.Background(), task.ID); err != nil {
		t.Fatal(err)
	}
	if s.Logins() != 1 || s.Exchanges() != 1 {
		t.Errorf("%d logins, %d exchanges; want the first login and one renewal after expiry", s.Logins(), s.Exchanges())
	}
}

// TestWaitEndsAtOnceWhenTheTokenExpires: a pre-issued access token that
// expires during the wait cannot be renewed. That is final, so the wait
// ends at the first refused poll, naming the task and saying the token
// expired, instead of polling until the context's deadline.
func TestWaitEndsAtOnceWhenTheTokenExpires(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: 10 * time.Minute, Now: clock.Now})
	token := s.IssueAuthToken()
	c := newTestClient(t, s, func(cfg *Config) { cfg.Username, cfg.Password, cfg.Token = "", "", token })
	c.clock = clock
	clock.deadline = clock.Now().Add(15 * time.Minute)
	task, err := c.StartRevokeTask(context.Background(), revokeUser1OnBlue)
	if err != nil {
		t.Fatal(err)
	}
	s.ExpireAuthTokens()
	started := clock.Now()

	_, err = c.WaitForTask(context.Background(), task.ID)
	var waitErr *WaitError
	if !errors.As(err, &waitErr) || !IsAuthFailure(err) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, task.ID) || !strings.Contains(msg, "expired") || strings.Contains(msg, token) {
		t.Errorf("error %q does not name the task and say the token expired (or leaks it)", msg)
	}
	if n := len(sent(s, http.MethodGet, PathRevokeTasks+"/"+task.ID)); n != 1 {
		t.Errorf("%d polls; want the one refused", n)
	}
	if waited := clock.Now().Sub(started); waited > time.Second {
		t.Errorf("waited %v after the token expired", waited)
	}
}

// TestWaitEndsAtOnceOnATLSFailure: BIG-IQ's certificate stops verifying
// during the wait (it was replaced, or the path was intercepted). That
// will not change by waiting, and nothing is sent over the failed
// connection.
func TestWaitEndsAtOnceOnATLSFailure(t *testing.T) {
	t.Parallel()
	s, c, clock, task := startWaitTest(t, 10*time.Minute, nil, revokeUser1OnBlue)
	clock.deadline = clock.Now().Add(15 * time.Minute)
	reader, ok := c.http.GetClient().Transport.(bodyReader)
	if !ok {
		t.Fatalf("the client's transport is a %T", c.http.GetClient().Transport)
	}
	transport, ok := reader.next.(*http.Transport)
	if !ok {
		t.Fatalf("the client's transport reads through a %T", reader.next)
	}
	transport.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: x509.NewCertPool()}
	transport.CloseIdleConnections()
	requestsBefore := len(s.Requests())
	started := clock.Now()

	_, err := c.WaitForTask(context.Background(), task.ID)
	var waitErr *WaitError
	if !errors.As(err, &waitErr) || errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), task.ID) || !strings.Contains(err.Error(), "TLS certificate") {
		t.Fatalf("err = %v", err)
	}
	if waited := clock.Now().Sub(started); waited > time.Second {
		t.Errorf("waited %v after TLS verification failed", waited)
	}
	if n := len(s.Requests()) - requestsBefore; n != 0 {
		t.Errorf("%d requests reached BIG-IQ over an unverified connection", n)
	}
}

func TestPollInterval(t *testing.T) {
	t.Parallel()
	cases := map[time.Duration]time.Duration{
		0:                       minPoll,
		time.Second:             minPoll,
		3 * time.Second:         300 * time.Millisecond,
		20 * time.Second:        2 * time.Second,
		time.Minute:             maxPoll,
		time.Hour:               maxPoll,
		2500 * time.Millisecond: 250 * time.Millisecond,
	}
	for waited, want := range cases {
		if got := pollInterval(waited); got != want {
			t.Errorf("pollInterval(%v) = %v; want %v", waited, got, want)
		}
	}
}
