package provider

import (
	"cmp"
	"context"
	"fmt"
	"math/big"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

var (
	_ list.ListResource                   = &oauthTokenRevocationListResource{}
	_ list.ListResourceWithConfigure      = &oauthTokenRevocationListResource{}
	_ list.ListResourceWithValidateConfig = &oauthTokenRevocationListResource{}
)

func NewOAuthTokenRevocationListResource() list.ListResource {
	return &oauthTokenRevocationListResource{}
}

// oauthTokenRevocationListResource lists BIG-IQ's revoke-tokens tasks as
// bigiq_oauth_token_revocation resources, for `terraform query` (Terraform
// 1.14+): to audit them, or to import revocations run elsewhere.
type oauthTokenRevocationListResource struct {
	data *providerData
}

func (r *oauthTokenRevocationListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_oauth_token_revocation"
}

func (r *oauthTokenRevocationListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	attrs := map[string]listschema.Attribute{}
	for name, filter := range taskFilterAttributes {
		attrs[name] = listschema.StringAttribute{MarkdownDescription: filter.description, Optional: true}
	}
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists BIG-IQ's revoke-tokens tasks, newest first, as `bigiq_oauth_token_revocation` " +
			"resources, with the same filters as the `bigiq_oauth_token_revocation_tasks` data source. Each result " +
			"is named like `" + string(bigiq.ActionRevokeForUser) + " alice on BlueCluster (" + string(bigiq.OutcomeRevoked) +
			" 2026-11-20T10:00Z)`: a run that succeeded by its `outcome` (`" + string(bigiq.OutcomeNothingToRevoke) +
			"` for one BIG-IQ reports as `FAILED` because nothing was left to revoke), any other by its status. With " +
			"`include_resource`, each result carries the revocation's arguments, so `terraform query " +
			"-generate-config-out` writes resources and import blocks that plan no change after import.",
		Attributes: attrs,
	}
}

func (r *oauthTokenRevocationListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateListResourceConfig applies the filters' validators, which a list
// resource's schema cannot carry.
func (r *oauthTokenRevocationListResource) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	resp.Diagnostics.Append(validateTaskFilters(ctx, req.Config)...)
}

func (r *oauthTokenRevocationListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	if r.data == nil {
		requireClient(nil, &diags)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	var config taskFilterModel
	diags.Append(req.Config.Get(ctx, &config)...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	tasks, diags := listRevocationTasks(ctx, r.data.client, config)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i := range tasks {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			task := &tasks[i]
			result := req.NewListResult(ctx)
			result.DisplayName = revocationDisplayName(task)
			result.Diagnostics.Append(setRevocationIdentity(ctx, result.Identity, task.ID)...)
			if req.IncludeResource {
				model, d := revocationFromTask(ctx, r.data, task)
				result.Diagnostics.Append(d...)
				result.Diagnostics.Append(result.Resource.Set(ctx, &model)...)
			}
			if !push(result) {
				return
			}
		}
	}
}

// revocationFromTask is the resource as an import of the task leaves it:
// the arguments from what the task was asked to do, as Read fills them in
// after `terraform import`, and what BIG-IQ reports about the task.
func revocationFromTask(ctx context.Context, pd *providerData, task *bigiq.Task) (oauthTokenRevocationModel, diag.Diagnostics) {
	var model oauthTokenRevocationModel
	diags := model.setImportedFromTask(ctx, pd, task)
	diags.Append(model.setTask(task)...)
	model.Timeouts = timeouts.Value{Object: types.ObjectNull(revocationTimeoutsType().AttrTypes)}
	return model, diags
}

// revocationDisplayName says what a task revoked, where, and how it ended:
// "REVOKE_TOKEN_FOR_USER alice on BlueCluster (REVOKED 2026-11-20T10:00Z)".
func revocationDisplayName(t *bigiq.Task) string {
	input := t.Input()
	name := string(input.Action)
	switch input.Action {
	case bigiq.ActionRevokeForUser:
		name += " " + input.UserName
	case bigiq.ActionRevokeForClientID:
		name += " " + input.ClientID
	case bigiq.ActionRevokeList:
		count := 0
		for _, device := range input.PerDeviceOAuthIDs {
			count += len(device.OAuthIDs)
		}
		name += fmt.Sprintf(" %d token", count)
		if count != 1 {
			name += "s"
		}
	}
	targets := append(append([]string(nil), input.ClusterNames...), input.AccessGroupNames...)
	for _, ref := range input.DeviceReferences {
		targets = append(targets, cmp.Or(bigiq.MachineIDOf(ref.Link), ref.Link))
	}
	if len(targets) > 0 {
		name += " on " + strings.Join(targets, ", ")
	}
	when := t.StartDateTime
	if started, ok := t.StartTime(); ok {
		when = started.UTC().Format("2006-01-02T15:04Z")
	}
	// A run that succeeded is named by its outcome: BIG-IQ reports one that
	// found nothing to revoke as FAILED, which it was not.
	state := t.Status
	if outcome := t.Outcome(); outcome.Succeeded() {
		state = string(outcome.Name)
	}
	return strings.TrimSpace(name + " (" + strings.TrimSpace(state+" "+when) + ")")
}

// listLimitDiagnostics refuses a list block's limit below 1: Terraform
// would ask for no result at all, and the query would print nothing with
// no error. The framework does not hand the limit to
// ValidateListResourceConfig, so the protocol server the provider serves
// (fastReadServer) calls this with the request's limit.
func listLimitDiagnostics(limit *tfprotov6.DynamicValue) []*tfprotov6.Diagnostic {
	if limit == nil {
		return nil
	}
	v, err := limit.Unmarshal(tftypes.Number)
	if err != nil || !v.IsKnown() || v.IsNull() {
		return nil
	}
	var n big.Float
	if err := v.As(&n); err != nil || n.Cmp(big.NewFloat(1)) >= 0 {
		return nil
	}
	return []*tfprotov6.Diagnostic{{
		Severity: tfprotov6.DiagnosticSeverityError,
		Summary:  "Invalid limit",
		Detail: fmt.Sprintf("The list block's limit is %s; it must be at least 1, or left out for Terraform's default "+
			"(100). A limit of 0 would list no revocation task at all.", n.Text('f', -1)),
		Attribute: tftypes.NewAttributePath().WithAttributeName("limit"),
	}}
}
