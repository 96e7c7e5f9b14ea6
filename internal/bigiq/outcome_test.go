package bigiq

import (
	"strings"
	"testing"
)

func TestTaskOutcome(t *testing.T) {
	t.Parallel()
	missed := []DeviceFailure{{
		DeviceReference: Reference{Link: DeviceLinkPrefix + redbigip},
		FailedIDs:       []FailedID{{ID: "gone", ErrorCode: 400, Error: `status:400, body:{"code":400,"message":"Token revoke failed. The OAuth ID is not found"}`}},
	}}
	refused := []DeviceFailure{{
		DeviceReference: Reference{Link: DeviceLinkPrefix + redbigip},
		FailedIDs:       []FailedID{{ID: "live", ErrorCode: 503, Error: `status:503, body:{"code":503,"message":"Token revoke failed. The device did not answer"}`}},
	}}
	noError := []DeviceFailure{{DeviceReference: Reference{Link: DeviceLinkPrefix + redbigip}, FailedIDs: []FailedID{{ID: "gone"}}}}
	cases := []struct {
		name      string
		task      Task
		want      OutcomeName
		mayBeLive int
	}{
		{"finished, a device refused", Task{Action: ActionRevokeForUser, Status: StatusFinished, Result: ResultComplete, FailureDetails: refused}, "", 1},
		{"list finished, a device refused", Task{Action: ActionRevokeList, Status: StatusFinished, Result: ResultComplete, ResultDetails: append(missed, refused...)}, "", 1},
		{"Tokens not found, but a device refused", Task{Action: ActionRevokeForUser, Status: StatusFailed, Result: ResultFailed, ErrorMessage: MessageTokensNotFound, FailureDetails: append(missed, refused...)}, "", 1},
		{"list misses reported without an error", Task{Action: ActionRevokeList, Status: StatusFinished, Result: ResultComplete, ResultDetails: noError}, OutcomePartiallyRevoked, 0},
		{"finished", Task{Action: ActionRevokeForUser, Status: StatusFinished, Result: ResultComplete}, OutcomeRevoked, 0},
		{"list finished", Task{Action: ActionRevokeList, Status: StatusFinished, Result: ResultComplete}, OutcomeRevoked, 0},
		{"list finished with misses", Task{Action: ActionRevokeList, Status: StatusFinished, Result: ResultComplete, ResultDetails: missed}, OutcomePartiallyRevoked, 0},
		{"nothing to revoke", Task{Action: ActionRevokeForUser, Status: StatusFailed, Result: ResultFailed, ErrorMessage: MessageTokensNotFound, FailureDetails: missed}, OutcomeNothingToRevoke, 0},
		{"list nothing to revoke", Task{Action: ActionRevokeList, Status: StatusFailed, Result: ResultFailed, ErrorMessage: MessageTokensNotFound, ResultDetails: missed}, OutcomeNothingToRevoke, 0},
		{"nothing to revoke, no final full stop", Task{Action: ActionRevokeForUser, Status: StatusFailed, Result: ResultFailed, ErrorMessage: strings.TrimSuffix(MessageTokensNotFound, "."), FailureDetails: missed}, OutcomeNothingToRevoke, 0},
		{"nothing to revoke, white space around", Task{Action: ActionRevokeForUser, Status: StatusFailed, Result: ResultFailed, ErrorMessage: " " + MessageTokensNotFound + "\n", FailureDetails: missed}, OutcomeNothingToRevoke, 0},
		// A message that begins like "Tokens not found" and goes on to
		// another failure is that failure.
		{"Tokens not found, then another failure", Task{Action: ActionRevokeForUser, Status: StatusFailed, Result: ResultFailed, ErrorMessage: MessageTokensNotFound + " Revocation on 10.255.4.124 timed out.", FailureDetails: missed}, "", 0},
		{"the first sentence only", Task{Action: ActionRevokeForUser, Status: StatusFailed, Result: ResultFailed, ErrorMessage: "Tokens not found in index", FailureDetails: missed}, "", 0},
		{"Tokens not found in another case", Task{Action: ActionRevokeForUser, Status: StatusFailed, Result: ResultFailed, ErrorMessage: strings.ToLower(MessageTokensNotFound), FailureDetails: missed}, "", 0},
		{"no device", Task{Action: ActionRevokeForUser, Status: StatusFailed, Result: ResultFailed, ErrorMessage: MessageNoMatchingDevices}, "", 0},
		// BIG-IQ finished, complete, and said something went wrong: what
		// was revoked is unknown, so it is not a success.
		{"finished with an error message", Task{Action: ActionRevokeForUser, Status: StatusFinished, Result: ResultComplete, CurrentStep: StepDone, ErrorMessage: "Revocation failed on 1 of 2 devices"}, "", 0},
		{"list finished with an error message", Task{Action: ActionRevokeList, Status: StatusFinished, Result: ResultComplete, CurrentStep: StepDone, ErrorMessage: "Revocation failed on 1 of 2 devices"}, "", 0},
		{"finished failed", Task{Action: ActionRevokeForUser, Status: StatusFinished, Result: ResultFailed}, "", 0},
		{"cancelled", Task{Action: ActionRevokeForUser, Status: StatusCancelled}, "", 0},
		{"running", Task{Action: ActionRevokeForUser, Status: StatusStarted}, "", 0},
	}
	for _, tc := range cases {
		got := tc.task.Outcome()
		if got.Name != tc.want || got.Succeeded() != (tc.want != "") {
			t.Errorf("%s: Outcome() = %q; want %q", tc.name, got.Name, tc.want)
		}
		if got.MayBeLive != tc.mayBeLive {
			t.Errorf("%s: MayBeLive = %d; want %d", tc.name, got.MayBeLive, tc.mayBeLive)
		}
	}
}

