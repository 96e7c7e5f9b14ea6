package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/validators"
)

var (
	_ provider.Provider                   = &bigiqProvider{}
	_ provider.ProviderWithValidateConfig = &bigiqProvider{}
	_ provider.ProviderWithListResources  = &bigiqProvider{}
	_ provider.ProviderWithActions        = &bigiqProvider{}
)

// New returns a constructor for the provider; version is the release
// version set at build time, or "dev"/"test".
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &bigiqProvider{version: version}
	}
}

type bigiqProvider struct {
	version string
}

type bigiqProviderModel struct {
	Address           types.String `tfsdk:"address"`
	Username          types.String `tfsdk:"username"`
	Password          types.String `tfsdk:"password"`
	LoginProviderName types.String `tfsdk:"login_provider_name"`
	Token             types.String `tfsdk:"token"`
	RefreshToken      types.String `tfsdk:"refresh_token"`
	Insecure          types.Bool   `tfsdk:"insecure"`
	CACertificate     types.String `tfsdk:"ca_certificate"`
	RequestTimeout    types.String `tfsdk:"request_timeout"`
	MaxRetries        types.Int64  `tfsdk:"max_retries"`
}

func (p *bigiqProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "bigiq"
	resp.Version = p.version
}

func (p *bigiqProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The BIG-IQ provider works with F5 BIG-IQ Centralized Management through its REST API: " +
			"it revokes APM OAuth tokens on the BIG-IP devices BIG-IQ manages and looks up those devices and their OAuth client apps. " +
			"The BIG-IQ user needs the `Access_Manager` role.\n\n" +
			"Authenticate with `username` and `password`, or with a pre-issued `refresh_token` and/or `token`. " +
			"BIG-IQ's access tokens last 5 minutes and its refresh tokens 10 hours: the provider renews the access token " +
			"with the refresh token (from its own login, or the one given), so a run may take as long as the refresh " +
			"token lives. A pre-issued `token` alone cannot be renewed and suits only runs shorter than its remaining " +
			"life; for a pipeline without a password, give `refresh_token`.\n\n" +
			"Every attribute except `request_timeout` and `max_retries` can come from an environment variable instead; " +
			"a value in the configuration wins.",
		Attributes: map[string]schema.Attribute{
			"address": schema.StringAttribute{
				MarkdownDescription: "Address of the BIG-IQ: a host name or IP address, optionally with `:port`, or an " +
					"`https://host[:port]` URL. HTTPS is assumed. An IPv6 address may be bare (`::1`), or in brackets " +
					"with a port (`[::1]:443`). Can also be set with the `" + envAddress + "` environment variable.",
				Optional:   true,
				Validators: []validator.String{validators.HTTPSAddress()},
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "BIG-IQ user to log in as. Requires `password`; conflicts with `token`. " +
					"Can also be set with the `" + envUsername + "` environment variable.",
				Optional:   true,
				Validators: []validator.String{validators.NotBlank()},
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password of `username`. Can also be set with the `" + envPassword + "` environment variable.",
				Optional:            true,
				Sensitive:           true,
			},
			"login_provider_name": schema.StringAttribute{
				MarkdownDescription: "BIG-IQ authentication provider `username` belongs to: `local` (the default) for " +
					"BIG-IQ's own users, or the name of a RADIUS, LDAP or TACACS+ provider. " +
					"Can also be set with the `" + envLoginProvider + "` environment variable.",
				Optional:   true,
				Validators: []validator.String{validators.NotBlank()},
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "Pre-issued BIG-IQ access token (`X-F5-Auth-Token`) to use instead of " +
					"`username` and `password`. BIG-IQ's access tokens last 5 minutes; alone it cannot be renewed, so it " +
					"suits only short runs. With `refresh_token` it is used until it expires, then renewed. " +
					"Can also be set with the `" + envToken + "` environment variable.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{validators.NotBlank()},
			},
			"refresh_token": schema.StringAttribute{
				MarkdownDescription: "Pre-issued BIG-IQ refresh token (the `refreshToken` of a login), to use instead of " +
					"`username` and `password`. The provider exchanges it with BIG-IQ for access tokens as they " +
					"expire, so a pipeline can run for up to the refresh token's 10 hours " +
					"without holding a password. Can also be set with the `" + envRefreshToken + "` environment variable.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{validators.NotBlank()},
			},
			"insecure": schema.BoolAttribute{
				MarkdownDescription: "Skip verification of BIG-IQ's TLS certificate. Defaults to `false`. Only for lab " +
					"systems: anyone on the network path can then read the credentials. Prefer `ca_certificate`. " +
					"Can also be set with the `" + envInsecure + "` environment variable (`true` or `false`).",
				Optional: true,
			},
			"ca_certificate": schema.StringAttribute{
				MarkdownDescription: "PEM-encoded CA certificate(s) to trust for BIG-IQ's TLS certificate, in addition to " +
					"the system's trust store; for a self-signed BIG-IQ certificate give the certificate itself. " +
					"Can also be set with the `" + envCACertificate + "` environment variable.",
				Optional:   true,
				Validators: []validator.String{validators.PEMCertificate()},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "How long one HTTP request to BIG-IQ may take, as a duration such as `30s` or `2m`. " +
					"Defaults to `60s`. Waiting for a revocation task is bounded by the resource's `timeouts` instead.",
				Optional:   true,
				Validators: []validator.String{validators.PositiveDuration()},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a failed request that is safe to repeat is retried "+
					"(connection errors, 429 and 5xx answers). `0` disables retries. Defaults to `%d`.", bigiq.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
		},
	}
}

