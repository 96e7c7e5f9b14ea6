package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/provider"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

// HTTPProviderModule is the hashicorp/http provider as the Go module proxy
// serves it, built from source for the data "http" alternative. The proxy
// serves no later release of it: from v2 on, its go.mod names the module
// github.com/terraform-providers/terraform-provider-http without a major
// version suffix, which the module system cannot fetch as v2 or v3.
const HTTPProviderModule = "github.com/terraform-providers/terraform-provider-http@v1.2.0"

const replayWhat = "the same plan with BIG-IQ taken out (internal/bench/replayprovider)"

const httpWhat = `data "http" + jsondecode of the same pages (the http provider's CPU in the terraform column)`

// ScaleConfig is what the scale section measures.
type ScaleConfig struct {
	Devices, Small, Stress int    // the estate at BIG-IQ's maximum, the small one and the stress one
	Reps, StressReps       int    // repetitions at the maximum, and of the stress row
	Baseline               string // the git revision whose provider is measured beside this one ("" for none)
}

// MeasureScale measures BIG-IQ's real maximum: Devices devices listed as a
// BIG-IQ 7/8 lists them (bigiqmock.DeviceShape8, 20 to 30 KB an item).
// Interleaved in each repetition: a plan of bigiq_devices with the
// provider as built and as built at the baseline revision; its floor,
// terraform holding the same objects; what a user would write without this
// provider, data "http" and jsondecode of the same pages; and a plan of one
// revocation on that estate and on one of Small devices, with both
// providers. Then the stress row: bigiq_devices on Stress devices of the
// same shape against its floor.
func MeasureScale(ctx context.Context, tf *Terraform, c ScaleConfig) (Section, error) {
	sec := Section{Name: "scale", Title: fmt.Sprintf("BIG-IQ's real maximum: %d devices as BIG-IQ 7/8 lists them", c.Devices)}
	baseline := ""
	if c.Baseline != "" && !tf.hasRevision(ctx, c.Baseline) {
		// A shallow clone or a fork's CI has no main to set beside.
		c.Baseline = ""
	}
	if c.Baseline != "" {
		var err error
		if baseline, err = tf.providerAt(ctx, c.Baseline); err != nil {
			return sec, err
		}
	}
	httpDir, err := buildHTTPProvider(ctx, filepath.Join(tf.workRoot, "provider-http"))
	if err != nil {
		return sec, err
	}
	big, err := startMock(bigiqmock.Options{Fixture: shape8(c.Devices)})
	if err != nil {
		return sec, err
	}
	defer big.Close()
	small, err := startMock(bigiqmock.Options{Fixture: shape8(c.Small)})
	if err != nil {
		return sec, err
	}
	defer small.Close()

	inv := inventory{"bigiq_devices", "devices", fmt.Sprintf("%d devices", c.Devices), c.Devices}
	ds, err := tf.Workspace(big, inventoryConfig(inv))
	if err != nil {
		return sec, err
	}
	floor, floorFile, err := tf.floorWorkspace(ctx, ds, inv)
	if err != nil {
		return sec, err
	}
	replay, replayEnv, err := tf.replayProvider(ctx, floorFile, inv)
	if err != nil {
		return sec, err
	}
	httpWS, err := tf.httpWorkspace(big, httpDir, c.Devices)
	if err != nil {
		return sec, err
	}
	revBig, err := tf.Workspace(big, clusterRevocation)
	if err != nil {
		return sec, err
	}
	revSmall, err := tf.Workspace(small, clusterRevocation)
	if err != nil {
		return sec, err
	}
	type step struct {
		what string
		run  func() (Run, error)
		runs Runs
	}
	plan := func(w *tfcli.Workspace, provider string) func() (Run, error) {
		return func() (Run, error) { return tf.planRevocation(ctx, w, provider) }
	}
	devicesPlan := func(provider string) func() (Run, error) {
		return func() (Run, error) { return tf.planCountWith(ctx, ds, provider, nil, c.Devices) }
	}
	var steps []*step
	if baseline != "" {
		steps = append(steps, &step{what: "bigiq_devices: plan, provider at " + c.Baseline, run: devicesPlan(baseline)})
	}
	steps = append(steps,
		&step{what: "bigiq_devices: plan", run: devicesPlan(tf.realProvider)},
		&step{what: replayWhat, run: func() (Run, error) {
			return tf.planCountWith(ctx, ds, replay, replayEnv, c.Devices)
		}},
		&step{what: "floor: jsondecode(file(var.f)) of the same objects", run: func() (Run, error) {
			return tf.planCount(ctx, floor, nil, c.Devices, "-var", "f="+floorFile)
		}},
		&step{what: httpWhat, run: func() (Run, error) {
			return tf.planCount(ctx, httpWS, nil, c.Devices, "-var", "token="+big.IssueAuthToken())
		}},
	)
	var revSteps []*step
	if baseline != "" {
		revSteps = append(revSteps,
			&step{what: fmt.Sprintf("one revocation: plan on %d devices, provider at %s", c.Small, c.Baseline), run: plan(revSmall, baseline)},
			&step{what: fmt.Sprintf("one revocation: plan on %d devices, provider at %s", c.Devices, c.Baseline), run: plan(revBig, baseline)},
		)
	}
	revSteps = append(revSteps,
		&step{what: fmt.Sprintf("one revocation: plan on %d devices", c.Small), run: plan(revSmall, tf.realProvider)},
		&step{what: fmt.Sprintf("one revocation: plan on %d devices", c.Devices), run: plan(revBig, tf.realProvider)},
	)
	steps = append(steps, revSteps...)
	// One uncounted round warms the caches; then every step once a round,
	// so drift in the machine's load falls on all of them.
	for i := -1; i < c.Reps; i++ {
		for _, s := range steps {
			run, err := s.run()
			if err != nil {
				return sec, fmt.Errorf("%s: %w", s.what, err)
			}
			if i >= 0 {
				s.runs = append(s.runs, run)
			}
		}
	}
	for _, s := range steps {
		sec.addRuns(s.what, s.runs)
	}
	byWhat := map[string]Runs{}
	for _, s := range steps {
		byWhat[s.what] = s.runs
	}
	floorRuns := byWhat["floor: jsondecode(file(var.f)) of the same objects"]
	cpuRatio := func(what string, target float64) {
		runs := byWhat[what]
		r := ratio(runs.TotalCPU(), floorRuns.TotalCPU())
		t, v := noTarget, noTarget
		if target > 0 {
			t, v = fmt.Sprintf("≤ %.1f×", target), verdict(r <= target)
		}
		sec.add(what+": CPU, terraform + provider / floor", quotient(runs.TotalCPU(), floorRuns.TotalCPU()), t, v)
	}
	if baseline != "" {
		cpuRatio("bigiq_devices: plan, provider at "+c.Baseline, 0)
	}
	cpuRatio("bigiq_devices: plan", 1.3)
	cpuRatio(replayWhat, 0)
	replayRuns := byWhat[replayWhat]
	sec.add("bigiq_devices: plan CPU / the same plan with BIG-IQ taken out",
		quotient(byWhat["bigiq_devices: plan"].TotalCPU(), replayRuns.TotalCPU()), noTarget, noTarget)
	sec.add("terraform's own CPU with BIG-IQ taken out / floor",
		quotient(replayRuns.TerraformCPU(), floorRuns.TotalCPU()), noTarget, noTarget)
	cpuRatio(httpWhat, 0)
	ours, alt := ratio(byWhat["bigiq_devices: plan"].TotalCPU(), floorRuns.TotalCPU()), ratio(byWhat[httpWhat].TotalCPU(), floorRuns.TotalCPU())
	sec.add(`bigiq_devices against data "http": CPU ratio to the floor`, fmt.Sprintf("%s against %s", times(ours), times(alt)), "lower", verdict(ours < alt))
	sec.add("bigiq_devices: plan wall / floor", quotient(byWhat["bigiq_devices: plan"].Wall(), floorRuns.Wall()), noTarget, noTarget)
	// The revocation plans, paired by repetition: big estate − small one.
	for i := 0; i+1 < len(revSteps); i += 2 {
		smallRuns, bigRuns := revSteps[i].runs, revSteps[i+1].runs
		xs := make([]float64, len(bigRuns))
		for j := range bigRuns {
			xs[j] = bigRuns[j].TotalCPU().Seconds() - smallRuns[j].TotalCPU().Seconds()
		}
		d := statOf(xs)
		who := "this provider"
		if strings.Contains(revSteps[i].what, "provider at") {
			who = "provider at " + c.Baseline
		}
		t, v := "≤ 0.3 s", verdict(d.Median <= 0.3)
		if who != "this provider" {
			t, v = noTarget, noTarget
		}
		sec.add(fmt.Sprintf("one revocation, %s: plan CPU on %d devices − on %d (paired)", who, c.Devices, c.Small), secsStat(d), t, v)
	}
	if c.Stress > 0 {
		if err := tf.measureStress(ctx, &sec, c, byWhat["bigiq_devices: plan"]); err != nil {
			return sec, err
		}
	}
	return sec, nil
}

