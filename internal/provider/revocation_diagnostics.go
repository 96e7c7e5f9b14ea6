package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// What the user is told when a revocation does not end in success.

// runWords are the words the diagnostics of a run use for what runs it.
type runWords struct {
	// timeoutSetting is the setting that bounds the wait.
	timeoutSetting string
	// unsuccessfulNote ends every diagnostic of a task that started but did
	// not succeed: what became of it, and how to run it again.
	unsuccessfulNote string
	// notStartedNote ends the diagnostics of a run that started no task:
	// what is left behind, and how to try again.
	notStartedNote string
}

// resourceWords are the resource's: Create saves the task id before
// waiting, so the resource is tainted rather than lost.
var resourceWords = runWords{
	timeoutSetting:   "timeouts.create",
	unsuccessfulNote: "The task id is saved in the state and the resource is tainted, so the next apply runs the revocation again.",
	notStartedNote:   "Nothing is saved in the state, so the next apply starts a new task.",
}

// maxFailuresInDiagnostic keeps a diagnostic readable when BIG-IQ reports
// many failed ids; all of them are in the failures attribute.
const maxFailuresInDiagnostic = 10

// waitDiagnostics explains why waiting for a task did not end in success.
// Only "nothing left to revoke" can be a warning; everything else is an
// error that names the task, since the task id is in the state and BIG-IQ
// keeps the task for inspection.
func waitDiagnostics(err error, task *bigiq.Task, failOnNotFound bool, timeout time.Duration, words runWords) diag.Diagnostics {
	var diags diag.Diagnostics
	var taskErr *bigiq.TaskError
	var waitErr *bigiq.WaitError
	failed := errors.As(err, &taskErr)
	switch {
	case failed && taskErr.Task.Outcome().Name == bigiq.OutcomeNothingToRevoke && !failOnNotFound:
		diags.AddWarning("No matching tokens found",
			fmt.Sprintf("BIG-IQ revoke-tokens task %s found %s (BIG-IQ: %q). Nothing matching is live, so this counts "+
				"as success (outcome = %s). Set fail_on_not_found = true to make this an error.%s",
				task.ID, soughtTokens(task), task.ErrorMessage, bigiq.OutcomeNothingToRevoke, describeFailures(task)))
	case failed:
		diags.AddError("Token revocation failed",
			fmt.Sprintf("%s%s\n\n%s %s", withPeriod(err.Error()), describeFailures(taskErr.Task), failureHint(taskErr.Task, failOnNotFound), words.unsuccessfulNote))
	case errors.Is(err, context.DeadlineExceeded):
		progress := fmt.Sprintf("was still %s at step %s", task.Status, task.CurrentStep)
		if task.Status == bigiq.StatusCancelRequested {
			progress += " (someone asked BIG-IQ to cancel it, and it had not stopped yet)"
		}
		if errors.As(err, &waitErr) && waitErr.Last == nil {
			progress = "could not be checked: BIG-IQ did not answer the status requests"
		}
		diags.AddError("Timed out waiting for the token revocation",
			fmt.Sprintf("BIG-IQ revoke-tokens task %s %s after %s. It may still finish on BIG-IQ. %s; raise "+
				"%s if the task needs longer.\n\n%s",
				task.ID, progress, timeout, strings.TrimSuffix(words.unsuccessfulNote, "."), words.timeoutSetting, err))
	case errors.Is(err, context.Canceled):
		diags.AddError("Stopped waiting for the token revocation",
			fmt.Sprintf("Terraform was interrupted while BIG-IQ revoke-tokens task %s was %s at step %s. The task "+
				"may still finish on BIG-IQ. %s\n\n%s", task.ID, task.Status, task.CurrentStep, words.unsuccessfulNote, err))
	case bigiq.IsAuthFailure(err):
		diags.AddError("Lost access to BIG-IQ while waiting for the token revocation",
			fmt.Sprintf("BIG-IQ stopped accepting the provider's credentials while revoke-tokens task %s was %s, so its "+
				"outcome could not be read; waiting longer would not help. %s\n\n%s", task.ID, task.Status, words.unsuccessfulNote, err))
	case bigiq.IsNotFound(err):
		diags.AddError("The token revocation task is gone",
			fmt.Sprintf("BIG-IQ no longer has revoke-tokens task %s: it was deleted or purged while the provider waited, "+
				"so whether it revoked the tokens is unknown. %s\n\n%s", task.ID, words.unsuccessfulNote, err))
	case errors.As(err, &waitErr):
		diags.AddError("Could not follow the token revocation",
			fmt.Sprintf("Checking BIG-IQ revoke-tokens task %s failed, so its outcome is unknown. %s Check that "+
				"BIG-IQ is reachable.\n\n%s", task.ID, words.unsuccessfulNote, err))
	default:
		diags.AddError("Could not follow the token revocation",
			fmt.Sprintf("Waiting for BIG-IQ revoke-tokens task %s failed. %s\n\n%s", task.ID, words.unsuccessfulNote, err))
	}
	return diags
}

