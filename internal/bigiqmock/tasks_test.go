package bigiqmock

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const taskDuration = 10 * time.Second

type taskEnv struct {
	*testing.T
	clock  *fakeClock
	server *Server
	client *testClient
	mu     sync.Mutex
	events []string
}

func newTaskEnv(t *testing.T) *taskEnv {
	return newTaskEnvWith(t, Quirks{})
}

func newTaskEnvWith(t *testing.T, quirks Quirks) *taskEnv {
	env := &taskEnv{T: t, clock: newFakeClock()}
	env.server = StartPlain(t, Options{
		Now: env.clock.Now, TaskDuration: taskDuration, Quirks: quirks,
		// These tests poll with one access token across fake waits longer
		// than BIG-IQ's 300 s; renewal is auth_test.go's subject.
		TokenTTL: time.Hour,
		Logf: func(format string, args ...any) {
			env.mu.Lock()
			defer env.mu.Unlock()
			env.events = append(env.events, fmt.Sprintf(format, args...))
		},
	})
	env.client = newTestClient(t, env.server)
	return env
}

// start posts a task and fails the test unless BIG-IQ accepts it.
func (e *taskEnv) start(body any) map[string]any {
	e.Helper()
	status, task := e.client.do(http.MethodPost, "/mgmt/cm/access/tasks/revoke-tokens", body)
	if status != http.StatusOK && status != http.StatusAccepted {
		e.Fatalf("POST task: %d %v", status, task)
	}
	return task
}

func (e *taskEnv) get(id string) map[string]any {
	e.Helper()
	status, task := e.client.do(http.MethodGet, "/mgmt/cm/access/tasks/revoke-tokens/"+id, nil)
	if status != http.StatusOK {
		e.Fatalf("GET task: %d %v", status, task)
	}
	return task
}

// run starts a task, lets it finish and returns its final state.
func (e *taskEnv) run(body any) map[string]any {
	e.Helper()
	id := str(e.start(body)["id"])
	e.clock.Advance(taskDuration)
	return e.get(id)
}

func wantStatus(t *testing.T, task map[string]any, status, result, step, errorMessage string) {
	t.Helper()
	got := fmt.Sprint(task["status"], "/", task["result"], "/", task["currentStep"], "/", task["errorMessage"])
	want := fmt.Sprint(status, "/", orNil(result), "/", step, "/", orNil(errorMessage))
	if got != want {
		t.Errorf("status/result/currentStep/errorMessage = %s, want %s", got, want)
	}
}