// measureStress plans bigiq_devices on c.Stress devices of BIG-IQ 7/8's
// shape against its floor, and sets the provider's peak memory beside the
// one at c.Devices (atMax).
func (tf *Terraform) measureStress(ctx context.Context, sec *Section, c ScaleConfig, atMax Runs) error {
	s, err := startMock(bigiqmock.Options{Fixture: shape8(c.Stress)})
	if err != nil {
		return err
	}
	defer s.Close()
	inv := inventory{"bigiq_devices", "devices", fmt.Sprintf("%d devices", c.Stress), c.Stress}
	plans, floors, err := tf.planAgainstFloor(ctx, s, inv, c.StressReps, nil)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("stress, %d devices", c.Stress)
	sec.addRuns(what+", bigiq_devices: plan", plans)
	sec.addRuns(what+", floor: jsondecode(file(var.f)) of the same objects", floors)
	r := ratio(plans.TotalCPU(), floors.TotalCPU())
	sec.add(what+": CPU, terraform + provider / floor", quotient(plans.TotalCPU(), floors.TotalCPU()), "≤ 2.0×", verdict(r <= 2))
	grow := ratio(plans.ProviderPeakMiB(), atMax.ProviderPeakMiB())
	devices := float64(c.Stress) / float64(c.Devices)
	sec.add(fmt.Sprintf("provider peak RSS, %d / %d devices", c.Stress, c.Devices),
		fmt.Sprintf("%.0f MiB / %.0f MiB = %s for %s the devices", plans.ProviderPeakMiB().Median, atMax.ProviderPeakMiB().Median, times(grow), times(devices)),
		"linear (≤ the devices' ratio)", verdict(grow <= devices))
	return nil
}

