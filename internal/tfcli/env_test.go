package tfcli

import (
	"slices"
	"strings"
	"testing"
)

// TestWorkspaceEnvIsAllowListed: a terraform run gets PATH, HOME and TMPDIR
// from the caller and nothing else of the caller's: not their BIG-IQ
// settings, proxies, log level or CLI arguments.
func TestWorkspaceEnvIsAllowListed(t *testing.T) {
	dir, providerDir, tmp := t.TempDir(), t.TempDir(), t.TempDir()
	for k, v := range map[string]string{
		"PATH":                 "/caller/bin",
		"HOME":                 "/caller/home",
		"TMPDIR":               tmp,
		"BIGIQ_TOKEN":          "callers-token",
		"BIGIQ_INSECURE":       "true",
		"HTTPS_PROXY":          "http://127.0.0.1:9",
		"TF_LOG":               "TRACE",
		"TF_CLI_ARGS":          "-bogus",
		"TF_VAR_user_name":     "mallory",
		"TF_CLI_CONFIG_FILE":   "/caller/.terraformrc",
		"SOME_UNRELATED_THING": "x",
	} {
		t.Setenv(k, v)
	}
	w, err := NewWorkspace(dir, "/opt/tofu/bin/tofu", providerDir, map[string]string{
		"BIGIQ_ADDRESS": "https://127.0.0.1:8443",
		"TF_CLI_ARGS":   "", // a caller's addition wins over the harness's setting
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"BIGIQ_ADDRESS=https://127.0.0.1:8443",
		"CHECKPOINT_DISABLE=1",
		"HOME=/caller/home",
		"PATH=/caller/bin",
		"TF_CLI_ARGS=",
		"TF_CLI_CONFIG_FILE=" + w.CLIConfig,
		"TF_INPUT=0",
		"TF_IN_AUTOMATION=1",
		"TMPDIR=" + tmp,
	}
	if !slices.Equal(w.Env, want) {
		t.Errorf("environment:\n%s\nwant:\n%s", strings.Join(w.Env, "\n"), strings.Join(want, "\n"))
	}
	if cmd := w.Command(t.Context(), "version"); cmd.Path != "/opt/tofu/bin/tofu" || !slices.Equal(cmd.Env, want) {
		t.Errorf("command %s with env %q; want the workspace's binary and environment", cmd.Path, cmd.Env)
	}
}

// TestBuildEnvKeepsGoSettings: the provider build sees the go command's
// settings (a GOFLAGS=-mod=vendor must still apply) but no BIG-IQ setting.
func TestBuildEnvKeepsGoSettings(t *testing.T) {
	t.Setenv("GOFLAGS", "-mod=mod")
	t.Setenv("GOMODCACHE", "/caller/modcache")
	t.Setenv("BIGIQ_PASSWORD", "callers-password")
	env := childEnv(append(slices.Clone(runEnv), buildEnv...))
	for _, kv := range []string{"GOFLAGS=-mod=mod", "GOMODCACHE=/caller/modcache"} {
		if !slices.Contains(env, kv) {
			t.Errorf("build environment lacks %s: %q", kv, env)
		}
	}
	for _, kv := range env {
		if strings.HasPrefix(kv, "BIGIQ_") {
			t.Errorf("build environment has %s", kv)
		}
	}
}

// TestTerraformPathIsTakenAsGiven: the binary named by
// TF_ACC_TERRAFORM_PATH is used whatever it is called, so make can pass an
// OpenTofu binary the same way.
func TestTerraformPathIsTakenAsGiven(t *testing.T) {
	t.Setenv(EnvTerraformPath, "/opt/tofu/bin/tofu")
	got, err := TerraformPath()
	if err != nil || got != "/opt/tofu/bin/tofu" {
		t.Errorf("TerraformPath() = %q, %v; want /opt/tofu/bin/tofu", got, err)
	}
	t.Setenv(EnvTerraformPath, "")
	t.Setenv("PATH", t.TempDir())
	if _, err := TerraformPath(); err == nil || !strings.Contains(err.Error(), EnvTerraformPath) {
		t.Errorf("TerraformPath() with none anywhere: %v; want an error naming %s", err, EnvTerraformPath)
	}
}
