package bigiq

import "testing"

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
	if !task.terminal() || !task.succeeded() || len(task.failures()) != 2 || task.echoedRequest().UserName != "user1" {
		t.Errorf("task helpers misread %+v", task)
	}
	for _, body := range []string{``, `null`, `{}`, `[]`, `{"id":5}`, `<html>`, `{"id":"x"`} {
		if _, err := parseTask([]byte(body)); err == nil {
			t.Errorf("parseTask(%q) accepted it", body)
		}
	}
}
