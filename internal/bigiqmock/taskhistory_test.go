package bigiqmock

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

// The task collection is the audit record: every task, paged
// and filtered as BIG-IQ's other collections are, each naming the account
// that started it and when it started and ended.
func TestTaskCollectionHistory(t *testing.T) {
	env := newTaskEnv(t)
	var ids []string
	for _, user := range []string{"user1", "alice", "bob"} {
		ids = append(ids, str(env.start(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": user, "clusterNames": []string{"RedCluster"}})["id"]))
	}
	env.clock.Advance(taskDuration)
	other, err := env.server.StartTaskAs("ops", []byte(`{"action":"REVOKE_TOKEN_FOR_CLIENT_ID","clientId":"`+redClientID+`","deviceReferences":[{"link":"https://localhost/mgmt/cm/system/machineid-resolver/`+red+`"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	ids = append(ids, other)

	// Page through with $top, following nextLink by its path and query.
	var seen []map[string]any
	next := "/mgmt/cm/access/tasks/revoke-tokens?$top=3"
	for pages := 0; next != ""; pages++ {
		if pages > 2 {
			t.Fatal("too many pages")
		}
		status, body := env.client.do(http.MethodGet, next, nil)
		if status != http.StatusOK || body["totalItems"] != 4.0 || body["kind"] != kindTaskCollection {
			t.Fatalf("%s: %d %v", next, status, body)
		}
		for _, it := range arr(body["items"]) {
			seen = append(seen, obj(it))
		}
		next = ""
		if link, ok := body["nextLink"].(string); ok {
			u, err := url.Parse(link)
			if err != nil || u.Host != "localhost" {
				t.Fatalf("nextLink %q", link)
			}
			next = u.RequestURI()
		}
	}
	var got []string
	for _, task := range seen {
		got = append(got, str(task["id"]))
	}
	if !slices.Equal(got, ids) {
		t.Fatalf("paged ids = %v, want %v in creation order", got, ids)
	}
	for i, task := range seen {
		wantUser := "admin"
		if i == 3 {
			wantUser = "ops"
		}
		if task["username"] != wantUser || str(obj(task["userReference"])["link"]) != "https://localhost/mgmt/shared/authz/users/"+wantUser {
			t.Errorf("task %d started by %v / %v, want %s", i, task["username"], task["userReference"], wantUser)
		}
		if task["startDateTime"] == nil {
			t.Errorf("task %d has no startDateTime", i)
		}
		if finished := i < 3; (task["endDateTime"] != nil) != finished {
			t.Errorf("task %d (finished %v) endDateTime = %v", i, finished, task["endDateTime"])
		}
	}
	if seen[0]["startDateTime"] != "2016-09-12T19:18:23.451-0700" || seen[0]["endDateTime"] != "2016-09-12T19:18:33.451-0700" {
		t.Errorf("first task ran %v → %v", seen[0]["startDateTime"], seen[0]["endDateTime"])
	}

	for _, tc := range []struct{ filter, want []string }{
		{[]string{"username eq 'ops'"}, ids[3:]},
		{[]string{"userName eq 'alice'"}, ids[1:2]},
		{[]string{"status eq 'FINISHED'"}, ids[:3]},
		{[]string{"action eq 'REVOKE_TOKEN_FOR_CLIENT_ID' or userName eq 'bob'"}, ids[2:]},
	} {
		q := url.Values{"$filter": tc.filter, "$select": {"id"}}
		status, body := env.client.do(http.MethodGet, "/mgmt/cm/access/tasks/revoke-tokens?"+q.Encode(), nil)
		if got := itemValues(t, body, "id"); status != http.StatusOK || !slices.Equal(got, tc.want) {
			t.Errorf("$filter=%s: %d %v, want %v", tc.filter[0], status, got, tc.want)
		}
	}

	if _, err := env.server.StartTaskAs("ops", []byte(`{"userName":"x"}`)); err == nil || err.Error() != "bigiqmock: action is missing" {
		t.Errorf("StartTaskAs with bad input: %v", err)
	}
}
