package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/actionvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	resourceschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

var (
	_ action.Action                     = &revokeOAuthTokensAction{}
	_ action.ActionWithConfigure        = &revokeOAuthTokensAction{}
	_ action.ActionWithConfigValidators = &revokeOAuthTokensAction{}
	_ action.ActionWithValidateConfig   = &revokeOAuthTokensAction{}
	_ action.ActionWithModifyPlan       = &revokeOAuthTokensAction{}
)

// defaultInvokeTimeout bounds the wait for the task, as the resource's
// defaultCreateTimeout does.
const defaultInvokeTimeout = 15 * time.Minute

func NewRevokeOAuthTokensAction() action.Action {
	return &revokeOAuthTokensAction{}
}

// revokeOAuthTokensAction revokes tokens now, without a resource to record
// it: `terraform apply -invoke`, or an action_trigger. Terraform 1.14+ only;
// older Terraform and OpenTofu do not ask for actions. It runs through the
// resource's code: the same inputs and validation, the same plan-time
// resolution of the targets and drift guard, and runRevocation.
type revokeOAuthTokensAction struct {
	client *bigiq.Client
	data   *providerData
}

type revokeOAuthTokensActionModel struct {
	revocationInputs
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// actionWords are what the action's diagnostics say of a task that did not
// succeed: an action records nothing, so it is run again by invoking it.
// Run from an action_trigger, it is not run again by a plain apply:
// Terraform fires the trigger only when its resource changes, so the next
// apply plans "No changes" while the tokens stay live. The words say so,
// and name the fix.
var actionWords = runWords{
	timeoutSetting: "timeouts.invoke",
	unsuccessfulNote: "Nothing is recorded in the Terraform state. " + actionRerun + " The " +
		"bigiq_oauth_token_revocation_tasks data source lists the task.",
	notStartedNote: actionRerun,
}

// actionRerun says how to run the action again, from the command line or
// from the action_trigger that ran it.
const actionRerun = "To run the revocation again, invoke the action (terraform apply " +
	"-invoke=action.bigiq_revoke_oauth_tokens.NAME), or, if an action_trigger ran it, replace the resource " +
	"that triggers it (terraform apply -replace=ADDRESS). A plain terraform apply plans \"No changes\" and " +
	"leaves the tokens live: Terraform fires an action_trigger only when its resource changes."

func (a *revokeOAuthTokensAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_revoke_oauth_tokens"
}

// revocationInputNames are the resource's arguments the action takes too.
var revocationInputNames = []string{
	"user_name", "client_id", "per_device_oauth_ids", "cluster_names", "access_group_names", "device_references",
	"fail_on_not_found",
}

func (a *revokeOAuthTokensAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resourceSchema := oauthTokenRevocationSchema(ctx)
	attrs := map[string]schema.Attribute{}
	for _, name := range revocationInputNames {
		attr, err := actionAttribute(resourceSchema.Attributes[name])
		if err != nil {
			resp.Diagnostics.AddError("Invalid action schema",
				fmt.Sprintf("The resource's argument %s cannot be an action attribute: %s. This is a bug in the provider, please report it.", name, err))
			continue
		}
		attrs[name] = attr
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Revokes APM OAuth tokens on BIG-IP devices now, through a BIG-IQ revoke-tokens task, and " +
			"waits until the task has finished, reporting its progress. Needs Terraform 1.14 or later: run it with " +
			"`terraform apply -invoke=action.bigiq_revoke_oauth_tokens.NAME`, or from an `action_trigger` of " +
			"another resource.\n\n" +
			"It takes the arguments of the `bigiq_oauth_token_revocation` resource, with the same rules: exactly " +
			"one of `user_name`, `client_id` or `per_device_oauth_ids`, and where with `cluster_names`, " +
			"`access_group_names` and/or `device_references`. The plan resolves the targets and reports a " +
			"target that names nothing BIG-IQ manages as an error, and a device BIG-IQ will skip as a warning. " +
			"Just before it starts the task, the invoke resolves the targets again, on BIG-IQ as it is then, with " +
			"the same checks and, when the same provider process planned the action, fails, revoking nothing, if " +
			"the devices differ from the plan's. After the task ends it resolves them once more: a device that " +
			"joined meanwhile is a warning, and one that left is an error naming it and the task, since its tokens " +
			"may still be live.\n\n" +
			"Unlike the resource, the action records nothing in the state: each invoke runs a new task, and never " +
			"follows one an earlier invoke left running. " +
			"The `bigiq_oauth_token_revocation_tasks` data source lists the tasks it ran.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{
				InvokeDescription: "How long to wait for the revocation task to finish, as a duration such as `30s` or `20m`. Defaults to `15m`.",
			}),
		},
	}
}