func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func deviceRef(uuid string) map[string]string {
	return map[string]string{"link": "https://localhost/mgmt/cm/system/machineid-resolver/" + uuid}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestTaskPostResponse(t *testing.T) {
	refs := []any{deviceRef(red)}
	cases := map[string]map[string]any{
		"user":   {"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "accessGroupNames": []any{"TestGroup"}, "clusterNames": []any{"RedCluster"}, "deviceReferences": refs},
		"client": {"action": "REVOKE_TOKEN_FOR_CLIENT_ID", "clientId": redClientID, "deviceReferences": refs},
		"list": {"action": "REVOKE_LIST_OF_TOKENS", "deviceReferences": refs, "perDeviceOauthIds": []any{
			map[string]any{"oauthIds": []any{map[string]any{"id": redUser1Token, "clientId": redClientID}}, "deviceReference": deviceRef(red)},
		}},
	}
	for name, input := range cases {
		t.Run(name, func(t *testing.T) {
			env := newTaskEnv(t)
			task := env.start(input)
			id, _ := task["id"].(string)
			if !uuidPattern.MatchString(id) {
				t.Fatalf("id %q is not a UUID", id)
			}
			var echoed map[string]any
			if err := json.Unmarshal(mustJSON(input), &echoed); err != nil {
				t.Fatal(err)
			}
			for k, v := range echoed {
				if !reflect.DeepEqual(task[k], v) {
					t.Errorf("echoed %s = %v, want %v", k, task[k], v)
				}
			}
			want := map[string]any{
				"status":             "STARTED",
				"currentStep":        "RESOLVE_DEVICES",
				"startDateTime":      "2016-09-12T19:18:23.451-0700",
				"kind":               "cm:access:tasks:revoke-tokens:oauthrevoketokentaskitemstate",
				"userReference":      map[string]any{"link": "https://localhost/mgmt/shared/authz/users/admin"},
				"identityReferences": []any{map[string]any{"link": "https://localhost/mgmt/shared/authz/users/admin"}},
				"username":           "admin",
				"ownerMachineId":     "fd870e82-842d-4194-a882-71cb92e2a5c3",
				"generation":         1.0,
				"lastUpdateMicros":   float64(env.clock.Now().UnixMicro()),
				"selfLink":           "https://localhost/mgmt/cm/access/tasks/revoke-tokens/" + id,
			}
			for k, v := range want {
				if !reflect.DeepEqual(task[k], v) {
					t.Errorf("%s = %v, want %v", k, task[k], v)
				}
			}
			for _, absent := range []string{"result", "errorMessage", "endDateTime", "failureDetails", "resultDetails"} {
				if _, ok := task[absent]; ok {
					t.Errorf("a STARTED task has %s", absent)
				}
			}
			if ids := env.server.TaskIDs(); !slices.Equal(ids, []string{id}) {
				t.Errorf("TaskIDs() = %v", ids)
			}
		})
	}
}

func TestTaskProgressesWithTheClock(t *testing.T) {
	env := newTaskEnv(t)
	id := str(env.start(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "clusterNames": []string{"RedCluster"}})["id"])

	env.clock.Advance(taskDuration/2 - time.Millisecond)
	task := env.get(id)
	wantStatus(t, task, "STARTED", "", "RESOLVE_DEVICES", "")
	if len(env.server.Tokens(red)) != 4 {
		t.Errorf("tokens revoked before the task ended")
	}

	env.clock.Advance(time.Millisecond)
	task = env.get(id)
	wantStatus(t, task, "STARTED", "", "REVOKE_TOKENS_FOR_CLUSTER", "")
	if task["generation"] != 2.0 {
		t.Errorf("generation = %v, want 2", task["generation"])
	}

	env.clock.Advance(taskDuration)
	task = env.get(id)
	wantStatus(t, task, "FINISHED", "COMPLETE", "DONE", "")
	end := env.clock.Now().Add(-taskDuration / 2) // it ended at start+duration, not when polled
	if task["endDateTime"] != end.Format("2006-01-02T15:04:05.000-0700") || task["generation"] != 3.0 || task["lastUpdateMicros"] != float64(end.UnixMicro()) {
		t.Errorf("endDateTime %v generation %v lastUpdateMicros %v", task["endDateTime"], task["generation"], task["lastUpdateMicros"])
	}

	standalone := str(env.start(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "accessGroupNames": []string{"GreenGroup"}})["id"])
	env.clock.Advance(taskDuration / 2)
	wantStatus(t, env.get(standalone), "STARTED", "", "REVOKE_TOKENS_FOR_STANDALONE", "")
}

func TestRevokeForUserRemovesOnlyThatUsersTokens(t *testing.T) {
	env := newTaskEnv(t)
	before := env.server.AllTokens()
	task := env.run(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "clusterNames": []string{"BlueCluster", "RedCluster"}})
	wantStatus(t, task, "FINISHED", "COMPLETE", "DONE", "")

	after := env.server.AllTokens()
	for _, id := range []string{blueActive, red} {
		if usersOf(after[id])["user1"] != 0 {
			t.Errorf("%s still has user1 tokens: %v", id, after[id])
		}
		if len(after[id]) != len(before[id])-usersOf(before[id])["user1"] {
			t.Errorf("%s: other users' tokens were revoked too: %v", id, after[id])
		}
	}
	if !reflect.DeepEqual(after[green], before[green]) {
		t.Errorf("green is in neither cluster but changed: %v", after[green])
	}
	if len(env.events) != 3 || !strings.Contains(env.events[0], "of user user1") || !strings.Contains(env.events[0], "bluebigipveha1.labf.com") {
		t.Errorf("events = %q", env.events)
	}
}

