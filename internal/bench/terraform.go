package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

// Terraform runs the real terraform CLI with a provider built once for the
// whole benchmark run.
type Terraform struct {
	CLI string
	// providerDir holds the wrapper terraform starts as the provider (see
	// Usage); realProvider is the provider it runs.
	providerDir, realProvider string
	repoRoot, workRoot        string
	runs, commands            int
}

// NewTerraform finds terraform and builds the provider from the module at
// repoRoot into workRoot, where the workspaces will go too.
func NewTerraform(ctx context.Context, repoRoot, workRoot string) (*Terraform, error) {
	cli, err := tfcli.TerraformPath()
	if err != nil {
		return nil, err
	}
	realDir, err := tfcli.BuildProvider(ctx, repoRoot, filepath.Join(workRoot, "provider"), "bench")
	if err != nil {
		return nil, err
	}
	wrapperDir := filepath.Join(workRoot, "provider-wrapper")
	if err := buildWrapper(ctx, repoRoot, wrapperDir); err != nil {
		return nil, err
	}
	return &Terraform{CLI: cli, providerDir: wrapperDir, realProvider: filepath.Join(realDir, tfcli.BinaryName), repoRoot: repoRoot, workRoot: workRoot}, nil
}

// Workspace is a new directory with config as main.tf and the provider set
// up to reach the mock s (none when s is nil).
func (tf *Terraform) Workspace(s *bigiqmock.Server, config string) (*tfcli.Workspace, error) {
	tf.runs++
	dir := filepath.Join(tf.workRoot, fmt.Sprintf("ws%03d", tf.runs))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var env map[string]string
	if s != nil {
		env = tfcli.MockEnv(s.URL, s.CACertPEM())
	}
	w, err := tfcli.NewWorkspace(dir, tf.CLI, tf.providerDir, env)
	if err != nil {
		return nil, err
	}
	return w, w.WriteFile("main.tf", config)
}

// RequireScriptTools says how to get curl and jq when the reference script
// cannot run.
func RequireScriptTools() error {
	var missing []error
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, fmt.Errorf("%s is not installed", tool))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the reference script needs bash, curl and jq (on Debian: sudo apt-get update && sudo apt-get install -y curl jq): %w", errors.Join(missing...))
	}
	return nil
}
