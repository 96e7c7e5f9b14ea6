package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
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
	// began is the moment the create or invoke began
	// (deviceListings.moment): the check before the POST uses a listing of
	// BIG-IQ's devices that began after it.
	began int
	// planned are the devices the plan showed, or nil when the plan could
	// not resolve the targets (then the check judges them as a plan would).
	planned plannedDevices
	// driftAt is the attribute a drift error is about (path.Empty() for
	// none), and driftNext what that error tells the user to do.
	driftAt   path.Path
	driftNext string
	// checked, when set, is called with the devices the targets select just
	// before the task starts, once they match the plan.
	checked func(devices []bigiq.Device) diag.Diagnostics
	// earlier is the task an earlier run of this same revocation left
	// running, to follow rather than start the revocation twice, if it
	// started within the timeout, the longest an earlier run waited, and
	// was started for the devices the targets select now; the zero
	// leftTask for none.
	earlier leftTask
	// started is called as soon as the task is known, before the wait, so
	// the caller can record or report it.
	started func(*bigiq.Task) diag.Diagnostics
	// progressed, when set, is called with the task each time the wait sees
	// its status or step change, on the goroutine that called
	// runRevocation (bigiq.OnProgress), so never after it returned.
	progressed func(*bigiq.Task)
}

// runResult is what a run that started a task ended with.
type runResult struct {
	// task is the last state read, or nil when no task started.
	task *bigiq.Task
	// devicesLeft: a device the task was planned for was no longer among
	// its targets after the task ended, so its tokens may still be live.
	devicesLeft bool
}

// runRevocation is one revocation from start to outcome, shared by the
// resource, the action and anything else that revokes. Just before the
// POST it checks the targets against the plan on BIG-IQ as it is now; it
// starts the task (or follows the one an earlier run left running), waits
// for it within the timeout and explains an outcome other than success;
// once the task has ended it compares BIG-IQ's estate with the plan
// again, since a device that joined or left while the task resolved its
// targets was revoked on, or skipped, without a word from BIG-IQ.
func runRevocation(ctx context.Context, pd *providerData, run revocationRun) (runResult, diag.Diagnostics) {
	var diags diag.Diagnostics
	devices, d := checkTargetsUnchanged(ctx, pd, run.began, run.request, run.planned, run.driftAt, run.driftNext)
	if diags.Append(d...); diags.HasError() {
		return runResult{}, diags
	}
	if run.checked != nil {
		if diags.Append(run.checked(devices)...); diags.HasError() {
			return runResult{}, diags
		}
	}

	// The timeout bounds the task, not the checks around it.
	outer := ctx
	ctx, cancel := context.WithTimeout(ctx, run.timeout)
	defer cancel()
	task, resumed, err := pd.client.StartOrResumeRevokeTask(ctx, run.request, followable(ctx, run.earlier, devices), run.timeout)
	if err != nil {
		diags.Append(startDiagnostics(err, run.words)...)
		return runResult{}, diags
	}
	ctx = tflog.SetField(ctx, "task_id", task.ID)
	tflog.Info(ctx, "Following BIG-IQ revoke-tokens task", map[string]any{"action": string(run.request.Action), "resumed": resumed})
	if resumed {
		diags.Append(adoptedTaskWarning(task))
	}
	if diags.Append(run.started(task)...); diags.HasError() {
		return runResult{task: task}, diags
	}

	var options []bigiq.WaitOption
	if run.progressed != nil {
		options = append(options, bigiq.OnProgress(run.progressed))
	}
	final, err := pd.client.WaitForTask(ctx, task.ID, options...)
	if final == nil {
		final = task
	}
	result := runResult{task: final}
	var taskErr *bigiq.TaskError
	if err == nil || errors.As(err, &taskErr) {
		// The task has ended: what BIG-IQ's estate is now says whether it
		// may have reached a device the plan did not list, or missed one
		// it did.
		left, d := checkEstateAfterTask(outer, pd, pd.listings.moment(), run.request, plannedFromDevices(devices), final, run.words)
		diags.Append(d...)
		result.devicesLeft = left
	}
	if err != nil {
		diags.Append(waitDiagnostics(err, final, run.failOnNotFound, run.timeout, run.words)...)
		return result, diags
	}
	diags.Append(mayBeLiveDiagnostics(final, run.words)...)
	diags.Append(partialRevocationDiagnostics(final, run.failOnNotFound, run.words)...)
	tflog.Info(ctx, "BIG-IQ revoke-tokens task finished", map[string]any{"status": final.Status, "result": final.Result})
	return result, diags
}

