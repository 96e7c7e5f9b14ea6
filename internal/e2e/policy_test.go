package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

// EnvOPAPath names the OPA binary the policy test runs. make testacc sets
// it from .ci/opa.sh, which builds the pinned release once.
const EnvOPAPath = "TF_ACC_OPA_PATH"

// policyTool finds a tool the policy test runs: $env when given, else name
// on PATH. Under TF_ACC (make test) a missing tool fails the test: a
// policy check that CI skipped would pass for a broken policy.
func policyTool(t *testing.T, env, name string) string {
	t.Helper()
	if env != "" {
		if p := os.Getenv(env); p != "" {
			return p
		}
	}
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	how := name + " is not on PATH"
	if env != "" {
		how += " and " + env + " is not set (make testacc sets it from .ci/opa.sh)"
	}
	if os.Getenv("TF_ACC") != "" {
		t.Fatal(how)
	}
	t.Skip(how + "; TF_ACC is not set either")
	return ""
}

// policyTools gives the OPA and jq binaries the policy tests run, and the
// directory of the policies, examples/policy.
func policyTools(t *testing.T) (opa, jq, policy string) {
	t.Helper()
	opa = policyTool(t, EnvOPAPath, "opa")
	jq = policyTool(t, "", "jq")
	root, err := tfcli.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return opa, jq, filepath.Join(root, "examples", "policy")
}

