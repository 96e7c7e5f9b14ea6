package bigiqmock

import (
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
)

var redUser1 = map[string]any{"action": "REVOKE_TOKEN_FOR_USER", "userName": "user1", "clusterNames": []string{"RedCluster"}}

func TestQuirkCanceledSpelling(t *testing.T) {
	env := newTaskEnvWith(t, Quirks{CanceledSpelling: true})
	id := str(env.start(redUser1)["id"])
	path := "/mgmt/cm/access/tasks/revoke-tokens/" + id
	if status, _ := env.client.do(http.MethodPatch, path, map[string]string{"status": "CANCEL_REQUESTED"}); status != http.StatusOK {
		t.Fatalf("PATCH: %d", status)
	}
	env.clock.Advance(taskDuration)
	wantStatus(t, env.get(id), "CANCELED", "", "REVOKE_TOKENS_FOR_CLUSTER", "")
	// CANCELED is as terminal as CANCELLED.
	status, body := env.client.do(http.MethodPatch, path, map[string]string{"status": "CANCEL_REQUESTED"})
	if status != http.StatusBadRequest || !strings.HasSuffix(str(body["message"]), "already CANCELED") {
		t.Errorf("canceling a CANCELED task: %d %v", status, body)
	}

	env.server.QueueTaskOutcome(TaskOutcome{Kind: OutcomeCancel})
	wantStatus(t, env.run(redUser1), "CANCELED", "", "REVOKE_TOKENS_FOR_CLUSTER", "")

	// Switched off mid-test, the documented spelling returns.
	env.server.SetQuirks(Quirks{})
	env.server.QueueTaskOutcome(TaskOutcome{Kind: OutcomeCancel})
	wantStatus(t, env.run(redUser1), "CANCELLED", "", "REVOKE_TOKENS_FOR_CLUSTER", "")
}

func TestQuirkCreatedFirst(t *testing.T) {
	env := newTaskEnvWith(t, Quirks{CreatedFirst: true})
	task := env.start(redUser1)
	wantStatus(t, task, "CREATED", "", "RESOLVE_DEVICES", "")
	id := str(task["id"])
	env.clock.Advance(taskDuration/4 - 1)
	wantStatus(t, env.get(id), "CREATED", "", "RESOLVE_DEVICES", "")
	if len(env.server.Tokens(red)) != 4 {
		t.Error("a CREATED task revoked tokens")
	}
	env.clock.Advance(1)
	wantStatus(t, env.get(id), "STARTED", "", "RESOLVE_DEVICES", "")
	env.clock.Advance(taskDuration)
	wantStatus(t, env.get(id), "FINISHED", "COMPLETE", "DONE", "")
	if users := usersOf(env.server.Tokens(red)); users["user1"] != 0 {
		t.Errorf("user1 still has tokens after the task: %v", users)
	}

	// A task can be canceled before it starts.
	id = str(env.start(redUser1)["id"])
	if status, _ := env.client.do(http.MethodPatch, "/mgmt/cm/access/tasks/revoke-tokens/"+id, map[string]string{"status": "CANCEL_REQUESTED"}); status != http.StatusOK {
		t.Fatalf("PATCH of a CREATED task: %d", status)
	}
	env.clock.Advance(taskDuration)
	wantStatus(t, env.get(id), "CANCELLED", "", "REVOKE_TOKENS_FOR_CLUSTER", "")
}

func TestQuirkPostAccepted(t *testing.T) {
	env := newTaskEnvWith(t, Quirks{PostAccepted: true})
	status, task := env.client.do(http.MethodPost, "/mgmt/cm/access/tasks/revoke-tokens", redUser1)
	if status != http.StatusAccepted {
		t.Fatalf("POST: %d, want 202", status)
	}
	wantStatus(t, task, "STARTED", "", "RESOLVE_DEVICES", "")
	if !uuidPattern.MatchString(str(task["id"])) {
		t.Errorf("202 answer has no task id: %v", task)
	}
	// Bad input is still a synchronous 400.
	status, _ = env.client.do(http.MethodPost, "/mgmt/cm/access/tasks/revoke-tokens", map[string]any{"userName": "user1"})
	if status != http.StatusBadRequest {
		t.Errorf("POST without action: %d", status)
	}
}

// listOnRedAndGreen asks to revoke one token that exists on red and one
// that does not on each of red and green.
var listOnRedAndGreen = map[string]any{
	"action":           "REVOKE_LIST_OF_TOKENS",
	"deviceReferences": []any{deviceRef(red), deviceRef(green)},
	"perDeviceOauthIds": []any{
		map[string]any{"deviceReference": deviceRef(red), "oauthIds": []any{
			map[string]any{"id": redUser1Token, "clientId": redClientID},
			map[string]any{"id": "aaaa", "clientId": redClientID},
		}},
		map[string]any{"deviceReference": deviceRef(green), "oauthIds": []any{
			map[string]any{"id": "bbbb", "clientId": shutterflyClientID},
		}},
	},
}

