package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

// userRevocation is the configuration of one revocation of a leaver's
// tokens on BlueCluster, the same revocation the reference script does.
func userRevocation(user string) string {
	return tfcli.RequiredProviders + fmt.Sprintf(`
resource "bigiq_oauth_token_revocation" "leaver" {
  user_name     = %q
  cluster_names = [%q]
}
`, user, blueCluster)
}

// terraformOnly is an apply with no BIG-IQ in it: what terraform itself
// costs.
const terraformOnly = `resource "terraform_data" "nothing" {}
`

// MeasureScript compares one revocation through terraform apply with the
// same revocation by the reference script at scriptPath, for tasks of each
// duration, reps times each, interleaved so that both see the same
// machine. Beside them it times a plan of the revocation (terraform and
// the provider, no BIG-IQ call) and an apply with no provider at all.
func MeasureScript(ctx context.Context, tf *Terraform, scriptPath string, durations []time.Duration, reps int) (Section, error) {
	sec := Section{Name: "script", Title: "Against the curl+jq script (target 3)"}
	if err := RequireScriptTools(); err != nil {
		return sec, err
	}
	// The first terraform run of a session pays for cold caches; it is not
	// counted.
	if _, err := tf.applyFresh(ctx, nil, terraformOnly); err != nil {
		return sec, err
	}
	var ratios []float64
	var beforePost []time.Duration
	var plans, onlyTF Runs
	for _, d := range durations {
		s, err := startMock(bigiqmock.Options{TaskDuration: d})
		if err != nil {
			return sec, err
		}
		defer s.Close()
		caFile := filepath.Join(tf.workRoot, fmt.Sprintf("bigiq-ca-%v.pem", d))
		if err := os.WriteFile(caFile, []byte(s.CACertPEM()), 0o600); err != nil {
			return sec, err
		}
		users := seedLeavers(s.Mock, 2*reps)
		var applies, scripts Runs
		for i := range reps {
			script, err := runScript(ctx, scriptPath, s, caFile, users[2*i])
			if err != nil {
				return sec, err
			}
			w, err := tf.Workspace(s, userRevocation(users[2*i+1]))
			if err != nil {
				return sec, err
			}
			plan, err := tf.Run(ctx, w, "plan")
			if err != nil {
				return sec, err
			}
			posts := s.CountRequests("POST", bigiq.PathRevokeTasks)
			apply, err := tf.Run(ctx, w, "apply", "-auto-approve")
			if err != nil {
				return sec, err
			}
			post, ok := nthRequest(s.Mock, "POST", bigiq.PathRevokeTasks, posts)
			if !ok {
				return sec, fmt.Errorf("the apply of %s sent no POST", users[2*i+1])
			}
			beforePost = append(beforePost, post.Sub(apply.Start))
			only, err := tf.applyFresh(ctx, nil, terraformOnly)
			if err != nil {
				return sec, err
			}
			scripts, applies = append(scripts, script), append(applies, apply)
			plans, onlyTF = append(plans, plan), append(onlyTF, only)
		}
		// Both revoked what they were asked to: every seeded token is gone.
		for _, tok := range s.Tokens(blueClusterActive) {
			if slices.Contains(users, tok.UserName) {
				return sec, fmt.Errorf("the token of %s was not revoked", tok.UserName)
			}
		}
		r := ratio(applies.Wall(), scripts.Wall())
		ratios = append(ratios, r)
		sec.addRuns(fmt.Sprintf("%v task: terraform apply", d), applies)
		sec.addRuns(fmt.Sprintf("%v task: curl+jq script (its CPU, bash+curl+jq, in the terraform column)", d), scripts)
		sec.add(fmt.Sprintf("%v task: apply / script wall", d), quotient(applies.Wall(), scripts.Wall()), noTarget, noTarget)
	}
	sec.addRuns("plan of the same revocation (provider, no BIG-IQ call)", plans)
	sec.addRuns("apply of a lone terraform_data (no provider)", onlyTF)
	m := statOf(ratios)
	sec.add(fmt.Sprintf("Median of the %d ratios above", len(ratios)), fmt.Sprintf("%s (%s–%s)", times(m.Median), times(m.Min), times(m.Max)), "≤ 0.95×", verdict(m.Median <= 0.95))
	sec.add("Terraform's fixed cost: apply start to the POST reaching BIG-IQ", secsStat(durStat(beforePost)), noTarget, noTarget)
	return sec, nil
}

