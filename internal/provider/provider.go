// Package provider implements the bigiq Terraform provider: its
// configuration, the bigiq_oauth_token_revocation resource and the
// bigiq_devices and bigiq_oauth_client_apps data sources. All BIG-IQ
// traffic goes through the client in internal/bigiq.
package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
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

// Environment variables that stand in for provider attributes. A value in
// the configuration wins over the environment.
const (
	envAddress       = "BIGIQ_ADDRESS"
	envUsername      = "BIGIQ_USERNAME"
	envPassword      = "BIGIQ_PASSWORD"
	envLoginProvider = "BIGIQ_LOGIN_PROVIDER"
	envToken         = "BIGIQ_TOKEN"
	envRefreshToken  = "BIGIQ_REFRESH_TOKEN"
	envInsecure      = "BIGIQ_INSECURE"
	envCACertificate = "BIGIQ_CA_CERTIFICATE"
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
	resp.ResourceData = client
	resp.DataSourceData = client
	resp.ListResourceData = client
	resp.ActionData = client
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

// setting is one provider attribute's resolved value, with where it came
// from so diagnostics can point at the attribute or the variable.
type setting struct {
	attr    string
	env     string
	value   string
	set     bool
	fromEnv bool
}

// name is how diagnostics refer to the setting: both spellings, because the
// user may have used either.
func (s setting) name() string {
	if s.env == "" {
		return s.attr
	}
	return fmt.Sprintf("%s (%s)", s.attr, s.env)
}

// providerSettings are the connection settings after merging configuration
// and environment.
type providerSettings struct {
	address, username, password, loginProvider, token, refreshToken, insecure, caCertificate setting
	config                                                                                   bigiq.Config
}

// settingsFromConfig takes only the known values written in the
// configuration; it is what ValidateConfig can check.
func settingsFromConfig(m bigiqProviderModel) providerSettings {
	return mergeSettings(m, func(string) (string, bool) { return "", false })
}

func mergeSettings(m bigiqProviderModel, lookupEnv func(string) (string, bool)) providerSettings {
	str := func(attr, env string, v types.String) setting {
		s := setting{attr: attr, env: env}
		if !v.IsNull() && !v.IsUnknown() {
			s.value, s.set = v.ValueString(), true
		} else if ev, ok := lookupEnv(env); ok && ev != "" {
			s.value, s.set, s.fromEnv = ev, true, true
		}
		return s
	}
	insecure := setting{attr: "insecure", env: envInsecure}
	if !m.Insecure.IsNull() && !m.Insecure.IsUnknown() {
		insecure.value, insecure.set = strconv.FormatBool(m.Insecure.ValueBool()), true
	} else if ev, ok := lookupEnv(envInsecure); ok && ev != "" {
		insecure.value, insecure.set = ev, true
	}
	s := providerSettings{
		address:       str("address", envAddress, m.Address),
		username:      str("username", envUsername, m.Username),
		password:      str("password", envPassword, m.Password),
		loginProvider: str("login_provider_name", envLoginProvider, m.LoginProviderName),
		token:         str("token", envToken, m.Token),
		refreshToken:  str("refresh_token", envRefreshToken, m.RefreshToken),
		insecure:      insecure,
		caCertificate: str("ca_certificate", envCACertificate, m.CACertificate),
	}
	s.ignoreOtherKindInEnvironment()
	return s
}

// Credentials come in two kinds: a username and password, or tokens (token
// and refresh_token, which work together). ignoreOtherKindInEnvironment
// lets the configuration win per kind: when it sets one kind, the other
// kind in the environment is ignored, so an exported BIGIQ_TOKEN does not
// break a configuration that logs in with a password, nor the reverse. Two
// kinds from the same source remain a conflict.
func (s *providerSettings) ignoreOtherKindInEnvironment() {
	password := []*setting{&s.username, &s.password}
	tokens := []*setting{&s.token, &s.refreshToken}
	configSets := func(kind []*setting) bool {
		return slices.ContainsFunc(kind, func(v *setting) bool { return v.set && !v.fromEnv })
	}
	ignoreEnv := func(kind []*setting) {
		for _, v := range kind {
			if v.fromEnv {
				*v = setting{attr: v.attr, env: v.env}
			}
		}
	}
	switch {
	case configSets(password) && !configSets(tokens):
		ignoreEnv(tokens)
	case configSets(tokens) && !configSets(password):
		ignoreEnv(password)
	}
}

// conflicts reports settings that cannot be combined.
func (s providerSettings) conflicts() diag.Diagnostics {
	var diags diag.Diagnostics
	for _, token := range []setting{s.token, s.refreshToken} {
		for _, other := range []setting{s.username, s.password} {
			if token.set && other.set {
				diags.AddAttributeError(path.Root(token.attr), "Conflicting BIG-IQ credentials",
					fmt.Sprintf("Both %s and %s are set. Use either a token or a username and password: "+
						"remove one from the provider configuration or unset the environment variable.",
						token.name(), other.name()))
			}
		}
	}
	return diags
}

// missing reports settings that are required once configuration and
// environment are merged.
func (s providerSettings) missing() diag.Diagnostics {
	var diags diag.Diagnostics
	if !s.address.set {
		diags.AddAttributeError(path.Root("address"), "Missing BIG-IQ address",
			fmt.Sprintf("Set %s to the BIG-IQ host name or URL, for example \"bigiq.example.com\".", s.address.name()))
	}
	switch {
	case s.token.set || s.refreshToken.set:
	case s.username.set && !s.password.set:
		diags.AddAttributeError(path.Root("password"), "Missing BIG-IQ password",
			fmt.Sprintf("%s is set, so %s is required too.", s.username.name(), s.password.name()))
	case s.password.set && !s.username.set:
		diags.AddAttributeError(path.Root("username"), "Missing BIG-IQ username",
			fmt.Sprintf("%s is set, so %s is required too.", s.password.name(), s.username.name()))
	case !s.username.set:
		diags.AddError("Missing BIG-IQ credentials",
			fmt.Sprintf("Set %s and %s, or %s (or %s, for short runs only).", s.username.name(), s.password.name(),
				s.refreshToken.name(), s.token.name()))
	}
	return diags
}

// resolveSettings merges configuration and environment, checks the result
// and builds the client configuration. Values from the environment did not
// pass the schema validators, so they are checked here the same way.
func resolveSettings(m bigiqProviderModel, lookupEnv func(string) (string, bool)) (providerSettings, diag.Diagnostics) {
	s := mergeSettings(m, lookupEnv)
	diags := s.conflicts()
	diags.Append(s.missing()...)

	cfg := bigiq.Config{
		Address:           s.address.value,
		Username:          s.username.value,
		Password:          s.password.value,
		LoginProviderName: s.loginProvider.value,
		Token:             s.token.value,
		RefreshToken:      s.refreshToken.value,
		CACertificatePEM:  s.caCertificate.value,
	}
	if s.address.set {
		if _, err := bigiq.NormalizeAddress(s.address.value); err != nil {
			diags.AddAttributeError(path.Root("address"), "Invalid BIG-IQ address",
				fmt.Sprintf("%s: %s. Use a host name or an https:// URL without a path.", s.address.name(), err))
		}
	}
	if s.caCertificate.set {
		if err := bigiq.ValidateCACertificate(s.caCertificate.value); err != nil {
			diags.AddAttributeError(path.Root("ca_certificate"), "Invalid CA certificate",
				fmt.Sprintf("%s: %s. Give the PEM text of the certificate, not a file name.", s.caCertificate.name(), err))
		}
	}
	if s.insecure.set {
		v, err := strconv.ParseBool(strings.TrimSpace(s.insecure.value))
		if err != nil {
			diags.AddAttributeError(path.Root("insecure"), "Invalid insecure setting",
				fmt.Sprintf("%s must be true or false, not %q.", s.insecure.name(), s.insecure.value))
		}
		cfg.Insecure = v
	}
	if !m.RequestTimeout.IsNull() {
		d, err := validators.ParseDuration(m.RequestTimeout.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid duration", err.Error())
		}
		cfg.RequestTimeout = d
	}
	if !m.MaxRetries.IsNull() {
		cfg.MaxRetries = new(int(m.MaxRetries.ValueInt64()))
	}
	s.config = cfg
	return s, diags
}

// secrets are the values that must never reach a log line.
func secrets(s providerSettings) []string {
	var out []string
	for _, v := range []string{s.password.value, s.token.value, s.refreshToken.value} {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (s providerSettings) authKind() string {
	switch {
	case s.refreshToken.set:
		return "refresh_token"
	case s.token.set:
		return "token"
	}
	return "password"
}

// clientFromProviderData is shared by the resource and data sources'
// Configure: the provider hands over one client for all of them.
func clientFromProviderData(data any, diags *diag.Diagnostics) *bigiq.Client {
	if data == nil {
		return nil
	}
	client, ok := data.(*bigiq.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *bigiq.Client, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return client
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
