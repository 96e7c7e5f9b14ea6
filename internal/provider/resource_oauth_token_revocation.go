package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/planmodifiers"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/validators"
)

var (
	_ resource.Resource                     = &oauthTokenRevocationResource{}
	_ resource.ResourceWithConfigure        = &oauthTokenRevocationResource{}
	_ resource.ResourceWithConfigValidators = &oauthTokenRevocationResource{}
	_ resource.ResourceWithValidateConfig   = &oauthTokenRevocationResource{}
	_ resource.ResourceWithModifyPlan       = &oauthTokenRevocationResource{}
	_ resource.ResourceWithImportState      = &oauthTokenRevocationResource{}
	_ resource.ResourceWithIdentity         = &oauthTokenRevocationResource{}
)

// defaultCreateTimeout bounds the wait for a revocation task. BIG-IQ usually
// finishes in seconds; a large estate with unreachable devices can take
// minutes.
const defaultCreateTimeout = 15 * time.Minute

func NewOAuthTokenRevocationResource() resource.Resource {
	return &oauthTokenRevocationResource{}
}

// oauthTokenRevocationResource runs one BIG-IQ revoke-tokens task. The
// resource is the record of that run: it cannot be updated or undone, so
// every input replaces it, which runs the revocation again.
type oauthTokenRevocationResource struct {
	client *bigiq.Client
	data   *providerData
}

func (r *oauthTokenRevocationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_oauth_token_revocation"
}

func (r *oauthTokenRevocationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = oauthTokenRevocationSchema(ctx)
}