// nthRequest is the time of the mock's request number n (from 0) with this
// method and path prefix.
func nthRequest(m *bigiqmock.Mock, method, pathPrefix string, n int) (time.Time, bool) {
	for _, r := range m.Requests() {
		if r.Method == method && strings.HasPrefix(r.Path, pathPrefix) {
			if n == 0 {
				return r.Time, true
			}
			n--
		}
	}
	return time.Time{}, false
}

// runScript runs the reference script and measures it as a Run: its CPU is
// bash's and that of the curl and jq it waited for.
func runScript(ctx context.Context, scriptPath string, s *bigiqmock.Server, caFile, user string) (Run, error) {
	cmd := exec.CommandContext(ctx, "bash", scriptPath, user, blueCluster)
	cmd.Env = append(os.Environ(), "BIGIQ_ADDRESS="+s.URL, "BIGIQ_USERNAME=admin", "BIGIQ_PASSWORD=admin", "BIGIQ_CA_FILE="+caFile)
	selfBefore := selfCPU()
	start := time.Now()
	out, err := cmd.CombinedOutput()
	run := Run{Start: start}
	run.Wall = time.Since(start)
	run.MockCPU = selfCPU() - selfBefore
	if err != nil {
		return run, fmt.Errorf("reference script: %w\n%s", err, out)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		run.TerraformCPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		run.TerraformPeak, run.TerraformPeakExact = ru.Maxrss<<10, true
	}
	return run, nil
}

// applyFresh runs terraform apply of config in a new workspace.
func (tf *Terraform) applyFresh(ctx context.Context, s *bigiqmock.Server, config string) (Run, error) {
	w, err := tf.Workspace(s, config)
	if err != nil {
		return Run{}, err
	}
	return tf.Run(ctx, w, "apply", "-auto-approve")
}

// inventory is one list data source over a large estate.
type inventory struct {
	dataSource, list, what string
	items                  int
}

// MeasureInventory plans a configuration reading every device, then one
// reading every OAuth client app, of an estate of devices with
// appsPerDevice apps each, each against its floor: terraform holding the
// same objects read from a JSON file (see floorConfig).
func MeasureInventory(ctx context.Context, tf *Terraform, devices, appsPerDevice, reps int) (Section, error) {
	sec := Section{Name: "inventory", Title: "Inventory data sources against the floor (target 1)"}
	s, err := startMock(bigiqmock.Options{Fixture: bigiqmock.GenerateFixture(devices, appsPerDevice, 0, 1)})
	if err != nil {
		return sec, err
	}
	defer s.Close()
	for _, inv := range []inventory{
		{"bigiq_devices", "devices", fmt.Sprintf("%d devices", devices), devices},
		{"bigiq_oauth_client_apps", "client_apps", fmt.Sprintf("%d apps", devices*appsPerDevice), devices * appsPerDevice},
	} {
		plans, floors, err := tf.planAgainstFloor(ctx, s, inv, reps, nil)
		if err != nil {
			return sec, err
		}
		what := inv.dataSource + ", " + inv.what
		sec.addRuns(what+": plan", plans)
		sec.addRuns(what+": floor, jsondecode(file(var.f)) of the same objects", floors)
		wallRatio, cpuRatio := ratio(plans.Wall(), floors.Wall()), ratio(plans.TotalCPU(), floors.TotalCPU())
		sec.add(what+": wall / floor", quotient(plans.Wall(), floors.Wall()), "≤ 1.3×", verdict(wallRatio <= 1.3))
		sec.add(what+": CPU, terraform + provider / floor", quotient(plans.TotalCPU(), floors.TotalCPU()), "≤ 1.3×", verdict(cpuRatio <= 1.3))
		sec.add(what+": provider CPU", secsStat(plans.ProviderCPU()), "≤ 0.5 s", verdict(plans.ProviderCPU().Median <= 0.5))
	}
	return sec, nil
}

// inventoryConfig reads the data source and outputs the length of its
// list, which the run checks.
func inventoryConfig(inv inventory) string {
	return tfcli.RequiredProviders + fmt.Sprintf(`
data %q "all" {}

output "count" {
  value = length(data.%s.all.%s)
}
`, inv.dataSource, inv.dataSource, inv.list)
}

