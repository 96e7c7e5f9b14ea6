package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// revocationRun is one revocation to run: the request, how to wait for it
// and judge it, and what its caller (the resource, the action) wants to
// hear of it.
type revocationRun struct {
	request        bigiq.RevokeRequest
	timeout        time.Duration
	failOnNotFound bool
	words          runWords
	// started is called as soon as the task is known, before the wait, so
	// the caller can record or report it.
	started func(*bigiq.Task) diag.Diagnostics
	// progressed, when set, is called with the task each time the wait sees
	// its status or step change, on the goroutine that called
	// runRevocation (bigiq.OnProgress), so never after it returned.
	progressed func(*bigiq.Task)
}

// runRevocation is one revocation from start to outcome, shared by the
// resource, the action and anything else that revokes: it starts the task
// (or resumes the identical one a timed-out run left running), waits for it
// within the timeout and explains an outcome other than success. The task
// returned is the last state read, or nil when no task started.
func runRevocation(ctx context.Context, client *bigiq.Client, run revocationRun) (*bigiq.Task, diag.Diagnostics) {
	var diags diag.Diagnostics
	ctx, cancel := context.WithTimeout(ctx, run.timeout)
	defer cancel()

	// A run that timed out or was interrupted left its task running on
	// BIG-IQ: adopt it rather than start the same revocation twice. The
	// window is the timeout, the longest an earlier run waited.
	task, resumed, err := client.StartOrResumeRevokeTask(ctx, run.request, run.timeout)
	if err != nil {
		diags.Append(startDiagnostics(err, run.words)...)
		return nil, diags
	}
	ctx = tflog.SetField(ctx, "task_id", task.ID)
	tflog.Info(ctx, "Following BIG-IQ revoke-tokens task", map[string]any{"action": string(run.request.Action), "resumed": resumed})
	if diags.Append(run.started(task)...); diags.HasError() {
		return task, diags
	}

	var options []bigiq.WaitOption
	if run.progressed != nil {
		options = append(options, bigiq.OnProgress(run.progressed))
	}
	final, err := client.WaitForTask(ctx, task.ID, options...)
	if final == nil {
		final = task
	}
	if err != nil {
		diags.Append(waitDiagnostics(err, final, run.failOnNotFound, run.timeout, run.words)...)
		return final, diags
	}
	diags.Append(mayBeLiveDiagnostics(final, run.words)...)
	diags.Append(partialRevocationDiagnostics(final, run.failOnNotFound, run.words)...)
	tflog.Info(ctx, "BIG-IQ revoke-tokens task finished", map[string]any{"status": final.Status, "result": final.Result})
	return final, diags
}

// startDiagnostics explains why no task could be started.
func startDiagnostics(err error, words runWords) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case bigiq.IsAuthFailure(err):
		diags.Append(credentialsRefused("no revoke-tokens task was started. "+words.notStartedNote, err))
	case bigiq.MayHaveActed(err):
		diags.AddError("Token revocation outcome unknown",
			"The connection to BIG-IQ failed after the revoke-tokens request was sent, and BIG-IQ's task list could "+
				"not be read to find out whether it started a task. "+words.notStartedNote+" Look for a recent task "+
				"on BIG-IQ (System > Tasks, or GET "+bigiq.PathRevokeTasks+") if you need to know whether this "+
				"attempt revoked anything.\n\n"+err.Error())
	default:
		diags.AddError("Could not start the token revocation",
			"BIG-IQ did not create a revoke-tokens task, so nothing was revoked. Check the arguments and the "+
				"BIG-IQ user's Access_Manager role. "+words.notStartedNote+"\n\n"+err.Error())
	}
	return diags
}

// credentialsRefused is the error for any call BIG-IQ turned away because
// it refused the provider's credentials: pointing at reachability or roles
// would send the user to the wrong place. consequence says what did not
// happen because of it.
func credentialsRefused(consequence string, err error) diag.Diagnostic {
	if bigiq.TokenLimitReached(err) {
		// The credentials are right; fixing them is not the cure.
		return diag.NewErrorDiagnostic("BIG-IQ's limit of live login tokens reached",
			"BIG-IQ issued no auth token, so "+strings.TrimSuffix(consequence, ".")+". The credentials were not "+
				"refused: the provider's BIG-IQ user holds too many live tokens.\n\n"+err.Error())
	}
	return diag.NewErrorDiagnostic("BIG-IQ refused the credentials",
		"BIG-IQ did not accept the provider's credentials, so "+strings.TrimSuffix(consequence, ".")+". Fix the "+
			"credentials in the provider configuration or the BIGIQ_* environment variables, then try again.\n\n"+err.Error())
}