// oauthTokenRevocationSchema is the resource's schema. The model takes the
// types of its nested objects from here, so an attribute is named once.
func oauthTokenRevocationSchema(ctx context.Context) schema.Schema {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	nameSet := func(what string) schema.SetAttribute {
		return schema.SetAttribute{
			MarkdownDescription: what,
			ElementType:         types.StringType,
			Optional:            true,
			PlanModifiers:       []planmodifier.Set{setplanmodifier.RequiresReplace()},
			Validators: []validator.Set{
				setvalidator.SizeAtLeast(1),
				setvalidator.ValueStringsAre(validators.NotBlank(), validators.ExactName()),
				validators.NoNullElements(),
			},
		}
	}

	return schema.Schema{
		MarkdownDescription: "Revokes APM OAuth tokens on BIG-IP devices through a BIG-IQ revoke-tokens task, and waits " +
			"until the task has finished.\n\n" +
			"Choose what to revoke with exactly one of `user_name` (all tokens of a user), `client_id` (all tokens " +
			"of an OAuth client) or `per_device_oauth_ids` (listed tokens), and where with `cluster_names`, " +
			"`access_group_names` and/or `device_references`.\n\n" +
			"The resource records one run of the revocation. A revocation cannot be undone, so destroying the " +
			"resource only removes it from the state; the task stays on BIG-IQ for audit. Changing any argument, " +
			"or `triggers`, runs the revocation again. A run that fails leaves the resource tainted, so the next " +
			"apply runs it again.\n\n" +
			"BIG-IQ's estate may change during an apply. Just before it starts the task, the apply resolves the " +
			"targets again on BIG-IQ as it is then, and starts nothing if they select other devices than " +
			"`target_devices`. After the task ends it resolves them once more: a device that joined meanwhile is a " +
			"warning (BIG-IQ may have revoked there too), and a planned device that left is an error (its tokens may " +
			"still be live), which taints the resource and records `outcome` `" + outcomePlannedDevicesLeft + "`.\n\n" +
			"Each resource runs a task of its own. The one exception is a task that timed out or was interrupted: " +
			"the apply that replaces the tainted resource with the identical revocation (same arguments and " +
			"`triggers`) follows that task if BIG-IQ is still running it and the targets still select the devices it " +
			"was started for, and warns that it does. Change `triggers` " +
			"to start a fresh task instead.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "ID of the BIG-IQ revoke-tokens task.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"action": schema.StringAttribute{
				MarkdownDescription: "The BIG-IQ action the task runs, derived from the arguments: `" +
					string(bigiq.ActionRevokeForUser) + "`, `" + string(bigiq.ActionRevokeForClientID) + "` or `" +
					string(bigiq.ActionRevokeList) + "`.",
				Computed:      true,
				PlanModifiers: keep,
			},
			"user_name": schema.StringAttribute{
				MarkdownDescription: "Revoke every token of this user (`" + string(bigiq.ActionRevokeForUser) + "`). " +
					"Case-sensitive. Conflicts with `client_id` and `per_device_oauth_ids`.",
				Optional:      true,
				PlanModifiers: replace,
				Validators:    []validator.String{validators.NotBlank(), validators.ExactName()},
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "Revoke every token issued to this OAuth client (`" + string(bigiq.ActionRevokeForClientID) +
					"`); see the `bigiq_oauth_client_apps` data source. A hex string, sent in lower case as BIG-IQ " +
					"writes it. Conflicts with `user_name` and `per_device_oauth_ids`.",
				Optional:      true,
				PlanModifiers: replace,
				Validators:    []validator.String{validators.NotBlank(), validators.ExactName(), validators.HexID()},
			},
			"per_device_oauth_ids": schema.ListNestedAttribute{
				MarkdownDescription: "Revoke these tokens (`" + string(bigiq.ActionRevokeList) + "`), grouped by device. " +
					"BIG-IQ's API cannot list OAuth ids; the BIG-IQ UI shows them under Monitoring > Dashboards & " +
					"Reports > Access > OAuth > Tokens. When no target is given, the devices named here are the targets. " +
					"Conflicts with `user_name` and `client_id`.",
				Optional: true,
				PlanModifiers: []planmodifier.List{
					planmodifiers.ListRequiresReplaceUnless(sameTokens,
						"Changing the tokens to revoke runs the revocation again.",
						"Changing the tokens to revoke runs the revocation again; writing a device reference in another "+
							"form (machine id or link) for the same device does not."),
				},
				Validators: []validator.List{listvalidator.SizeAtLeast(1), validators.NoNullElements()},
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"device_reference": schema.StringAttribute{
							MarkdownDescription: "The device holding the tokens: its machine id, or its device reference " +
								"link (`self_link` in `bigiq_devices`).",
							Required:   true,
							Validators: []validator.String{validators.DeviceReference()},
						},
						"oauth_ids": schema.ListNestedAttribute{
							MarkdownDescription: "The tokens to revoke on this device.",
							Required:            true,
							Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
							NestedObject: schema.NestedAttributeObject{
								Attributes: map[string]schema.Attribute{
									"id": schema.StringAttribute{
										MarkdownDescription: "The OAuth id of the token: a hex string, sent in lower case as BIG-IQ writes it.",
										Required:            true,
										Validators:          []validator.String{validators.NotBlank(), validators.HexID()},
									},
									"client_id": schema.StringAttribute{
										MarkdownDescription: "The client id the token was issued to (`clientId` in " +
											"`bigiq_oauth_client_apps`). Required: BIG-IQ names a token by the pair of its " +
											"OAuth id and client id, and an id alone matches no token. A hex string, sent in lower case.",
										Required:   true,
										Validators: []validator.String{validators.NotBlank(), validators.HexID()},
									},
								},
							},
						},
					},
				},
			},
			"cluster_names": nameSet("Revoke on the devices of these BIG-IQ clusters (`cluster_name` in " +
				"`bigiq_devices`). Prefer this for clustered devices: BIG-IQ then finds the active member."),
			"access_group_names": nameSet("Revoke on the devices of these BIG-IQ Access groups (`access_group_name` " +
				"in `bigiq_devices`)."),
			"device_references": schema.SetAttribute{
				MarkdownDescription: "Revoke on these devices, each given by its machine id or its device reference " +
					"link (`self_link` in `bigiq_devices`). For a clustered device name the ACTIVE member, or use " +
					"`cluster_names`: a standby member may finish without revoking anything.",
				ElementType: types.StringType,
				Optional:    true,
				PlanModifiers: []planmodifier.Set{
					planmodifiers.RequiresReplaceUnlessSameDevices(
						"Changing the devices runs the revocation again.",
						"Changing the devices runs the revocation again; writing a device in another form (machine id "+
							"or link) does not."),
				},
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(validators.DeviceReference()),
					validators.NoNullElements(),
				},
			},
			"triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary values that, when changed, run the revocation again; for example " +
					"`{ ticket = \"HR-1234\" }`. Use a value that changes once per intended run, such as a ticket id: " +
					"`timestamp()` would change on every plan, so every apply would start a new task.",
				ElementType:   types.StringType,
				Optional:      true,
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"fail_on_not_found": schema.BoolAttribute{
				MarkdownDescription: "BIG-IQ fails a task with \"" + bigiq.MessageTokensNotFound + "\" when no live " +
					"token matches, for example because they were already revoked or expired. By default (`false`) " +
					"that counts as success, since no matching token is left, and gives a warning. Set `true` to make " +
					"it an error.",
				Optional:      true,
				Computed:      true,
				Default:       booldefault.StaticBool(false),
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Task status as BIG-IQ reported it: `FINISHED`, `FAILED`, `CANCELLED`, or `STARTED` " +
					"while it runs. BIG-IQ reports a run that found nothing to revoke as `FAILED`: read `outcome` for " +
					"what the run achieved.",
				Computed:      true,
				PlanModifiers: keep,
			},
			"result": schema.StringAttribute{
				MarkdownDescription: "Task result as BIG-IQ reported it: `COMPLETE` or `FAILED` (`FAILED` also when " +
					"the run found nothing to revoke; see `outcome`).",
				Computed:      true,
				PlanModifiers: keep,
			},
			"outcome": schema.StringAttribute{
				MarkdownDescription: outcomeDescription,
				Computed:            true,
				PlanModifiers:       keep,
			},
			"current_step": schema.StringAttribute{
				MarkdownDescription: "Last step the task reached; `DONE` when it finished.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"error_message": schema.StringAttribute{
				MarkdownDescription: "BIG-IQ's message when the task failed.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"start_date_time": schema.StringAttribute{
				MarkdownDescription: "When the task started, as BIG-IQ reports it.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"end_date_time": schema.StringAttribute{
				MarkdownDescription: "When the task ended, as BIG-IQ reports it.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"self_link": schema.StringAttribute{
				MarkdownDescription: "BIG-IQ's link to the task.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"target_devices":   targetDevicesSchema(),
			"client_app_names": clientAppNamesSchema(),
			"failures": schema.ListNestedAttribute{
				MarkdownDescription: "Tokens BIG-IQ reported it could not revoke, one entry per token and device.",
				Computed:            true,
				PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"device_reference": schema.StringAttribute{
							MarkdownDescription: "Device reference link of the device.",
							Computed:            true,
						},
						"id": schema.StringAttribute{
							MarkdownDescription: "OAuth id of the token.",
							Computed:            true,
						},
						"client_id": schema.StringAttribute{
							MarkdownDescription: "Client id of the token.",
							Computed:            true,
						},
						"error_code": schema.Int64Attribute{
							MarkdownDescription: "HTTP status the BIG-IP answered with.",
							Computed:            true,
						},
						"error": schema.StringAttribute{
							MarkdownDescription: "The error the BIG-IP reported.",
							Computed:            true,
						},
					},
				},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create:            true,
				CreateDescription: "How long to wait for the revocation task to finish, as a duration such as `30s` or `20m`. Defaults to `15m`.",
			}),
		},
	}
}