// floorConfig holds the objects the data source returned, read from the
// JSON file var.f, as terraform holds the data source's: what terraform
// itself needs for the same data. The path is a variable so that terraform
// decodes the file once, in the plan walk; with a literal path it decodes
// it while validating too.
func floorConfig(inv inventory) string {
	return fmt.Sprintf(`variable "f" {
  type = string
}

locals {
  d = jsondecode(file(var.f))
}

output "count" {
  value = length(local.d.%s)
}
`, inv.list)
}

// planAgainstFloor writes the objects the data source returns to a JSON
// file (from one uncounted plan, which also warms the caches), then plans
// the data source and its floor reps times, interleaved. env goes to the
// provider of the data source's plans.
func (tf *Terraform) planAgainstFloor(ctx context.Context, s *bigiqmock.Server, inv inventory, reps int, env []string) (plans, floors Runs, err error) {
	w, err := tf.Workspace(s, inventoryConfig(inv))
	if err != nil {
		return nil, nil, err
	}
	fw, file, err := tf.floorWorkspace(ctx, w, inv)
	if err != nil {
		return nil, nil, err
	}
	for range reps {
		plan, err := tf.planCount(ctx, w, env, inv.items)
		if err != nil {
			return nil, nil, err
		}
		floor, err := tf.planCount(ctx, fw, nil, inv.items, "-var", "f="+file)
		if err != nil {
			return nil, nil, err
		}
		plans, floors = append(plans, plan), append(floors, floor)
	}
	return plans, floors, nil
}

// dataSourceObjects plans w once and returns, as JSON, the object the data
// source returned in that plan: its every attribute, as the state holds it.
func (tf *Terraform) dataSourceObjects(ctx context.Context, w *tfcli.Workspace, inv inventory) ([]byte, error) {
	if _, err := tf.Run(ctx, w, "plan", "-out=objects.tfplan"); err != nil {
		return nil, err
	}
	show, err := tf.Run(ctx, w, "show", "-json", "objects.tfplan")
	if err != nil {
		return nil, err
	}
	var plan struct {
		PriorState struct {
			Values struct {
				RootModule struct {
					Resources []struct {
						Address string          `json:"address"`
						Values  json.RawMessage `json:"values"`
					} `json:"resources"`
				} `json:"root_module"`
			} `json:"values"`
		} `json:"prior_state"`
	}
	if err := json.Unmarshal([]byte(show.Stdout), &plan); err != nil {
		return nil, fmt.Errorf("terraform show -json: %w", err)
	}
	for _, r := range plan.PriorState.Values.RootModule.Resources {
		if r.Address == "data."+inv.dataSource+".all" {
			return r.Values, nil
		}
	}
	return nil, fmt.Errorf("the plan holds no data.%s.all", inv.dataSource)
}

// planCount plans w and checks that the plan shows want items in its
// count output.
func (tf *Terraform) planCount(ctx context.Context, w *tfcli.Workspace, providerEnv []string, want int, args ...string) (Run, error) {
	return tf.planCountWith(ctx, w, tf.realProvider, providerEnv, want, args...)
}

// planCountWith is planCount with provider in place of the provider as built.
func (tf *Terraform) planCountWith(ctx context.Context, w *tfcli.Workspace, provider string, providerEnv []string, want int, args ...string) (Run, error) {
	run, err := tf.runProvider(ctx, w, provider, providerEnv, append([]string{"plan"}, args...)...)
	if err != nil {
		return run, err
	}
	if !strings.Contains(run.Stdout, fmt.Sprintf("count = %d", want)) {
		return run, fmt.Errorf("the plan in %s does not show %d items:\n%s", w.Dir, want, lastChars(run.Stdout, 2000))
	}
	return run, nil
}

