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
	_ datasource.DataSource              = &oauthClientAppsDataSource{}
	_ datasource.DataSourceWithConfigure = &oauthClientAppsDataSource{}
)

func NewOAuthClientAppsDataSource() datasource.DataSource {
	return &oauthClientAppsDataSource{}
}

// oauthClientAppsDataSource lists APM OAuth client apps: the source of the
// client ids a revocation by client id needs.
type oauthClientAppsDataSource struct {
	client *bigiq.Client
}

type oauthClientAppsDataSourceModel struct {
	MachineID  types.String `tfsdk:"machine_id"`
	ClientApps types.List   `tfsdk:"client_apps"`
}

// clientAppAttributes are the attributes of one element of client_apps.
var clientAppAttributes = computedAttributes[bigiq.OAuthClientApp]{
	computedString("name", "Name of the client app object, such as `shutterfly-client`.",
		func(a *bigiq.OAuthClientApp) string { return a.Name }),
	computedString("app_name", "Application name, such as `Shutterfly`.", func(a *bigiq.OAuthClientApp) string { return a.AppName }),
	computedString("client_id", "OAuth client id; `client_id` of `bigiq_oauth_token_revocation`.",
		func(a *bigiq.OAuthClientApp) string { return a.ClientID }),
}

func (d *oauthClientAppsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_oauth_client_apps"
}

func (d *oauthClientAppsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = oauthClientAppsSchema()
}

func oauthClientAppsSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Lists the APM OAuth client applications BIG-IQ knows from its managed devices, with " +
			"the client id that `bigiq_oauth_token_revocation` revokes by.",
		Attributes: map[string]schema.Attribute{
			"machine_id": schema.StringAttribute{
				MarkdownDescription: "Only client apps of this device, given by its machine id (`machine_id` in " +
					"`bigiq_devices`). Without it, the client apps of all devices are listed.",
				Optional:   true,
				Validators: []validator.String{validators.MachineID()},
			},
			"client_apps": clientAppAttributes.listAttribute("The OAuth client applications."),
		},
	}
}

func (d *oauthClientAppsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *oauthClientAppsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !requireClient(d.client, &resp.Diagnostics) {
		return
	}
	var config oauthClientAppsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	apps, err := d.client.ListOAuthClientApps(ctx, config.MachineID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Could not list OAuth client apps",
			fmt.Sprintf("Reading the APM OAuth client apps from BIG-IQ failed. Check that BIG-IQ is reachable and has "+
				"imported the devices' APM configuration.\n\n%s", err))
		return
	}
	tflog.Debug(ctx, "Listed OAuth client apps", map[string]any{"count": len(apps)})
	if err := setListState(ctx, resp, req.Config, "client_apps", clientAppAttributes.list(apps)); err != nil {
		resp.Diagnostics.AddError("Could not set the client apps", "The provider could not build its result; this is a bug, please report it.\n\n"+err.Error())
	}
}