// TestPolicyOnARealPlan runs examples/policy, the Rego policy with a real
// OPA and the jq check, on `terraform show -json` of the offboarding
// example planned against the mock: the plan an offboarding pipeline would
// review. A plan of the allowed cluster passes; a plan of more devices
// than allowed, or of a device outside the allowed clusters, is denied,
// and the denial names the devices.
func TestPolicyOnARealPlan(t *testing.T) {
	t.Parallel()
	opa, jq, policy := policyTools(t)

	s := bigiqmock.Start(t, bigiqmock.Options{})
	w := tfcli.WorkspaceForTest(t, tfcli.MockEnv(s.URL, s.CACertPEM()))
	copyTerraformFiles(t, filepath.Join(policy, "..", "offboarding"), w)
	ctx := context.Background()
	planJSON := func(cluster string) string {
		t.Helper()
		if _, err := w.Run(ctx, "plan", "-var", "user_name=alice", "-var", "cluster_name="+cluster, "-out="+cluster+".tfplan"); err != nil {
			t.Fatal(err)
		}
		res, err := w.Run(ctx, "show", "-json", cluster+".tfplan")
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(w.Dir, cluster+".json")
		if err := os.WriteFile(file, []byte(res.Stdout), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	blue, red := planJSON("BlueCluster"), planJSON("RedCluster")
	if hosts := plannedHostnames(t, blue); !slices.Equal(hosts, []string{"bluebigipveha1.labf.com", "bluebigipveha2.labf.com"}) {
		t.Fatalf("the plan's target_devices are %q; want the two BlueCluster devices", hosts)
	}
	if n := s.CountRequests(http.MethodPost, pathTasks); n != 0 {
		t.Fatalf("planning sent %d revoke-tokens POSTs; want none", n)
	}

	const (
		redDevice   = "redbigip1.labf.com (901695c8-f405-489f-9996-54f7b21da642)"
		addr        = "bigiq_oauth_token_revocation.leaver"
		tooMany     = addr + ": revokes on 2 devices, more than the 1 one plan may touch"
		outsideRego = addr + ": device " + redDevice + " is in cluster RedCluster, outside the clusters this pipeline may touch"
		outsideJQ   = "DENY " + addr + ": device " + redDevice + ` is in cluster "RedCluster", outside the clusters this pipeline may touch`
	)
	for _, tc := range []struct {
		name       string
		plan       string
		maxDevices int // 0: the policy's default
		wantRego   string
		wantJQ     string
	}{
		{name: "allowed", plan: blue},
		{name: "too many devices", plan: blue, maxDevices: 1, wantRego: tooMany, wantJQ: "DENY " + tooMany},
		{name: "device outside the allowed clusters", plan: red, wantRego: outsideRego, wantJQ: outsideJQ},
	} {
		t.Run(tc.name, func(t *testing.T) {
			deny := opaDeny(t, opa, policy, tc.plan, tc.maxDevices)
			if tc.wantRego == "" && len(deny) != 0 {
				t.Errorf("the Rego policy denies a plan it should allow: %q", deny)
			}
			if tc.wantRego != "" && !slices.Contains(deny, tc.wantRego) {
				t.Errorf("the Rego policy's denials %q do not include %q", deny, tc.wantRego)
			}

			out, err := jqCheck(t.Context(), jq, policy, tc.plan, tc.maxDevices)
			switch {
			case tc.wantJQ == "" && (err != nil || !strings.HasSuffix(out, "policy: ok\n")):
				t.Errorf("the jq check refuses a plan it should allow (%v):\n%s", err, out)
			case tc.wantJQ != "" && err == nil:
				t.Errorf("the jq check passes a plan it should deny:\n%s", out)
			case tc.wantJQ != "" && !slices.Contains(strings.Split(out, "\n"), tc.wantJQ):
				t.Errorf("the jq check does not say %q:\n%s", tc.wantJQ, out)
			}
		})
	}
}

// plannedHostnames reads target_devices of the planned revocation.
func plannedHostnames(t *testing.T, planFile string) []string {
	t.Helper()
	raw, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	var plan struct {
		ResourceChanges []struct {
			Type   string `json:"type"`
			Change struct {
				After struct {
					TargetDevices []struct {
						Hostname string `json:"hostname"`
					} `json:"target_devices"`
				} `json:"after"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatal(err)
	}
	var hosts []string
	for _, rc := range plan.ResourceChanges {
		if rc.Type == "bigiq_oauth_token_revocation" {
			for _, d := range rc.Change.After.TargetDevices {
				hosts = append(hosts, d.Hostname)
			}
		}
	}
	return hosts
}

// opaDeny evaluates data.main.deny of the policy on planFile, with the
// offboarding data a pipeline would give it.
func opaDeny(t *testing.T, opa, policy, planFile string, maxDevices int) []string {
	t.Helper()
	offboarding := map[string]any{"leaver": "alice", "allowed_clusters": []string{"BlueCluster"}}
	if maxDevices > 0 {
		offboarding["max_devices"] = maxDevices
	}
	data, _ := json.Marshal(map[string]any{"offboarding": offboarding})
	dataFile := filepath.Join(t.TempDir(), "offboarding.json")
	if err := os.WriteFile(dataFile, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), opa, "eval", "--format", "json", "--data", filepath.Join(policy, "revocation.rego"),
		"--data", dataFile, "--input", planFile, "data.main.deny")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("opa eval: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	var out struct {
		Result []struct {
			Expressions []struct {
				Value []string `json:"value"`
			} `json:"expressions"`
		} `json:"result"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil || len(out.Result) != 1 || len(out.Result[0].Expressions) != 1 {
		t.Fatalf("opa eval printed no value of data.main.deny (%v):\n%s", err, stdout.String())
	}
	return out.Result[0].Expressions[0].Value
}

// jqCheck runs check-plan.sh on planFile for the leaver alice and
// BlueCluster; err is set when it refuses the plan.
func jqCheck(ctx context.Context, jq, policy, planFile string, maxDevices int) (string, error) {
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(policy, "check-plan.sh"), planFile, "alice", "BlueCluster")
	cmd.Env = []string{"PATH=" + filepath.Dir(jq) + string(os.PathListSeparator) + os.Getenv("PATH")}
	if maxDevices > 0 {
		cmd.Env = append(cmd.Env, "MAX_DEVICES="+strconv.Itoa(maxDevices))
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestPolicyOnActionPlans runs examples/policy, the Rego policy with a real
// OPA and the jq check, on plans that invoke bigiq_revoke_oauth_tokens
// (testdata/actionplans, written by hand in the format of `terraform show
// -json`, since Terraform 1.14 cannot run here): through an action_trigger,
// for a client id on a cluster outside the allowed ones, and through `plan
// -invoke`, for the leaver on the allowed cluster. Both deny each: the
// first for its client id and its cluster, as for the resource, and both
// because an action's plan lists no devices to review.
func TestPolicyOnActionPlans(t *testing.T) {
	t.Parallel()
	opa, jq, policy := policyTools(t)
	const noDevices = ": an action's plan does not list the devices it will revoke on (no target_devices), so they cannot be reviewed; revoke through bigiq_oauth_token_revocation"
	for _, tc := range []struct {
		name     string
		wantRego []string
		wantJQ   []string
	}{
		{
			name: "trigger",
			wantRego: []string{
				"action.bigiq_revoke_oauth_tokens.leaked_client (triggered AfterCreate of terraform_data.incident): action REVOKE_TOKEN_FOR_CLIENT_ID revokes more than one user's tokens; offboarding revokes by user_name only",
				`action.bigiq_revoke_oauth_tokens.leaked_client (triggered AfterCreate of terraform_data.incident): cluster "RedCluster" is not one this pipeline may touch`,
				"action.bigiq_revoke_oauth_tokens.leaked_client (triggered AfterCreate of terraform_data.incident)" + noDevices,
			},
			wantJQ: []string{
				"DENY action.bigiq_revoke_oauth_tokens.leaked_client (triggered AfterCreate of terraform_data.incident): action REVOKE_TOKEN_FOR_CLIENT_ID revokes more than one user's tokens; offboarding revokes by user_name only",
				`DENY action.bigiq_revoke_oauth_tokens.leaked_client (triggered AfterCreate of terraform_data.incident): cluster "RedCluster" is not one of BlueCluster`,
				"DENY action.bigiq_revoke_oauth_tokens.leaked_client (triggered AfterCreate of terraform_data.incident)" + noDevices,
				"policy: 3 violation(s)",
			},
		},
		{
			name:     "invoke",
			wantRego: []string{"action.bigiq_revoke_oauth_tokens.alice (invoked)" + noDevices},
			wantJQ: []string{
				"DENY action.bigiq_revoke_oauth_tokens.alice (invoked)" + noDevices,
				"policy: 1 violation(s)",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			plan := filepath.Join("testdata", "actionplans", tc.name+".json")
			deny := opaDeny(t, opa, policy, plan, 0)
			slices.Sort(deny)
			want := slices.Sorted(slices.Values(tc.wantRego))
			if !slices.Equal(deny, want) {
				t.Errorf("the Rego policy denies\n%q\nwant\n%q", deny, want)
			}
			out, err := jqCheck(t.Context(), jq, policy, plan, 0)
			if err == nil {
				t.Errorf("the jq check passes a plan it should deny:\n%s", out)
			}
			var denials []string
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				if strings.HasPrefix(line, "DENY ") || strings.HasPrefix(line, "policy: ") {
					denials = append(denials, line)
				}
			}
			if !slices.Equal(denials, tc.wantJQ) {
				t.Errorf("the jq check says\n%s\nwant the denials\n%s", strings.Join(denials, "\n"), strings.Join(tc.wantJQ, "\n"))
			}
		})
	}
}