// MeasureMemory plans bigiq_oauth_client_apps over estates of each size in
// apps (5 apps a device) with the provider as built and with the 120 MiB
// soft memory limit it used to set (GOMEMLIMIT=120MiB), interleaved, reps
// times each.
func MeasureMemory(ctx context.Context, tf *Terraform, apps []int, reps int) (Section, error) {
	sec := Section{Name: "memory", Title: "Memory and CPU as the estate grows (target 2)"}
	variants := []struct {
		what string
		env  []string
	}{
		{"as built (no memory limit)", nil},
		{"GOMEMLIMIT=120MiB (the limit main.go used to set)", []string{"GOMEMLIMIT=120MiB"}},
	}
	cpu := map[string][]Stat{}
	for _, n := range apps {
		const perDevice = 5
		s, err := startMock(bigiqmock.Options{Fixture: bigiqmock.GenerateFixture(n/perDevice, perDevice, 0, 1)})
		if err != nil {
			return sec, err
		}
		inv := inventory{"bigiq_oauth_client_apps", "client_apps", fmt.Sprintf("%d apps", n), n}
		w, err := tf.Workspace(s, inventoryConfig(inv))
		if err != nil {
			s.Close()
			return sec, err
		}
		runs := make([]Runs, len(variants))
		// An uncounted run warms the caches.
		if _, err := tf.planCount(ctx, w, nil, n); err != nil {
			s.Close()
			return sec, err
		}
		for range reps {
			for i, v := range variants {
				run, err := tf.planCount(ctx, w, v.env, n)
				if err != nil {
					s.Close()
					return sec, err
				}
				runs[i] = append(runs[i], run)
			}
		}
		s.Close()
		for i, v := range variants {
			sec.addRuns(fmt.Sprintf("plan of %d apps, %s", n, v.what), runs[i])
			cpu[v.what] = append(cpu[v.what], runs[i].ProviderCPU())
			if n == 50000 {
				peak := runs[i].ProviderPeakMiB()
				sec.add(fmt.Sprintf("Provider peak RSS, %d apps, %s", n, v.what), mibStat(peak),
					"≤ 100 MB (95.4 MiB)", verdict(peak.Median*(1<<20) <= 100e6))
			}
		}
	}
	if len(apps) == 2 {
		for _, v := range variants {
			c := cpu[v.what]
			r := ratio(c[1], c[0])
			target := float64(apps[1]) / float64(apps[0]) * 1.1
			sec.add(fmt.Sprintf("Provider CPU, %d / %d apps, %s", apps[1], apps[0], v.what),
				quotient(c[1], c[0]),
				fmt.Sprintf("≤ %.1f×", target), verdict(r <= target))
		}
	}
	return sec, nil
}

// MeasureMany applies resources revocations, one per leaver, at each
// parallelism. Its floor is the ideal: ceil(resources / parallelism)
// batches of one task's duration.
func MeasureMany(ctx context.Context, tf *Terraform, resources int, parallelism []int, taskDuration time.Duration) (Section, error) {
	sec := Section{Name: "many", Title: "Many revocations at once"}
	for _, p := range parallelism {
		s, err := startMock(bigiqmock.Options{TaskDuration: taskDuration})
		if err != nil {
			return sec, err
		}
		seedLeavers(s.Mock, resources)
		config := tfcli.RequiredProviders + fmt.Sprintf(`
resource "bigiq_oauth_token_revocation" "leaver" {
  for_each      = toset([for i in range(%d) : format("leaver%%03d", i)])
  user_name     = each.value
  cluster_names = [%q]
}
`, resources, blueCluster)
		w, err := tf.Workspace(s, config)
		if err != nil {
			s.Close()
			return sec, err
		}
		apply, err := tf.Run(ctx, w, "apply", "-auto-approve", fmt.Sprintf("-parallelism=%d", p))
		if err != nil {
			s.Close()
			return sec, err
		}
		if tasks := len(s.TaskIDs()); tasks != resources {
			s.Close()
			return sec, fmt.Errorf("%d revocations started %d tasks", resources, tasks)
		}
		logins, requests := s.Logins(), len(s.Requests())
		posts, polls := s.CountRequests("POST", bigiq.PathRevokeTasks), s.CountRequests("GET", bigiq.PathRevokeTasks+"/")
		s.Close()

		what := fmt.Sprintf("%d revocations, -parallelism=%d, %v tasks", resources, p, taskDuration)
		sec.addRuns(what+": apply", Runs{apply})
		ideal := time.Duration((resources+p-1)/p) * taskDuration
		sec.add(what+": wall / floor (the ideal, ceil(revocations / parallelism) × task)",
			fmt.Sprintf("%s / %s = %s", secs(apply.Wall), secs(ideal), times(apply.Wall.Seconds()/ideal.Seconds())), noTarget, noTarget)
		// One login per provider process: terraform starts one for the plan
		// walk (which lists the devices for target_devices) and one for the
		// apply walk.
		sec.add(what+": logins", fmt.Sprint(logins), "2 (one per provider process)", verdict(logins <= 2))
		sec.add(what+": requests per revocation (POST, polls, logins)",
			fmt.Sprintf("%.2f (%d POST, %d GET of tasks, %d in all)", float64(requests)/float64(resources), posts, polls, requests), noTarget, noTarget)
	}
	return sec, nil
}

