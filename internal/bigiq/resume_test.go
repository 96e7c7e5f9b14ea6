package bigiq

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// TestStartOrResumeAdoptsTheRunningTask: a run that timed out or was
// interrupted left its task running on BIG-IQ. The next run, a new client
// as in a new provider process, adopts that task instead of starting a
// second revocation: BIG-IQ sees one POST.
func TestStartOrResumeAdoptsTheRunningTask(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: 10 * time.Minute, Now: clock.Now})
	lost, err := newTestClient(t, s).StartRevokeTask(context.Background(), revokeUser1OnBlue)
	if err != nil {
		t.Fatal(err)
	}

	// The same revocation, its lists in another order.
	again := revokeUser1OnBlue
	again.ClusterNames = []string{"BlueCluster"}
	next := newTestClient(t, s)
	task, resumed, err := next.StartOrResumeRevokeTask(context.Background(), again, lost.ID, 15*time.Minute)
	if err != nil || !resumed || task.ID != lost.ID {
		t.Fatalf("task %+v, resumed %v, %v; want %s adopted", task, resumed, err, lost.ID)
	}
	if n := len(sent(s, http.MethodPost, PathRevokeTasks)); n != 1 {
		t.Errorf("%d POSTs; want only the first run's", n)
	}
	// The task is read by its id; BIG-IQ's task history is not searched.
	if n := len(sent(s, http.MethodGet, PathRevokeTasks+"/"+lost.ID)); n != 1 {
		t.Errorf("%d GETs of the earlier task; want 1", n)
	}
	if n := s.Listings(PathRevokeTasks); n != 0 {
		t.Errorf("%d searches of the task history; want none", n)
	}
	// Another identical revocation in the same run gets its own task: the
	// running one is claimed.
	other, resumed, err := next.StartOrResumeRevokeTask(context.Background(), again, lost.ID, 15*time.Minute)
	if err != nil || resumed || other.ID == lost.ID {
		t.Errorf("a second caller adopted the claimed task: %+v, %v, %v", other, resumed, err)
	}
}

// TestStartOrResumeWhenTasksNameTheirAccountByReference: a BIG-IQ that
// names the account that started a task only by userReference still lets
// the run adopt its own task, instead of starting a second one.
func TestStartOrResumeWhenTasksNameTheirAccountByReference(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: 10 * time.Minute, Now: clock.Now,
		Quirks: bigiqmock.Quirks{UserReferenceOnly: true}})
	first, err := newTestClient(t, s).StartRevokeTask(context.Background(), revokeUser1OnBlue)
	if err != nil {
		t.Fatal(err)
	}
	task, resumed, err := newTestClient(t, s).StartOrResumeRevokeTask(context.Background(), revokeUser1OnBlue, first.ID, 15*time.Minute)
	if err != nil || !resumed || task.ID != first.ID {
		t.Fatalf("task %+v, resumed %v, %v; want %s adopted", task, resumed, err, first.ID)
	}
	if n := len(sent(s, http.MethodPost, PathRevokeTasks)); n != 1 {
		t.Errorf("%d POSTs; want only the first run's", n)
	}
}

// TestStartOrResumeLeavesOtherTasksAlone: an earlier task that is not the
// same revocation, still running, started by the same account within the
// window, is not adopted: a new task starts.
func TestStartOrResumeLeavesOtherTasksAlone(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		duration time.Duration // of the earlier task
		ago      time.Duration // when it started
		req      RevokeRequest
		account  string // that started it, when not this client's
	}{
		"finished":                  {duration: time.Second, ago: time.Minute, req: revokeUser1OnBlue},
		"another account":           {duration: time.Hour, ago: time.Minute, req: revokeUser1OnBlue, account: "pipeline2"},
		"started before the window": {duration: time.Hour, ago: 20 * time.Minute, req: revokeUser1OnBlue},
		"another request":           {duration: time.Hour, ago: time.Minute, req: RevokeRequest{Action: ActionRevokeForUser, UserName: "user2", ClusterNames: []string{"BlueCluster"}}},
		// Passes BIG-IQ's filter (same action and user): only the
		// comparison of the whole request tells it apart.
		"same user, other targets": {duration: time.Hour, ago: time.Minute, req: RevokeRequest{Action: ActionRevokeForUser, UserName: "user1", ClusterNames: []string{"RedCluster"}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			clock := newFakeClock()
			s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: tc.duration, Now: clock.Now})
			var earlier string
			if tc.account != "" {
				body, err := json.Marshal(tc.req)
				if err != nil {
					t.Fatal(err)
				}
				if earlier, err = s.StartTaskAs(tc.account, body); err != nil {
					t.Fatal(err)
				}
			} else {
				task, err := newTestClient(t, s).StartRevokeTask(context.Background(), tc.req)
				if err != nil {
					t.Fatal(err)
				}
				earlier = task.ID
			}
			clock.Sleep(context.Background(), tc.ago) //nolint:errcheck // a fake clock's sleep only fails on a cancelled context
			next := newTestClient(t, s)
			task, resumed, err := next.StartOrResumeRevokeTask(context.Background(), revokeUser1OnBlue, earlier, 15*time.Minute)
			if err != nil || resumed || task.ID == earlier {
				t.Fatalf("task %+v, resumed %v, %v; want a new task", task, resumed, err)
			}
			if n := len(sent(s, http.MethodPost, PathRevokeTasks)); n != 1+btoi(tc.account == "") {
				t.Errorf("%d POSTs; want this client's", n)
			}
		})
	}
}

// TestStartOrResumeWithAToken: with a pre-issued token the BIG-IQ user is
// read from the token's record, so its running task is still adopted.
func TestStartOrResumeWithAToken(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: time.Hour})
	lost, err := newTestClient(t, s).StartRevokeTask(context.Background(), revokeUser1OnBlue)
	if err != nil {
		t.Fatal(err)
	}
	token := s.IssueAuthToken()
	c := newTestClient(t, s, func(cfg *Config) { cfg.Username, cfg.Password, cfg.Token = "", "", token })
	task, resumed, err := c.StartOrResumeRevokeTask(context.Background(), revokeUser1OnBlue, lost.ID, 15*time.Minute)
	if err != nil || !resumed || task.ID != lost.ID || len(sent(s, http.MethodPost, PathRevokeTasks)) != 1 {
		t.Fatalf("task %+v, resumed %v, %v", task, resumed, err)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