// failureHint suggests what to change for the failures BIG-IQ is known to
// report.
func failureHint(task *bigiq.Task, failOnNotFound bool) string {
	switch {
	case task.NoDeviceMatched():
		return "BIG-IQ found no device for the given targets. Check cluster_names, access_group_names and " +
			"device_references against the bigiq_devices data source."
	case failOnNotFound && task.Outcome().Name == bigiq.OutcomeNothingToRevoke:
		return "BIG-IQ found " + soughtTokens(task) + ". Set fail_on_not_found = false to accept that as success."
	case task.Cancelled():
		return "The task was cancelled on BIG-IQ."
	case task.FinishedWithErrorMessage():
		return "BIG-IQ reported the task finished and complete, but with an error message, and did not say which " +
			"tokens it revoked; some asked for may still be live, so this does not count as success. See the task " +
			"in BIG-IQ for details."
	}
	return "See the task in BIG-IQ for details."
}

// soughtTokens says what BIG-IQ found none of: the client by its id, the
// user only by the attribute. A user name is personal data, and Terraform
// does not tell a provider that a value came from a sensitive variable, so
// no diagnostic quotes it; Terraform shows the resource or action the
// diagnostic belongs to.
// BIG-IQ only reports that nothing matched: the tokens may have been
// revoked or have expired, or the name may be wrong.
func soughtTokens(task *bigiq.Task) string {
	const maybe = " The tokens may already have been revoked or have expired, or "
	switch task.Action {
	case bigiq.ActionRevokeForUser:
		return "no live token of the user named in user_name on the targeted devices." + maybe + "the name may not " +
			"be the one the user signs in with: user names are case-sensitive, so check the spelling and case of user_name"
	case bigiq.ActionRevokeForClientID:
		return fmt.Sprintf("no live token issued to OAuth client %q on the targeted devices."+maybe+"the client id "+
			"may be wrong: check it against the bigiq_oauth_client_apps data source", task.ClientID)
	}
	return "none of the listed tokens live on their devices." + maybe + "the OAuth ids may be wrong"
}

// withPeriod ends a sentence with one period: BIG-IQ's own messages
// sometimes end in one already.
func withPeriod(s string) string {
	return strings.TrimSuffix(s, ".") + "."
}

// describeFailures lists the first ids BIG-IQ reported it did not revoke;
// all of them are in the failures attribute.
func describeFailures(task *bigiq.Task) string {
	var b strings.Builder
	for n, f := range task.Outcome().NotRevoked {
		if n == maxFailuresInDiagnostic {
			fmt.Fprintf(&b, "\n  ... (see the failures attribute for the rest)")
			break
		}
		if n == 0 {
			b.WriteString("\n\nWhat BIG-IQ reported per token and device:")
		}
		b.WriteString("\n  - " + describeNotRevoked(f))
	}
	return b.String()
}

// describeNotRevoked tells one id BIG-IQ did not revoke. A token the
// BIG-IP does not hold was not live; BIG-IQ names no id at all when a
// device held no token of the user or client.
func describeNotRevoked(f bigiq.NotRevokedID) string {
	token := "token " + f.ID
	if f.ID == "" {
		token = "no matching token"
	}
	switch {
	case f.NotFound && f.ID == "":
		return fmt.Sprintf("no live matching token on %s", f.Device)
	case f.NotFound:
		return fmt.Sprintf("%s on %s: not found (already revoked, expired, or never issued)", token, f.Device)
	}
	return fmt.Sprintf("%s on %s: not revoked: %d %s", token, f.Device, f.ErrorCode, f.Error)
}
