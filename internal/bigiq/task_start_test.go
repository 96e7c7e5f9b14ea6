package bigiq

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

func TestStartRevokeTaskSendsExactlyTheRequest(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		req  RevokeRequest
		body string
	}{
		"user by cluster and group": {
			req:  RevokeRequest{Action: ActionRevokeForUser, UserName: "user1", ClusterNames: []string{"BlueCluster"}, AccessGroupNames: []string{"TestGroup"}},
			body: `{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1","accessGroupNames":["TestGroup"],"clusterNames":["BlueCluster"]}`,
		},
		"client by device": {
			req:  RevokeRequest{Action: ActionRevokeForClientID, ClientID: "e3f3e720", DeviceReferences: []Reference{{Link: DeviceLinkPrefix + redbigip}}},
			body: `{"action":"REVOKE_TOKEN_FOR_CLIENT_ID","clientId":"e3f3e720","deviceReferences":[{"link":"https://localhost/mgmt/cm/system/machineid-resolver/` + redbigip + `"}]}`,
		},
		"list of tokens": {
			req: RevokeRequest{Action: ActionRevokeList, PerDeviceOAuthIDs: []DeviceOAuthIDs{{
				DeviceReference: Reference{Link: DeviceLinkPrefix + redbigip},
				OAuthIDs:        []OAuthID{{ID: "da6d57ff", ClientID: "e3f3e720"}, {ID: "0df998ae"}},
			}}, DeviceReferences: []Reference{{Link: DeviceLinkPrefix + redbigip}}},
			body: `{"action":"REVOKE_LIST_OF_TOKENS","perDeviceOauthIds":[{"oauthIds":[{"id":"da6d57ff","clientId":"e3f3e720"},{"id":"0df998ae"}],"deviceReference":{"link":"https://localhost/mgmt/cm/system/machineid-resolver/` + redbigip + `"}}],"deviceReferences":[{"link":"https://localhost/mgmt/cm/system/machineid-resolver/` + redbigip + `"}]}`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := bigiqmock.Start(t, bigiqmock.Options{})
			c := newTestClient(t, s)

			task, err := c.StartRevokeTask(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			posts := sent(s, http.MethodPost, PathRevokeTasks)
			if len(posts) != 1 {
				t.Fatalf("%d POSTs; want 1", len(posts))
			}
			if got := string(bytes.TrimSpace(posts[0].Body)); got != tc.body {
				t.Errorf("body =\n%s\nwant\n%s", got, tc.body)
			}
			if ct := posts[0].Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if task.Status != StatusStarted || task.ID == "" || task.Action != tc.req.Action ||
				task.SelfLink != "https://localhost"+PathRevokeTasks+"/"+task.ID || task.Username != "admin" {
				t.Errorf("task = %+v", task)
			}
		})
	}
}

func TestStartRevokeTaskRefusedSynchronously(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)

	_, err := c.StartRevokeTask(context.Background(), RevokeRequest{Action: ActionRevokeForUser, UserName: "user1"})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 ||
		apiErr.Message != "Request should have atleast one of these fields populated: accessGroupNames , clusterNames , machineIds " {
		t.Fatalf("err = %v", err)
	}
	if len(s.TaskIDs()) != 0 || s.CountRequests(http.MethodPost, PathRevokeTasks) != 1 {
		t.Error("a refused request was retried or made a task")
	}
}

func TestTaskPostIsNeverDuplicated(t *testing.T) {
	t.Parallel()
	req := RevokeRequest{Action: ActionRevokeForUser, UserName: "user1", ClusterNames: []string{"BlueCluster"}}

	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	s.FailNext(http.MethodPost, PathRevokeTasks, 1, 500)
	if _, err := c.StartRevokeTask(context.Background(), req); err == nil || len(s.TaskIDs()) != 0 {
		t.Errorf("a 500 on POST was retried (err %v, %d tasks)", err, len(s.TaskIDs()))
	}
	s.FailNext(http.MethodPost, PathRevokeTasks, 1, 503)
	if _, err := c.StartRevokeTask(context.Background(), req); err != nil {
		t.Errorf("a 503 on POST (nothing done) was not retried: %v", err)
	}
	if n := len(s.TaskIDs()); n != 1 {
		t.Errorf("%d tasks exist; want exactly the one from the retried 503", n)
	}
}

// TestLostPostAnswerBeforeBIGIQActed: the connection drops before BIG-IQ
// reads the POST. No task exists, so the POST is sent again.
func TestLostPostAnswerBeforeBIGIQActed(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	s.DropNext(http.MethodPost, PathRevokeTasks, 1)

	task, err := c.StartRevokeTask(context.Background(), revokeUser1OnBlue)
	if err != nil {
		t.Fatal(err)
	}
	if ids := s.TaskIDs(); len(ids) != 1 || ids[0] != task.ID {
		t.Errorf("tasks %v; want only %s", ids, task.ID)
	}
	if posts, lists := len(sent(s, http.MethodPost, PathRevokeTasks)), len(sent(s, http.MethodGet, PathRevokeTasks)); posts != 2 || lists != 1 {
		t.Errorf("%d POSTs and %d task list reads; want the lost POST, one search, one resend", posts, lists)
	}
}