func shape8(devices int) *bigiqmock.Fixture {
	f := bigiqmock.GenerateFixture(devices, 0, 0, 1)
	f.DeviceShape = bigiqmock.DeviceShape8
	return f
}

// clusterRevocation revokes one user's tokens on the first generated
// cluster; its plan lists the devices once for target_devices.
const clusterRevocation = tfcli.RequiredProviders + `
resource "bigiq_oauth_token_revocation" "leaver" {
  user_name     = "leaver000"
  cluster_names = ["Cluster00000"]
}
`

func (tf *Terraform) planRevocation(ctx context.Context, w *tfcli.Workspace, provider string) (Run, error) {
	run, err := tf.runProvider(ctx, w, provider, nil, "plan")
	if err != nil {
		return run, err
	}
	if !strings.Contains(run.Stdout, "Plan: 1 to add") || !strings.Contains(run.Stdout, "target_devices") {
		return run, fmt.Errorf("the plan in %s does not add one revocation with its target_devices:\n%s", w.Dir, lastChars(run.Stdout, 2000))
	}
	return run, nil
}

// floorWorkspace writes the objects the data source of w returns to a file
// and returns the floor's workspace and that file (see planAgainstFloor).
func (tf *Terraform) floorWorkspace(ctx context.Context, w *tfcli.Workspace, inv inventory) (*tfcli.Workspace, string, error) {
	objects, err := tf.dataSourceObjects(ctx, w, inv)
	if err != nil {
		return nil, "", err
	}
	fw, err := tf.Workspace(nil, floorConfig(inv))
	if err != nil {
		return nil, "", err
	}
	file := filepath.Join(fw.Dir, "objects.json")
	return fw, file, os.WriteFile(file, objects, 0o600)
}

