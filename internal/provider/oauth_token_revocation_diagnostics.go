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

// taskKeptNote ends every diagnostic of a task that started but did not
// succeed: Create saves the task id before waiting, so the resource is
// tainted rather than lost.
const taskKeptNote = "The task id is saved in the state and the resource is tainted, so the next apply runs the revocation again."

// maxFailuresInDiagnostic keeps a diagnostic readable when BIG-IQ reports
// many failed ids; all of them are in the failures attribute.
const maxFailuresInDiagnostic = 10

// waitDiagnostics explains why waiting for a task did not end in success.
// Only "nothing left to revoke" can be a warning; everything else is an
// error that names the task, since the task id is in the state and BIG-IQ
// keeps the task for inspection.
func waitDiagnostics(err error, task *bigiq.Task, failOnNotFound bool, timeout time.Duration) diag.Diagnostics {
	var diags diag.Diagnostics
	var taskErr *bigiq.TaskError
	var waitErr *bigiq.WaitError
	failed := errors.As(err, &taskErr)
	switch {
	case failed && taskErr.Task.NothingLeftToRevoke() && !failOnNotFound:
		diags.AddWarning("No tokens left to revoke",
			fmt.Sprintf("BIG-IQ revoke-tokens task %s found no live token to revoke: %q. The tokens were already "+
				"revoked or have expired, so none matching these arguments remains; this counts as success. "+
				"Set fail_on_not_found = true to make this an error.%s",
				task.ID, task.ErrorMessage, describeFailures(task)))
	case failed:
		diags.AddError("Token revocation failed",
			fmt.Sprintf("%s.%s\n\n%s %s", err, describeFailures(taskErr.Task), failureHint(taskErr.Task, failOnNotFound), taskKeptNote))
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
				"timeouts.create if the task needs longer.\n\n%s",
				task.ID, progress, timeout, strings.TrimSuffix(taskKeptNote, "."), err))
	case errors.Is(err, context.Canceled):
		diags.AddError("Stopped waiting for the token revocation",
			fmt.Sprintf("Terraform was interrupted while BIG-IQ revoke-tokens task %s was %s at step %s. The task "+
				"may still finish on BIG-IQ. %s\n\n%s", task.ID, task.Status, task.CurrentStep, taskKeptNote, err))
	case bigiq.IsAuthFailure(err):
		diags.AddError("Lost access to BIG-IQ while waiting for the token revocation",
			fmt.Sprintf("BIG-IQ stopped accepting the provider's credentials while revoke-tokens task %s was %s, so its "+
				"outcome could not be read; waiting longer would not help. %s\n\n%s", task.ID, task.Status, taskKeptNote, err))
	case bigiq.IsNotFound(err):
		diags.AddError("The token revocation task is gone",
			fmt.Sprintf("BIG-IQ no longer has revoke-tokens task %s: it was deleted or purged while the provider waited, "+
				"so whether it revoked the tokens is unknown. %s\n\n%s", task.ID, taskKeptNote, err))
	case errors.As(err, &waitErr):
		diags.AddError("Could not follow the token revocation",
			fmt.Sprintf("Checking BIG-IQ revoke-tokens task %s failed, so its outcome is unknown. %s Check that "+
				"BIG-IQ is reachable.\n\n%s", task.ID, taskKeptNote, err))
	default:
		diags.AddError("Could not follow the token revocation",
			fmt.Sprintf("Waiting for BIG-IQ revoke-tokens task %s failed. %s\n\n%s", task.ID, taskKeptNote, err))
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
	case failOnNotFound && task.NothingLeftToRevoke():
		return "No live token matched: they were already revoked or have expired. Set fail_on_not_found = false " +
			"to accept that as success."
	case task.Cancelled():
		return "The task was cancelled on BIG-IQ."
	}
	return "See the task in BIG-IQ for details."
}

// describeFailures lists the first per-token failures BIG-IQ reported.
func describeFailures(task *bigiq.Task) string {
	var b strings.Builder
	n := 0
	for _, device := range task.Failures() {
		for _, f := range device.FailedIDs {
			if n == maxFailuresInDiagnostic {
				fmt.Fprintf(&b, "\n  ... (see the failures attribute for the rest)")
				return b.String()
			}
			if n == 0 {
				b.WriteString("\n\nTokens BIG-IQ could not revoke:")
			}
			fmt.Fprintf(&b, "\n  - %s on %s: %d %s", f.ID, device.DeviceReference.Link, f.ErrorCode, f.Error)
			n++
		}
	}
	return b.String()
}