func TestUserNamesAreCaseSensitive(t *testing.T) {
	env := newTaskEnv(t)
	task := env.run(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "Alice", "accessGroupNames": []string{"TestGroup", "TestGroup2"}})
	wantStatus(t, task, "FINISHED", "COMPLETE", "DONE", "")
	for _, id := range []string{blueActive, red} {
		users := usersOf(env.server.Tokens(id))
		if users["Alice"] != 0 || users["alice"] != 1 {
			t.Errorf("%s: users after revoking Alice = %v", id, users)
		}
	}
}

func TestRevokeForClientID(t *testing.T) {
	env := newTaskEnv(t)
	task := env.run(map[string]any{"action": "REVOKE_TOKEN_FOR_CLIENT_ID", "clientId": shutterflyClientID, "accessGroupNames": []string{"TestGroup", "GreenGroup"}})
	wantStatus(t, task, "FINISHED", "COMPLETE", "DONE", "")
	for _, id := range []string{blueActive, green} {
		for _, tok := range env.server.Tokens(id) {
			if tok.ClientID == shutterflyClientID {
				t.Errorf("%s still has a Shutterfly token %s", id, tok.ID)
			}
		}
	}
	if n := len(env.server.Tokens(blueActive)); n != 2 {
		t.Errorf("blue kept %d tokens, want the 2 Maps tokens", n)
	}
	if n := len(env.server.Tokens(red)); n != 4 {
		t.Errorf("red is not targeted but has %d tokens", n)
	}
}

func TestTaskOnStandbyMemberRevokesNothing(t *testing.T) {
	env := newTaskEnv(t)
	before := env.server.AllTokens()
	task := env.run(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "deviceReferences": []any{deviceRef(blueStandby)}})
	wantStatus(t, task, "FINISHED", "COMPLETE", "DONE", "")
	if !reflect.DeepEqual(env.server.AllTokens(), before) {
		t.Error("a task aimed at the standby member revoked tokens")
	}
}

func TestTaskWithoutMatchingDevicesFails(t *testing.T) {
	for name, input := range map[string]map[string]any{
		"unknown cluster":      {"clusterNames": []string{"GreenCluster"}},
		"unknown access group": {"accessGroupNames": []string{"TestGroup1"}},
		"unknown device":       {"deviceReferences": []any{deviceRef("3f320100-2177-42e0-8a46-2e33cd3366d")}},
		"device without APM":   {"deviceReferences": []any{deviceRef(orange)}},
		"foreign link host":    {"deviceReferences": []any{map[string]string{"link": "https://10.1.1.1/mgmt/cm/system/machineid-resolver/" + red}}},
	} {
		t.Run(name, func(t *testing.T) {
			env := newTaskEnv(t)
			before := env.server.AllTokens()
			input["action"], input["userName"] = "REVOKE_TOKEN_FOR_USER", "user1"
			task := env.run(input)
			wantStatus(t, task, "FAILED", "FAILED", "RESOLVE_DEVICES", "No matching device(s) found for given accessGroup or cluster or deviceReference list.")
			if details, ok := task["failureDetails"].([]any); !ok || len(details) != 0 {
				t.Errorf("failureDetails = %#v, want []", task["failureDetails"])
			}
			if !reflect.DeepEqual(env.server.AllTokens(), before) {
				t.Error("tokens changed")
			}
		})
	}
}