func targetDevicesSchema() schema.ListNestedAttribute {
	attrs := map[string]schema.Attribute{}
	for _, a := range targetDeviceAttributes {
		attrs[a.name] = schema.StringAttribute{MarkdownDescription: a.schema.GetMarkdownDescription(), Computed: true}
	}
	return schema.ListNestedAttribute{
		MarkdownDescription: "The managed devices this revocation runs on, sorted by `hostname` then `machine_id`: the " +
			"union of the devices that `cluster_names`, `access_group_names` and `device_references` select, as BIG-IQ " +
			"resolves them (only devices whose Access service is discovered and whose trust is established, and " +
			"through an Access group only those whose Access configuration is imported), or with none of those, " +
			"the devices of `per_device_oauth_ids`. Known in the plan whenever the targets are, so a reviewer " +
			"(or a policy on `terraform show -json`) sees exactly where tokens will be revoked. Just before it " +
			"starts the task, the apply resolves the targets again and fails, revoking nothing, if the devices " +
			"differ from the plan's. Recorded once: a refresh never changes it.",
		Computed:      true,
		PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
		NestedObject:  schema.NestedAttributeObject{Attributes: attrs},
	}
}

func clientAppNamesSchema() schema.SetAttribute {
	return schema.SetAttribute{
		MarkdownDescription: "With `client_id`: the names (`appName`) of the OAuth client apps that carry that client id " +
			"on `target_devices`, as BIG-IQ lists them, so a reviewer sees which application loses its tokens. Read " +
			"in the plan whenever `target_devices` is known; empty, with a warning, when no target device knows the " +
			"client id (BIG-IQ lists no app for a device whose Access configuration is not imported). Null with " +
			"`user_name` or `per_device_oauth_ids`. Recorded once: a refresh never changes it.",
		ElementType:   types.StringType,
		Computed:      true,
		PlanModifiers: []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
	}
}

