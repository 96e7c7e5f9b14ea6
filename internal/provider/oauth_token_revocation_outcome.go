package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// The recorded outcome of a revocation, and what the user is told when the
// record says less than "every token asked for is gone". The outcome
// itself is bigiq.Task.Outcome; this file only turns it into Terraform's
// terms.

var outcomeDescription = "What the run achieved, derived from the task: `" + string(bigiq.OutcomeRevoked) +
	"` (every token asked for was revoked), `" + string(bigiq.OutcomeNothingToRevoke) + "` (BIG-IQ found no live " +
	"token matching; BIG-IQ reports this with `status` and `result` `FAILED`) or `" +
	string(bigiq.OutcomePartiallyRevoked) + "` (a `per_device_oauth_ids` run in which BIG-IQ did not revoke some " +
	"listed ids; they are in `failures` and were named in a warning). Null when the run did not succeed: the " +
	"resource is then tainted, or the next plan replaces it. Policies and outputs should read this rather than " +
	"`status`."

// mayBeLiveDiagnostics is the error for a task that finished (the wait
// returned no error) while a device refused to revoke some tokens: those may
// still be live, whatever fail_on_not_found says (it is about tokens that
// were not found).
func mayBeLiveDiagnostics(task *bigiq.Task, words runWords) diag.Diagnostics {
	var diags diag.Diagnostics
	if n := task.Outcome().MayBeLive; n > 0 {
		diags.AddError("Tokens not revoked",
			fmt.Sprintf("BIG-IQ revoke-tokens task %s finished, but the BIG-IP devices did not revoke %d of the "+
				"tokens asked for: they answered with an error, so those tokens may still be live.%s\n\n%s",
				task.ID, n, describeFailures(task), words.unsuccessfulNote))
	}
	return diags
}

// partialRevocationDiagnostics names each listed id BIG-IQ did not revoke
// in a task that otherwise finished: a warning by default, an error (which
// taints the resource) with fail_on_not_found.
func partialRevocationDiagnostics(task *bigiq.Task, failOnNotFound bool, words runWords) diag.Diagnostics {
	var diags diag.Diagnostics
	outcome := task.Outcome()
	if outcome.Name != bigiq.OutcomePartiallyRevoked {
		return diags
	}
	missed := len(outcome.NotRevoked)
	if failOnNotFound {
		diags.AddError("Listed tokens not revoked",
			fmt.Sprintf("BIG-IQ revoke-tokens task %s finished, but did not revoke %d of the listed OAuth ids. "+
				"fail_on_not_found = true makes that an error.%s\n\n%s",
				task.ID, missed, describeFailures(task), words.unsuccessfulNote))
		return diags
	}
	diags.AddWarning("Some listed tokens were not revoked",
		fmt.Sprintf("BIG-IQ revoke-tokens task %s finished, but did not revoke %d of the listed OAuth ids; the "+
			"outcome is recorded as %s. Set fail_on_not_found = true to make this an error.%s",
			task.ID, missed, bigiq.OutcomePartiallyRevoked, describeFailures(task)))
	return diags
}

// replaceUnsuccessfulTask plans a replacement of a recorded task that did
// not succeed, however it got into the state (an import, a refresh, a
// state edited by hand): it revoked less than was asked, so the resource
// must not look done. A task without an outcome is one that failed, was
// cancelled or is not finished. The outcome is derived again from the
// recorded status rather than read, so a state written before outcome
// existed is judged by the same rule.
func replaceUnsuccessfulTask(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var id, action, status, result, errorMessage types.String
	for name, dst := range map[string]*types.String{
		"id": &id, "action": &action, "status": &status, "result": &result, "error_message": &errorMessage,
	} {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(name), dst)...)
	}
	recorded := bigiq.Task{
		ID: id.ValueString(), Action: bigiq.Action(action.ValueString()),
		Status: status.ValueString(), Result: result.ValueString(), ErrorMessage: errorMessage.ValueString(),
	}
	if resp.Diagnostics.HasError() || status.IsNull() || recorded.Outcome().Succeeded() {
		return
	}
	// Everything BIG-IQ reports about the task is unknown until the new
	// task runs; without a difference Terraform would not replace.
	for _, name := range []string{"id", "status", "result", "outcome", "current_step", "error_message",
		"start_date_time", "end_date_time", "self_link"} {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("failures"), types.ListUnknown(failureType))...)
	resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
	resp.Diagnostics.AddWarning("Recorded revocation did not succeed",
		fmt.Sprintf("BIG-IQ revoke-tokens task %s is recorded with status %s and result %s, so it did not revoke "+
			"what it was asked to. This plan replaces the resource, which runs the revocation again.",
			id.ValueString(), status.ValueString(), orNone(result.ValueString())))
}

// taskPurgedWarning is given when BIG-IQ no longer has a recorded task.
// The resource is the record of a run, not a live object: dropping it
// would make the next plan run the revocation again.
func taskPurgedWarning(id string) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.AddWarning("Revocation task no longer on BIG-IQ",
		fmt.Sprintf("BIG-IQ no longer has revoke-tokens task %s (it purges old tasks). The state keeps the last "+
			"known record of the run, and the revocation is not run again. To run it again, change triggers.", id))
	return diags
}