// TestDeviceGroupLinkMatchesNothing: F5's revoke-tokens request shows
// device references in the machineid-resolver form only; a device-groups
// link, the form BIG-IQ writes in its own answers, is not a documented
// input, so the mock resolves it to no device, in deviceReferences and in
// perDeviceOauthIds alike. A client must send the documented form.
func TestDeviceGroupLinkMatchesNothing(t *testing.T) {
	link := "https://localhost/mgmt/shared/resolver/device-groups/cm-access-allBigIpDevices/devices/" + red
	for name, input := range map[string]map[string]any{
		"deviceReferences": {"action": "REVOKE_TOKEN_FOR_USER", "userName": "bob", "deviceReferences": []any{map[string]string{"link": link}}},
		"perDeviceOauthIds": {"action": "REVOKE_LIST_OF_TOKENS", "deviceReferences": []any{map[string]string{"link": link}},
			"perDeviceOauthIds": []any{map[string]any{"deviceReference": map[string]string{"link": link}, "oauthIds": []any{map[string]string{"id": "x", "clientId": "y"}}}}},
	} {
		t.Run(name, func(t *testing.T) {
			env := newTaskEnv(t)
			before := env.server.AllTokens()
			task := env.run(input)
			wantStatus(t, task, "FAILED", "FAILED", "RESOLVE_DEVICES", "No matching device(s) found for given accessGroup or cluster or deviceReference list.")
			if !reflect.DeepEqual(env.server.AllTokens(), before) {
				t.Error("tokens changed")
			}
		})
	}
}

func TestNothingLeftToRevoke(t *testing.T) {
	env := newTaskEnv(t)
	input := map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "clusterNames": []string{"RedCluster"}}
	wantStatus(t, env.run(input), "FINISHED", "COMPLETE", "DONE", "")

	task := env.run(input)
	wantStatus(t, task, "FAILED", "FAILED", "REVOKE_TOKENS_FOR_CLUSTER", "Tokens not found in index. Possibly already revoked tokens.")
	details, _ := task["failureDetails"].([]any)
	if len(details) != 1 {
		t.Fatalf("failureDetails = %v", task["failureDetails"])
	}
	d := obj(details[0])
	if !reflect.DeepEqual(d["deviceReference"], map[string]any{"link": "https://localhost/mgmt/cm/system/machineid-resolver/" + red}) {
		t.Errorf("deviceReference = %v", d["deviceReference"])
	}
	failed := obj(arr(d["failedIds"])[0])
	if failed["errorCode"] != 400.0 || failed["id"] != redUser1Token || failed["clientId"] != redClientID || failed["dbInstance"] != "/Common/oauthdb" ||
		!strings.HasPrefix(str(failed["error"]), `status:400, body:{"code":400,"message":"Token revoke failed. The OAuth ID is not found"`) {
		t.Errorf("failedIds[0] = %v", failed)
	}
	if _, ok := task["resultDetails"]; ok {
		t.Error("user action reported resultDetails")
	}
}