var outcomeDescription = "What the run achieved, derived from the task: `" + string(bigiq.OutcomeRevoked) +
	"` (every token asked for was revoked), `" + string(bigiq.OutcomeNothingToRevoke) + "` (BIG-IQ found no live " +
	"token matching; BIG-IQ reports this with `status` and `result` `FAILED`) or `" +
	string(bigiq.OutcomePartiallyRevoked) + "` (a `per_device_oauth_ids` run in which BIG-IQ did not revoke some " +
	"listed ids; they are in `failures` and were named in a warning). `" + outcomePlannedDevicesLeft + "` when the " +
	"task ended but a device of `target_devices` was no longer among the targets afterwards, so BIG-IQ may have " +
	"skipped it (the resource is tainted). Null when the run did not succeed: the " +
	"resource is then tainted, or the next plan replaces it. Policies and outputs should read this rather than " +
	"`status`."

// The resource's identity, { id }: the revoke-tokens task. It lets
// Terraform 1.12+ import by identity, and `terraform query` name the
// revocations it lists. Terraform and OpenTofu versions without identity
// ignore it.

func (r *oauthTokenRevocationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = revocationIdentitySchema
}

var revocationIdentitySchema = identityschema.Schema{
	Attributes: map[string]identityschema.Attribute{
		"id": identityschema.StringAttribute{
			Description:       "ID of the BIG-IQ revoke-tokens task.",
			RequiredForImport: true,
		},
	},
}

func (r *oauthTokenRevocationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics); r.data != nil {
		r.client = r.data.client
	}
}

func (r *oauthTokenRevocationResource) ConfigValidators(_ context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{resourcevalidator.ExactlyOneOf(revocationModePaths...)}
}

// ValidateConfig checks what the schema cannot express; the action
// checks the same.
func (r *oauthTokenRevocationResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config oauthTokenRevocationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(config.validate()...)
	timeout, diags := config.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(positiveTimeout(path.Root("timeouts").AtName("create"), timeout, diags)...)
}