// ValidateConfig catches conflicting settings in the configuration itself,
// so `terraform validate` reports them without credentials or network.
// Values that are unknown or left to the environment are checked in
// Configure, once everything is resolved.
func (p *bigiqProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var config bigiqProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(settingsFromConfig(config).conflicts()...)
}

func (p *bigiqProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config bigiqProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if hasUnknown(config) {
		// Happens during plan when the configuration depends on other
		// resources. Terraform configures again at apply with known values;
		// resources and data sources report a missing client if they need
		// one before that.
		tflog.Debug(ctx, "Provider configuration has unknown values; not creating a BIG-IQ client yet")
		return
	}

	settings, diags := resolveSettings(config, os.LookupEnv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	settings.config.UserAgent = userAgent(p.version)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets(settings)...)
	ctx = tflog.MaskMessageStrings(ctx, secrets(settings)...)

	if settings.config.Insecure {
		resp.Diagnostics.AddWarning("TLS certificate verification is disabled",
			"insecure = true (or "+envInsecure+"=true) makes the provider accept any certificate from "+
				settings.config.Address+", so a machine in the network path could read the BIG-IQ credentials. "+
				"Set ca_certificate to BIG-IQ's certificate or CA instead.")
	}

	client, err := bigiq.NewClient(settings.config)
	if err != nil {
		resp.Diagnostics.AddError("Invalid BIG-IQ provider configuration",
			"The provider cannot be set up with these settings. Fix the provider configuration or the BIGIQ_* "+
				"environment variables.\n\n"+err.Error())
		return
	}
	tflog.Info(ctx, "Configured BIG-IQ client", map[string]any{
		"address":             settings.config.Address,
		"login_provider_name": settings.config.LoginProviderName,
		"auth":                settings.authKind(),
		"insecure":            settings.config.Insecure,
	})
	openClients.add(client)
	data := newProviderData(client)
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

// openClients are the BIG-IQ clients made in this process. BIG-IQ caps the
// live auth tokens of a user, so each token is freed when Terraform stops
// the provider (see CloseClients) rather than left to expire. The framework
// gives a provider no hook at shutdown, so main closes them.
var openClients clientSet

type clientSet struct {
	mu      sync.Mutex
	clients []*bigiq.Client
}

func (s *clientSet) add(c *bigiq.Client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients = append(s.clients, c)
}

// CloseClients frees the auth tokens of every client the provider made, in
// parallel and within ctx: Terraform kills a provider that takes longer
// than two seconds to exit.
func CloseClients(ctx context.Context) error {
	openClients.mu.Lock()
	clients := openClients.clients
	openClients.clients = nil
	openClients.mu.Unlock()

	errs := make([]error, len(clients))
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() { errs[i] = c.Close(ctx) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (p *bigiqProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewOAuthTokenRevocationResource,
	}
}

func (p *bigiqProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewDevicesDataSource,
		NewOAuthClientAppsDataSource,
		NewOAuthTokenRevocationTasksDataSource,
		NewAccessGroupsDataSource,
	}
}

// ListResources are for `terraform query` (Terraform 1.14+); older
// Terraform and OpenTofu do not ask for them.
func (p *bigiqProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewOAuthTokenRevocationListResource,
	}
}

// Actions are for `terraform apply -invoke` and action_trigger (Terraform
// 1.14+); older Terraform and OpenTofu do not ask for them.
func (p *bigiqProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		NewRevokeOAuthTokensAction,
	}
}

// userAgent is how the provider names itself to BIG-IQ, so its requests can
// be told apart in BIG-IQ's logs.
func userAgent(version string) string {
	return "terraform-provider-bigiq/" + version
}

func hasUnknown(m bigiqProviderModel) bool {
	return m.Address.IsUnknown() || m.Username.IsUnknown() || m.Password.IsUnknown() ||
		m.LoginProviderName.IsUnknown() || m.Token.IsUnknown() || m.RefreshToken.IsUnknown() || m.Insecure.IsUnknown() ||
		m.CACertificate.IsUnknown() || m.RequestTimeout.IsUnknown() || m.MaxRetries.IsUnknown()
}

// requireClient reports the missing client when the provider could not be
// configured yet (its settings depend on values known only after apply).
func requireClient(client *bigiq.Client, diags *diag.Diagnostics) bool {
	if client != nil {
		return true
	}
	diags.AddError("BIG-IQ provider is not configured",
		"The provider settings are not known yet, for example because address or credentials come from a "+
			"resource that has not been created. Make the provider configuration depend only on values known at plan "+
			"time (variables, data sources), or create those resources first with -target.")
	return false
}
