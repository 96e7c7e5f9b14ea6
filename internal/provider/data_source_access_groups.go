package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/validators"
)

var (
	_ datasource.DataSource              = &accessGroupsDataSource{}
	_ datasource.DataSourceWithConfigure = &accessGroupsDataSource{}
)

func NewAccessGroupsDataSource() datasource.DataSource {
	return &accessGroupsDataSource{}
}

// accessGroupsDataSource lists BIG-IQ's Access groups: the names
// access_group_names of a revocation accepts.
type accessGroupsDataSource struct {
	client *bigiq.Client
}

type accessGroupsDataSourceModel struct {
	Name         types.String `tfsdk:"name"`
	AccessGroups types.List   `tfsdk:"access_groups"`
}

// accessGroupRow is one element of access_groups: the group and how many
// managed devices it holds.
type accessGroupRow struct {
	bigiq.AccessGroup
	devices int64
}

// accessGroupAttributes are the attributes of one element of access_groups.
var accessGroupAttributes = computedAttributes[accessGroupRow]{
	computedString("name", "Name of the Access group; `access_group_names` of `bigiq_oauth_token_revocation` and "+
		"`access_group_name` of `bigiq_devices`.", func(g *accessGroupRow) string { return g.GroupName }),
	computedString("display_name", "Name BIG-IQ's UI shows for the group.", func(g *accessGroupRow) string { return g.DisplayName }),
	computedString("self_link", "BIG-IQ's link to the device group.", func(g *accessGroupRow) string { return g.SelfLink }),
	computedInt64("device_count", "How many managed devices are in the group. A revocation by Access group only "+
		"reaches those whose Access configuration is imported (`access_imported` in `bigiq_devices`).",
		func(g *accessGroupRow) int64 { return g.devices }),
}

func (d *accessGroupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_groups"
}

func (d *accessGroupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = accessGroupsSchema()
}

func accessGroupsSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Lists BIG-IQ's Access groups (the device groups BIG-IQ marks as Access groups, not its " +
			"built-in infrastructure groups), with how many managed devices each holds: the names " +
			"`access_group_names` of `bigiq_oauth_token_revocation` accepts.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Only the Access group of this name (`name` below). Without it, every Access group is listed.",
				Optional:            true,
				Validators:          []validator.String{validators.NotBlank(), validators.ExactName()},
			},
			"access_groups": accessGroupAttributes.listAttribute("The Access groups."),
		},
	}
}

func (d *accessGroupsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *accessGroupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !requireClient(d.client, &resp.Diagnostics) {
		return
	}
	var config accessGroupsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	groups, err := d.client.ListAccessGroups(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Could not list Access groups",
			fmt.Sprintf("Reading BIG-IQ's device groups failed. Check that BIG-IQ is reachable and the user may read "+
				"them.\n\n%s", err))
		return
	}
	devices, err := d.client.ListDevices(ctx, nil)
	if err != nil {
		resp.Diagnostics.AddError("Could not count the devices of the Access groups",
			fmt.Sprintf("Reading BIG-IQ's managed devices failed. Check that BIG-IQ is reachable and the user may "+
				"read the MachineId Resolver.\n\n%s", err))
		return
	}
	count := map[string]int64{}
	for _, device := range devices {
		count[device.AccessGroupName]++
	}
	rows := []accessGroupRow{}
	for _, g := range groups {
		if !config.Name.IsNull() && g.GroupName != config.Name.ValueString() {
			continue
		}
		rows = append(rows, accessGroupRow{AccessGroup: g, devices: count[g.GroupName]})
	}
	tflog.Debug(ctx, "Listed Access groups", map[string]any{"listed": len(groups), "matching": len(rows)})
	if err := setListState(ctx, resp, req.Config, "access_groups", accessGroupAttributes.list(rows)); err != nil {
		resp.Diagnostics.AddError("Could not set the Access groups", "The provider could not build its result; this is a bug, please report it.\n\n"+err.Error())
	}
}
