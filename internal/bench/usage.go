package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

// Usage is what one terraform command cost, process by process. CPU is
// user+system time, the figure that other work on a shared machine hardly
// moves; peaks are resident set high-water marks (ru_maxrss).
//
// How each figure is attributed, with no sampling:
//   - The provider: terraform starts it, so only terraform could wait4 it.
//     The harness puts a wrapper (internal/bench/providerwrap) where
//     terraform looks for the provider; the wrapper starts the real one,
//     reaps it, and writes the rusage wait4 returned for it to a file.
//   - Terraform: the harness wait4s terraform. That rusage covers terraform
//     and every descendant it reaped (the wrappers and, through them, the
//     providers), so the providers' and wrappers' CPU is taken out of it.
//     Its ru_maxrss is the largest peak of any of them: it is terraform's
//     own when it exceeds every provider's, and otherwise only an upper
//     bound on terraform's (TerraformPeakExact says which).
//   - The mock serves from this process, which otherwise only waits for
//     terraform, so the mock's CPU is this process's own during the run
//     (getrusage RUSAGE_SELF before and after).
type Usage struct {
	TerraformCPU, ProviderCPU   time.Duration
	MockCPU                     time.Duration
	TerraformPeak, ProviderPeak int64 // bytes; ProviderPeak is the largest of the run's providers
	TerraformPeakExact          bool
	Providers                   int // provider processes terraform started
}

// TotalCPU is terraform's and its providers' CPU, the cost of the command
// itself (the mock stands in for BIG-IQ, which is not the user's machine).
func (u Usage) TotalCPU() time.Duration { return u.TerraformCPU + u.ProviderCPU }

// providerReport is what internal/bench/providerwrap writes for each
// provider process it ran.
type providerReport struct {
	Start, End            time.Time
	UserNs, SysNs         int64
	MaxRSSKiB             int64
	SelfUserNs, SelfSysNs int64
	ExitCode              int
	Args                  []string
}

// Run is one terraform command: what it printed and what it cost.
type Run struct {
	tfcli.Result
	Usage
	// Start is when terraform was started, to set against the times the
	// mock records requests.
	Start time.Time
}

// Run runs terraform args... in w and measures it (see Usage).
func (tf *Terraform) Run(ctx context.Context, w *tfcli.Workspace, args ...string) (Run, error) {
	return tf.RunEnv(ctx, w, nil, args...)
}

// RunEnv is Run with extra environment variables for the provider alone
// (GOMEMLIMIT=120MiB, ...), which the wrapper passes on.
func (tf *Terraform) RunEnv(ctx context.Context, w *tfcli.Workspace, providerEnv []string, args ...string) (Run, error) {
	return tf.runProvider(ctx, w, tf.realProvider, providerEnv, args...)
}

// runProvider is RunEnv with provider, the binary the wrapper starts, in
// place of the provider as built.
func (tf *Terraform) runProvider(ctx context.Context, w *tfcli.Workspace, provider string, providerEnv []string, args ...string) (Run, error) {
	tf.commands++
	reports := filepath.Join(tf.workRoot, fmt.Sprintf("rusage%04d", tf.commands))
	if err := os.MkdirAll(reports, 0o755); err != nil {
		return Run{}, err
	}
	cmd := w.Command(ctx, args...)
	cmd.Env = append(cmd.Env, "BIGIQ_BENCH_PROVIDER="+provider, "BIGIQ_BENCH_RUSAGE_DIR="+reports)
	if len(providerEnv) > 0 {
		cmd.Env = append(cmd.Env, "BIGIQ_BENCH_PROVIDER_ENV="+strings.Join(providerEnv, "\n"))
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr

	selfBefore := selfCPU()
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	mock := selfCPU() - selfBefore

	run := Run{Result: tfcli.Result{Stdout: stdout.String(), Stderr: stderr.String(), Wall: wall}, Start: start}
	if err != nil {
		return run, fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, lastChars(run.Stdout+run.Stderr, 4000))
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return run, fmt.Errorf("no rusage for terraform %s", strings.Join(args, " "))
	}
	u, err := attribute(ru, reports)
	if err != nil {
		return run, err
	}
	u.MockCPU = mock
	run.Usage = u
	return run, nil
}

// attribute splits terraform's wait4 rusage ru with the providers' reports
// in dir (see Usage).
func attribute(ru *syscall.Rusage, dir string) (Usage, error) {
	u := Usage{TerraformCPU: time.Duration(ru.Utime.Nano() + ru.Stime.Nano())}
	allPeak := ru.Maxrss << 10
	files, err := filepath.Glob(filepath.Join(dir, "provider-*.json"))
	if err != nil {
		return u, err
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return u, err
		}
		var r providerReport
		if err := json.Unmarshal(data, &r); err != nil {
			return u, fmt.Errorf("%s: %w", f, err)
		}
		u.Providers++
		u.ProviderCPU += time.Duration(r.UserNs + r.SysNs)
		u.TerraformCPU -= time.Duration(r.UserNs + r.SysNs + r.SelfUserNs + r.SelfSysNs)
		u.ProviderPeak = max(u.ProviderPeak, r.MaxRSSKiB<<10)
	}
	u.TerraformPeak = allPeak
	u.TerraformPeakExact = allPeak > u.ProviderPeak
	return u, nil
}

// selfCPU is this process's user+system CPU so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// buildWrapper builds internal/bench/providerwrap as the provider binary
// terraform will find in dir.
func buildWrapper(ctx context.Context, repoRoot, dir string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", filepath.Join(dir, tfcli.BinaryName), "./internal/bench/providerwrap")
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the provider wrapper: %w\n%s", err, out)
	}
	return nil
}

func lastChars(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
