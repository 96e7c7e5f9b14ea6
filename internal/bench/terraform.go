package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

// Terraform runs the real terraform CLI with a provider built once for the
// whole benchmark run.
type Terraform struct {
	CLI         string
	providerDir string
	workRoot    string
	runs        int
}

// NewTerraform finds terraform and builds the provider from the module at
// repoRoot into workRoot, where the workspaces will go too.
func NewTerraform(ctx context.Context, repoRoot, workRoot string) (*Terraform, error) {
	cli, err := tfcli.TerraformPath()
	if err != nil {
		return nil, err
	}
	providerDir, err := tfcli.BuildProvider(ctx, repoRoot, filepath.Join(workRoot, "provider"), "bench")
	if err != nil {
		return nil, err
	}
	return &Terraform{CLI: cli, providerDir: providerDir, workRoot: workRoot}, nil
}

func (tf *Terraform) providerPath() string {
	return filepath.Join(tf.providerDir, tfcli.BinaryName)
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

// Run is one terraform command: its wall time, the peak memory of the
// largest provider process it started, and the CPU time of terraform and
// of the providers, which, unlike the wall, other work on the machine
// hardly changes.
type Run struct {
	tfcli.Result
	ProviderPeakBytes int64
	ProviderProcesses int
	ProviderCPU       time.Duration
	// CPU is terraform's and its providers' together.
	CPU time.Duration
}

// Run runs terraform args... in w while watching the provider's memory.
func (tf *Terraform) Run(ctx context.Context, w *tfcli.Workspace, args ...string) (Run, error) {
	before := childrenCPU()
	watch := watchMemory(tf.providerPath())
	res, err := w.Run(ctx, args...)
	peak, procs := watch.Stop()
	return Run{
		Result: res, ProviderPeakBytes: peak, ProviderProcesses: procs,
		ProviderCPU: watch.CPU(), CPU: childrenCPU() - before,
	}, err
}

// childrenCPU is the CPU time of this process's waited-for children and
// theirs (terraform reaps its providers), as getrusage reports it.
func childrenCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
