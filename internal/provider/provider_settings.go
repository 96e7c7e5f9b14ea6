package provider

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/validators"
)

// The provider's settings: its configuration merged with the BIGIQ_*
// environment (the configuration wins), checked, and turned into the
// client's bigiq.Config. Configure and ValidateConfig (provider.go) call
// resolveSettings and settingsFromConfig; provider_settings_test.go tests
// the merge without Terraform.

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
	// insecure is a bool in the configuration and text in the
	// environment; as text it merges like the rest, and resolveSettings
	// parses both the same way.
	insecure := types.StringNull()
	if !m.Insecure.IsNull() && !m.Insecure.IsUnknown() {
		insecure = types.StringValue(strconv.FormatBool(m.Insecure.ValueBool()))
	}
	s := providerSettings{
		address:       str("address", envAddress, m.Address),
		username:      str("username", envUsername, m.Username),
		password:      str("password", envPassword, m.Password),
		loginProvider: str("login_provider_name", envLoginProvider, m.LoginProviderName),
		token:         str("token", envToken, m.Token),
		refreshToken:  str("refresh_token", envRefreshToken, m.RefreshToken),
		insecure:      str("insecure", envInsecure, insecure),
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
