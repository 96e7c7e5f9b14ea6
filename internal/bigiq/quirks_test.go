package bigiq

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// BIG-IQ's wire variations, each met through the mock's Quirks: the client reads them all as the documented form.

func startQuirkTest(t *testing.T, q bigiqmock.Quirks, outcome *bigiqmock.TaskOutcome, req RevokeRequest) (*bigiqmock.Server, *Client, *Task) {
	t.Helper()
	clock := newFakeClock()
	clock.deadline = clock.Now().Add(15 * time.Minute)
	s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: 2 * time.Second, Now: clock.Now, Quirks: q})
	if outcome != nil {
		s.QueueTaskOutcome(*outcome)
	}
	c := newTestClient(t, s)
	c.clock = clock
	task, err := c.StartRevokeTask(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return s, c, task
}

func TestQuirkCanceledSpelling(t *testing.T) {
	t.Parallel()
	_, c, task := startQuirkTest(t, bigiqmock.Quirks{CanceledSpelling: true}, &bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeCancel}, revokeUser1OnBlue)
	last, err := c.WaitForTask(context.Background(), task.ID)
	var taskErr *TaskError
	if !errors.As(err, &taskErr) || last.Status != statusCanceled || !last.Cancelled() {
		t.Fatalf("a task CANCELED was not seen to end: %+v, %v", last, err)
	}
}

func TestQuirkCreatedIsNotTerminal(t *testing.T) {
	t.Parallel()
	s, c, task := startQuirkTest(t, bigiqmock.Quirks{CreatedFirst: true}, nil, revokeUser1OnBlue)
	if task.Status != statusCreated {
		t.Fatalf("the POST answered %s; the quirk did not apply", task.Status)
	}
	last, err := c.WaitForTask(context.Background(), task.ID)
	if err != nil || !last.succeeded() {
		t.Fatalf("%+v, %v", last, err)
	}
	if n := len(s.Tokens(bluebigip)); n != 3 {
		t.Errorf("%d tokens left; the wait ended before the task revoked user1's two", n)
	}
}

func TestQuirkPostAccepted(t *testing.T) {
	t.Parallel()
	s, _, task := startQuirkTest(t, bigiqmock.Quirks{PostAccepted: true}, nil, revokeUser1OnBlue)
	if task.ID == "" || len(sent(s, http.MethodPost, PathRevokeTasks)) != 1 || len(s.TaskIDs()) != 1 {
		t.Errorf("a 202 answer: task %+v, %d POSTs", task, len(sent(s, http.MethodPost, PathRevokeTasks)))
	}
}

// TestQuirkFailureDetailsForms: resultDetails naming the client id in
// dbInstance with clientId "", and failure details naming the device in
// the device-groups form, read as the documented form.
func TestQuirkFailureDetailsForms(t *testing.T) {
	t.Parallel()
	const clientID = "e3f3e7204d00d88ad92cbb970dd5005056b093adfa6d7457"
	link := DeviceLinkPrefix + redbigip
	req := RevokeRequest{Action: ActionRevokeList, DeviceReferences: []Reference{{Link: link}},
		PerDeviceOAuthIDs: []DeviceOAuthIDs{{DeviceReference: Reference{Link: link}, OAuthIDs: []OAuthID{{ID: "feedface", ClientID: clientID}}}}}
	_, c, task := startQuirkTest(t, bigiqmock.Quirks{ClientIDInDBInstance: true, DeviceGroupLinks: true}, nil, req)
	last, _ := c.WaitForTask(context.Background(), task.ID)
	failures := last.failures()
	if len(failures) != 1 || len(failures[0].FailedIDs) != 1 {
		t.Fatalf("failures = %+v", failures)
	}
	if got := failures[0].DeviceReference.Link; got != link {
		t.Errorf("device %q; want %q", got, link)
	}
	if f := failures[0].FailedIDs[0]; f.ID != "feedface" || f.ClientID != clientID {
		t.Errorf("failed id %+v; want client id %s", f, clientID)
	}
	// The task history reads the same.
	tasks, err := c.ListRevokeTasks(context.Background(), TaskFilter{})
	if err != nil || len(tasks) != 1 || tasks[0].failures()[0].FailedIDs[0].ClientID != clientID ||
		tasks[0].failures()[0].DeviceReference.Link != link {
		t.Errorf("listed: %+v, %v", tasks, err)
	}
}

// TestTaskStatesTable is every status BIG-IQ sends against every result:
// only FINISHED with COMPLETE is success, and CREATED, STARTED and
// CANCEL_REQUESTED are still running.
func TestTaskStatesTable(t *testing.T) {
	t.Parallel()
	terminal := map[string]bool{StatusFinished: true, StatusFailed: true, StatusCancelled: true, statusCanceled: true}
	for _, status := range []string{statusCreated, StatusStarted, StatusCancelRequested, StatusFinished, StatusFailed, StatusCancelled, statusCanceled, "", "UNKNOWN"} {
		for _, result := range []string{ResultComplete, ResultFailed, ""} {
			task := &Task{ID: "t", Status: status, Result: result}
			if got := task.terminal(); got != terminal[status] {
				t.Errorf("%s/%s: terminal() = %v", status, result, got)
			}
			if got, want := task.succeeded(), status == StatusFinished && result == ResultComplete; got != want {
				t.Errorf("%s/%s: succeeded() = %v", status, result, got)
			}
		}
	}
}