// followable is the id of the earlier task to follow, or "" to start a
// new one. BIG-IQ resolved the earlier task's targets when it started, so
// a device that joined the targets since was not among them, and the
// after-task check cannot see that (it compares with the devices of now):
// only a task started for exactly the devices the targets select now is
// followed.
func followable(ctx context.Context, earlier leftTask, devices []bigiq.Device) string {
	if earlier.id == "" {
		return ""
	}
	if added, removed := earlier.devices.changes(devices); len(earlier.devices) == 0 || len(added)+len(removed) > 0 {
		tflog.Info(ctx, "Not following the task an earlier run left: the targets select other devices than it was started for",
			map[string]any{"earlier_task_id": earlier.id})
		return ""
	}
	return earlier.id
}

// checkEstateAfterTask resolves the targets again from a listing that
// began after moment since, once the task has ended, and compares them
// with planned, the devices the task was started for. BIG-IQ resolves a
// task's targets some time after the POST and reports no list of the
// devices it resolved, so a device that joined in that window may have
// been revoked on (a warning), and one that left may have been skipped
// (an error: its tokens may be live). left reports the latter.
func checkEstateAfterTask(ctx context.Context, pd *providerData, since int, req bigiq.RevokeRequest, planned plannedDevices,
	task *bigiq.Task, words runWords,
) (left bool, diags diag.Diagnostics) {
	devices, err := pd.listings.since(ctx, since)
	if err != nil {
		// Unknown is not "none left": a planned device may have left and
		// been skipped, so the run does not end green.
		diags.AddError("Could not check BIG-IQ's devices after the revocation",
			fmt.Sprintf("BIG-IQ revoke-tokens task %s has ended, but listing BIG-IQ's managed devices afterwards failed, "+
				"so whether a planned device left the targets while the task ran, and its tokens may still be live, "+
				"is unknown. %s\n\n%s", task.ID, words.unsuccessfulNote, err))
		return false, diags
	}
	added, removed := planned.changes(bigiq.ResolveTargets(devices, req).Devices)
	for _, a := range added {
		diags.AddWarning("A device joined the targets during the revocation",
			fmt.Sprintf("After BIG-IQ revoke-tokens task %s ended, the revocation's targets select a device the plan did "+
				"not list:\n%s\n\nIt joined while the task ran, so BIG-IQ may have revoked tokens there too, although the "+
				"plan did not show it.", task.ID, a))
	}
	for _, r := range removed {
		diags.AddError("A planned device left the targets during the revocation",
			fmt.Sprintf("After BIG-IQ revoke-tokens task %s ended, the revocation's targets no longer select a device the "+
				"plan listed:\n%s\n\nIt left while the task ran, so BIG-IQ may have skipped it, and its tokens may still be "+
				"live. %s", task.ID, r, words.unsuccessfulNote))
	}
	return len(removed) > 0, diags
}

// adoptedTaskWarning says that the run follows a task it did not start, so
// that adopting one is never silent.
func adoptedTaskWarning(task *bigiq.Task) diag.Diagnostic {
	when := task.StartDateTime
	if started, ok := task.StartTime(); ok {
		when = started.UTC().Format(time.RFC3339)
	}
	return diag.NewWarningDiagnostic("Following a revocation task started earlier",
		fmt.Sprintf("BIG-IQ revoke-tokens task %s, started at %s by the BIG-IQ account this provider logs in as, was "+
			"still running. An earlier run of this resource started it and was interrupted or timed out, and this "+
			"apply removed that record and planned the identical revocation, so it follows that task rather than run "+
			"the revocation a second time beside it. BIG-IQ revokes the tokens that were live when the task collected "+
			"them; a token issued after that may be left. To run a fresh task instead, change triggers and apply "+
			"again.", task.ID, when))
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
