package bigiq

import "strings"

// What a revoke-tokens task achieved, told truthfully. BIG-IQ's status and
// result say how the task ended, not what it did: a task that found nothing
// left to revoke ends FAILED, and a list revocation that missed some of its
// ids still ends FINISHED/COMPLETE. The resource and any later action read
// the outcome from here, so the rule is written once.

// Outcome is what a revoke-tokens task achieved.
type Outcome string

// The outcomes of a task that did not fail.
const (
	// OutcomeRevoked: every token asked for was revoked.
	OutcomeRevoked Outcome = "REVOKED"
	// OutcomeNothingToRevoke: BIG-IQ found no live token matching the
	// request (BIG-IQ reports it as FAILED with "Tokens not found").
	OutcomeNothingToRevoke Outcome = "NOTHING_TO_REVOKE"
	// OutcomePartiallyRevoked: a list revocation finished, but BIG-IQ named
	// some of the listed ids in resultDetails as not revoked.
	OutcomePartiallyRevoked Outcome = "PARTIALLY_REVOKED"
)

// Outcome returns what the task achieved, or "" while it is running, when
// it failed, was cancelled or finished with a failed result, and when a
// device refused to revoke a token (MayBeLive).
func (t *Task) Outcome() Outcome {
	switch {
	case t.NothingLeftToRevoke():
		return OutcomeNothingToRevoke
	case !t.Succeeded(), len(t.MayBeLive()) > 0:
		return ""
	case t.Action == ActionRevokeList && len(t.NotRevoked()) > 0:
		return OutcomePartiallyRevoked
	}
	return OutcomeRevoked
}

// NotRevoked returns the ids BIG-IQ reported it did not revoke, one entry
// per id and device, in the order BIG-IQ reported them.
func (t *Task) NotRevoked() []NotRevokedID {
	var out []NotRevokedID
	for _, device := range t.Failures() {
		for _, f := range device.FailedIDs {
			out = append(out, NotRevokedID{Device: device.DeviceReference.Link, FailedID: f})
		}
	}
	return out
}

// NotRevokedID is one id BIG-IQ did not revoke, and the device it was
// looked for on.
type NotRevokedID struct {
	Device string
	FailedID
}

// MayBeLive returns the ids a BIG-IP answered with an error other than
// "not found" (a device down, out of disk, timing out): unlike an id it
// does not hold, such a token may still be live. An id reported with no
// error at all (a form of resultDetails F5's samples show) was not found.
func (t *Task) MayBeLive() []NotRevokedID {
	var out []NotRevokedID
	for _, id := range t.NotRevoked() {
		if !id.NotFound() && (id.Error != "" || id.ErrorCode != 0) {
			out = append(out, id)
		}
	}
	return out
}

// NotFound reports whether the BIG-IP answered that it holds no live token
// with this id (already revoked, expired, or never issued), as opposed to
// failing to revoke one.
func (f FailedID) NotFound() bool {
	return f.ErrorCode == 400 && strings.Contains(f.Error, oauthIDNotFound)
}

// oauthIDNotFound is the BIG-IP's message, relayed inside BIG-IQ's error,
// for an OAuth id it does not hold.
const oauthIDNotFound = "The OAuth ID is not found"