func TestNotRevoked(t *testing.T) {
	t.Parallel()
	task := Task{
		FailureDetails: []DeviceFailure{{DeviceReference: Reference{Link: "a"}, FailedIDs: []FailedID{{ID: "1"}, {ID: "2"}}}},
		ResultDetails:  []DeviceFailure{{DeviceReference: Reference{Link: "b"}, FailedIDs: []FailedID{{ID: "3", ErrorCode: 400, Error: "... The OAuth ID is not found ..."}}}},
	}
	got := task.Outcome().NotRevoked
	if len(got) != 3 || got[0].Device != "a" || got[1].ID != "2" || got[2].Device != "b" || !got[2].NotFound || got[0].NotFound ||
		got[0].mayBeLive() || got[2].mayBeLive() {
		t.Errorf("Outcome().NotRevoked = %+v", got)
	}
}

// TestFailedIDNotFound: an id counts as not found only when the BIG-IP
// answered 400 with its "The OAuth ID is not found": a 400 with another
// message (a malformed request, a database error) or that text under
// another status is a failure to revoke, and the token may still be live.
func TestFailedIDNotFound(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		id       FailedID
		notFound bool
	}{
		{"400, not found", FailedID{ID: "a", ErrorCode: 400, Error: `status:400, body:{"code":400,"message":"Token revoke failed. The OAuth ID is not found"}`}, true},
		{"400, another message", FailedID{ID: "a", ErrorCode: 400, Error: `status:400, body:{"code":400,"message":"Token revoke failed. The OAuth database /Common/oauthdb is not available"}`}, false},
		{"503, the not-found text", FailedID{ID: "a", ErrorCode: 503, Error: `status:503, body:{"code":503,"message":"Token revoke failed. The OAuth ID is not found"}`}, false},
	} {
		task := Task{Action: ActionRevokeForUser, Status: StatusFailed, Result: ResultFailed, ErrorMessage: MessageTokensNotFound,
			FailureDetails: []DeviceFailure{{DeviceReference: Reference{Link: DeviceLinkPrefix + redbigip}, FailedIDs: []FailedID{tc.id}}}}
		out := task.Outcome()
		if out.NotRevoked[0].NotFound != tc.notFound || (out.MayBeLive == 1) == tc.notFound ||
			(out.Name == OutcomeNothingToRevoke) != tc.notFound {
			t.Errorf("%s: NotFound = %v, MayBeLive = %d, Outcome = %q; want NotFound %v", tc.name,
				out.NotRevoked[0].NotFound, out.MayBeLive, out.Name, tc.notFound)
		}
	}
}
