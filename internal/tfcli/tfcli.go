// Package tfcli runs the real Terraform CLI against a freshly built provider
// binary, installed through a CLI configuration with dev_overrides, so no
// registry is ever asked for it. The demo, the whole-process tests (signals,
// logs, state files) and the benchmarks share it.
package tfcli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ProviderAddress is the provider's source address, which dev_overrides maps
// to a local directory. It has no hostname, as in RequiredProviders, so each
// CLI reads it with its own default registry: Terraform as
// registry.terraform.io/bigiq-community/bigiq, OpenTofu as
// registry.opentofu.org/bigiq-community/bigiq. A full address would match
// only one of them, and the other would go to a registry for the provider.
const ProviderAddress = "bigiq-community/bigiq"

// RequiredProviders is the terraform block every configuration of this
// provider needs: without it, "bigiq" would mean hashicorp/bigiq.
const RequiredProviders = `terraform {
  required_providers {
    bigiq = {
      source = "bigiq-community/bigiq"
    }
  }
}
`

// BinaryName is the provider executable Terraform looks for.
const BinaryName = "terraform-provider-bigiq"

// EnvTerraformPath names the Terraform (or OpenTofu) CLI to run. It is the
// variable terraform-plugin-testing reads, so the in-process acceptance
// tests and the whole-process runs here use the same binary. The Makefile
// sets it from .ci/terraform.sh, the one place that decides which binary
// that is (and builds one when there is none).
const EnvTerraformPath = "TF_ACC_TERRAFORM_PATH"

// TerraformPath is the CLI to run: $TF_ACC_TERRAFORM_PATH, else `terraform`
// on PATH, which is also terraform-plugin-testing's order (short of its
// download, which this repo never wants). The path is taken as given, so it
// may as well be an OpenTofu binary.
func TerraformPath() (string, error) {
	if p := os.Getenv(EnvTerraformPath); p != "" {
		return p, nil
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		return "", errors.New("no terraform CLI on PATH or in " + EnvTerraformPath + ": `make testacc` builds one (.ci/terraform.sh), or put terraform on PATH")
	}
	return p, nil
}

// RepoRoot is the module's root directory, found upwards from the working
// directory (tests run in their package's directory).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// BuildProvider builds the provider from the module at repoRoot into
// outDir, with version stamped in and the build tags given (the benchmarks
// build a variant), and returns outDir.
func BuildProvider(ctx context.Context, repoRoot, outDir, version string, tags ...string) (string, error) {
	return BuildProviderPackage(ctx, repoRoot, ".", outDir, version, tags...)
}

// BuildProviderPackage is BuildProvider of the command in pkg, a package
// path relative to repoRoot, built as the provider is: the benchmarks'
// stand-ins for the provider are built with its flags so that their
// binaries compare.
func BuildProviderPackage(ctx context.Context, repoRoot, pkg, outDir, version string, tags ...string) (string, error) {
	args := []string{"build", "-trimpath", "-ldflags", "-X main.version=" + version}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	cmd := exec.CommandContext(ctx, "go", append(args, "-o", filepath.Join(outDir, BinaryName), pkg)...)
	cmd.Dir = repoRoot
	cmd.Env = childEnv(append(slices.Clone(runEnv), buildEnv...))
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	return outDir, nil
}

// WriteCLIConfig writes a Terraform CLI configuration that takes this
// provider from providerDir and everything else as usual.
func WriteCLIConfig(path, providerDir string) error {
	config := fmt.Sprintf(`provider_installation {
  dev_overrides {
    %q = %q
  }
  direct {}
}
`, ProviderAddress, providerDir)
	return os.WriteFile(path, []byte(config), 0o600)
}

// Workspace is a directory holding a Terraform configuration, and the
// environment Terraform runs in there.
type Workspace struct {
	Dir       string
	Terraform string
	// CLIConfig is the CLI configuration file that installs the provider.
	CLIConfig string
	// Env is the whole environment of a run: it does not inherit this
	// process's, beyond PATH, HOME and TMPDIR.
	Env []string
}

// NewWorkspace prepares dir to run terraform with the provider from
// providerDir, in an environment made of PATH, HOME and TMPDIR, the
// settings that keep terraform quiet and offline, and env (BIGIQ_*
// settings, TF_LOG, ...), which wins over those settings.
func NewWorkspace(dir, terraform, providerDir string, env map[string]string) (*Workspace, error) {
	cliConfig := filepath.Join(dir, ".terraformrc")
	if err := WriteCLIConfig(cliConfig, providerDir); err != nil {
		return nil, err
	}
	return &Workspace{
		Dir:       dir,
		Terraform: terraform,
		CLIConfig: cliConfig,
		Env:       childEnv(runEnv, harnessEnv, map[string]string{"TF_CLI_CONFIG_FILE": cliConfig}, env),
	}, nil
}

// WriteFile writes name (relative to the workspace) with content.
func (w *Workspace) WriteFile(name, content string) error {
	return os.WriteFile(filepath.Join(w.Dir, name), []byte(content), 0o600)
}

// Command is terraform args... in the workspace, for callers that need the
// process itself (to signal it, to watch it).
func (w *Workspace) Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, w.Terraform, args...)
	cmd.Dir = w.Dir
	cmd.Env = w.Env
	return cmd
}

// Result is what one terraform run printed and how long it took.
type Result struct {
	Stdout, Stderr string
	Wall           time.Duration
}

// Run runs terraform args... and returns its output; err is set when it
// exits non-zero, and then says so with the output's tail.
func (w *Workspace) Run(ctx context.Context, args ...string) (Result, error) {
	cmd := w.Command(ctx, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	res := Result{Stdout: stdout.String(), Stderr: stderr.String(), Wall: time.Since(start)}
	if err != nil {
		return res, fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, tail(res.Stdout+res.Stderr, 4000))
	}
	return res, nil
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
