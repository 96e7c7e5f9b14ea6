package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

var (
	_ datasource.DataSource              = &oauthTokenRevocationTasksDataSource{}
	_ datasource.DataSourceWithConfigure = &oauthTokenRevocationTasksDataSource{}
)

func NewOAuthTokenRevocationTasksDataSource() datasource.DataSource {
	return &oauthTokenRevocationTasksDataSource{}
}

// oauthTokenRevocationTasksDataSource reads the history of revoke-tokens
// tasks: what was revoked, where, when and by which BIG-IQ account.
type oauthTokenRevocationTasksDataSource struct {
	client *bigiq.Client
}

type oauthTokenRevocationTasksModel struct {
	taskFilterModel
	Tasks types.List `tfsdk:"tasks"`
}

// revocationTaskType is the terraform type of one element of tasks, and
// of the objects nested in it. TestSchemaTypes checks it against
// oauthTokenRevocationTasksSchema.
type revocationTaskType struct {
	task, perDeviceOAuthIDs, oauthID tftypes.Object
}

func newRevocationTaskType() revocationTaskType {
	strs := tftypes.List{ElementType: tftypes.String}
	oauthID := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String, "client_id": tftypes.String}}
	perDevice := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"device_reference": tftypes.String,
		"oauth_ids":        tftypes.List{ElementType: oauthID},
	}}
	task := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"per_device_oauth_ids": tftypes.List{ElementType: perDevice},
		"cluster_names":        strs,
		"access_group_names":   strs,
		"device_references":    strs,
	}}
	for _, name := range []string{"id", "action", "status", "result", "outcome", "current_step", "user_name",
		"client_id", "error_message", "start_date_time", "end_date_time", "started_by"} {
		task.AttributeTypes[name] = tftypes.String
	}
	return revocationTaskType{task: task, perDeviceOAuthIDs: perDevice, oauthID: oauthID}
}

func (d *oauthTokenRevocationTasksDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_oauth_token_revocation_tasks"
}

func (d *oauthTokenRevocationTasksDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = oauthTokenRevocationTasksSchema()
}

func oauthTokenRevocationTasksSchema() schema.Schema {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	names := func(description string) schema.ListAttribute {
		return schema.ListAttribute{MarkdownDescription: description, ElementType: types.StringType, Computed: true}
	}
	attrs := map[string]schema.Attribute{
		"tasks": schema.ListNestedAttribute{
			MarkdownDescription: "The matching tasks, newest first.",
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"id":     computed("ID of the task; `terraform import` takes it as the ID of a `bigiq_oauth_token_revocation`."),
				"action": computed("The action the task ran."),
				"status": computed("`STARTED`, `FINISHED`, `FAILED`, `CANCELLED`, ..."),
				"result": computed("`COMPLETE` or `FAILED` once the task has ended."),
				"outcome": computed("What the task achieved, by the same rule as the resource's `outcome`: `" +
					string(bigiq.OutcomeRevoked) + "`, `" + string(bigiq.OutcomeNothingToRevoke) + "` (BIG-IQ found no " +
					"live token matching, though `status` says `FAILED`) or `" + string(bigiq.OutcomePartiallyRevoked) +
					"`; null while it runs and when it did not succeed."),
				"current_step":       computed("The step the task is at, `DONE` once it has finished."),
				"user_name":          computed("Whose tokens the task revoked, for `" + string(bigiq.ActionRevokeForUser) + "`."),
				"client_id":          computed("The OAuth client id, for `" + string(bigiq.ActionRevokeForClientID) + "`."),
				"cluster_names":      names("The clusters the task targeted."),
				"access_group_names": names("The Access groups the task targeted."),
				"device_references":  names("The devices the task targeted, as BIG-IQ's reference links."),
				"per_device_oauth_ids": schema.ListNestedAttribute{
					MarkdownDescription: "The tokens the task revoked, for `" + string(bigiq.ActionRevokeList) + "`.",
					Computed:            true,
					NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
						"device_reference": computed("The device, as BIG-IQ's reference link."),
						"oauth_ids": schema.ListNestedAttribute{
							MarkdownDescription: "The tokens on that device.",
							Computed:            true,
							NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
								"id":        computed("OAuth token id."),
								"client_id": computed("OAuth client id of the token, when BIG-IQ recorded it."),
							}},
						},
					}},
				},
				"error_message":   computed("BIG-IQ's message for a task that did not revoke everything."),
				"start_date_time": computed("When the task started, as BIG-IQ writes it."),
				"end_date_time":   computed("When the task ended, as BIG-IQ writes it; null while it runs."),
				"started_by":      computed("The BIG-IQ account that started the task."),
			}},
		},
	}
	for name, filter := range taskFilterAttributes {
		attrs[name] = schema.StringAttribute{
			MarkdownDescription: filter.description,
			Optional:            true,
			Validators:          filter.validators,
		}
	}
	return schema.Schema{
		MarkdownDescription: "Lists BIG-IQ's revoke-tokens tasks, newest first: what was revoked, on which targets, " +
			"when, with what outcome, and by which BIG-IQ account, whether Terraform, another pipeline or the " +
			"BIG-IQ UI started them. Every filter that is set applies; without filters every task is listed.",
		Attributes: attrs,
	}
}

func (d *oauthTokenRevocationTasksDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *oauthTokenRevocationTasksDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !requireClient(d.client, &resp.Diagnostics) {
		return
	}
	var config oauthTokenRevocationTasksModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	tasks, diags := listRevocationTasks(ctx, d.client, config.taskFilterModel)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	typ := newRevocationTaskType()
	elements := make([]tftypes.Value, 0, len(tasks))
	for i := range tasks {
		elements = append(elements, typ.value(&tasks[i]))
	}
	state, err := stateWithList(req.Config, "tasks", typ.task, elements)
	if err != nil {
		resp.Diagnostics.AddError("Could not set the tasks", "The provider could not build its result; this is a bug, please report it.\n\n"+err.Error())
		return
	}
	resp.State.Raw = state
}

// listRevocationTasks reads the tasks the filters select.
func listRevocationTasks(ctx context.Context, client *bigiq.Client, filters taskFilterModel) ([]bigiq.Task, diag.Diagnostics) {
	filter, diags := filters.filter()
	if diags.HasError() {
		return nil, diags
	}
	tasks, err := client.ListRevokeTasks(ctx, filter)
	if err != nil {
		diags.AddError("Could not list the token revocation tasks",
			fmt.Sprintf("Reading BIG-IQ's revoke-tokens tasks failed. Check that BIG-IQ is reachable and that the "+
				"BIG-IQ user may read them (the Access_Manager role).\n\n%s", err))
		return nil, diags
	}
	tflog.Debug(ctx, "Listed revoke-tokens tasks", map[string]any{"count": len(tasks)})
	return tasks, diags
}

// value is t as one element of tasks.
func (typ revocationTaskType) value(t *bigiq.Task) tftypes.Value {
	refs := make([]string, len(t.DeviceReferences))
	for i, ref := range t.DeviceReferences {
		refs[i] = ref.Link
	}
	perDevice := make([]tftypes.Value, len(t.PerDeviceOAuthIDs))
	for i, entry := range t.PerDeviceOAuthIDs {
		ids := make([]tftypes.Value, len(entry.OAuthIDs))
		for j, id := range entry.OAuthIDs {
			ids[j] = tftypes.NewValue(typ.oauthID, map[string]tftypes.Value{
				"id":        tfString(id.ID),
				"client_id": tfString(id.ClientID),
			})
		}
		perDevice[i] = tftypes.NewValue(typ.perDeviceOAuthIDs, map[string]tftypes.Value{
			"device_reference": tfString(entry.DeviceReference.Link),
			"oauth_ids":        tftypes.NewValue(tftypes.List{ElementType: typ.oauthID}, ids),
		})
	}
	return tftypes.NewValue(typ.task, map[string]tftypes.Value{
		"id":                   tfString(t.ID),
		"action":               tfString(string(t.Action)),
		"status":               tfString(t.Status),
		"result":               tfString(t.Result),
		"outcome":              tfString(string(t.Outcome().Name)),
		"current_step":         tfString(t.CurrentStep),
		"user_name":            tfString(t.UserName),
		"client_id":            tfString(t.ClientID),
		"cluster_names":        tfStrings(t.ClusterNames),
		"access_group_names":   tfStrings(t.AccessGroupNames),
		"device_references":    tfStrings(refs),
		"per_device_oauth_ids": tftypes.NewValue(tftypes.List{ElementType: typ.perDeviceOAuthIDs}, perDevice),
		"error_message":        tfString(t.ErrorMessage),
		"start_date_time":      tfString(t.StartDateTime),
		"end_date_time":        tfString(t.EndDateTime),
		"started_by":           tfString(t.StartedBy()),
	})
}

// tfStrings is a terraform list of strings, empty rather than null when
// there are none, so that length() works on every task.
func tfStrings(values []string) tftypes.Value {
	out := make([]tftypes.Value, len(values))
	for i, v := range values {
		out[i] = tftypes.NewValue(tftypes.String, v)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, out)
}
