package bigiq

import (
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
		name string
		task Task
		want Outcome
	}{
		{"finished, a device refused", Task{Action: ActionRevokeForUser, Status: StatusFinished, Result: ResultComplete, FailureDetails: refused}, ""},
		{"list finished, a device refused", Task{Action: ActionRevokeList, Status: StatusFinished, Result: ResultComplete, ResultDetails: append(missed, refused...)}, ""},
		{"Tokens not found, but a device refused", Task{Action: ActionRevokeForUser, Status: StatusFailed, Result: ResultFailed, ErrorMessage: MessageTokensNotFound, FailureDetails: append(missed, refused...)}, ""},
		{"list misses reported without an error", Task{Action: ActionRevokeList, Status: StatusFinished, Result: ResultComplete, ResultDetails: noError}, OutcomePartiallyRevoked},
		{"finished", Task{Action: ActionRevokeForUser, Status: StatusFinished, Result: ResultComplete}, OutcomeRevoked},
		{"list finished", Task{Action: ActionRevokeList, Status: StatusFinished, Result: ResultComplete}, OutcomeRevoked},
		{"list finished with misses", Task{Action: ActionRevokeList, Status: StatusFinished, Result: ResultComplete, ResultDetails: missed}, OutcomePartiallyRevoked},
		{"nothing to revoke", Task{Action: ActionRevokeForUser, Status: StatusFailed, Result: ResultFailed, ErrorMessage: MessageTokensNotFound, FailureDetails: missed}, OutcomeNothingToRevoke},
		{"list nothing to revoke", Task{Action: ActionRevokeList, Status: StatusFailed, Result: ResultFailed, ErrorMessage: MessageTokensNotFound, ResultDetails: missed}, OutcomeNothingToRevoke},
		{"no device", Task{Action: ActionRevokeForUser, Status: StatusFailed, Result: ResultFailed, ErrorMessage: MessageNoMatchingDevices}, ""},
		{"finished failed", Task{Action: ActionRevokeForUser, Status: StatusFinished, Result: ResultFailed}, ""},
		{"cancelled", Task{Action: ActionRevokeForUser, Status: StatusCancelled}, ""},
		{"running", Task{Action: ActionRevokeForUser, Status: StatusStarted}, ""},
	}
	for _, tc := range cases {
		if got := tc.task.Outcome(); got != tc.want {
			t.Errorf("%s: Outcome() = %q; want %q", tc.name, got, tc.want)
		}
	}
}

func TestNotRevoked(t *testing.T) {
	t.Parallel()
	task := Task{
		FailureDetails: []DeviceFailure{{DeviceReference: Reference{Link: "a"}, FailedIDs: []FailedID{{ID: "1"}, {ID: "2"}}}},
		ResultDetails:  []DeviceFailure{{DeviceReference: Reference{Link: "b"}, FailedIDs: []FailedID{{ID: "3", ErrorCode: 400, Error: "... The OAuth ID is not found ..."}}}},
	}
	got := task.NotRevoked()
	if len(got) != 3 || got[0].Device != "a" || got[1].ID != "2" || got[2].Device != "b" || !got[2].NotFound() || got[0].NotFound() {
		t.Errorf("NotRevoked() = %+v", got)
	}
}