func TestRevokeListOfTokens(t *testing.T) {
	list := func(ids ...string) map[string]any {
		var oauthIDs []any
		for _, id := range ids {
			oauthIDs = append(oauthIDs, map[string]any{"id": id, "clientId": redClientID})
		}
		return map[string]any{
			"action":           "REVOKE_LIST_OF_TOKENS",
			"deviceReferences": []any{deviceRef(red)},
			"perDeviceOauthIds": []any{
				map[string]any{"oauthIds": oauthIDs, "deviceReference": deviceRef(red)},
				// The how-to's second entry names a device that does not exist.
				map[string]any{"oauthIds": []any{map[string]any{"id": "8586e7306afb8586e7306afb8586e7306afb", "clientId": "8ad92cbb970dd500"}},
					"deviceReference": deviceRef("23h4jkhk324-f405-489f-kj3434-98234")},
			},
		}
	}
	t.Run("all found", func(t *testing.T) {
		env := newTaskEnv(t)
		task := env.run(list(redUser1Token, redAliceToken))
		wantStatus(t, task, "FINISHED", "COMPLETE", "DONE", "")
		if _, ok := task["resultDetails"]; ok {
			t.Errorf("resultDetails = %v", task["resultDetails"])
		}
		if left := tokenIDs(env.server.Tokens(red)); slices.Contains(left, redUser1Token) || slices.Contains(left, redAliceToken) || len(left) != 2 {
			t.Errorf("tokens left on red: %v", left)
		}
	})
	t.Run("some missing", func(t *testing.T) {
		env := newTaskEnv(t)
		task := env.run(list(redUser1Token, "ffffffffffffffffffffffffffffffffffffffffffffffff"))
		wantStatus(t, task, "FINISHED", "COMPLETE", "DONE", "")
		details, _ := task["resultDetails"].([]any)
		if len(details) != 1 {
			t.Fatalf("resultDetails = %v", task["resultDetails"])
		}
		failed := arr(obj(details[0])["failedIds"])
		if len(failed) != 1 || obj(failed[0])["id"] != "ffffffffffffffffffffffffffffffffffffffffffffffff" {
			t.Errorf("failedIds = %v", failed)
		}
		if slices.Contains(tokenIDs(env.server.Tokens(red)), redUser1Token) {
			t.Error("the listed token that existed was not revoked")
		}
	})
	t.Run("none found", func(t *testing.T) {
		env := newTaskEnv(t)
		wantStatus(t, env.run(list(redUser1Token)), "FINISHED", "COMPLETE", "DONE", "")
		task := env.run(list(redUser1Token))
		wantStatus(t, task, "FAILED", "FAILED", "REVOKE_TOKENS_FOR_CLUSTER", "Tokens not found in index. Possibly already revoked tokens.")
		details, _ := task["resultDetails"].([]any)
		if len(details) != 1 || obj(arr(obj(details[0])["failedIds"])[0])["id"] != redUser1Token {
			t.Errorf("resultDetails = %v", task["resultDetails"])
		}
		if _, ok := task["failureDetails"]; ok {
			t.Error("list action reported failureDetails")
		}
	})
	t.Run("client id must match", func(t *testing.T) {
		env := newTaskEnv(t)
		input := list(redUser1Token)
		obj(arr(input["perDeviceOauthIds"])[0])["oauthIds"] = []any{map[string]any{"id": redUser1Token, "clientId": shutterflyClientID}}
		wantStatus(t, env.run(input), "FAILED", "FAILED", "REVOKE_TOKENS_FOR_CLUSTER", "Tokens not found in index. Possibly already revoked tokens.")
		if !slices.Contains(tokenIDs(env.server.Tokens(red)), redUser1Token) {
			t.Error("token revoked although its clientId differs")
		}
	})
	t.Run("an id without its client id matches nothing", func(t *testing.T) {
		env := newTaskEnv(t)
		input := list(redUser1Token)
		obj(arr(input["perDeviceOauthIds"])[0])["oauthIds"] = []any{map[string]any{"id": redUser1Token}}
		wantStatus(t, env.run(input), "FAILED", "FAILED", "REVOKE_TOKENS_FOR_CLUSTER", "Tokens not found in index. Possibly already revoked tokens.")
		if !slices.Contains(tokenIDs(env.server.Tokens(red)), redUser1Token) {
			t.Error("token revoked by its id alone, without the documented clientId")
		}
	})
	t.Run("ids outside the targets are left alone", func(t *testing.T) {
		env := newTaskEnv(t)
		input := list(redUser1Token)
		input["deviceReferences"] = []any{deviceRef(green)}
		env.run(input)
		if !slices.Contains(tokenIDs(env.server.Tokens(red)), redUser1Token) {
			t.Error("token on a device outside the targets was revoked")
		}
	})
}