// actionAttribute is one of the resource's arguments as an action
// attribute, so that the resource's schema is the one definition of both:
// the same description, optionality and validators. Plan modifiers and
// defaults are left out, since an action has no state (a null
// fail_on_not_found reads as false). An attribute kind it does not know is
// an error, which Schema reports and TestActionSchema shows.
func actionAttribute(a resourceschema.Attribute) (schema.Attribute, error) {
	switch a := a.(type) {
	case resourceschema.StringAttribute:
		return schema.StringAttribute{MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional, Validators: a.Validators}, nil
	case resourceschema.BoolAttribute:
		return schema.BoolAttribute{MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional, Validators: a.Validators}, nil
	case resourceschema.SetAttribute:
		return schema.SetAttribute{MarkdownDescription: a.MarkdownDescription, ElementType: a.ElementType,
			Required: a.Required, Optional: a.Optional, Validators: a.Validators}, nil
	case resourceschema.ListNestedAttribute:
		nested := map[string]schema.Attribute{}
		for name, n := range a.NestedObject.Attributes {
			attr, err := actionAttribute(n)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			nested[name] = attr
		}
		return schema.ListNestedAttribute{MarkdownDescription: a.MarkdownDescription, Required: a.Required, Optional: a.Optional,
			Validators: a.Validators, NestedObject: schema.NestedAttributeObject{Attributes: nested}}, nil
	}
	return nil, fmt.Errorf("no action form for a %T", a)
}

func (a *revokeOAuthTokensAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	if a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics); a.data != nil {
		a.client = a.data.client
	}
}

func (a *revokeOAuthTokensAction) ConfigValidators(_ context.Context) []action.ConfigValidator {
	return []action.ConfigValidator{actionvalidator.ExactlyOneOf(revocationModePaths...)}
}

// ValidateConfig checks what the resource checks, before any request.
func (a *revokeOAuthTokensAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	var config revokeOAuthTokensActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(config.validate()...)
	timeout, diags := config.Timeouts.Invoke(ctx, defaultInvokeTimeout)
	resp.Diagnostics.Append(positiveTimeout(path.Root("timeouts").AtName("invoke"), timeout, diags)...)
}

// ModifyPlan resolves the targets, so that `terraform plan -invoke` shows
// the resource's plan-time errors and warnings before anything runs.
func (a *revokeOAuthTokensAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	var config revokeOAuthTokensActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, _, diags := resolveTargetsAtPlanTime(ctx, a.data, config.revocationInputs)
	resp.Diagnostics.Append(diags...)
}

// Invoke checks the targets again, then starts the task and waits for it,
// sending a progress event when the task starts and at each change of its
// status or step.
func (a *revokeOAuthTokensAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	if !requireClient(a.client, &resp.Diagnostics) {
		return
	}
	began := a.data.listings.moment()
	var config revokeOAuthTokensActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := config.Timeouts.Invoke(ctx, defaultInvokeTimeout)
	resp.Diagnostics.Append(diags...)
	revokeReq, diags := revokeRequestFromInputs(ctx, config.revocationInputs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	progress := progressReporter{ctx: ctx, send: resp.SendProgress}
	var devices int
	_, diags = runRevocation(ctx, a.data, revocationRun{
		request: revokeReq, timeout: timeout, failOnNotFound: config.FailOnNotFound.ValueBool(), words: actionWords,
		began: began, planned: a.plannedDevices(revokeReq), driftAt: path.Empty(),
		driftNext: "Check the action's targets against the bigiq_devices data source, run terraform plan again, and invoke " +
			"the action again if they still name the devices you mean.",
		checked: func(resolved []bigiq.Device) diag.Diagnostics {
			devices = len(resolved)
			return nil
		},
		// An action records no task, so it never follows one: each invoke
		// runs the revocation.
		started: func(task *bigiq.Task) diag.Diagnostics {
			progress.started(task, devices)
			return nil
		},
		progressed: progress.progressed,
	})
	resp.Diagnostics.Append(diags...)
}

// plannedDevices are the devices the targets selected when this provider
// process planned the action, or nil when no plan listed BIG-IQ's devices
// here. An action has no planned state in which a plan made by another
// process could hand its devices to the invoke; the re-check then only
// checks the targets as a plan would.
func (a *revokeOAuthTokensAction) plannedDevices(req bigiq.RevokeRequest) plannedDevices {
	devices, listed := a.data.listings.planned()
	if !listed {
		return nil
	}
	return plannedFromDevices(bigiq.ResolveTargets(devices, req).Devices)
}

// progressReporter turns the task's progress into Terraform progress
// events. SendProgress blocks until Terraform reads the event, and
// nothing reads once the invoke is over, so it is only ever called from
// Invoke's own goroutine (runRevocation's callbacks are), and not once
// Invoke's context has ended.
type progressReporter struct {
	ctx  context.Context
	send func(action.InvokeProgressEvent)
	// last is the status and step last reported.
	last string
}

func (p *progressReporter) started(task *bigiq.Task, devices int) {
	p.last = task.Status + " " + task.CurrentStep
	p.report(fmt.Sprintf("BIG-IQ revoke-tokens task %s: %s on %s, %s at step %s.",
		task.ID, task.Action, countOf(devices, "target device"), task.Status, orNone(task.CurrentStep)))
}

func (p *progressReporter) progressed(task *bigiq.Task) {
	now := task.Status + " " + task.CurrentStep
	if now == p.last {
		return
	}
	p.last = now
	p.report(fmt.Sprintf("BIG-IQ revoke-tokens task %s: %s at step %s.", task.ID, task.Status, orNone(task.CurrentStep)))
}

func (p *progressReporter) report(message string) {
	if p.ctx.Err() != nil {
		return
	}
	p.send(action.InvokeProgressEvent{Message: message})
}

func countOf(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
