package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/validators"
)

// The filters of the revocation task history, shared by the
// bigiq_oauth_token_revocation_tasks data source and the
// bigiq_oauth_token_revocation list resource.

// taskFilterModel holds the filter attributes of either schema.
type taskFilterModel struct {
	UserName     types.String `tfsdk:"user_name"`
	ClientID     types.String `tfsdk:"client_id"`
	Action       types.String `tfsdk:"action"`
	Status       types.String `tfsdk:"status"`
	StartedAfter types.String `tfsdk:"started_after"`
}

// taskFilterAttribute describes one filter attribute; each schema builds
// its own attribute type from it.
type taskFilterAttribute struct {
	description string
	validators  []validator.String
}

// taskStatuses are the statuses a task can have, in both of BIG-IQ's
// spellings of CANCELLED.
var taskStatuses = []string{
	"CREATED", bigiq.StatusStarted, bigiq.StatusFinished, bigiq.StatusFailed,
	bigiq.StatusCancelRequested, bigiq.StatusCancelled, "CANCELED",
}

var taskFilterAttributes = map[string]taskFilterAttribute{
	"user_name": {
		description: "Only tasks that revoked the tokens of this user (`user_name` of `bigiq_oauth_token_revocation`). Case-sensitive.",
		validators:  []validator.String{validators.NotBlank(), validators.ExactName()},
	},
	"client_id": {
		description: "Only tasks that revoked the tokens of this OAuth client id.",
		validators:  []validator.String{validators.NotBlank(), validators.ExactName()},
	},
	"action": {
		description: "Only tasks of this action: `" + string(bigiq.ActionRevokeForUser) + "`, `" +
			string(bigiq.ActionRevokeForClientID) + "` or `" + string(bigiq.ActionRevokeList) + "`.",
		validators: []validator.String{stringvalidator.OneOf(
			string(bigiq.ActionRevokeForUser), string(bigiq.ActionRevokeForClientID), string(bigiq.ActionRevokeList))},
	},
	"status": {
		description: "Only tasks in this status, such as `FINISHED`, `FAILED` or `STARTED`. `CANCELLED` also " +
			"matches BIG-IQ's other spelling, `CANCELED`.",
		validators: []validator.String{stringvalidator.OneOf(taskStatuses...)},
	},
	"started_after": {
		description: "Only tasks that started after this time, in RFC 3339 form such as `2026-11-20T10:00:00Z` " +
			"(what `timestamp()` returns). Compared as instants, whatever zone BIG-IQ writes its times in.",
		validators: []validator.String{validators.RFC3339()},
	},
}

// filter is the client's task filter. The values were validated with the
// configuration, but a started_after that does not parse is still an
// error here rather than a filter dropped in silence.
func (m taskFilterModel) filter() (bigiq.TaskFilter, diag.Diagnostics) {
	var diags diag.Diagnostics
	f := bigiq.TaskFilter{
		UserName: m.UserName.ValueString(),
		ClientID: m.ClientID.ValueString(),
		Action:   bigiq.Action(m.Action.ValueString()),
		Status:   m.Status.ValueString(),
	}
	if !m.StartedAfter.IsNull() {
		after, err := time.Parse(time.RFC3339, m.StartedAfter.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("started_after"), "Invalid time",
				fmt.Sprintf("started_after must be an RFC 3339 time such as 2026-11-20T10:00:00Z: %s", err))
		}
		f.StartedAfter = after
	}
	return f, diags
}

// validateTaskFilters runs the filters' validators on a configuration. The
// data source's schema runs them itself; a list resource's schema cannot
// hold validators, so the list resource calls this.
func validateTaskFilters(ctx context.Context, config tfsdk.Config) diag.Diagnostics {
	var diags diag.Diagnostics
	for name, filter := range taskFilterAttributes {
		var value types.String
		diags.Append(config.GetAttribute(ctx, path.Root(name), &value)...)
		for _, v := range filter.validators {
			resp := validator.StringResponse{}
			v.ValidateString(ctx, validator.StringRequest{Path: path.Root(name), ConfigValue: value, Config: config}, &resp)
			diags.Append(resp.Diagnostics...)
		}
	}
	return diags
}
