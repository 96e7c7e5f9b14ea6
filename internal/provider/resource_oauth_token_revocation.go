package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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
				setvalidator.ValueStringsAre(validators.NotBlank()),
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
			"apply runs it again.",
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
				Validators:    []validator.String{validators.NotBlank(), validators.NoSurroundingSpace()},
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "Revoke every token issued to this OAuth client (`" + string(bigiq.ActionRevokeForClientID) +
					"`); see the `bigiq_oauth_client_apps` data source. Conflicts with `user_name` and `per_device_oauth_ids`.",
				Optional:      true,
				PlanModifiers: replace,
				Validators:    []validator.String{validators.NotBlank(), validators.NoSurroundingSpace()},
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
										MarkdownDescription: "The OAuth id of the token.",
										Required:            true,
										Validators:          []validator.String{validators.NotBlank()},
									},
									"client_id": schema.StringAttribute{
										MarkdownDescription: "The client id the token was issued to.",
										Optional:            true,
										Validators:          []validator.String{validators.NotBlank()},
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

func (r *oauthTokenRevocationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
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

// revocationModePaths are the arguments that say what to revoke, of which
// exactly one must be set.
var revocationModePaths = []path.Expression{
	path.MatchRoot("user_name"),
	path.MatchRoot("client_id"),
	path.MatchRoot("per_device_oauth_ids"),
}

// validate checks what the schema cannot express: targets required by the
// mode, and the same device or token named twice.
func (in revocationInputs) validate() diag.Diagnostics {
	var diags diag.Diagnostics
	noTargets := in.ClusterNames.IsNull() && in.AccessGroupNames.IsNull() && in.DeviceReferences.IsNull()
	if noTargets {
		for _, mode := range []struct {
			name  string
			value attr.Value
		}{{"user_name", in.UserName}, {"client_id", in.ClientID}} {
			if !mode.value.IsNull() {
				diags.AddAttributeError(path.Root(mode.name), "Missing revocation target",
					fmt.Sprintf("Revoking by %s needs to know where: set at least one of cluster_names, "+
						"access_group_names or device_references (see the bigiq_devices data source).", mode.name))
			}
		}
	}
	diags.Append(validateDeviceReferences(in.DeviceReferences)...)
	diags.Append(validatePerDeviceOAuthIDs(in.PerDeviceOAuthIDs)...)
	return diags
}

// positiveTimeout refuses a timeout that is not positive. The timeouts
// module only checks that the value parses (parsing holds its errors); a
// zero or negative one would fail every run the moment the task starts.
func positiveTimeout(at path.Path, timeout time.Duration, parsing diag.Diagnostics) diag.Diagnostics {
	var diags diag.Diagnostics
	if !parsing.HasError() && timeout <= 0 {
		diags.AddAttributeError(at, "Invalid timeout",
			fmt.Sprintf("%s is %s; set a positive duration such as \"15m\" (the default), long enough "+
				"for BIG-IQ to revoke the tokens on every targeted device.", at, timeout))
	}
	return diags
}

// validateDeviceReferences rejects one device named twice in different
// forms (a set already removes exact duplicates).
func validateDeviceReferences(refs types.Set) diag.Diagnostics {
	var diags diag.Diagnostics
	if refs.IsNull() || refs.IsUnknown() {
		return diags
	}
	seen := map[string]string{}
	for _, v := range refs.Elements() {
		s, ok := v.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		id := bigiq.MachineIDOf(s.ValueString())
		if id == "" {
			continue // the element validator reports it
		}
		if first, dup := seen[id]; dup {
			diags.AddAttributeError(path.Root("device_references").AtSetValue(s), "Duplicate device reference",
				fmt.Sprintf("%q and %q name the same device. Keep only one of them.", first, s.ValueString()))
			continue
		}
		seen[id] = s.ValueString()
	}
	return diags
}

// validatePerDeviceOAuthIDs rejects a device listed in two entries and an
// OAuth id listed twice for one device: BIG-IQ would report the second as a
// failure, and the intent is almost certainly a typo.
func validatePerDeviceOAuthIDs(list types.List) diag.Diagnostics {
	var diags diag.Diagnostics
	if list.IsNull() || list.IsUnknown() {
		return diags
	}
	root := path.Root("per_device_oauth_ids")
	devices := map[string]int{}
	for i, entry := range perDeviceEntries(list) {
		if !entry.DeviceReference.IsUnknown() {
			if id := bigiq.MachineIDOf(entry.DeviceReference.ValueString()); id != "" {
				if first, dup := devices[id]; dup {
					diags.AddAttributeError(root.AtListIndex(i).AtName("device_reference"), "Duplicate device",
						fmt.Sprintf("Entry %d names the same device as entry %d. Merge their oauth_ids into one entry.", i, first))
				} else {
					devices[id] = i
				}
			}
		}
		if entry.OAuthIDs.IsNull() || entry.OAuthIDs.IsUnknown() {
			continue
		}
		seen := map[string]int{}
		for j, id := range oauthIDEntries(entry.OAuthIDs) {
			if id.ID.IsNull() || id.ID.IsUnknown() {
				continue
			}
			if first, dup := seen[id.ID.ValueString()]; dup {
				diags.AddAttributeError(root.AtListIndex(i).AtName("oauth_ids").AtListIndex(j).AtName("id"),
					"Duplicate OAuth id",
					fmt.Sprintf("OAuth id %q is already listed at oauth_ids[%d] for this device. Remove the duplicate.",
						id.ID.ValueString(), first))
				continue
			}
			seen[id.ID.ValueString()] = j
		}
	}
	return diags
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

func (r *oauthTokenRevocationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if !requireClient(r.client, &resp.Diagnostics) {
		return
	}
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
	devices, diags := checkTargetsUnchanged(ctx, r.client, revokeReq, planned, path.Root("target_devices"),
		"Nothing is saved in the state. Run terraform plan again and review the new target_devices before applying.")
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if planned == nil && resolveTargetsAtPlan {
		// Targets unknown at plan time are recorded now.
		plan.TargetDevices, diags = targetDevicesValue(ctx, devices)
		resp.Diagnostics.Append(diags...)
	}
	resp.Diagnostics.Append(r.recordClientAppNames(ctx, &plan)...)
	final, diags := runRevocation(ctx, r.client, revocationRun{
		request: revokeReq, timeout: timeout, failOnNotFound: plan.FailOnNotFound.ValueBool(), words: resourceWords,
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
	if final != nil {
		resp.Diagnostics.Append(plan.setTask(final)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
	resp.Diagnostics.Append(diags...)
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
		resp.Diagnostics.Append(taskPurgedWarning(state.ID.ValueString())...)
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
		resp.Diagnostics.Append(state.setImportedFromTask(ctx, r.client, task)...)
	}
	resp.Diagnostics.Append(state.setTask(task)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
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
// task record stays on BIG-IQ as the audit trail of the revocation.
func (r *oauthTokenRevocationResource) Delete(ctx context.Context, req resource.DeleteRequest, _ *resource.DeleteResponse) {
	var id types.String
	req.State.GetAttribute(ctx, path.Root("id"), &id)
	tflog.Info(ctx, "Removing token revocation from the state; the revocation itself cannot be undone",
		map[string]any{"task_id": id.ValueString()})
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