func TestTaskInputValidation(t *testing.T) {
	target := []string{"RedCluster"}
	cases := []struct {
		name    string
		body    any
		message string
	}{
		{"no action", map[string]any{"userName": "user1", "clusterNames": target}, "action is missing"},
		{"unknown action", map[string]any{"action": " REVOKE_TOKEN_FOR_USER", "userName": "user1", "clusterNames": target}, ""},
		{"user without userName", map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "clusterNames": target}, "userName is missing for action REVOKE_TOKEN_FOR_USER"},
		{"client without clientId", map[string]any{"action": "REVOKE_TOKEN_FOR_CLIENT_ID", "clusterNames": target}, "clientId is missing for action REVOKE_TOKEN_FOR_CLIENT_ID"},
		{"list without ids", map[string]any{"action": "REVOKE_LIST_OF_TOKENS", "clusterNames": target}, "perDeviceOauthIds is missing for action REVOKE_LIST_OF_TOKENS"},
		{"list entry without device", map[string]any{"action": "REVOKE_LIST_OF_TOKENS", "clusterNames": target,
			"perDeviceOauthIds": []any{map[string]any{"oauthIds": []any{map[string]string{"id": "a"}}}}}, "perDeviceOauthIds[0].deviceReference is missing"},
		{"list entry without ids", map[string]any{"action": "REVOKE_LIST_OF_TOKENS", "clusterNames": target,
			"perDeviceOauthIds": []any{map[string]any{"deviceReference": deviceRef(red)}}}, "perDeviceOauthIds[0].oauthIds is missing"},
		{"list id without id", map[string]any{"action": "REVOKE_LIST_OF_TOKENS", "clusterNames": target,
			"perDeviceOauthIds": []any{map[string]any{"deviceReference": deviceRef(red), "oauthIds": []any{map[string]string{"id": "a"}, map[string]string{"clientId": "c"}}}}},
			"perDeviceOauthIds[0].oauthIds[1].id is missing"},
		{"user without target", map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1"}, MessageNoTarget},
		{"client with empty targets", map[string]any{"action": "REVOKE_TOKEN_FOR_CLIENT_ID", "clientId": "c", "clusterNames": []string{}}, MessageNoTarget},
		{"list without target", map[string]any{"action": "REVOKE_LIST_OF_TOKENS",
			"perDeviceOauthIds": []any{map[string]any{"deviceReference": deviceRef(red), "oauthIds": []any{map[string]string{"id": redUser1Token}}}}}, MessageNoTarget},
		{"malformed JSON", `{"action":"REVOKE_TOKEN_FOR_USER",`, ""},
		{"wrong type", `{"action":"REVOKE_TOKEN_FOR_USER","userName":"u","clusterNames":"RedCluster"}`, ""},
	}
	env := newTaskEnv(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := env.client.do(http.MethodPost, "/mgmt/cm/access/tasks/revoke-tokens", tc.body)
			if tc.message == "" {
				tc.message, _ = body["message"].(string)
			}
			wantError(t, status, body, http.StatusBadRequest, tc.message)
			if _, ok := body["originalRequestBody"].(string); !ok {
				t.Errorf("no originalRequestBody: %v", body)
			}
		})
	}
	if MessageNoTarget != "Request should have atleast one of these fields populated: accessGroupNames , clusterNames , machineIds " {
		t.Errorf("MessageNoTarget changed: %q", MessageNoTarget)
	}
	if ids := env.server.TaskIDs(); len(ids) != 0 {
		t.Errorf("rejected requests created tasks %v", ids)
	}
}