// lostAnswerServer serves m over TLS, except that BIG-IQ acts on the first
// task POST (and the first after each dropped.Store(false)), afterActing
// runs if set, and the answer is lost: the connection closes.
func lostAnswerServer(t *testing.T, m *bigiqmock.Mock, afterActing func()) (address, caPEM string, dropped *atomic.Bool) {
	t.Helper()
	dropped = &atomic.Bool{}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != PathRevokeTasks || !dropped.CompareAndSwap(false, true) {
			m.ServeHTTP(w, r)
			return
		}
		m.ServeHTTP(httptest.NewRecorder(), r) // BIG-IQ acts...
		if afterActing != nil {
			afterActing()
		}
		hijacker, ok := w.(http.Hijacker)
		if !ok {
			t.Error("the test server cannot drop a connection")
			return
		}
		conn, _, _ := hijacker.Hijack()
		conn.Close() // ...and the answer is lost.
	}))
	t.Cleanup(srv.Close)
	return srv.URL, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})), dropped
}

// TestLostPostAnswerAfterBIGIQActed: BIG-IQ starts the task and the answer
// is lost on the way back. The client finds that task instead of starting
// a second one, and does not take an older identical task for it.
func TestLostPostAnswerAfterBIGIQActed(t *testing.T) {
	t.Parallel()
	m := bigiqmock.New(bigiqmock.Options{TaskDuration: time.Hour})
	address, caPEM, dropped := lostAnswerServer(t, m, nil)
	c, err := NewClient(Config{Address: address, Username: "admin", Password: "admin", CACertificatePEM: caPEM})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	reordered := RevokeRequest{Action: ActionRevokeForUser, UserName: "user1", ClusterNames: []string{"RedCluster", "BlueCluster"}}
	older, err := c.StartRevokeTask(ctx, reordered)
	if err != nil {
		t.Fatal(err)
	}
	dropped.Store(false)
	c.claimed = map[string]bool{} // as if the older task came from an earlier run

	time.Sleep(recentTaskSlack + time.Second) // the older task is now "before the POST"
	task, err := c.StartRevokeTask(ctx, RevokeRequest{Action: ActionRevokeForUser, UserName: "user1", ClusterNames: []string{"BlueCluster", "RedCluster"}})
	if err != nil {
		t.Fatal(err)
	}
	ids := m.TaskIDs()
	if len(ids) != 2 || task.ID != ids[1] || task.ID == older.ID {
		t.Errorf("got task %s; tasks %v; want the second, and no third", task.ID, ids)
	}
}

// TestLostPostAnswerTaskAlreadyFinished: the task a lost POST started may
// have finished by the time the client searches the task list (a quick
// revocation, a slow reconnect). It is still the POST's task: the client
// adopts it rather than sending the POST again, which would run the
// revocation twice.
func TestLostPostAnswerTaskAlreadyFinished(t *testing.T) {
	t.Parallel()
	m := bigiqmock.New(bigiqmock.Options{TaskDuration: time.Hour})
	address, caPEM, _ := lostAnswerServer(t, m, m.EndTasksNow) // BIG-IQ finishes the task before the answer is lost
	c, err := NewClient(Config{Address: address, Username: "admin", Password: "admin", CACertificatePEM: caPEM})
	if err != nil {
		t.Fatal(err)
	}
	task, err := c.StartRevokeTask(context.Background(), revokeUser1OnBlue)
	if err != nil {
		t.Fatal(err)
	}
	ids := m.TaskIDs()
	if len(ids) != 1 || task.ID != ids[0] || task.Status != StatusFinished {
		t.Errorf("got task %s (%s); tasks %v; want the one finished task the lost POST started", task.ID, task.Status, ids)
	}
	posts := 0
	for _, r := range m.Requests() {
		if r.Method == http.MethodPost && r.Path == PathRevokeTasks {
			posts++
		}
	}
	if posts != 1 {
		t.Errorf("BIG-IQ received %d task POSTs; want 1", posts)
	}
}

// TestLostPostAnswerWithBIGIQsClockBehind: with a pre-issued token the
// POST is the run's first request, so nothing has told the client BIG-IQ's
// clock yet. BIG-IQ's clock is a minute behind; the task the lost POST
// started must still count as started after the POST, or a second task
// would be started beside it.
func TestLostPostAnswerWithBIGIQsClockBehind(t *testing.T) {
	t.Parallel()
	m := bigiqmock.New(bigiqmock.Options{TaskDuration: time.Hour, Now: (&fakeClock{now: time.Now().Add(-time.Minute)}).Now})
	address, caPEM, _ := lostAnswerServer(t, m, nil)
	c, err := NewClient(Config{Address: address, Token: m.IssueAuthToken(), CACertificatePEM: caPEM})
	if err != nil {
		t.Fatal(err)
	}
	task, err := c.StartRevokeTask(context.Background(), revokeUser1OnBlue)
	if err != nil {
		t.Fatal(err)
	}
	if ids := m.TaskIDs(); len(ids) != 1 || ids[0] != task.ID {
		t.Errorf("tasks %v, got %s; want the one task the lost POST started", ids, task.ID)
	}
}

