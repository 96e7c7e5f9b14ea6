package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// The recorded outcome of a revocation, and what the user is told when the
// record says less than "every token asked for is gone". The outcome
// itself is bigiq.Task.Outcome; this file only turns it into Terraform's
// terms.

// outcomePlannedDevicesLeft is the outcome of a task after which a device
// the plan listed was no longer among the targets: BIG-IQ may have skipped
// it, and it does not say. It is judged from BIG-IQ's estate after the
// task (checkEstateAfterTask), not from the task.
const outcomePlannedDevicesLeft = "PLANNED_DEVICES_LEFT"

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
