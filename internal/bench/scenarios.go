package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
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

// ScriptResult compares one revocation through terraform apply with the
// same revocation by the reference script. Walls are medians over Reps.
type ScriptResult struct {
	TaskDuration                 time.Duration
	Reps                         int
	Apply, Script, TerraformOnly time.Duration
	// Plan is a plan of the same revocation: terraform starting the
	// provider, validating and planning, with no BIG-IQ call. An apply
	// walks that plan first, so Apply - Plan is the part that talks to
	// BIG-IQ, the part the script does.
	Plan time.Duration
}

// Ratio is the apply's wall over the script's.
func (r ScriptResult) Ratio() float64 { return r.Apply.Seconds() / r.Script.Seconds() }

// CompareWithScript times, reps times each and interleaved so that both
// see the same machine: the script at scriptPath, terraform apply of the
// same revocation in a fresh workspace, and an apply with no BIG-IQ in it.
func CompareWithScript(ctx context.Context, tf *Terraform, scriptPath string, taskDuration time.Duration, reps int) (ScriptResult, error) {
	res := ScriptResult{TaskDuration: taskDuration, Reps: reps}
	if err := RequireScriptTools(); err != nil {
		return res, err
	}
	s, err := startMock(bigiqmock.Options{TaskDuration: taskDuration})
	if err != nil {
		return res, err
	}
	defer s.Close()
	caFile := filepath.Join(tf.workRoot, "bigiq-ca.pem")
	if err := os.WriteFile(caFile, []byte(s.CACertPEM()), 0o600); err != nil {
		return res, err
	}
	users := seedLeavers(s.Mock, 2*reps)

	// The first terraform run of a session pays for cold caches; it is not
	// counted.
	if _, err := tf.applyFresh(ctx, nil, terraformOnly); err != nil {
		return res, err
	}
	var applies, scripts, onlyTF, plans []time.Duration
	for i := range reps {
		script, err := runScript(ctx, scriptPath, s, caFile, users[2*i])
		if err != nil {
			return res, err
		}
		w, err := tf.Workspace(s, userRevocation(users[2*i+1]))
		if err != nil {
			return res, err
		}
		plan, err := tf.Run(ctx, w, "plan")
		if err != nil {
			return res, err
		}
		apply, err := tf.Run(ctx, w, "apply", "-auto-approve")
		if err != nil {
			return res, err
		}
		only, err := tf.applyFresh(ctx, nil, terraformOnly)
		if err != nil {
			return res, err
		}
		scripts, applies, onlyTF, plans = append(scripts, script), append(applies, apply.Wall), append(onlyTF, only.Wall), append(plans, plan.Wall)
	}
	// Both revoked what they were asked to: every seeded token is gone.
	for _, tok := range s.Tokens(blueClusterActive) {
		if slices.Contains(users, tok.UserName) {
			return res, fmt.Errorf("the token of %s was not revoked", tok.UserName)
		}
	}
	res.Apply, res.Script, res.TerraformOnly, res.Plan = median(applies), median(scripts), median(onlyTF), median(plans)
	return res, nil
}

func runScript(ctx context.Context, scriptPath string, s *bigiqmock.Server, caFile, user string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, "bash", scriptPath, user, blueCluster)
	cmd.Env = append(os.Environ(), "BIGIQ_ADDRESS="+s.URL, "BIGIQ_USERNAME=admin", "BIGIQ_PASSWORD=admin", "BIGIQ_CA_FILE="+caFile)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		return wall, fmt.Errorf("reference script: %w\n%s", err, out)
	}
	return wall, nil
}

// applyFresh runs terraform apply of config in a new workspace.
func (tf *Terraform) applyFresh(ctx context.Context, s *bigiqmock.Server, config string) (Run, error) {
	w, err := tf.Workspace(s, config)
	if err != nil {
		return Run{}, err
	}
	return tf.Run(ctx, w, "apply", "-auto-approve")
}

// InventoryResult is terraform plan of each data source over a large estate.
type InventoryResult struct {
	Devices, Apps         int
	DevicesPlan, AppsPlan Run
}

// MeasureInventory plans a configuration reading every device, then one
// reading every OAuth client app, of an estate of devices with
// appsPerDevice apps each.
func MeasureInventory(ctx context.Context, tf *Terraform, devices, appsPerDevice int) (InventoryResult, error) {
	res := InventoryResult{Devices: devices, Apps: devices * appsPerDevice}
	s, err := startMock(bigiqmock.Options{Fixture: bigiqmock.GenerateFixture(devices, appsPerDevice, 0, 1)})
	if err != nil {
		return res, err
	}
	defer s.Close()
	res.DevicesPlan, err = tf.planCount(ctx, s, "bigiq_devices", "devices", res.Devices)
	if err != nil {
		return res, err
	}
	res.AppsPlan, err = tf.planCount(ctx, s, "bigiq_oauth_client_apps", "client_apps", res.Apps)
	return res, err
}

