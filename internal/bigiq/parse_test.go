package bigiq

import (
	"errors"
	"strings"
	"testing"
	"time"
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
	if !IsTokensNotFound(notFound) || IsTokensNotFound(noDevice) || IsTokensNotFound(cancelled) {
		t.Error("IsTokensNotFound misjudges")
	}
	wrapped := &WaitError{TaskID: "t1", Err: errors.Join(errors.New("x"), notFound)}
	if !IsTokensNotFound(wrapped) {
		t.Error("IsTokensNotFound does not see through wrapping")
	}
	if got, want := noDevice.Error(), "revoke-tokens task t2 FAILED at step (none): "+MessageNoMatchingDevices; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
	if got, want := cancelled.Error(), "revoke-tokens task t3 CANCELLED at step RESOLVE_DEVICES"; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
}

func TestParseTaskKeepsBothUserNames(t *testing.T) {
	t.Parallel()
	task, err := parseTask([]byte(`{"id":"5b688828-2279-40b0-9dc1-eccdebb6837f","action":"REVOKE_TOKEN_FOR_USER",
		"userName":"user1","username":"admin","status":"FINISHED","result":"COMPLETE","currentStep":"DONE",
		"resultDetails":[{"deviceReference":{"link":"l"},"failedIds":[{"id":"a","errorCode":400}]}],
		"failureDetails":[{"deviceReference":{"link":"m"},"failedIds":[]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if task.UserName != "user1" || task.Username != "admin" {
		t.Errorf("userName %q, username %q: one filled from the other", task.UserName, task.Username)
	}
	if !task.Terminal() || !task.Succeeded() || len(task.Failures()) != 2 || task.Request().UserName != "user1" {
		t.Errorf("task helpers misread %+v", task)
	}
	for _, body := range []string{``, `null`, `{}`, `[]`, `{"id":5}`, `<html>`, `{"id":"x"`} {
		if _, err := parseTask([]byte(body)); err == nil {
			t.Errorf("parseTask(%q) accepted it", body)
		}
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