// ModifyPlan shows the action at plan time: it follows from which of the
// three mode attributes is set.
func (r *oauthTokenRevocationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	replaceUnsuccessfulTask(ctx, req, resp)
	if req.Plan.Raw.IsNull() || !req.State.Raw.IsNull() {
		return // destroy, or an existing resource whose action is kept by UseStateForUnknown
	}
	var plan oauthTokenRevocationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if action, ok := chosenAction(plan.revocationInputs); ok {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("action"), string(action))...)
	}
	resp.Diagnostics.Append(r.planTargetDevices(ctx, plan, &resp.Plan)...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(r.planClientAppNames(ctx, plan, &resp.Plan)...)
	}
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
	recorded := recordedTask(id, action, status, result, errorMessage)
	if resp.Diagnostics.HasError() || status.IsNull() || recorded.Outcome().Succeeded() {
		return
	}
	// Everything BIG-IQ reports about the task is unknown until the new
	// task runs; without a difference Terraform would not replace.
	for _, name := range []string{"id", "status", "result", "outcome", "current_step", "error_message",
		"start_date_time", "end_date_time", "self_link"} {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("failures"), types.ListUnknown(failureType()))...)
	resp.RequiresReplace = append(resp.RequiresReplace, path.Root("status"))
	recordedAs := fmt.Sprintf("status %s and result %s", status.ValueString(), orNone(result.ValueString()))
	if recorded.FinishedWithErrorMessage() {
		recordedAs += fmt.Sprintf(" but error message %q", errorMessage.ValueString())
	}
	resp.Diagnostics.AddWarning("Recorded revocation did not succeed",
		fmt.Sprintf("BIG-IQ revoke-tokens task %s is recorded with %s, so it did not revoke "+
			"what it was asked to. This plan replaces the resource, which runs the revocation again.",
			id.ValueString(), recordedAs))
}

// recordedTask is the task as the state records it, enough to derive its
// outcome by the rule a live task is judged by.
func recordedTask(id, action, status, result, errorMessage types.String) bigiq.Task {
	return bigiq.Task{
		ID: id.ValueString(), Action: bigiq.Action(action.ValueString()),
		Status: status.ValueString(), Result: result.ValueString(), ErrorMessage: errorMessage.ValueString(),
	}
}

// planTargetDevices resolves the targets of a new revocation at plan time
// and sets target_devices. With targets not yet known target_devices stays
// unknown, and the apply resolves it.
func (r *oauthTokenRevocationResource) planTargetDevices(ctx context.Context, plan oauthTokenRevocationModel, out *tfsdk.Plan) diag.Diagnostics {
	devices, resolved, diags := resolveTargetsAtPlanTime(ctx, r.data, plan.revocationInputs)
	if !resolved || diags.HasError() {
		return diags
	}
	list, d := targetDevicesValue(ctx, devices)
	diags.Append(d...)
	diags.Append(out.SetAttribute(ctx, path.Root("target_devices"), list)...)
	return diags
}

// planClientAppNames sets client_app_names in the plan of a new
// revocation, from the target_devices planTargetDevices has set: null when
// the revocation is not by client id, unknown while the client id or the
// devices are.
func (r *oauthTokenRevocationResource) planClientAppNames(ctx context.Context, plan oauthTokenRevocationModel, out *tfsdk.Plan) diag.Diagnostics {
	if plan.ClientID.IsNull() {
		return out.SetAttribute(ctx, path.Root("client_app_names"), types.SetNull(types.StringType))
	}
	var targets types.List
	diags := out.GetAttribute(ctx, path.Root("target_devices"), &targets)
	if diags.HasError() || r.client == nil || plan.ClientID.IsUnknown() || targets.IsUnknown() || targets.IsNull() {
		return diags
	}
	names, err := r.client.ClientAppNames(ctx, hexID(plan.ClientID), targetMachineIDs(targets))
	if bigiq.IsAuthFailure(err) {
		diags.Append(credentialsRefused("the plan cannot show which OAuth client apps the revocation would touch", err))
		return diags
	}
	if err != nil {
		diags.AddError("Could not list the OAuth client apps of client_id",
			"Listing BIG-IQ's OAuth client apps with this client id failed, so the plan cannot show which apps the "+
				"revocation would touch. Check that BIG-IQ is reachable and try again.\n\n"+err.Error())
		return diags
	}
	set, d := clientAppNamesValue(plan.ClientID.ValueString(), targets, names)
	diags.Append(d...)
	diags.Append(out.SetAttribute(ctx, path.Root("client_app_names"), set)...)
	return diags
}

