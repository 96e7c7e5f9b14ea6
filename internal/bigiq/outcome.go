package bigiq

import "strings"

// What a revoke-tokens task achieved, told truthfully. BIG-IQ's status and
// result say how the task ended, not what it did: a task that found nothing
// left to revoke ends FAILED, and a list revocation that missed some of its
// ids still ends FINISHED/COMPLETE. Task.Outcome is the one rule for "did it
// succeed"; the resource, the action and the tasks data source read it, and
// what it is built from stays in this file.

// OutcomeName names what a task that succeeded achieved.
type OutcomeName string

// The outcomes of a task that succeeded.
const (
	// OutcomeRevoked: every token asked for was revoked.
	OutcomeRevoked OutcomeName = "REVOKED"
	// OutcomeNothingToRevoke: BIG-IQ found no live token matching the
	// request (BIG-IQ reports it as FAILED with "Tokens not found").
	OutcomeNothingToRevoke OutcomeName = "NOTHING_TO_REVOKE"
	// OutcomePartiallyRevoked: a list revocation finished, but BIG-IQ named
	// some of the listed ids in resultDetails as not revoked.
	OutcomePartiallyRevoked OutcomeName = "PARTIALLY_REVOKED"
)

// Outcome is what a revoke-tokens task achieved.
type Outcome struct {
	// Name is what the task achieved, or "" when it did not succeed: it is
	// running, it failed, was cancelled or finished with a failed result,
	// or a device refused to revoke a token (MayBeLive).
	Name OutcomeName
	// NotRevoked holds the ids BIG-IQ reported it did not revoke, one entry
	// per id and device, in the order BIG-IQ reported them.
	NotRevoked []NotRevokedID
	// MayBeLive counts the entries of NotRevoked whose token may still be
	// live: a device answered with an error other than "not found".
	MayBeLive int
}

// Succeeded reports whether nothing the task was asked to revoke is left
// live, as far as BIG-IQ can tell.
func (o Outcome) Succeeded() bool { return o.Name != "" }

// NotRevokedID is one id BIG-IQ did not revoke, and the device it was
// looked for on.
type NotRevokedID struct {
	Device string
	FailedID
	// NotFound: the BIG-IP answered that it holds no live token with this
	// id (already revoked, expired, or never issued).
	NotFound bool
}

// mayBeLive reports whether the BIG-IP answered with an error other than
// "not found" (a device down, out of disk, timing out): unlike an id it does
// not hold, the token may still be live. An id reported with no error at all
// (a form of resultDetails F5's samples show) was not found.
func (id NotRevokedID) mayBeLive() bool {
	return !id.NotFound && (id.Error != "" || id.ErrorCode != 0)
}

// Outcome returns what the task achieved.
func (t *Task) Outcome() Outcome {
	out := Outcome{NotRevoked: t.notRevoked()}
	for _, id := range out.NotRevoked {
		if id.mayBeLive() {
			out.MayBeLive++
		}
	}
	switch {
	case out.MayBeLive == 0 && t.nothingLeftToRevoke():
		out.Name = OutcomeNothingToRevoke
	case !t.succeeded(), out.MayBeLive > 0:
	case t.Action == ActionRevokeList && len(out.NotRevoked) > 0:
		out.Name = OutcomePartiallyRevoked
	default:
		out.Name = OutcomeRevoked
	}
	return out
}

// succeeded reports whether BIG-IQ says the task finished and revoked what
// it was asked to; Outcome says whether it did. A task FINISHED with result
// COMPLETE that also carries an errorMessage has not succeeded: BIG-IQ
// documents no such answer, and the message says something went wrong in a
// task that then reports no detail of what. Whether every token asked for
// is gone is unknown, and a run that is green only when they are must not
// guess; failing keeps the task in the state and taints the resource, so
// the next apply revokes again, which for tokens already gone is harmless.
func (t *Task) succeeded() bool {
	return t.Status == StatusFinished && t.Result == ResultComplete && !t.FinishedWithErrorMessage()
}

// FinishedWithErrorMessage reports whether BIG-IQ reported the task
// FINISHED with result COMPLETE and yet an errorMessage: it contradicts
// itself, and the run counts as failed (see succeeded).
func (t *Task) FinishedWithErrorMessage() bool {
	return t.Status == StatusFinished && t.Result == ResultComplete && strings.TrimSpace(t.ErrorMessage) != ""
}

// nothingLeftToRevoke reports whether BIG-IQ failed the task because no
// live token matched: the tokens were already revoked or had expired.
// BIG-IQ reports that as a failure, though nothing that was asked for is
// left. BIG-IQ uses the same message when a device refused to revoke the
// tokens it holds, which is not that: Outcome tells them apart by MayBeLive.
// The message is matched whole: a FAILED task whose message only begins
// like it goes on to say something else went wrong, and is a failure.
func (t *Task) nothingLeftToRevoke() bool {
	return t.Status == StatusFailed && isTokensNotFoundMessage(t.ErrorMessage)
}

// isTokensNotFoundMessage reports whether msg is BIG-IQ's errorMessage for
// a task that found no live token (MessageTokensNotFound), in one of the
// forms it is known in: F5 documents one wording; it is accepted with
// white space around it and with or without its final full stop, nothing
// else.
func isTokensNotFoundMessage(msg string) bool {
	msg = strings.TrimSpace(msg)
	return msg == MessageTokensNotFound || msg == strings.TrimSuffix(MessageTokensNotFound, ".")
}

// failures returns the per-device failures, wherever BIG-IQ reported them:
// the list-of-tokens action uses resultDetails, the others failureDetails.
func (t *Task) failures() []DeviceFailure {
	return append(append([]DeviceFailure(nil), t.FailureDetails...), t.ResultDetails...)
}

// notRevoked returns the ids BIG-IQ reported it did not revoke, one entry
// per id and device, in the order BIG-IQ reported them.
func (t *Task) notRevoked() []NotRevokedID {
	var out []NotRevokedID
	for _, device := range t.failures() {
		for _, f := range device.FailedIDs {
			out = append(out, NotRevokedID{Device: device.DeviceReference.Link, FailedID: f, NotFound: f.notFound()})
		}
	}
	return out
}

// notFound reports whether the BIG-IP answered that it holds no live token
// with this id, as opposed to failing to revoke one.
func (f FailedID) notFound() bool {
	return f.ErrorCode == 400 && strings.Contains(f.Error, oauthIDNotFound)
}

// oauthIDNotFound is the BIG-IP's message, relayed inside BIG-IQ's error,
// for an OAuth id it does not hold.
const oauthIDNotFound = "The OAuth ID is not found"
