package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// TestResolveSettings checks the merge of configuration and environment
// without Terraform.
func TestResolveSettings(t *testing.T) {
	env := func(vars map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	}
	empty := bigiqProviderModel{
		Address: types.StringNull(), Username: types.StringNull(), Password: types.StringNull(),
		LoginProviderName: types.StringNull(), Token: types.StringNull(), RefreshToken: types.StringNull(), Insecure: types.BoolNull(),
		CACertificate: types.StringNull(), RequestTimeout: types.StringNull(), MaxRetries: types.Int64Null(),
	}

	t.Run("config wins over environment", func(t *testing.T) {
		m := empty
		m.Address = types.StringValue("config.example.com")
		m.Username = types.StringValue("config-user")
		s, diags := resolveSettings(m, env(map[string]string{
			envAddress: "env.example.com", envUsername: "env-user", envPassword: "env-pass",
			envLoginProvider: "radius", envInsecure: "true",
		}))
		if diags.HasError() {
			t.Fatal(diags)
		}
		want := bigiq.Config{Address: "config.example.com", Username: "config-user", Password: "env-pass",
			LoginProviderName: "radius", Insecure: true}
		if s.config != want {
			t.Errorf("config = %+v, want %+v", s.config, want)
		}
	})

	// Credentials come in two kinds: username and password, or tokens
	// (token and refresh_token). The kind the configuration sets wins; the
	// other kind in the environment is ignored, in both directions.
	t.Run("config wins per kind of credential", func(t *testing.T) {
		cases := map[string]struct {
			config func(*bigiqProviderModel)
			vars   map[string]string
			want   bigiq.Config
		}{
			"password in config, token in environment": {
				config: func(m *bigiqProviderModel) {
					m.Username, m.Password = types.StringValue("cfg-user"), types.StringValue("cfg-pass")
				},
				vars: map[string]string{envToken: "env-token", envRefreshToken: "env-refresh"},
				want: bigiq.Config{Address: "a", Username: "cfg-user", Password: "cfg-pass"},
			},
			"username in config, password and token in environment": {
				config: func(m *bigiqProviderModel) { m.Username = types.StringValue("cfg-user") },
				vars:   map[string]string{envPassword: "env-pass", envToken: "env-token"},
				want:   bigiq.Config{Address: "a", Username: "cfg-user", Password: "env-pass"},
			},
			"token in config, password in environment": {
				config: func(m *bigiqProviderModel) { m.Token = types.StringValue("cfg-token") },
				vars:   map[string]string{envUsername: "env-user", envPassword: "env-pass"},
				want:   bigiq.Config{Address: "a", Token: "cfg-token"},
			},
			"refresh token in config, password in environment": {
				config: func(m *bigiqProviderModel) { m.RefreshToken = types.StringValue("cfg-refresh") },
				vars:   map[string]string{envUsername: "env-user", envPassword: "env-pass"},
				want:   bigiq.Config{Address: "a", RefreshToken: "cfg-refresh"},
			},
			"token in config, refresh token in environment: one kind, both used": {
				config: func(m *bigiqProviderModel) { m.Token = types.StringValue("cfg-token") },
				vars:   map[string]string{envRefreshToken: "env-refresh", envPassword: "env-pass"},
				want:   bigiq.Config{Address: "a", Token: "cfg-token", RefreshToken: "env-refresh"},
			},
		}
		for name, tc := range cases {
			m := empty
			tc.config(&m)
			tc.vars[envAddress] = "a"
			s, diags := resolveSettings(m, env(tc.vars))
			if diags.HasError() {
				t.Errorf("%s: %v", name, diags)
				continue
			}
			if s.config != tc.want {
				t.Errorf("%s: config = %+v, want %+v", name, s.config, tc.want)
			}
		}

		// Both kinds from the same source are a conflict.
		m := empty
		m.Token, m.Password, m.Username = types.StringValue("t"), types.StringValue("p"), types.StringValue("u")
		if diags := settingsFromConfig(m).conflicts(); !diags.HasError() {
			t.Error("token and password both in the configuration: no conflict reported")
		}
		if _, diags := resolveSettings(empty, env(map[string]string{envAddress: "a", envRefreshToken: "r", envUsername: "u", envPassword: "p"})); !diags.HasError() {
			t.Error("refresh token and password both in the environment: no conflict reported")
		}
	})

	t.Run("bare IPv6 address", func(t *testing.T) {
		for _, addr := range []string{"::1", "[::1]:8443"} {
			if _, diags := resolveSettings(empty, env(map[string]string{envAddress: addr, envToken: "t"})); diags.HasError() {
				t.Errorf("%s=%s: %v", envAddress, addr, diags)
			}
		}
		_, diags := resolveSettings(empty, env(map[string]string{envAddress: "2001:db8::1::443", envToken: "t"}))
		if diags.ErrorsCount() != 1 || !strings.Contains(diags.Errors()[0].Detail(), "[::1]:443") {
			t.Errorf("an IPv6 address with an unbracketed port: %v", diags)
		}
	})

	t.Run("max_retries zero means none", func(t *testing.T) {
		m := empty
		m.MaxRetries = types.Int64Value(0)
		m.RequestTimeout = types.StringValue("45s")
		s, _ := resolveSettings(m, env(map[string]string{envAddress: "a", envToken: "t"}))
		if s.config.MaxRetries == nil || *s.config.MaxRetries != 0 || s.config.RequestTimeout != 45*time.Second {
			t.Errorf("MaxRetries = %v, RequestTimeout = %s; want 0 (none) and 45s", s.config.MaxRetries, s.config.RequestTimeout)
		}
		s, _ = resolveSettings(empty, env(map[string]string{envAddress: "a", envToken: "t"}))
		if s.config.MaxRetries != nil {
			t.Errorf("unset max_retries: MaxRetries = %d, want nil (the client's default)", *s.config.MaxRetries)
		}
	})

	t.Run("errors name attribute and variable", func(t *testing.T) {
		// Distinctive secrets, so a leak cannot hide among ordinary words.
		const leakPassword, leakToken = "pw-5e1f0c2a-never-shown", "tok-9b7d3e41-never-shown"
		cases := []struct {
			vars      map[string]string
			wantPath  string
			wantWords []string
		}{
			{map[string]string{envUsername: "u", envPassword: leakPassword}, "address", []string{"address (BIGIQ_ADDRESS)"}},
			{map[string]string{envAddress: "a", envUsername: "u"}, "password", []string{"password (BIGIQ_PASSWORD)", "username (BIGIQ_USERNAME)"}},
			{map[string]string{envAddress: "a", envPassword: leakPassword}, "username", []string{"username (BIGIQ_USERNAME)"}},
			{map[string]string{envAddress: "a", envToken: leakToken, envPassword: leakPassword}, "token", []string{"token (BIGIQ_TOKEN)", "password (BIGIQ_PASSWORD)"}},
			{map[string]string{envAddress: "a", envRefreshToken: leakToken, envUsername: "u"}, "refresh_token", []string{"refresh_token (BIGIQ_REFRESH_TOKEN)", "username (BIGIQ_USERNAME)"}},
			{map[string]string{envAddress: "ftp://a", envToken: leakToken}, "address", []string{"address (BIGIQ_ADDRESS)", "ftp"}},
			{map[string]string{envAddress: "a", envToken: leakToken, envCACertificate: "junk"}, "ca_certificate", []string{"BIGIQ_CA_CERTIFICATE"}},
		}
		for _, tc := range cases {
			_, diags := resolveSettings(empty, env(tc.vars))
			if diags.ErrorsCount() != 1 {
				t.Errorf("%v: want one error, got %v", tc.vars, diags)
				continue
			}
			d := diags.Errors()[0]
			if p, ok := d.(diag.DiagnosticWithPath); !ok || !p.Path().Equal(path.Root(tc.wantPath)) {
				t.Errorf("%v: error not at %s: %v", tc.vars, tc.wantPath, d)
			}
			for _, w := range tc.wantWords {
				if !strings.Contains(d.Detail(), w) {
					t.Errorf("%v: detail %q does not mention %q", tc.vars, d.Detail(), w)
				}
			}
			for _, secret := range []string{leakPassword, leakToken} {
				if strings.Contains(d.Summary()+d.Detail(), secret) {
					t.Errorf("%v: the diagnostic leaks a secret: %q", tc.vars, d.Detail())
				}
			}
		}
	})
}

