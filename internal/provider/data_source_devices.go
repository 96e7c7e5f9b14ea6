package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/validators"
)

var (
	_ datasource.DataSource              = &devicesDataSource{}
	_ datasource.DataSourceWithConfigure = &devicesDataSource{}
)

func NewDevicesDataSource() datasource.DataSource {
	return &devicesDataSource{}
}

// devicesDataSource lists the BIG-IP devices BIG-IQ manages: the source of
// the cluster names, access group names and device references a
// revocation targets.
type devicesDataSource struct {
	client *bigiq.Client
}

type devicesDataSourceModel struct {
	Addresses       types.List   `tfsdk:"addresses"`
	ClusterName     types.String `tfsdk:"cluster_name"`
	AccessGroupName types.String `tfsdk:"access_group_name"`
	Devices         types.List   `tfsdk:"devices"`
}

func (d *devicesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_devices"
}

func (d *devicesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = devicesSchema()
}

func devicesSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Lists the BIG-IP devices managed by BIG-IQ (its MachineId Resolver), with the cluster " +
			"name, Access group and device reference that `bigiq_oauth_token_revocation` targets.",
		Attributes: map[string]schema.Attribute{
			"addresses": schema.ListAttribute{
				MarkdownDescription: "Only devices with one of these addresses (the device's self IP as BIG-IQ knows " +
					"it, `address` below). BIG-IQ does the filtering.",
				ElementType: types.StringType,
				Optional:    true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.ValueStringsAre(validators.NotBlank()),
					validators.NoNullElements(),
				},
			},
			"cluster_name": schema.StringAttribute{
				MarkdownDescription: "Only devices in this BIG-IQ cluster.",
				Optional:            true,
				Validators:          []validator.String{validators.NotBlank(), validators.ExactName()},
			},
			"access_group_name": schema.StringAttribute{
				MarkdownDescription: "Only devices in this BIG-IQ Access group.",
				Optional:            true,
				Validators:          []validator.String{validators.NotBlank(), validators.ExactName()},
			},
			"devices": deviceAttributes.listAttribute("The matching devices."),
		},
	}
}

func (d *devicesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *devicesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !requireClient(d.client, &resp.Diagnostics) {
		return
	}
	var config devicesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var addresses []string
	resp.Diagnostics.Append(config.Addresses.ElementsAs(ctx, &addresses, false)...)
	if resp.Diagnostics.HasError() {
		return
	}

	devices, err := d.client.ListDevices(ctx, addresses)
	if err != nil {
		resp.Diagnostics.AddError("Could not list BIG-IQ devices",
			fmt.Sprintf("Reading BIG-IQ's managed devices failed. Check that BIG-IQ is reachable and the user may "+
				"read the MachineId Resolver.\n\n%s", err))
		return
	}

	// The filter diagnostics look at every listed device: say them before
	// the list is cut down to the matching ones in place.
	resp.Diagnostics.Append(unmatchedFilterDiagnostics(devices, len(addresses) > 0, config.ClusterName, config.AccessGroupName)...)
	listed := len(devices)
	matching := slices.DeleteFunc(devices, func(device bigiq.Device) bool {
		return !config.ClusterName.IsNull() && device.ClusterName != config.ClusterName.ValueString() ||
			!config.AccessGroupName.IsNull() && device.AccessGroupName != config.AccessGroupName.ValueString()
	})
	tflog.Debug(ctx, "Listed BIG-IQ devices", map[string]any{"listed": listed, "matching": len(matching)})
	if err := setListState(ctx, resp, req.Config, "devices", deviceAttributes.list(matching)); err != nil {
		resp.Diagnostics.AddError("Could not set the devices", "The provider could not build its result; this is a bug, please report it.\n\n"+err.Error())
	}
}

// deviceAttributes are the attributes of one element of devices.
var deviceAttributes = computedAttributes[bigiq.Device]{
	computedString("uuid", "BIG-IQ's UUID of the device.", func(d *bigiq.Device) string { return d.UUID }),
	computedString("machine_id", "Machine id of the device; `machine_id` of `bigiq_oauth_client_apps`.",
		func(d *bigiq.Device) string { return d.MachineID }),
	computedString("hostname", "Host name of the device.", func(d *bigiq.Device) string { return d.Hostname }),
	computedString("address", "Address BIG-IQ manages the device by.", func(d *bigiq.Device) string { return d.Address }),
	computedString("management_address", "Management IP address of the device.",
		func(d *bigiq.Device) string { return d.ManagementAddress }),
	computedString("device_uri", "URI BIG-IQ reaches the device at.", func(d *bigiq.Device) string { return d.DeviceURI }),
	computedInt64("https_port", "HTTPS port BIG-IQ reaches the device on.", func(d *bigiq.Device) int64 { return d.HTTPSPort }),
	computedString("state", "State of the device in BIG-IQ, such as `ACTIVE`.", func(d *bigiq.Device) string { return d.State }),
	computedString("product", "Product, such as `BIG-IP`.", func(d *bigiq.Device) string { return d.Product }),
	computedString("version", "Software version, such as `12.1.0`.", func(d *bigiq.Device) string { return d.Version }),
	computedString("build", "Software build.", func(d *bigiq.Device) string { return d.Build }),
	computedString("cluster_name", "BIG-IQ cluster of the device, for `cluster_names` of "+
		"`bigiq_oauth_token_revocation`; null if it is in none.", func(d *bigiq.Device) string { return d.ClusterName }),
	computedString("access_group_name", "BIG-IQ Access group of the device, for `access_group_names` "+
		"of `bigiq_oauth_token_revocation`; null if it is in none.", func(d *bigiq.Device) string { return d.AccessGroupName }),
	computedBool("is_clustered", "Whether the device is a member of a device cluster.",
		func(d *bigiq.Device) bool { return d.IsClustered }),
	computedBool("is_virtual", "Whether the device is a virtual edition.", func(d *bigiq.Device) bool { return d.IsVirtual }),
	computedBool("trust_established", "Whether BIG-IQ has established trust with the device "+
		"(a prerequisite for revoking tokens on it).", func(d *bigiq.Device) bool { return d.TrustEstablished }),
	computedBool("access_discovered", "Whether BIG-IQ has discovered the device's APM (Access) service.",
		func(d *bigiq.Device) bool { return d.AccessDiscovered }),
	computedBool("access_imported", "Whether BIG-IQ has imported the device's APM configuration (needed to target it by Access group).",
		func(d *bigiq.Device) bool { return d.AccessImported }),
	computedString("self_link", "The device reference: use it in `device_references` or "+
		"`per_device_oauth_ids` of `bigiq_oauth_token_revocation`.", func(d *bigiq.Device) string { return d.SelfLink }),
}