// MeasureBigList plans and applies one per_device_oauth_ids revocation of
// ids tokens spread evenly over devices devices, and, as its floor, a
// terraform_data holding the same list.
func MeasureBigList(ctx context.Context, tf *Terraform, ids, devices int, taskDuration time.Duration) (Section, error) {
	sec := Section{Name: "biglist", Title: "One revocation of a long list of ids (out of scope: recorded)"}
	perDevice := (ids + devices - 1) / devices
	// A generated estate gives tokens to three devices in four (the
	// fourth is a cluster's standby).
	fixture := bigiqmock.GenerateFixture(devices*4/3+4, 1, perDevice, 1)
	s, err := startMock(bigiqmock.Options{TaskDuration: taskDuration, Fixture: fixture})
	if err != nil {
		return sec, err
	}
	defer s.Close()

	type oauthID struct {
		ID       string `json:"id"`
		ClientID string `json:"client_id"`
	}
	type deviceIDs struct {
		DeviceReference string    `json:"device_reference"`
		OAuthIDs        []oauthID `json:"oauth_ids"`
	}
	var list []deviceIDs
	left := ids
	for _, d := range fixture.Devices {
		if len(d.Tokens) == 0 || len(list) == devices {
			continue
		}
		entry := deviceIDs{DeviceReference: d.UUID}
		for _, tok := range d.Tokens[:min(perDevice, left)] {
			entry.OAuthIDs = append(entry.OAuthIDs, oauthID{ID: tok.ID, ClientID: tok.ClientID})
		}
		left -= len(entry.OAuthIDs)
		list = append(list, entry)
	}
	if len(list) != devices || left != 0 {
		return sec, fmt.Errorf("the generated estate has too few tokens for %d ids on %d devices", ids, devices)
	}
	listJSON, err := json.Marshal(list)
	if err != nil {
		return sec, err
	}
	var plan, apply, floorPlan, floorApply Run
	for _, c := range []struct {
		config      string
		s           *bigiqmock.Server
		plan, apply *Run
	}{
		{tfcli.RequiredProviders + `
resource "bigiq_oauth_token_revocation" "list" {
  per_device_oauth_ids = jsondecode(file("${path.module}/ids.json"))
}
`, s, &plan, &apply},
		{`resource "terraform_data" "list" {
  input = jsondecode(file("${path.module}/ids.json"))
}
`, nil, &floorPlan, &floorApply},
	} {
		w, err := tf.Workspace(c.s, c.config)
		if err != nil {
			return sec, err
		}
		if err := w.WriteFile("ids.json", string(listJSON)); err != nil {
			return sec, err
		}
		if *c.plan, err = tf.Run(ctx, w, "plan"); err != nil {
			return sec, err
		}
		if *c.apply, err = tf.Run(ctx, w, "apply", "-auto-approve"); err != nil {
			return sec, err
		}
	}
	body := 0
	for _, r := range s.Requests() {
		if r.Method == "POST" && r.Path == bigiq.PathRevokeTasks {
			body = len(r.Body)
		}
	}
	if body == 0 {
		return sec, errors.New("the big-list apply sent no POST")
	}
	what := fmt.Sprintf("%d ids on %d devices", ids, devices)
	sec.addRuns(what+": plan", Runs{plan})
	sec.addRuns(what+": floor, plan of a terraform_data holding the same list", Runs{floorPlan})
	sec.addRuns(what+": apply (plans again)", Runs{apply})
	sec.addRuns(what+": floor, apply of that terraform_data", Runs{floorApply})
	sec.add(what+": apply wall / floor", fmt.Sprintf("%s / %s = %s", secs(apply.Wall), secs(floorApply.Wall), times(apply.Wall.Seconds()/floorApply.Wall.Seconds())), noTarget, noTarget)
	sec.add(what+": apply CPU, terraform + provider / floor", fmt.Sprintf("%s / %s = %s", secs(apply.TotalCPU()), secs(floorApply.TotalCPU()), times(apply.TotalCPU().Seconds()/floorApply.TotalCPU().Seconds())), noTarget, noTarget)
	sec.add(what+": request body", fmt.Sprintf("%.2f MB", float64(body)/1e6), noTarget, noTarget)
	return sec, nil
}

