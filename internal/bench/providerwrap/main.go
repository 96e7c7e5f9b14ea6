// Command providerwrap stands in for the provider binary in the benchmark's
// dev_overrides directory, so that the harness can tell the provider's CPU
// and peak memory apart from terraform's.
//
// Why a wrapper: terraform starts the provider and reaps it, so the rusage
// the harness gets from wait4 on terraform is terraform's and its
// providers' together (the CPU summed, the peak memory the largest of
// them), and a provider's own figures are visible only to its parent. The
// wrapper becomes that parent: it starts the real provider (a child, not an
// exec, so that the wrapper is still there to reap it) with the same
// arguments, environment and standard streams, waits for it, and writes the
// rusage wait4 returns for it, which is exactly the provider's (it has no
// children of its own), to a file the harness reads. The wrapper also
// writes its own rusage so the harness can take both out of terraform's.
// The wrapper itself costs about a millisecond of CPU and a few MiB, and it
// does nothing while the provider runs.
//
// Environment: BIGIQ_BENCH_PROVIDER is the real provider's path,
// BIGIQ_BENCH_RUSAGE_DIR the directory for the reports, one JSON file per
// provider process (see bench.Usage), and BIGIQ_BENCH_PROVIDER_ENV
// variables for the provider alone, newline-separated (GOMEMLIMIT=120MiB:
// set for terraform, it would change terraform's figures too).
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// report mirrors bench.providerReport; the wrapper does not import the
// bench package to stay a small binary that starts in a millisecond.
type report struct {
	Start, End    time.Time
	UserNs, SysNs int64
	MaxRSSKiB     int64
	SelfUserNs    int64
	SelfSysNs     int64
	ExitCode      int
	Args          []string
}

func main() {
	provider := os.Getenv("BIGIQ_BENCH_PROVIDER")
	dir := os.Getenv("BIGIQ_BENCH_RUSAGE_DIR")
	if provider == "" || dir == "" {
		fmt.Fprintln(os.Stderr, "providerwrap: set BIGIQ_BENCH_PROVIDER and BIGIQ_BENCH_RUSAGE_DIR")
		os.Exit(2)
	}
	// No context: the provider's life is terraform's to end, not ours.
	cmd := exec.Command(provider, os.Args[1:]...) //nolint:noctx // see above
	// *os.File streams are handed to the child as they are: the plugin
	// handshake on stdout reaches terraform with no copy in between.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if extra := os.Getenv("BIGIQ_BENCH_PROVIDER_ENV"); extra != "" {
		cmd.Env = append(os.Environ(), strings.Split(extra, "\n")...)
	}
	// Terraform stops a provider over gRPC, or with SIGTERM/SIGKILL to the
	// process it started: pass SIGTERM on. An interrupt from a terminal
	// reaches the provider itself through the process group.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "providerwrap:", err)
		os.Exit(1)
	}
	go func() {
		for s := range signals {
			if s == syscall.SIGTERM {
				_ = cmd.Process.Signal(s)
			}
		}
	}()
	_ = cmd.Wait()
	r := report{Start: start, End: time.Now(), ExitCode: cmd.ProcessState.ExitCode(), Args: os.Args[1:]}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.UserNs, r.SysNs, r.MaxRSSKiB = ru.Utime.Nano(), ru.Stime.Nano(), ru.Maxrss
	}
	var self syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &self) == nil {
		r.SelfUserNs, r.SelfSysNs = self.Utime.Nano(), self.Stime.Nano()
	}
	data, _ := json.Marshal(r)
	name := filepath.Join(dir, fmt.Sprintf("provider-%d.json", cmd.Process.Pid))
	// Written whole then renamed, so the harness never reads half a report.
	if err := os.WriteFile(name+".tmp", data, 0o600); err == nil {
		_ = os.Rename(name+".tmp", name)
	}
	os.Exit(r.ExitCode)
}