func TestTaskEndpoints(t *testing.T) {
	env := newTaskEnv(t)
	first := str(env.start(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "clusterNames": []string{"RedCluster"}})["id"])
	second := str(env.start(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "bob", "clusterNames": []string{"RedCluster"}})["id"])
	env.clock.Advance(taskDuration)

	status, sel := env.client.do(http.MethodGet, "/mgmt/cm/access/tasks/revoke-tokens/"+first+"?$select=status,result,currentStep,errorMessage", nil)
	if status != http.StatusOK || !reflect.DeepEqual(sel, map[string]any{"status": "FINISHED", "result": "COMPLETE", "currentStep": "DONE"}) {
		t.Errorf("$select: %d %v", status, sel)
	}

	status, list := env.client.do(http.MethodGet, "/mgmt/cm/access/tasks/revoke-tokens", nil)
	if status != http.StatusOK || !slices.Equal(itemValues(t, list, "id"), []string{first, second}) ||
		list["kind"] != "cm:access:tasks:revoke-tokens:oauthrevoketokentaskcollectionstate" || list["totalItems"] != 2.0 {
		t.Errorf("collection: %d %v", status, list)
	}
	status, list = env.client.do(http.MethodGet, "/mgmt/cm/access/tasks/revoke-tokens?$filter=userName%20eq%20'bob'", nil)
	if status != http.StatusOK || !slices.Equal(itemValues(t, list, "id"), []string{second}) {
		t.Errorf("filtered collection: %d %v", status, list)
	}

	if status, _ := env.client.do(http.MethodDelete, "/mgmt/cm/access/tasks/revoke-tokens/"+first, nil); status != http.StatusOK {
		t.Errorf("DELETE: %d", status)
	}
	status, body := env.client.do(http.MethodGet, "/mgmt/cm/access/tasks/revoke-tokens/"+first, nil)
	wantError(t, status, body, http.StatusNotFound, "Object not found - https://localhost/mgmt/cm/access/tasks/revoke-tokens/"+first)

	env.server.DeleteTask(second)
	if status, _ := env.client.do(http.MethodGet, "/mgmt/cm/access/tasks/revoke-tokens/"+second, nil); status != http.StatusNotFound {
		t.Errorf("after DeleteTask: %d", status)
	}
	if _, ok := env.server.TaskJSON(second); ok {
		t.Error("TaskJSON found a deleted task")
	}
}

func TestCancelTask(t *testing.T) {
	env := newTaskEnv(t)
	before := env.server.AllTokens()
	id := str(env.start(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "clusterNames": []string{"RedCluster"}})["id"])
	path := "/mgmt/cm/access/tasks/revoke-tokens/" + id

	status, task := env.client.do(http.MethodPatch, path, map[string]string{"status": "CANCEL_REQUESTED"})
	if status != http.StatusOK || task["status"] != "CANCEL_REQUESTED" {
		t.Fatalf("PATCH: %d %v", status, task)
	}
	env.clock.Advance(taskDuration)
	task = env.get(id)
	wantStatus(t, task, statusCancelled, "", "REVOKE_TOKENS_FOR_CLUSTER", "")
	if _, ok := task["endDateTime"]; !ok {
		t.Error("no endDateTime on a canceled task")
	}
	if !reflect.DeepEqual(env.server.AllTokens(), before) {
		t.Error("a canceled task revoked tokens")
	}

	status, body := env.client.do(http.MethodPatch, path, map[string]string{"status": "CANCEL_REQUESTED"})
	if status != http.StatusBadRequest || !strings.Contains(str(body["message"]), statusCancelled) {
		t.Errorf("canceling a terminal task: %d %v", status, body)
	}
	status, _ = env.client.do(http.MethodPatch, path, map[string]string{"status": "FINISHED"})
	if status != http.StatusBadRequest {
		t.Errorf("patching status FINISHED: %d", status)
	}
	if status, _ := env.client.do(http.MethodPatch, "/mgmt/cm/access/tasks/revoke-tokens/nope", map[string]string{"status": "CANCEL_REQUESTED"}); status != http.StatusNotFound {
		t.Errorf("canceling an unknown task: %d", status)
	}
}