// planCount plans a configuration that reads the data source and checks
// that the plan shows want items in its attribute list.
func (tf *Terraform) planCount(ctx context.Context, s *bigiqmock.Server, dataSource, list string, want int) (Run, error) {
	config := tfcli.RequiredProviders + fmt.Sprintf(`
data %q "all" {}

output "count" {
  value = length(data.%s.all.%s)
}
`, dataSource, dataSource, list)
	w, err := tf.Workspace(s, config)
	if err != nil {
		return Run{}, err
	}
	run, err := tf.Run(ctx, w, "plan")
	if err != nil {
		return run, err
	}
	if !strings.Contains(run.Stdout, fmt.Sprintf("count = %d", want)) {
		return run, fmt.Errorf("the plan of %s does not show %d items:\n%s", dataSource, want, run.Stdout)
	}
	return run, nil
}

// ManyResult is one apply of many revocations at once.
type ManyResult struct {
	Resources, Parallelism int
	TaskDuration           time.Duration
	Apply                  Run
	Logins                 int
	Requests, Posts, Polls int
}

// Ideal is the wall of the apply if each batch of parallelism revocations
// took exactly the task's duration and nothing else took any time.
func (r ManyResult) Ideal() time.Duration {
	batches := (r.Resources + r.Parallelism - 1) / r.Parallelism
	return time.Duration(batches) * r.TaskDuration
}

// RequestsPerRevocation counts every request to BIG-IQ, logins included.
func (r ManyResult) RequestsPerRevocation() float64 {
	return float64(r.Requests) / float64(r.Resources)
}

// MeasureMany applies resources revocations, one per leaver, at the given
// parallelism.
func MeasureMany(ctx context.Context, tf *Terraform, resources, parallelism int, taskDuration time.Duration) (ManyResult, error) {
	res := ManyResult{Resources: resources, Parallelism: parallelism, TaskDuration: taskDuration}
	s, err := startMock(bigiqmock.Options{TaskDuration: taskDuration})
	if err != nil {
		return res, err
	}
	defer s.Close()
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
		return res, err
	}
	res.Apply, err = tf.Run(ctx, w, "apply", "-auto-approve", fmt.Sprintf("-parallelism=%d", parallelism))
	if err != nil {
		return res, err
	}
	if tasks := len(s.TaskIDs()); tasks != resources {
		return res, fmt.Errorf("%d revocations started %d tasks", resources, tasks)
	}
	res.Logins = s.Logins()
	res.Requests = len(s.Requests())
	res.Posts = s.CountRequests("POST", bigiq.PathRevokeTasks)
	res.Polls = s.CountRequests("GET", bigiq.PathRevokeTasks+"/")
	return res, nil
}

// BigListResult is one revocation of a long list of tokens.
type BigListResult struct {
	IDs, Devices int
	Plan, Apply  Run
	BodyBytes    int
}

// MeasureBigList plans and applies one per_device_oauth_ids revocation of
// ids tokens spread evenly over devices devices.
func MeasureBigList(ctx context.Context, tf *Terraform, ids, devices int, taskDuration time.Duration) (BigListResult, error) {
	res := BigListResult{IDs: ids, Devices: devices}
	perDevice := (ids + devices - 1) / devices
	// A generated estate gives tokens to three devices in four (the
	// fourth is a cluster's standby).
	fixture := bigiqmock.GenerateFixture(devices*4/3+4, 1, perDevice, 1)
	s, err := startMock(bigiqmock.Options{TaskDuration: taskDuration, Fixture: fixture})
	if err != nil {
		return res, err
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
		return res, fmt.Errorf("the generated estate has too few tokens for %d ids on %d devices", ids, devices)
	}
	listJSON, err := json.Marshal(list)
	if err != nil {
		return res, err
	}
	config := tfcli.RequiredProviders + `
resource "bigiq_oauth_token_revocation" "list" {
  per_device_oauth_ids = jsondecode(file("${path.module}/ids.json"))
}
`
	w, err := tf.Workspace(s, config)
	if err != nil {
		return res, err
	}
	if err := w.WriteFile("ids.json", string(listJSON)); err != nil {
		return res, err
	}
	if res.Plan, err = tf.Run(ctx, w, "plan"); err != nil {
		return res, err
	}
	if res.Apply, err = tf.Run(ctx, w, "apply", "-auto-approve"); err != nil {
		return res, err
	}
	for _, r := range s.Requests() {
		if r.Method == "POST" && r.Path == bigiq.PathRevokeTasks {
			res.BodyBytes = len(r.Body)
		}
	}
	return res, nil
}