func TestTaskPostRetriedAfterRenewal(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	if _, err := c.ListAccessGroups(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.ExpireAuthTokens()
	if _, err := c.StartRevokeTask(context.Background(), RevokeRequest{Action: ActionRevokeForUser, UserName: "bob", ClusterNames: []string{"BlueCluster"}}); err != nil {
		t.Fatal(err)
	}
	if len(s.TaskIDs()) != 1 || s.Logins() != 1 || s.Exchanges() != 1 || len(sent(s, http.MethodPost, PathRevokeTasks)) != 2 {
		t.Errorf("%d tasks, %d logins, %d exchanges; want 1 task, the refused POST sent again after one renewal",
			len(s.TaskIDs()), s.Logins(), s.Exchanges())
	}
}

// TestUnsettledPostIsReportedAsSuch: the POST's answer is lost and the task
// list cannot be read either, so whether a task exists is unknown, and the
// error must say so rather than claim nothing happened.
func TestUnsettledPostIsReportedAsSuch(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s, func(cfg *Config) { cfg.MaxRetries = new(1) })
	s.DropNext(http.MethodPost, PathRevokeTasks, 1)
	s.FailNext(http.MethodGet, PathRevokeTasks, 10, http.StatusServiceUnavailable)
	_, err := c.StartRevokeTask(context.Background(), revokeUser1OnBlue)
	if !MayHaveActed(err) || !strings.Contains(err.Error(), "looking for the task it may have started also failed") {
		t.Fatalf("err = %v", err)
	}
	if MayHaveActed(parseAPIError("POST", PathRevokeTasks, 400, nil)) {
		t.Error("a refused POST counts as one that may have acted")
	}
}

// TestServerNowFollowsTheInjectedClock: the estimate of BIG-IQ's clock that
// dates a lost POST moves with the client's clock, so a test clock that
// jumps (or a wall clock that does not move in fake time) cannot make it
// wrong.
func TestServerNowFollowsTheInjectedClock(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	clock := newFakeClock()
	c.clock = clock
	serverTime := clock.Now().Add(time.Hour)
	resp := &resty.Response{RawResponse: &http.Response{Header: http.Header{"Date": {serverTime.Format(http.TimeFormat)}}}}
	if err := c.noteServerTime(nil, resp); err != nil {
		t.Fatal(err)
	}
	if err := clock.Sleep(context.Background(), 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	if got, want := c.serverNow(), serverTime.Add(10*time.Minute); !got.Equal(want) {
		t.Errorf("serverNow = %v; want %v: BIG-IQ's Date plus the time the client's clock moved since", got, want)
	}
}

// TestStartRevokeTaskTargetsTheListedDevices: a list of tokens that names no
// target is sent with the devices of its entries as targets, and the task's
// Input gives back the request as it was asked for.
func TestStartRevokeTaskTargetsTheListedDevices(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	c := newTestClient(t, s)
	req := RevokeRequest{Action: ActionRevokeList, PerDeviceOAuthIDs: []DeviceOAuthIDs{
		{DeviceReference: Reference{Link: DeviceLinkPrefix + redbigip}, OAuthIDs: []OAuthID{{ID: "da6d57ff"}}},
		{DeviceReference: Reference{Link: DeviceLinkPrefix + bluebigip}, OAuthIDs: []OAuthID{{ID: "0df998ae"}}},
	}}

	task, err := c.StartRevokeTask(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	posts := sent(s, http.MethodPost, PathRevokeTasks)
	if len(posts) != 1 {
		t.Fatalf("%d POSTs; want 1", len(posts))
	}
	want := `"deviceReferences":[{"link":"` + DeviceLinkPrefix + redbigip + `"},{"link":"` + DeviceLinkPrefix + bluebigip + `"}]}`
	if got := string(bytes.TrimSpace(posts[0].Body)); !strings.HasSuffix(got, want) {
		t.Errorf("body =\n%s\nwant it to end in\n%s", got, want)
	}
	if req.DeviceReferences != nil {
		t.Error("StartRevokeTask changed the caller's request")
	}
	read, err := c.GetTask(context.Background(), task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := read.Input(); !reflect.DeepEqual(got, req) {
		t.Errorf("Input() = %+v\nwant the request as asked for: %+v", got, req)
	}
	if got := read.echoedRequest().DeviceReferences; len(got) != 2 {
		t.Errorf("Request() has %d targets; want the 2 derived ones BIG-IQ echoes", len(got))
	}

	// Targets the caller named are the caller's, and stay in the Input.
	named := RevokeRequest{Action: ActionRevokeList, ClusterNames: []string{"BlueCluster"}, PerDeviceOAuthIDs: req.PerDeviceOAuthIDs[1:]}
	task, err = c.StartRevokeTask(context.Background(), named)
	if err != nil {
		t.Fatal(err)
	}
	if got := task.Input(); !reflect.DeepEqual(got, named) {
		t.Errorf("Input() = %+v\nwant %+v", got, named)
	}
}
