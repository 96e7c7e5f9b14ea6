// Command bench measures the provider against the mock BIG-IQ and the real
// terraform CLI, prints each section's tables and writes them, with the
// machine and the commit, into BENCHMARKS.md:
//
//	go run ./internal/cmd/bench                   # every section
//	go run ./internal/cmd/bench -only inventory   # one section, in a minute
//
// With -only, only the named sections of BENCHMARKS.md are rewritten.
// Every task duration, estate size and repetition count is a flag.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bench"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

type config struct {
	out                        string
	only                       []string
	reps                       int
	waitDurations              []time.Duration
	waitTasks                  int
	steadyTask, task           time.Duration
	scriptDurations            []time.Duration
	devices, appsPerDevice     int
	memoryApps                 []int
	revocations                int
	parallelism                []int
	bigListIDs, bigListDevices int
	scale                      bench.ScaleConfig
	estate                     estateConfig
}

// estateConfig is the estate section's apply: revocations of three
// clusters each on devices devices at -parallelism parallelism, against
// the provider as it was at baseline.
type estateConfig struct {
	devices, revocations, parallelism int
	baseline                          string
}

func parseFlags(args []string) (config, error) {
	c := config{
		waitDurations:   []time.Duration{200 * time.Millisecond, 2 * time.Second, 20 * time.Second},
		scriptDurations: []time.Duration{1300 * time.Millisecond, 2 * time.Second, 2500 * time.Millisecond, 3700 * time.Millisecond, 7200 * time.Millisecond},
		memoryApps:      []int{50000, 100000},
		parallelism:     []int{10, 50},
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&c.out, "out", "BENCHMARKS.md", "update the measured sections of this file (empty: only print them)")
	fs.Func("only", "run only these sections, comma-separated: "+strings.Join(bench.SectionNames, ", "), func(s string) error {
		for _, name := range strings.Split(s, ",") {
			if !slices.Contains(bench.SectionNames, name) {
				return fmt.Errorf("no section %q; the sections are %s", name, strings.Join(bench.SectionNames, ", "))
			}
			c.only = append(c.only, name)
		}
		return nil
	})
	fs.IntVar(&c.reps, "reps", 5, "repetitions of each repeated measurement (medians with min–max are reported)")
	fs.Func("wait-durations", "task durations of the wait benchmark, comma-separated (default 200ms,2s,20s)", func(s string) (err error) {
		c.waitDurations, err = parseList(s, time.ParseDuration)
		return err
	})
	fs.IntVar(&c.waitTasks, "wait-tasks", 5, "tasks followed at once per wait duration")
	fs.DurationVar(&c.steadyTask, "steady-task", 75*time.Second, "duration of the long task whose polls show the steady state (its last third should start after the poll interval reaches its 5 s cap, at 50 s)")
	fs.Func("script-durations", "task durations of the script comparison, comma-separated (default 1.3s,2s,2.5s,3.7s,7.2s)", func(s string) (err error) {
		c.scriptDurations, err = parseList(s, time.ParseDuration)
		return err
	})
	fs.DurationVar(&c.task, "task", 2*time.Second, "mock task duration for the many-revocations and big-list applies")
	fs.IntVar(&c.devices, "devices", 10000, "devices in the large inventory, and in the estate of the resolution section")
	fs.IntVar(&c.appsPerDevice, "apps-per-device", 5, "OAuth client apps per device in the large inventory")
	fs.Func("memory-apps", "estate sizes in apps of the memory section, comma-separated (default 50000,100000)", func(s string) (err error) {
		c.memoryApps, err = parseList(s, strconv.Atoi)
		return err
	})
	fs.IntVar(&c.revocations, "revocations", 100, "revocation resources in the many-revocations apply and the resolution plans")
	fs.Func("parallelism", "terraform -parallelism values for the many-revocations apply, comma-separated (default 10,50)", func(s string) (err error) {
		c.parallelism, err = parseList(s, strconv.Atoi)
		return err
	})
	fs.IntVar(&c.bigListIDs, "big-list-ids", 10000, "OAuth ids in the big-list revocation")
	fs.IntVar(&c.bigListDevices, "big-list-devices", 500, "devices the big-list ids are spread over")
	fs.IntVar(&c.estate.devices, "estate-devices", 1000, "devices (BIG-IQ 8 shape) of the estate section")
	fs.IntVar(&c.estate.revocations, "estate-revocations", 30, "revocations, of three clusters each, in the estate section's apply")
	fs.IntVar(&c.estate.parallelism, "estate-parallelism", 10, "terraform -parallelism of the estate section's apply")
	fs.StringVar(&c.estate.baseline, "estate-baseline", "549add6", "revision of the provider the estate section compares with (one device listing per process)")
	fs.IntVar(&c.scale.Devices, "scale-devices", 1000, "devices of the scale section's estate, listed as BIG-IQ 7/8 lists them (BIG-IQ 8 manages at most 1,000)")
	fs.IntVar(&c.scale.Small, "scale-small", 10, "devices of the small estate the scale section's revocation plan is set against")
	fs.IntVar(&c.scale.Stress, "scale-stress", 10000, "devices of the scale section's stress row (0: none)")
	fs.IntVar(&c.scale.StressReps, "scale-stress-reps", 3, "repetitions of the stress row")
	fs.StringVar(&c.scale.Baseline, "baseline", "main", "git revision whose provider the scale section measures beside this one (empty, or not in the repository: none)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if len(c.only) == 0 {
		c.only = bench.SectionNames
	}
	return c, nil
}