func (r *oauthTokenRevocationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if !requireClient(r.client, &resp.Diagnostics) {
		return
	}
	began := r.data.listings.moment()
	var plan oauthTokenRevocationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	revokeReq, diags := revokeRequestFromInputs(ctx, plan.revocationInputs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	var planned plannedDevices
	if !plan.TargetDevices.IsUnknown() && !plan.TargetDevices.IsNull() {
		planned = plannedFromTargetDevices(plan.TargetDevices)
	}
	result, diags := runRevocation(ctx, r.data, revocationRun{
		request: revokeReq, timeout: timeout, failOnNotFound: plan.FailOnNotFound.ValueBool(), words: resourceWords,
		began: began, planned: planned, driftAt: path.Root("target_devices"),
		driftNext: "Nothing is saved in the state. Run terraform plan again and review the new target_devices before applying.",
		checked: func(devices []bigiq.Device) diag.Diagnostics {
			var diags diag.Diagnostics
			if planned == nil {
				// Targets unknown at plan time are recorded now.
				plan.TargetDevices, diags = targetDevicesValue(ctx, devices)
			}
			diags.Append(r.recordClientAppNames(ctx, &plan)...)
			return diags
		},
		earlier: r.data.left.take(revocationKey(ctx, revokeReq, plan.Triggers)),
		started: func(task *bigiq.Task) diag.Diagnostics {
			// Save the task right away: if waiting fails or Terraform is
			// interrupted, the state still names the task and the resource
			// is tainted, so the next apply runs the revocation again.
			diags := plan.setTask(task)
			diags.Append(setRevocationIdentity(ctx, resp.Identity, task.ID)...)
			diags.Append(resp.State.Set(ctx, &plan)...)
			return diags
		},
	})
	if result.task != nil {
		resp.Diagnostics.Append(plan.setTask(result.task)...)
		if result.devicesLeft {
			plan.Outcome = types.StringValue(outcomePlannedDevicesLeft)
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
	resp.Diagnostics.Append(diags...)
}

// revocationKey tells revocations apart as far as the provider can: by
// what BIG-IQ is asked and by triggers. A create may follow only a task
// an identical revocation left (leftTasks).
func revocationKey(ctx context.Context, req bigiq.RevokeRequest, triggers types.Map) string {
	var t map[string]string
	if !triggers.IsNull() && !triggers.IsUnknown() {
		triggers.ElementsAs(ctx, &t, false)
	}
	key, _ := json.Marshal(struct {
		Request  bigiq.RevokeRequest
		Triggers map[string]string
	}{req, t})
	return string(key)
}

// recordClientAppNames fills client_app_names at apply when the plan could
// not: the client id or the targets came from another resource. Failing to
// list the apps is a warning there: the name is for the record, and the
// targets have just been checked.
func (r *oauthTokenRevocationResource) recordClientAppNames(ctx context.Context, plan *oauthTokenRevocationModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if !plan.ClientAppNames.IsUnknown() {
		return diags
	}
	plan.ClientAppNames = types.SetNull(types.StringType)
	if plan.ClientID.IsNull() || plan.TargetDevices.IsUnknown() || plan.TargetDevices.IsNull() {
		return diags
	}
	names, err := r.client.ClientAppNames(ctx, hexID(plan.ClientID), targetMachineIDs(plan.TargetDevices))
	if err != nil {
		diags.AddAttributeWarning(path.Root("client_app_names"), "Could not list the OAuth client apps of client_id",
			"Listing BIG-IQ's OAuth client apps with this client id failed, so client_app_names stays empty; the "+
				"revocation goes ahead.\n\n"+err.Error())
		return diags
	}
	plan.ClientAppNames, diags = clientAppNamesValue(plan.ClientID.ValueString(), plan.TargetDevices, names)
	return diags
}

func (r *oauthTokenRevocationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if !requireClient(r.client, &resp.Diagnostics) {
		return
	}
	var state oauthTokenRevocationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(setRevocationIdentity(ctx, resp.Identity, state.ID.ValueString())...)
	if resp.Diagnostics.HasError() {
		return
	}

	task, err := r.client.GetTask(ctx, state.ID.ValueString())
	if bigiq.IsNotFound(err) && !state.Action.IsNull() {
		recorded := recordedTask(state.ID, state.Action, state.Status, state.Result, state.ErrorMessage)
		resp.Diagnostics.Append(taskPurgedWarning(recorded)...)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not read the token revocation task",
			fmt.Sprintf("Reading BIG-IQ revoke-tokens task %s failed. Check that BIG-IQ is reachable and try again.\n\n%s",
				state.ID.ValueString(), err))
		return
	}

	// The inputs are only taken from the task on import. Otherwise the
	// state keeps the user's own spelling (a bare machine id rather than
	// BIG-IQ's link), so a finished task never shows drift.
	if state.Action.IsNull() {
		resp.Diagnostics.Append(state.setImportedFromTask(ctx, r.data, task)...)
	}
	recorded := state.Outcome
	resp.Diagnostics.Append(state.setTask(task)...)
	if recorded.ValueString() == outcomePlannedDevicesLeft {
		// Judged from BIG-IQ's estate after the task, which the task
		// itself does not show.
		state.Outcome = recorded
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// taskPurgedWarning is given when BIG-IQ no longer has a recorded task.
// The resource is the record of a run, not a live object: dropping it
// would make the next plan run the revocation again. A record of a run
// that did not succeed is replaced by the plan (replaceUnsuccessfulTask),
// so the warning says that, not that the run is left alone.
func taskPurgedWarning(recorded bigiq.Task) diag.Diagnostics {
	var diags diag.Diagnostics
	next := "The revocation is not run again. To run it again, change triggers."
	if recorded.Status != "" && !recorded.Outcome().Succeeded() {
		next = fmt.Sprintf("That record is of a run that did not succeed (status %s, result %s), so the plan "+
			"replaces the resource and runs the revocation again.", recorded.Status, orNone(recorded.Result))
	}
	diags.AddWarning("Revocation task no longer on BIG-IQ",
		fmt.Sprintf("BIG-IQ no longer has revoke-tokens task %s (it purges old tasks). The state keeps the last "+
			"known record of the run. %s", recorded.ID, next))
	return diags
}

// Update only happens for changes that do not touch the revocation itself
// (timeouts, or a device written in another form); it records them.
func (r *oauthTokenRevocationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan oauthTokenRevocationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(setRevocationIdentity(ctx, resp.Identity, plan.ID.ValueString())...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete forgets the resource. Revoked tokens cannot be restored, and the
// task record stays on BIG-IQ as the audit trail of the revocation. The
// task id is kept for this provider process (leftTasks): when the same
// apply creates the identical revocation again, as it does to replace a
// resource tainted by a timeout or an interrupt, that create follows the
// task if BIG-IQ is still running it, instead of running the revocation
// twice. The recorded status may be stale, so BIG-IQ is asked then.
func (r *oauthTokenRevocationResource) Delete(ctx context.Context, req resource.DeleteRequest, _ *resource.DeleteResponse) {
	var state oauthTokenRevocationModel
	diags := req.State.Get(ctx, &state)
	tflog.Info(ctx, "Removing token revocation from the state; the revocation itself cannot be undone",
		map[string]any{"task_id": state.ID.ValueString()})
	if diags.HasError() || r.data == nil || state.ID.ValueString() == "" || state.Action.IsNull() {
		return
	}
	revokeReq, diags := revokeRequestFromInputs(ctx, state.revocationInputs)
	if !diags.HasError() {
		r.data.left.put(revocationKey(ctx, revokeReq, state.Triggers),
			leftTask{id: state.ID.ValueString(), devices: plannedFromTargetDevices(state.TargetDevices)})
	}
}

// ImportState takes a revoke-tokens task id; Read fills in everything else
// from the task.
func (r *oauthTokenRevocationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, diags := importedTaskID(ctx, req)
	resp.Diagnostics.Append(diags...)
	if id = strings.TrimSpace(id); id == "" {
		resp.Diagnostics.AddError("Invalid import ID",
			"Give the ID of a BIG-IQ revoke-tokens task, for example: terraform import bigiq_oauth_token_revocation.example 5b688828-2279-40b0-9dc1-eccdebb6837f")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setRevocationIdentity(ctx, resp.Identity, id)...)
	// fail_on_not_found only matters when the task is created; record its
	// default so a configuration that does not set it plans no change.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("fail_on_not_found"), false)...)
}

// setRevocationIdentity records the task id as the identity. State written
// before the resource had an identity gets it on its next read, which
// changes nothing in the plan.
func setRevocationIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, taskID string) diag.Diagnostics {
	if identity == nil || taskID == "" {
		return nil
	}
	return identity.SetAttribute(ctx, path.Root("id"), taskID)
}

// importedTaskID is the task named by `terraform import` / an import
// block's id, or else by an import block's identity.
func importedTaskID(ctx context.Context, req resource.ImportStateRequest) (string, diag.Diagnostics) {
	if req.ID != "" || req.Identity == nil {
		return req.ID, nil
	}
	var id types.String
	diags := req.Identity.GetAttribute(ctx, path.Root("id"), &id)
	return id.ValueString(), diags
}

// setImportedFromTask fills what an import knows only from the task: the
// arguments it was asked with and, best-effort, its target devices. Import
// (Read of a state with no arguments) and the list resource's
// include_resource share it, so a listed resource imports with no diff.
func (m *oauthTokenRevocationModel) setImportedFromTask(ctx context.Context, pd *providerData, task *bigiq.Task) diag.Diagnostics {
	diags := m.setInputsFromTask(ctx, task)
	importTargetDevices(ctx, pd, m, task)
	importClientAppNames(ctx, pd.client, m, task)
	return diags
}

// importTargetDevices fills target_devices for an imported (or listed)
// task, on a best-effort basis: the devices its targets select now, which
// may not be those it ran on. A failure leaves it empty; it is never drift.
func importTargetDevices(ctx context.Context, pd *providerData, state *oauthTokenRevocationModel, task *bigiq.Task) {
	state.TargetDevices = types.ListNull(targetDeviceType())
	devices, err := pd.listings.forPlan(ctx)
	if err != nil {
		tflog.Warn(ctx, "Could not list BIG-IQ's devices for an imported revocation; target_devices stays empty",
			map[string]any{"error": err.Error()})
		return
	}
	list, diags := targetDevicesValue(ctx, bigiq.ResolveTargets(devices, task.Input()).Devices)
	if !diags.HasError() {
		state.TargetDevices = list
	}
}

// importClientAppNames fills client_app_names for an imported (or listed)
// task by client id, on a best-effort basis like importTargetDevices, from
// the target_devices it found.
func importClientAppNames(ctx context.Context, client *bigiq.Client, state *oauthTokenRevocationModel, task *bigiq.Task) {
	state.ClientAppNames = types.SetNull(types.StringType)
	clientID := task.Input().ClientID
	if clientID == "" || state.TargetDevices.IsNull() || state.TargetDevices.IsUnknown() {
		return
	}
	names, err := client.ClientAppNames(ctx, clientID, targetMachineIDs(state.TargetDevices))
	if err != nil {
		tflog.Warn(ctx, "Could not list the OAuth client apps of an imported revocation; client_app_names stays empty",
			map[string]any{"error": err.Error()})
		return
	}
	state.ClientAppNames, _ = clientAppNamesValue(clientID, state.TargetDevices, names)
}