func TestQueuedTaskOutcomes(t *testing.T) {
	input := map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "clusterNames": []string{"RedCluster"}}
	cases := []struct {
		outcome                            TaskOutcome
		status, result, step, errorMessage string
	}{
		{TaskOutcome{Kind: OutcomeFail}, "FAILED", "FAILED", "REVOKE_TOKENS_FOR_CLUSTER", MessageNoMatchingDevices},
		{TaskOutcome{Kind: OutcomeFail, Message: "Device unreachable"}, "FAILED", "FAILED", "REVOKE_TOKENS_FOR_CLUSTER", "Device unreachable"},
		{TaskOutcome{Kind: OutcomeHang}, "STARTED", "", "REVOKE_TOKENS_FOR_CLUSTER", ""},
		{TaskOutcome{Kind: OutcomeCancel}, statusCancelled, "", "REVOKE_TOKENS_FOR_CLUSTER", ""},
		{TaskOutcome{Kind: OutcomeCancelRequested}, "CANCEL_REQUESTED", "", "REVOKE_TOKENS_FOR_CLUSTER", ""},
		{TaskOutcome{Kind: OutcomeFinishedFailed}, "FINISHED", "FAILED", "DONE", ""},
		{TaskOutcome{Kind: OutcomeFinishedFailed, Message: "Device unreachable"}, "FINISHED", "FAILED", "DONE", "Device unreachable"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.outcome), func(t *testing.T) {
			env := newTaskEnv(t)
			env.server.QueueTaskOutcome(tc.outcome)
			id := str(env.start(input)["id"])
			env.clock.Advance(100 * taskDuration)
			wantStatus(t, env.get(id), tc.status, tc.result, tc.step, tc.errorMessage)
			if len(env.server.Tokens(red)) != 4 {
				t.Error("a forced outcome revoked tokens")
			}
			// The queue is used up: the next task runs for real.
			wantStatus(t, env.run(input), "FINISHED", "COMPLETE", "DONE", "")
		})
	}

	env := newTaskEnv(t)
	env.server.QueueTaskOutcome(TaskOutcome{Kind: OutcomeHang})
	id := str(env.start(input)["id"])
	env.client.do(http.MethodPatch, "/mgmt/cm/access/tasks/revoke-tokens/"+id, map[string]string{"status": "CANCEL_REQUESTED"})
	env.clock.Advance(taskDuration)
	if got := env.get(id)["status"]; got != statusCancelled {
		t.Errorf("a hung task that was canceled is %v", got)
	}
}

func TestSetTaskDuration(t *testing.T) {
	env := newTaskEnv(t)
	env.server.SetTaskDuration(time.Minute)
	id := str(env.start(map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "clusterNames": []string{"RedCluster"}})["id"])
	env.clock.Advance(taskDuration)
	if got := env.get(id)["status"]; got != "STARTED" {
		t.Errorf("status after %v of a 1m task = %v", taskDuration, got)
	}
	env.clock.Advance(time.Minute)
	if got, _ := env.server.TaskJSON(id); got["status"] != "FINISHED" {
		t.Errorf("TaskJSON status = %v", got["status"])
	}
}

// TestEndTasksNow: a running task ends at once, as its outcome says; a task
// queued to hang keeps hanging, and an ended task does not change.
func TestEndTasksNow(t *testing.T) {
	env := newTaskEnv(t)
	id := str(env.start(redUser1)["id"])
	env.server.QueueTaskOutcome(TaskOutcome{Kind: OutcomeHang})
	hung := str(env.start(redUser1)["id"])
	env.server.EndTasksNow()
	wantStatus(t, env.get(id), "FINISHED", "COMPLETE", "DONE", "")
	if got := env.get(hung); got["status"] != "STARTED" {
		t.Errorf("the hanging task is %v; want STARTED", got["status"])
	}
	before := env.get(id)
	env.server.EndTasksNow()
	if after := env.get(id); after["generation"] != before["generation"] {
		t.Errorf("an ended task changed: generation %v, then %v", before["generation"], after["generation"])
	}
}

// TestAfterRequestsTo: a hook on a collection's exact path counts the
// collection's GETs, not those of its items.
func TestAfterRequestsTo(t *testing.T) {
	env := newTaskEnv(t)
	id := str(env.start(redUser1)["id"])
	var fired atomic.Int32
	env.server.AfterRequestsTo(http.MethodGet, pathRevokeTasks, 1, func() { fired.Add(1) })
	env.get(id)
	if fired.Load() != 0 {
		t.Fatal("a GET of a task fired the hook on the task collection")
	}
	if status, _ := env.client.do(http.MethodGet, pathRevokeTasks, nil); status != http.StatusOK {
		t.Fatalf("GET %s: %d", pathRevokeTasks, status)
	}
	env.client.do(http.MethodGet, pathRevokeTasks, nil)
	if fired.Load() != 1 {
		t.Errorf("the hook fired %d times; want once, after the first GET of the collection", fired.Load())
	}
}
