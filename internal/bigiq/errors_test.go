package bigiq

import (
	"errors"
	"strings"
	"testing"
)

// The documented 404 body, with its Java stack.
const notFoundBody = `{"code": 404, "message": "Public URI path not registered", "referer": "192.168.101.130",
 "restOperationId": 19541801, "errorStack": ["com.f5.rest.common.RestWorkerUriNotFoundException: Public URI path not registered", "at com.f5.rest.workers.ForwarderWorker.cloneAndForwardRequest(ForwarderWorker.java:293)"],
 "kind": ":resterrorresponse"}`

func TestParseAPIError(t *testing.T) {
	t.Parallel()
	err := parseAPIError("GET", "/mgmt/x", 404, []byte(notFoundBody))
	if err.StatusCode != 404 || err.Message != "Public URI path not registered" || err.OperationID != 19541801 {
		t.Fatalf("parsed %+v", err)
	}
	msg := err.Error()
	for _, want := range []string{"GET /mgmt/x", "404 Not Found", "Public URI path not registered", "19541801"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "com.f5") || strings.Contains(msg, "java") {
		t.Errorf("message %q carries the Java stack", msg)
	}
	if !IsNotFound(err) || IsNotFound(parseAPIError("GET", "/", 400, nil)) || IsNotFound(errors.New("404")) {
		t.Error("IsNotFound misjudges")
	}
}

func TestParseAPIErrorOfAProxy(t *testing.T) {
	t.Parallel()
	html := "<html><head><title>502 Bad Gateway</title></head><body>" + strings.Repeat("x", 10_000) + "</body></html>"
	err := parseAPIError("GET", "/mgmt/x", 502, []byte(html))
	if !strings.HasPrefix(err.Message, "<html><head><title>502 Bad Gateway") || len(err.Message) > maxMessageLen+len("…") {
		t.Errorf("a proxy's page became the message %q (%d bytes)", err.Message[:40], len(err.Message))
	}
}

func TestTaskErrorKinds(t *testing.T) {
	t.Parallel()
	notFound := &TaskError{Task: &Task{ID: "t1", Status: StatusFailed, Result: ResultFailed, CurrentStep: "REVOKE_TOKENS_FOR_STANDALONE", ErrorMessage: MessageTokensNotFound}}
	noDevice := &TaskError{Task: &Task{ID: "t2", Status: StatusFailed, Result: ResultFailed, ErrorMessage: MessageNoMatchingDevices}}
	cancelled := &TaskError{Task: &Task{ID: "t3", Status: StatusCancelled, CurrentStep: "RESOLVE_DEVICES"}}
	nothingLeft := func(task *Task) bool { return task.Outcome().Name == OutcomeNothingToRevoke }
	if !nothingLeft(notFound.Task) || nothingLeft(noDevice.Task) || nothingLeft(cancelled.Task) {
		t.Error("the outcome misjudges nothing left to revoke")
	}
	if notFound.Task.NoDeviceMatched() || !noDevice.Task.NoDeviceMatched() || cancelled.Task.NoDeviceMatched() {
		t.Error("NoDeviceMatched misjudges")
	}
	wrapped := &WaitError{TaskID: "t1", Err: errors.Join(errors.New("x"), notFound)}
	if taskErr := (*TaskError)(nil); !errors.As(wrapped, &taskErr) || !nothingLeft(taskErr.Task) {
		t.Error("a wrapped TaskError is not found, or loses its task")
	}
	if got, want := noDevice.Error(), "revoke-tokens task t2 FAILED at step (none): "+MessageNoMatchingDevices; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
	if got, want := cancelled.Error(), "revoke-tokens task t3 CANCELLED at step RESOLVE_DEVICES"; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
}