// MeasureResolution plans resources revocations, each by a cluster of its
// own, on an estate of devices devices, in two configurations users write,
// interleaved, reps times each: with the cluster names known at plan time,
// so the plan resolves them and shows target_devices, and with the same
// names read from a terraform_data not yet created, so the plan cannot
// resolve them and leaves that to the apply. The difference is what
// showing target_devices in the plan costs. Each plan runs in its own
// provider process, so each lists the devices afresh.
func MeasureResolution(ctx context.Context, tf *Terraform, devices, resources, reps int) (Section, error) {
	sec := Section{Name: "resolution", Title: "Target devices in the plan: the cost of resolution"}
	if clusters := devices / 4; resources > clusters {
		return sec, fmt.Errorf("%d devices have %d clusters, fewer than the %d revocations", devices, clusters, resources)
	}
	s, err := startMock(bigiqmock.Options{Fixture: bigiqmock.GenerateFixture(devices, 0, 0, 1)})
	if err != nil {
		return sec, err
	}
	defer s.Close()
	// GenerateFixture names the cluster of every fourth device pair
	// Cluster00000, Cluster00001, ...
	known, err := tf.Workspace(s, tfcli.RequiredProviders+fmt.Sprintf(`
resource "bigiq_oauth_token_revocation" "leaver" {
  count         = %d
  user_name     = format("leaver%%03d", count.index)
  cluster_names = [format("Cluster%%05d", count.index)]
}
`, resources))
	if err != nil {
		return sec, err
	}
	unknown, err := tf.Workspace(s, tfcli.RequiredProviders+fmt.Sprintf(`
resource "terraform_data" "clusters" {
  input = [for i in range(%d) : format("Cluster%%05d", i)]
}

resource "bigiq_oauth_token_revocation" "leaver" {
  count         = %d
  user_name     = format("leaver%%03d", count.index)
  cluster_names = [terraform_data.clusters.output[count.index]]
}
`, resources, resources))
	if err != nil {
		return sec, err
	}
	plan := func(resolves bool) (Run, error) {
		w, adds := unknown, resources+1
		if resolves {
			w, adds = known, resources
		}
		listings := s.CountRequests("GET", bigiq.PathDevices)
		run, err := tf.Run(ctx, w, "plan")
		if err != nil {
			return run, err
		}
		if !strings.Contains(run.Stdout, fmt.Sprintf("Plan: %d to add", adds)) {
			return run, fmt.Errorf("the plan in %s does not add %d resources:\n%s", w.Dir, adds, lastChars(run.Stdout, 2000))
		}
		// The plan with known names lists the devices (in pages) and
		// shows them; the other does neither.
		listed := s.CountRequests("GET", bigiq.PathDevices) > listings
		if shown := strings.Contains(run.Stdout, "target_devices    = ["); listed != resolves || shown != resolves {
			return run, fmt.Errorf("plan with known targets %t: listed the devices %t, showed target_devices %t", resolves, listed, shown)
		}
		return run, nil
	}
	// One uncounted plan of each warms the caches; then the two alternate,
	// which goes first swapping each time, so drift in the machine's load
	// falls on both.
	var on, off Runs
	for i := -1; i < reps; i++ {
		for _, resolves := range []bool{i%2 == 0, i%2 != 0} {
			run, err := plan(resolves)
			if err != nil {
				return sec, err
			}
			if i < 0 {
				continue
			}
			if resolves {
				on = append(on, run)
			} else {
				off = append(off, run)
			}
		}
	}
	what := fmt.Sprintf("plan of %d revocations by cluster, %d devices", resources, devices)
	sec.addRuns(what+", names known: resolved (on)", on)
	sec.addRuns(what+", names from a terraform_data: left to the apply (off)", off)
	diff := func(f func(Run) float64) Stat {
		xs := make([]float64, len(on))
		for i := range on {
			xs[i] = f(on[i]) - f(off[i])
		}
		return statOf(xs)
	}
	wall := diff(func(r Run) float64 { return r.Wall.Seconds() })
	sec.add("plan wall, on − off (paired by repetition)", secsStat(wall), "≤ 1 s", verdict(wall.Median <= 1))
	sec.add("CPU, terraform + provider, on − off", secsStat(diff(func(r Run) float64 { return r.TotalCPU().Seconds() })), noTarget, noTarget)
	sec.add("provider CPU, on − off", secsStat(diff(func(r Run) float64 { return r.ProviderCPU.Seconds() })), noTarget, noTarget)
	return sec, nil
}