// failedIDs flattens a task's details into "link id dbInstance clientId".
func failedIDs(details any) []string {
	var out []string
	for _, d := range arr(details) {
		l := str(obj(obj(d)["deviceReference"])["link"])
		for _, f := range arr(obj(d)["failedIds"]) {
			f := obj(f)
			out = append(out, strings.Join([]string{l, str(f["id"]), str(f["dbInstance"]), str(f["clientId"])}, " "))
		}
	}
	return out
}

func TestPartialListRevocationNamesTheMissingIDs(t *testing.T) {
	env := newTaskEnv(t)
	task := env.run(listOnRedAndGreen)
	// Some ids were revoked, so the task succeeds and names the others.
	wantStatus(t, task, "FINISHED", "COMPLETE", "DONE", "")
	want := []string{
		"https://localhost/mgmt/cm/system/machineid-resolver/" + red + " aaaa /Common/oauthdb " + redClientID,
		"https://localhost/mgmt/cm/system/machineid-resolver/" + green + " bbbb /Common/oauthdb " + shutterflyClientID,
	}
	if got := failedIDs(task["resultDetails"]); !slices.Equal(got, want) {
		t.Errorf("resultDetails =\n%q\nwant\n%q", got, want)
	}
	if slices.Contains(tokenIDs(env.server.Tokens(red)), redUser1Token) {
		t.Error("the listed token that existed was not revoked")
	}
}

func TestQuirkClientIDInDBInstance(t *testing.T) {
	env := newTaskEnvWith(t, Quirks{ClientIDInDBInstance: true})
	task := env.run(listOnRedAndGreen)
	want := []string{
		"https://localhost/mgmt/cm/system/machineid-resolver/" + red + " aaaa " + redClientID + " ",
		"https://localhost/mgmt/cm/system/machineid-resolver/" + green + " bbbb " + shutterflyClientID + " ",
	}
	if got := failedIDs(task["resultDetails"]); !slices.Equal(got, want) {
		t.Errorf("resultDetails =\n%q\nwant\n%q", got, want)
	}
	// clientId is there, and empty.
	f := obj(arr(obj(arr(task["resultDetails"])[0])["failedIds"])[0])
	if v, ok := f["clientId"]; !ok || v != "" {
		t.Errorf(`clientId = %v (present %v), want ""`, v, ok)
	}
}

func TestQuirkDeviceGroupLinks(t *testing.T) {
	env := newTaskEnvWith(t, Quirks{DeviceGroupLinks: true})
	groupLink := "https://localhost/mgmt/shared/resolver/device-groups/cm-access-allBigIpDevices/devices/"

	task := env.run(listOnRedAndGreen)
	for _, got := range failedIDs(task["resultDetails"]) {
		if !strings.HasPrefix(got, groupLink) {
			t.Errorf("resultDetails entry %q is not in the device-groups form", got)
		}
	}

	env.run(redUser1)
	task = env.run(redUser1) // nothing left to revoke
	wantStatus(t, task, "FAILED", "FAILED", "REVOKE_TOKENS_FOR_CLUSTER", MessageTokensNotFound)
	d := obj(arr(task["failureDetails"])[0])
	if !reflect.DeepEqual(d["deviceReference"], map[string]any{"link": groupLink + red}) {
		t.Errorf("failureDetails deviceReference = %v", d["deviceReference"])
	}
}

func TestQuirkNoNextLink(t *testing.T) {
	s := StartPlain(t, Options{Quirks: Quirks{NoNextLink: true}})
	c := newTestClient(t, s)
	status, body := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver?$top=2&$skip=1", nil)
	if status != http.StatusOK {
		t.Fatalf("GET: %d %v", status, body)
	}
	items, _ := body["items"].([]any)
	if _, ok := body["nextLink"]; ok || len(items) != 2 || body["totalItems"] != float64(5) {
		t.Errorf("a page of 2 of 5 devices: %d items, totalItems %v, nextLink %v; want 2, 5 and none", len(items), body["totalItems"], body["nextLink"])
	}
	// Switched off, the page says where the next one is.
	s.SetQuirks(Quirks{})
	if _, body := c.do(http.MethodGet, "/mgmt/cm/system/machineid-resolver?$top=2&$skip=1", nil); !strings.HasSuffix(str(body["nextLink"]), "$skip=3") {
		t.Errorf("nextLink = %v; want one ending in $skip=3", body["nextLink"])
	}
}
