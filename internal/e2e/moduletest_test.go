package e2e

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

// TestOffboardingModuleTests runs examples/offboarding/tests the way the
// guide "Test your offboarding module" tells users to: the bigiq-mock
// command serving examples/mock/fixture.json, the provider configured from
// the mock's URL and CA certificate, `terraform init`, `terraform test`.
// So the guide is proven under every CLI the matrix runs this under.
//
// `terraform test` with .tftest.hcl files exists from Terraform 1.6 and in
// every OpenTofu. Terraform 1.5 has an older, experimental `terraform test`
// that ignores .tftest.hcl files, finds no tests and exits 0: under it this
// test proves exactly that (so the guide's warning is true) instead of
// skipping.
func TestOffboardingModuleTests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	root, err := tfcli.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	mock := startMockCommand(t, root, "-fixture", filepath.Join(root, "examples", "mock", "fixture.json"), "-task-duration", "200ms")
	w := tfcli.WorkspaceForTest(t, tfcli.MockEnv(mock.url, mock.caPEM))
	installFromMirror(t, w)
	module := filepath.Join(root, "examples", "offboarding")
	copyFiles(t, module, w.Dir, "*.tf")
	copyFiles(t, filepath.Join(module, "tests"), filepath.Join(w.Dir, "tests"), "*.tftest.hcl")

	if _, err := w.Run(ctx, "init", "-input=false"); err != nil {
		t.Fatal(err)
	}
	cli := cliVersion(t, w)
	res, err := w.Run(ctx, "test")
	out := res.Stdout + res.Stderr

	if !cli.hasTestFiles() {
		// Terraform 1.5's experimental command: it looks for test modules
		// in subdirectories of tests/ and never reads .tftest.hcl.
		if err != nil {
			t.Fatalf("%s: terraform test failed rather than finding nothing to run: %v", cli, err)
		}
		for _, want := range []string{`"terraform test" command is experimental`, "No tests defined"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: terraform test does not say %q; does it run .tftest.hcl after all?\n%s", cli, want, out)
			}
		}
		if posts := mock.posts(t, pathTasks); len(posts) != 0 {
			t.Errorf("%s: BIG-IQ received %d revoke-tokens POSTs from a terraform test that runs nothing", cli, len(posts))
		}
		t.Logf("%s has no .tftest.hcl support (needs Terraform 1.6+ or OpenTofu): its terraform test ran nothing and exited 0, as the guide warns", cli)
		return
	}

	if err != nil {
		t.Fatalf("%s: %v", cli, err)
	}
	if !strings.Contains(out, "5 passed, 0 failed") {
		t.Errorf("%s: terraform test did not pass all five runs:\n%s", cli, out)
	}
	// Two runs apply: the offboarding and its re-run. The plan-only runs,
	// including the two that must fail, never start a task.
	posts := mock.posts(t, pathTasks)
	if len(posts) != 2 {
		t.Fatalf("%s: BIG-IQ received %d revoke-tokens POSTs; want 2 (the offboarding and its re-run): %q", cli, len(posts), posts)
	}
	for i, body := range posts {
		var task struct {
			Action       string   `json:"action"`
			UserName     string   `json:"userName"`
			ClusterNames []string `json:"clusterNames"`
		}
		if err := json.Unmarshal([]byte(body), &task); err != nil {
			t.Fatalf("POST %d: %v: %s", i, err, body)
		}
		if task.Action != "REVOKE_TOKEN_FOR_USER" || task.UserName != "alice" || !slices.Equal(task.ClusterNames, []string{"ProdCluster"}) {
			t.Errorf("%s: POST %d asked for %+v; want alice's tokens on ProdCluster", cli, i, task)
		}
	}
	// What the runs asserted, seen from BIG-IQ: alice's tokens on the
	// cluster are gone, bob's and those on other clusters are not.
	left := mock.tokens(t)
	if got := left["bigip-prod-a.example.com"]; !slices.Equal(got, []string{"bob"}) {
		t.Errorf("%s: tokens left on bigip-prod-a belong to %q; want bob's alone", cli, got)
	}
	for _, host := range []string{"bigip-dr.example.com", "bigip-lab.example.com"} {
		if got := left[host]; !slices.Equal(got, []string{"alice"}) {
			t.Errorf("%s: tokens left on %s belong to %q; want alice's, outside ProdCluster", cli, host, got)
		}
	}
}

