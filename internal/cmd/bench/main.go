// Command bench runs every benchmark of issue 6 in one go against the mock
// BIG-IQ and the real terraform CLI, prints the table and writes it, with
// the machine and the commit, to BENCHMARKS.md:
//
//	go run ./internal/cmd/bench -out BENCHMARKS.md
//
// Every task duration and estate size is a flag, to rerun at other scales.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bench"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

type config struct {
	out                        string
	waitDurations              []time.Duration
	waitTasks                  int
	steadyTask, task           time.Duration
	scriptReps                 int
	devices, appsPerDevice     int
	revocations                int
	parallelism                []int
	bigListIDs, bigListDevices int
}

func parseFlags(args []string) (config, error) {
	c := config{
		waitDurations: []time.Duration{200 * time.Millisecond, 2 * time.Second, 20 * time.Second},
		parallelism:   []int{10, 50},
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&c.out, "out", "BENCHMARKS.md", "write the results here (empty: only print them)")
	fs.Func("wait-durations", "task durations of the wait benchmark, comma-separated (default 200ms,2s,20s)", func(s string) (err error) {
		c.waitDurations, err = parseList(s, time.ParseDuration)
		return err
	})
	fs.IntVar(&c.waitTasks, "wait-tasks", 5, "tasks followed at once per wait duration")
	fs.DurationVar(&c.steadyTask, "steady-task", 75*time.Second, "duration of the long task whose polls show the steady state (its last third should start after the poll interval reaches its 5 s cap, at 50 s)")
	fs.DurationVar(&c.task, "task", 2*time.Second, "mock task duration for the terraform benchmarks")
	fs.IntVar(&c.scriptReps, "script-reps", 3, "repetitions of the script/apply comparison (medians are reported)")
	fs.IntVar(&c.devices, "devices", 10000, "devices in the large inventory")
	fs.IntVar(&c.appsPerDevice, "apps-per-device", 5, "OAuth client apps per device in the large inventory")
	fs.IntVar(&c.revocations, "revocations", 100, "revocation resources in the many-revocations apply")
	fs.Func("parallelism", "terraform -parallelism values for the many-revocations apply, comma-separated (default 10,50)", func(s string) (err error) {
		c.parallelism, err = parseList(s, func(v string) (int, error) {
			var n int
			_, err := fmt.Sscan(v, &n)
			return n, err
		})
		return err
	})
	fs.IntVar(&c.bigListIDs, "big-list-ids", 10000, "OAuth ids in the big-list revocation")
	fs.IntVar(&c.bigListDevices, "big-list-devices", 500, "devices the big-list ids are spread over")
	return c, fs.Parse(args)
}

func parseList[T any](s string, parse func(string) (T, error)) ([]T, error) {
	var out []T
	for _, field := range strings.Split(s, ",") {
		v, err := parse(strings.TrimSpace(field))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, err := parseFlags(os.Args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if err := run(ctx, c, strings.Join(append([]string{"go run ./internal/cmd/bench"}, os.Args[1:]...), " ")); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

func run(ctx context.Context, c config, command string) error {
	// Fail before the long part if the script cannot run.
	if err := bench.RequireScriptTools(); err != nil {
		return err
	}
	root, err := tfcli.RepoRoot()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "bigiq-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	progress("building the provider")
	tf, err := bench.NewTerraform(ctx, root, work)
	if err != nil {
		return err
	}
	r := bench.Results{Machine: bench.DescribeMachine(ctx, tf.CLI)}

	// The long task only polls every few seconds, so it runs alongside
	// everything else without disturbing it.
	progress("following a %v task in the background for the steady-state poll rate", c.steadyTask)
	steady := make(chan error, 1)
	go func() {
		var err error
		r.Steady, err = bench.MeasureWait(ctx, c.steadyTask, 1)
		steady <- err
	}()

	progress("1. wait overhead: %v, %d tasks each, all at once", c.waitDurations, c.waitTasks)
	r.Wait = make([]bench.WaitResult, len(c.waitDurations))
	waitErrs := make(chan error, len(c.waitDurations))
	for i, d := range c.waitDurations {
		go func() {
			var err error
			r.Wait[i], err = bench.MeasureWait(ctx, d, c.waitTasks)
			waitErrs <- err
		}()
	}
	for range c.waitDurations {
		if err := <-waitErrs; err != nil {
			return fmt.Errorf("wait overhead: %w", err)
		}
	}

	progress("2. one revocation: terraform apply against the curl+jq script, %d times", c.scriptReps)
	script := filepath.Join(root, "internal", "bench", "testdata", "revoke-tokens.sh")
	if r.Script, err = bench.CompareWithScript(ctx, tf, script, c.task, c.scriptReps); err != nil {
		return fmt.Errorf("against the script: %w", err)
	}

	progress("3. large inventory: %d devices, %d apps each", c.devices, c.appsPerDevice)
	if r.Inventory, err = bench.MeasureInventory(ctx, tf, c.devices, c.appsPerDevice); err != nil {
		return fmt.Errorf("large inventory: %w", err)
	}

	for _, p := range c.parallelism {
		progress("4. %d revocations at -parallelism=%d", c.revocations, p)
		many, err := bench.MeasureMany(ctx, tf, c.revocations, p, c.task)
		if err != nil {
			return fmt.Errorf("many revocations: %w", err)
		}
		r.Many = append(r.Many, many)
	}

	progress("5. one revocation of %d ids on %d devices", c.bigListIDs, c.bigListDevices)
	if r.BigList, err = bench.MeasureBigList(ctx, tf, c.bigListIDs, c.bigListDevices, c.task); err != nil {
		return fmt.Errorf("big list: %w", err)
	}

	progress("waiting for the steady-state task to end")
	if err := <-steady; err != nil {
		return fmt.Errorf("steady-state wait: %w", err)
	}

	fmt.Print(bench.Table(r.Rows()))
	if c.out == "" {
		return nil
	}
	if err := os.WriteFile(c.out, []byte(r.Markdown(command)), 0o644); err != nil {
		return err
	}
	progress("wrote %s", c.out)
	return nil
}