// TestResolveSettings_insecureDefaultsToFalse: a configuration that does not
// mention insecure verifies TLS.
func TestResolveSettings_insecureDefaultsToFalse(t *testing.T) {
	m := bigiqProviderModel{
		Address: types.StringValue("bigiq.example.com"), Username: types.StringValue("u"), Password: types.StringValue("p"),
		LoginProviderName: types.StringNull(), Token: types.StringNull(), RefreshToken: types.StringNull(), Insecure: types.BoolNull(),
		CACertificate: types.StringNull(), RequestTimeout: types.StringNull(), MaxRetries: types.Int64Null(),
	}
	s, diags := resolveSettings(m, func(string) (string, bool) { return "", false })
	if diags.HasError() || s.config.Insecure {
		t.Errorf("insecure unset: Insecure = %v (%v); want false", s.config.Insecure, diags)
	}
}

// TestResolveSettings_insecure: insecure merges like every other setting
// (the configuration wins, the environment fills in and is marked as the
// source), and a value of either origin that is not a bool is an error
// naming both spellings.
func TestResolveSettings_insecure(t *testing.T) {
	model := func(insecure types.Bool) bigiqProviderModel {
		return bigiqProviderModel{
			Address: types.StringValue("bigiq.example.com"), Username: types.StringValue("u"), Password: types.StringValue("p"),
			LoginProviderName: types.StringNull(), Token: types.StringNull(), RefreshToken: types.StringNull(), Insecure: insecure,
			CACertificate: types.StringNull(), RequestTimeout: types.StringNull(), MaxRetries: types.Int64Null(),
		}
	}
	env := func(value string) func(string) (string, bool) {
		return func(name string) (string, bool) { return value, name == envInsecure }
	}
	for _, tc := range []struct {
		name         string
		config       types.Bool
		env          string
		want         bool
		wantFromEnv  bool
		wantErrorFor string
	}{
		{name: "config false wins over environment", config: types.BoolValue(false), env: "true", want: false},
		{name: "config true", config: types.BoolValue(true), env: "", want: true},
		{name: "environment fills in", config: types.BoolNull(), env: "true", want: true, wantFromEnv: true},
		{name: "environment, spaced and upper case", config: types.BoolNull(), env: " TRUE ", want: true, wantFromEnv: true},
		{name: "environment not a bool", config: types.BoolNull(), env: "yes please", wantFromEnv: true,
			wantErrorFor: `insecure (BIGIQ_INSECURE) must be true or false, not "yes please".`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, diags := resolveSettings(model(tc.config), env(tc.env))
			if tc.wantErrorFor != "" {
				if diags.ErrorsCount() != 1 || diags.Errors()[0].Detail() != tc.wantErrorFor {
					t.Fatalf("diagnostics %v; want one error %q", diags, tc.wantErrorFor)
				}
				if d, ok := diags.Errors()[0].(diag.DiagnosticWithPath); !ok || !d.Path().Equal(path.Root("insecure")) {
					t.Errorf("the error is not about the insecure attribute: %v", diags.Errors()[0])
				}
			} else if diags.HasError() {
				t.Fatal(diags)
			}
			if s.config.Insecure != tc.want || s.insecure.fromEnv != tc.wantFromEnv {
				t.Errorf("Insecure = %v, from the environment %v; want %v, %v", s.config.Insecure, s.insecure.fromEnv, tc.want, tc.wantFromEnv)
			}
		})
	}
}
