package tfcli

import (
	"context"
	"os"
	"sync"
	"testing"
)

var built struct {
	once sync.Once
	dir  string
	err  error
}

// ProviderForTest builds the provider once per test binary and returns the
// directory holding it. The directory outlives single tests, so it is made
// outside t.TempDir and left for the OS to clean.
func ProviderForTest(t testing.TB) string {
	t.Helper()
	built.once.Do(func() {
		root, err := RepoRoot()
		if err != nil {
			built.err = err
			return
		}
		dir, err := os.MkdirTemp("", "bigiq-provider-") //nolint:usetesting // shared by every test of the binary, so no single test's TempDir
		if err != nil {
			built.err = err
			return
		}
		built.dir, built.err = BuildProvider(context.Background(), root, dir, "test")
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.dir
}

// WorkspaceForTest is a workspace in a fresh temporary directory, running
// the provider under test with env. It needs the terraform CLI and fails
// the test, rather than skipping it, when there is none.
func WorkspaceForTest(t testing.TB, env map[string]string) *Workspace {
	t.Helper()
	terraform, err := TerraformPath()
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWorkspace(t.TempDir(), terraform, ProviderForTest(t), env)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// MockEnv is the provider configuration, as environment variables, for a
// mock BIG-IQ at url whose certificate is caPEM, with its admin account.
func MockEnv(url, caPEM string) map[string]string {
	return map[string]string{
		"BIGIQ_ADDRESS":        url,
		"BIGIQ_USERNAME":       "admin",
		"BIGIQ_PASSWORD":       "admin",
		"BIGIQ_CA_CERTIFICATE": caPEM,
	}
}