// flagsExitCode is how main exits when parseFlags fails: 0 for -h (help
// was asked for and given), 2 for a refused command line, which the flag
// package has explained already.
func flagsExitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
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
		os.Exit(flagsExitCode(err))
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
	want := func(name string) bool { return slices.Contains(c.only, name) }
	// Fail before the long part if the script cannot run.
	if want("script") {
		if err := bench.RequireScriptTools(); err != nil {
			return err
		}
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

	progress("building the provider and its measuring wrapper")
	tf, err := bench.NewTerraform(ctx, root, work)
	if err != nil {
		return err
	}
	machine := bench.DescribeMachine(ctx, tf.CLI)
	var sections []bench.Section

	// The long task polls only every few seconds, so it runs alongside the
	// other sections without disturbing them.
	var steady chan error
	var steadyResult bench.WaitResult
	if want("wait") {
		progress("wait: following a %v task in the background for the steady-state poll rate", c.steadyTask)
		steady = make(chan error, 1)
		go func() {
			var err error
			steadyResult, err = bench.MeasureWait(ctx, c.steadyTask, 1)
			steady <- err
		}()
	}

	var waits []bench.WaitResult
	if want("wait") {
		progress("wait: %v, %d tasks each, all at once", c.waitDurations, c.waitTasks)
		waits = make([]bench.WaitResult, len(c.waitDurations))
		errs := make(chan error, len(c.waitDurations))
		for i, d := range c.waitDurations {
			go func() {
				var err error
				waits[i], err = bench.MeasureWait(ctx, d, c.waitTasks)
				errs <- err
			}()
		}
		for range c.waitDurations {
			if err := <-errs; err != nil {
				return fmt.Errorf("wait: %w", err)
			}
		}
	}

	steps := []struct {
		name, what string
		measure    func() (bench.Section, error)
	}{
		{"scale", fmt.Sprintf("%d and %d devices of BIG-IQ 7/8's shape, %d times each; stress %d devices, %d times", c.scale.Devices, c.scale.Small, c.reps, c.scale.Stress, c.scale.StressReps), func() (bench.Section, error) {
			sc := c.scale
			sc.Reps = c.reps
			return bench.MeasureScale(ctx, tf, sc)
		}},
		{"actionlag", fmt.Sprintf("the bigiq_revoke_oauth_tokens action invoked in process, tasks of %v, %d invokes at once each", c.waitDurations, c.waitTasks), func() (bench.Section, error) {
			return bench.MeasureActionLags(ctx, c.waitDurations, c.waitTasks)
		}},
		{"script", fmt.Sprintf("terraform apply against the curl+jq script, tasks of %v, %d times each", c.scriptDurations, c.reps), func() (bench.Section, error) {
			return bench.MeasureScript(ctx, tf, filepath.Join(root, "internal", "bench", "testdata", "revoke-tokens.sh"), c.scriptDurations, c.reps)
		}},
		{"inventory", fmt.Sprintf("%d devices, %d apps each, against the floor, %d times each", c.devices, c.appsPerDevice, c.reps), func() (bench.Section, error) {
			return bench.MeasureInventory(ctx, tf, c.devices, c.appsPerDevice, c.reps)
		}},
		{"memory", fmt.Sprintf("plans of %v apps with and without the memory limit, %d times each", c.memoryApps, c.reps), func() (bench.Section, error) {
			return bench.MeasureMemory(ctx, tf, c.memoryApps, c.reps)
		}},
		{"many", fmt.Sprintf("%d revocations at -parallelism=%v", c.revocations, c.parallelism), func() (bench.Section, error) {
			return bench.MeasureMany(ctx, tf, c.revocations, c.parallelism, c.task)
		}},
		{"resolution", fmt.Sprintf("plans of %d revocations by cluster on %d devices, names known and from a terraform_data, %d times each", c.revocations, c.devices, c.reps), func() (bench.Section, error) {
			return bench.MeasureResolution(ctx, tf, c.devices, c.revocations, c.reps)
		}},
		{"estate", fmt.Sprintf("applies of %d revocations × 3 clusters on %d devices at -parallelism=%d, as built and at %s, %d times each", c.estate.revocations, c.estate.devices, c.estate.parallelism, c.estate.baseline, c.reps), func() (bench.Section, error) {
			return bench.MeasureEstate(ctx, tf, c.estate.baseline, c.estate.devices, c.estate.revocations, c.estate.parallelism, c.reps, c.task)
		}},
		{"biglist", fmt.Sprintf("one revocation of %d ids on %d devices", c.bigListIDs, c.bigListDevices), func() (bench.Section, error) {
			return bench.MeasureBigList(ctx, tf, c.bigListIDs, c.bigListDevices, c.task)
		}},
	}
	for _, step := range steps {
		if !want(step.name) {
			continue
		}
		progress("%s: %s", step.name, step.what)
		start := time.Now()
		sec, err := step.measure()
		if err != nil {
			return fmt.Errorf("%s: %w", step.name, err)
		}
		progress("%s: done in %v", step.name, time.Since(start).Round(time.Second))
		fmt.Printf("\n## %s\n\n%s", sec.Title, sec.Tables())
		sections = append(sections, sec)
	}

	if want("wait") {
		progress("wait: waiting for the steady-state task to end")
		if err := <-steady; err != nil {
			return fmt.Errorf("steady-state wait: %w", err)
		}
		sec := bench.WaitSection(waits, steadyResult)
		fmt.Printf("\n## %s\n\n%s", sec.Title, sec.Tables())
		sections = append(sections, sec)
	}

	if c.out == "" {
		return nil
	}
	old, err := os.ReadFile(c.out)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	texts := map[string]string{}
	for _, sec := range sections {
		texts[sec.Name] = sec.Markdown(machine, command)
	}
	if err := os.WriteFile(c.out, []byte(bench.UpdateMarkdown(string(old), texts)), 0o644); err != nil {
		return err
	}
	progress("updated %s: %s", c.out, strings.Join(c.only, ", "))
	return nil
}
