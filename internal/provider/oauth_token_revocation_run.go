package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// runRevocation is one revocation from start to outcome, shared by the
// resource and anything else that revokes: it starts the task (or resumes
// the identical one a timed-out run left running), waits for it
// within timeout and explains an outcome other than success. started is
// called as soon as the task is known, before the wait, so the caller can
// record it. The task returned is the last state read, or nil when no task
// started.
func runRevocation(ctx context.Context, client *bigiq.Client, req bigiq.RevokeRequest, timeout time.Duration,
	failOnNotFound bool, started func(*bigiq.Task) diag.Diagnostics,
) (*bigiq.Task, diag.Diagnostics) {
	var diags diag.Diagnostics
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	// A run that timed out or was interrupted left its task running on
	// BIG-IQ: adopt it rather than start the same revocation twice. The
	// window is the timeout, the longest an earlier run waited.
	task, resumed, err := client.StartOrResumeRevokeTask(ctx, req, timeout)
	if err != nil {
		diags.Append(startDiagnostics(err)...)
		return nil, diags
	}
	ctx = tflog.SetField(ctx, "task_id", task.ID)
	tflog.Info(ctx, "Following BIG-IQ revoke-tokens task", map[string]any{"action": string(req.Action), "resumed": resumed})
	if diags.Append(started(task)...); diags.HasError() {
		return task, diags
	}

	final, err := client.WaitForTask(ctx, task.ID)
	if final == nil {
		final = task
	}
	if err != nil {
		diags.Append(waitDiagnostics(err, final, failOnNotFound, timeout)...)
		return final, diags
	}
	diags.Append(partialRevocationDiagnostics(final, failOnNotFound)...)
	tflog.Info(ctx, "BIG-IQ revoke-tokens task finished", map[string]any{"status": final.Status, "result": final.Result})
	return final, diags
}

// startDiagnostics explains why no task could be started.
func startDiagnostics(err error) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case bigiq.IsAuthFailure(err):
		diags.Append(credentialsRefused("no revoke-tokens task was started and nothing is saved in the state", err))
	case bigiq.MayHaveActed(err):
		diags.AddError("Token revocation outcome unknown",
			"The connection to BIG-IQ failed after the revoke-tokens request was sent, and BIG-IQ's task list could "+
				"not be read to find out whether it started a task. Nothing is saved in the state, so the next apply "+
				"starts a new task; look for a recent task on BIG-IQ (System > Tasks, or GET "+bigiq.PathRevokeTasks+
				") if you need to know whether this attempt revoked anything.\n\n"+err.Error())
	default:
		diags.AddError("Could not start the token revocation",
			"BIG-IQ did not create a revoke-tokens task, so nothing was revoked and nothing is saved in the state. "+
				"Check the arguments and the BIG-IQ user's Access_Manager role, then apply again.\n\n"+err.Error())
	}
	return diags
}

// credentialsRefused is the error for any call BIG-IQ turned away because
// it refused the provider's credentials: pointing at reachability or roles
// would send the user to the wrong place. consequence says what did not
// happen because of it.
func credentialsRefused(consequence string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("BIG-IQ refused the credentials",
		"BIG-IQ did not accept the provider's credentials, so "+consequence+". Fix the credentials in the provider "+
			"configuration or the BIGIQ_* environment variables, then try again.\n\n"+err.Error())
}