// httpWorkspace is what a user would write without this provider: the
// device pages read with data "http" (in BIG-IQ's default page size, as the
// provider reads them) and decoded with jsondecode. hashicorp/http v1.2.0
// can neither POST a login nor take a CA certificate, so the token comes
// as a variable and the mock's CA through SSL_CERT_FILE.
func (tf *Terraform) httpWorkspace(s *bigiqmock.Server, httpDir string, devices int) (*tfcli.Workspace, error) {
	const page = 500
	w, err := tf.Workspace(s, fmt.Sprintf(`terraform {
  required_providers {
    http = {
      source = "hashicorp/http"
    }
  }
}

variable "token" {
  type      = string
  sensitive = true
}

data "http" "page" {
  count = %d
  url   = "%s%s?$top=%d&$skip=${count.index * %d}"
  request_headers = {
    Accept           = "application/json"
    X-F5-Auth-Token  = var.token
  }
}

locals {
  devices = flatten([for p in data.http.page : jsondecode(p.body).items])
}

output "count" {
  value = length(local.devices)
}
`, (devices+page-1)/page, s.URL, bigiq.PathDevices, page, page))
	if err != nil {
		return nil, err
	}
	ca := filepath.Join(w.Dir, "ca.pem")
	if err := os.WriteFile(ca, []byte(s.CACertPEM()), 0o600); err != nil {
		return nil, err
	}
	w.Env = append(w.Env, "SSL_CERT_FILE="+ca)
	return w, os.WriteFile(w.CLIConfig, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    %q = %q
    "hashicorp/http" = %q
  }
  direct {}
}
`, tfcli.ProviderAddress, tf.providerDir, httpDir)), 0o600)
}

// buildHTTPProvider builds HTTPProviderModule from source into dir.
func buildHTTPProvider(ctx context.Context, dir string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "install", HTTPProviderModule)
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=-mod=mod", "GO111MODULE=on")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install %s: %w\n%s", HTTPProviderModule, err, lastChars(string(out), 2000))
	}
	return dir, nil
}

func (tf *Terraform) hasRevision(ctx context.Context, rev string) bool {
	return exec.CommandContext(ctx, "git", "-C", tf.repoRoot, "rev-parse", "--verify", "--quiet", rev+"^{commit}").Run() == nil
}

// providerAt builds the provider as it is at the git revision rev, from a
// copy of that tree (git archive), leaving the working tree alone.
func (tf *Terraform) providerAt(ctx context.Context, rev string) (string, error) {
	src := filepath.Join(tf.workRoot, "src-"+strings.NewReplacer("/", "_").Replace(rev))
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	archive := exec.CommandContext(ctx, "git", "-C", tf.repoRoot, "archive", rev)
	var tarball, stderr bytes.Buffer
	archive.Stdout, archive.Stderr = &tarball, &stderr
	if err := archive.Run(); err != nil {
		return "", fmt.Errorf("git archive %s: %w: %s", rev, err, stderr.String())
	}
	untar := exec.CommandContext(ctx, "tar", "-x", "-C", src)
	untar.Stdin = &tarball
	if out, err := untar.CombinedOutput(); err != nil {
		return "", fmt.Errorf("tar: %w: %s", err, out)
	}
	dir, err := tfcli.BuildProvider(ctx, src, filepath.Join(tf.workRoot, "provider-"+filepath.Base(src)), "bench")
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, tfcli.BinaryName), nil
}

// replayProvider builds internal/bench/replayprovider and records for it
// the state the data source returned: objectsFile, its JSON as terraform
// shows it (floorWorkspace's file), encoded as the provider encodes a state,
// with the data source's schema type. It returns the binary and the
// environment that hands it the recording.
func (tf *Terraform) replayProvider(ctx context.Context, objectsFile string, inv inventory) (string, []string, error) {
	dir, err := tfcli.BuildProviderPackage(ctx, tf.repoRoot, "./internal/bench/replayprovider", filepath.Join(tf.workRoot, "provider-replay"), "bench")
	if err != nil {
		return "", nil, err
	}
	objects, err := os.ReadFile(objectsFile)
	if err != nil {
		return "", nil, err
	}
	schemas, err := provider.NewProtocol6Server("bench")().GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return "", nil, err
	}
	schema, ok := schemas.DataSourceSchemas[inv.dataSource]
	if !ok {
		return "", nil, fmt.Errorf("the provider has no data source %s", inv.dataSource)
	}
	// Read as terraform hands a provider a stored state's JSON.
	value, err := (&tfprotov6.RawState{JSON: objects}).Unmarshal(schema.ValueType())
	if err != nil {
		return "", nil, fmt.Errorf("the state of %s in %s: %w", inv.dataSource, objectsFile, err)
	}
	state, err := tfprotov6.NewDynamicValue(schema.ValueType(), value)
	if err != nil {
		return "", nil, err
	}
	file := filepath.Join(dir, "state.msgpack")
	if err := os.WriteFile(file, state.MsgPack, 0o600); err != nil {
		return "", nil, err
	}
	return filepath.Join(dir, tfcli.BinaryName), []string{"BIGIQ_BENCH_REPLAY_STATE=" + file}, nil
}