// mockProcess is the bigiq-mock command running as its own process.
type mockProcess struct {
	url, caPEM string
	client     *http.Client
}

// startMockCommand builds cmd/bigiq-mock and runs it with args, as the
// guide does: a free port, the URL and CA certificate written to files.
func startMockCommand(t *testing.T, root string, args ...string) *mockProcess {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bigiq-mock")
	build := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "./cmd/bigiq-mock")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building bigiq-mock: %v\n%s", err, out)
	}
	urlFile, caFile := filepath.Join(dir, "url.txt"), filepath.Join(dir, "ca.pem")
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0", "-url-out", urlFile, "-ca-out", caFile}, args...)...) //nolint:gosec,noctx // our own binary; stopped with SIGINT below, as CI would
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("bigiq-mock did not stop cleanly on SIGINT: %v\n%s", err, output.String())
			}
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("bigiq-mock did not stop on SIGINT")
		}
	})

	deadline := time.Now().Add(30 * time.Second)
	for {
		if data, err := os.ReadFile(urlFile); err == nil {
			ca, err := os.ReadFile(caFile)
			if err != nil {
				t.Fatal(err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(ca) {
				t.Fatalf("bigiq-mock wrote no certificate to %s", caFile)
			}
			return &mockProcess{
				url:    strings.TrimSpace(string(data)),
				caPEM:  string(ca),
				client: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}},
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("bigiq-mock exited before listening: %v\n%s", err, output.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("bigiq-mock never wrote %s\n%s", urlFile, output.String())
		}
	}
}

// get decodes the JSON answer of one of the mock's own endpoints.
func (m *mockProcess) get(t *testing.T, path string, into any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, m.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := m.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// posts returns the bodies of the POSTs the mock received to path.
func (m *mockProcess) posts(t *testing.T, path string) []string {
	t.Helper()
	var listing struct {
		Requests []struct{ Method, Path, Body string }
	}
	m.get(t, "/mock/requests", &listing)
	var bodies []string
	for _, r := range listing.Requests {
		if r.Method == http.MethodPost && r.Path == path {
			bodies = append(bodies, r.Body)
		}
	}
	return bodies
}

// tokens returns, by device host name, the users whose OAuth tokens are
// live on it (sorted, one entry per token).
func (m *mockProcess) tokens(t *testing.T) map[string][]string {
	t.Helper()
	var listing struct {
		Devices []struct {
			Hostname string
			Tokens   []struct{ UserName string }
		}
	}
	m.get(t, "/mock/tokens", &listing)
	users := map[string][]string{}
	for _, d := range listing.Devices {
		for _, tok := range d.Tokens {
			users[d.Hostname] = append(users[d.Hostname], tok.UserName)
		}
		slices.Sort(users[d.Hostname])
	}
	return users
}

// installFromMirror makes w install the provider under test from a local
// filesystem mirror instead of dev_overrides, so that `terraform init`
// works offline, as it does for a user with the registry: under
// dev_overrides, init still asks the registry and fails. The mirror holds
// it under both registries' host names, as Terraform and OpenTofu each
// complete "bigiq-community/bigiq" with their own.
func installFromMirror(t *testing.T, w *tfcli.Workspace) {
	t.Helper()
	mirror := filepath.Join(t.TempDir(), "mirror")
	provider := filepath.Join(tfcli.ProviderForTest(t), tfcli.BinaryName)
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		dir := filepath.Join(mirror, host, "bigiq-community", "bigiq", "0.0.1", runtime.GOOS+"_"+runtime.GOARCH)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(provider, filepath.Join(dir, tfcli.BinaryName)); err != nil {
			t.Fatal(err)
		}
	}
	config := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror)
	if err := os.WriteFile(w.CLIConfig, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
}

// copyFiles copies the files of dir matching pattern into to.
func copyFiles(t *testing.T, dir, to, pattern string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil || len(files) == 0 {
		t.Fatalf("no %s in %s: %v", pattern, dir, err)
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, filepath.Base(file)), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
