// Command demo shows the provider doing its job end to end, on one machine
// and without a real BIG-IQ: it builds the provider, starts the mock BIG-IQ
// over HTTPS, and runs terraform plan and apply on examples/offboarding
// through a CLI configuration with dev_overrides, so no registry is needed.
// It prints the devices the plan revokes on (target_devices, from the plan
// JSON a reviewer or policy reads), and the OAuth tokens on every device
// before and after, so you can see which ones were revoked.
//
// Run it from the repository root with `make demo`, or
//
//	go run ./internal/cmd/demo -user alice -cluster BlueCluster
//
// The terraform binary is tfcli's: $TF_ACC_TERRAFORM_PATH, which make sets
// from .ci/terraform.sh, else `terraform` on PATH. It runs in tfcli's
// environment, so no BIG-IQ or Terraform setting of the caller's own gets in.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

func main() {
	user := flag.String("user", "alice", "user name of the leaver whose tokens are revoked")
	cluster := flag.String("cluster", "BlueCluster", "BIG-IQ cluster to revoke on")
	taskDuration := flag.Duration("task-duration", 2*time.Second, "how long the mock BIG-IQ takes to run a revoke task")
	keep := flag.Bool("keep", false, "keep the temporary working directory for inspection")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	start := time.Now()
	if err := run(ctx, *user, *cluster, *taskDuration, *keep); err != nil {
		fmt.Fprintf(os.Stderr, "\ndemo failed: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("\nDemo finished in %s.\n", time.Since(start).Round(100*time.Millisecond))
}

func run(ctx context.Context, user, cluster string, taskDuration time.Duration, keep bool) error {
	root, err := tfcli.RepoRoot()
	if err != nil {
		return err
	}
	terraform, err := tfcli.TerraformPath()
	if err != nil {
		return err
	}

	tmp, err := os.MkdirTemp("", "bigiq-demo-")
	if err != nil {
		return err
	}
	if keep {
		defer fmt.Printf("\nKept the working directory: %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	binDir := filepath.Join(tmp, "bin")
	workDir := filepath.Join(tmp, "offboarding")

	step("1. Build the provider")
	if _, err := tfcli.BuildProvider(ctx, root, binDir, "demo"); err != nil {
		return err
	}
	fmt.Printf("   %s\n", filepath.Join(binDir, tfcli.BinaryName))

	step("2. Start the mock BIG-IQ")
	fixture := bigiqmock.DefaultFixture()
	hosts := map[string]string{}    // machine id → hostname
	clusters := map[string]string{} // machine id → cluster
	for _, d := range fixture.Devices {
		hosts[d.UUID] = d.Hostname
		clusters[d.UUID] = d.ClusterName
	}
	mock := bigiqmock.New(bigiqmock.Options{
		Fixture:      fixture,
		TaskDuration: taskDuration,
		Logf: func(format string, args ...any) {
			fmt.Printf("   [mock BIG-IQ] "+format+"\n", args...)
		},
	})
	srv, err := bigiqmock.Listen(mock, "127.0.0.1:0", true)
	if err != nil {
		return fmt.Errorf("starting the mock BIG-IQ: %w", err)
	}
	defer func() {
		srv.Close()
		fmt.Println("\nStopped the mock BIG-IQ.")
	}()
	fmt.Printf("   listening on %s (HTTPS, self-signed certificate passed as BIGIQ_CA_CERTIFICATE)\n", srv.URL)
	fmt.Printf("   revoke tasks take %s\n", taskDuration)

	step("3. Write a CLI configuration with dev_overrides and copy examples/offboarding")
	if err := copyTF(filepath.Join(root, "examples", "offboarding"), workDir); err != nil {
		return err
	}
	w, err := tfcli.NewWorkspace(workDir, terraform, binDir, demoEnv(srv.URL, srv.CACertPEM(), user, cluster))
	if err != nil {
		return err
	}
	rc, err := os.ReadFile(w.CLIConfig)
	if err != nil {
		return err
	}
	fmt.Print(indent(string(rc)))
	fmt.Printf("   working directory: %s\n", workDir)

	// tf runs terraform with its output going straight to ours.
	tf := func(args ...string) *exec.Cmd {
		cmd := w.Command(ctx, args...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		return cmd
	}

	before := mock.AllTokens()
	step("4. OAuth tokens on the mock's devices before")
	printTokens(before, hosts, clusters)

	step(fmt.Sprintf("5. terraform plan: revoke the tokens of %q in cluster %q", user, cluster))
	if err := tf("plan", "-input=false", "-compact-warnings", "-out=tfplan").Run(); err != nil {
		return fmt.Errorf("terraform plan: %w", err)
	}

	show, err := w.Run(ctx, "show", "-json", "tfplan")
	if err != nil {
		return err
	}
	planFile := filepath.Join(w.Dir, "plan.json")
	if err := os.WriteFile(planFile, []byte(show.Stdout), 0o600); err != nil {
		return err
	}

	step("6. The devices the plan revokes on (target_devices in terraform show -json)")
	if err := printTargetDevices([]byte(show.Stdout), cluster); err != nil {
		return err
	}

	step("7. Policy check of the plan JSON (examples/policy/check-plan.sh)")
	if err := policyCheck(ctx, root, planFile, user, cluster); err != nil {
		return err
	}

	step("8. terraform apply")
	if err := tf("apply", "-input=false", "-compact-warnings", "-auto-approve", "tfplan").Run(); err != nil {
		return fmt.Errorf("terraform apply: %w", err)
	}

	after := mock.AllTokens()
	step("9. What was revoked")
	revoked := printRevoked(before, after, hosts, clusters)
	fmt.Println()
	fmt.Println("   Tokens still live:")
	printTokens(after, hosts, clusters)

	step("10. terraform output: the record to keep with the offboarding ticket")
	if err := tf("output").Run(); err != nil {
		return fmt.Errorf("terraform output: %w", err)
	}

	step("11. terraform plan again: a finished revocation never runs twice")
	// -detailed-exitcode: 0 means no changes, 2 means changes.
	if err := tf("plan", "-input=false", "-compact-warnings", "-detailed-exitcode").Run(); err != nil {
		return fmt.Errorf("the second plan is not empty: %w", err)
	}

	// The demo is also a smoke test: it fails when the leaver still holds a
	// token in the cluster or when anyone else lost one.
	for id, toks := range after {
		for _, t := range toks {
			if t.UserName == user && clusters[id] == cluster {
				return fmt.Errorf("token %s of %s on %s is still live", t.ID, user, hosts[id])
			}
		}
	}
	for _, t := range revoked {
		if t.UserName != user {
			return fmt.Errorf("token %s of %s was revoked, but only %s's should have been", t.ID, t.UserName, user)
		}
	}
	if len(revoked) == 0 {
		return errors.New("no token was revoked")
	}
	fmt.Printf("\nRevoked %d token(s) of %s in %s; every other token is untouched.\n", len(revoked), user, cluster)
	for id, toks := range after {
		for _, t := range toks {
			if t.UserName != user && strings.EqualFold(t.UserName, user) && clusters[id] == cluster {
				fmt.Printf("(%s's token on %s stays: user names are case-sensitive, so %s is another user.)\n",
					t.UserName, hosts[id], t.UserName)
			}
		}
	}
	return nil
}

func step(title string) {
	fmt.Printf("\n=== %s\n", title)
}

// copyTF copies the Terraform files of an example, and nothing a previous
// local run may have left there (.terraform, state).
func copyTF(src, dst string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".tf") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// demoEnv is the demo's settings for the provider (the mock's address, CA
// and admin account) and for the example's variables.
func demoEnv(address, caPEM, user, cluster string) map[string]string {
	env := tfcli.MockEnv(address, caPEM)
	env["TF_VAR_user_name"] = user
	env["TF_VAR_cluster_name"] = cluster
	if isTerminal() {
		env["TF_CLI_ARGS"] = "" // colours, for a person watching
	}
	return env
}

// policyCheck runs the plan-review guide's jq check on the saved plan. It
// needs bash and jq; without them the step is skipped, not failed.
func policyCheck(ctx context.Context, root, planFile, user, cluster string) error {
	var missing []string
	for _, tool := range []string{"bash", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) > 0 {
		fmt.Printf("   skipped: %s not installed\n", strings.Join(missing, " and "))
		return nil
	}
	check := exec.CommandContext(ctx, "bash", filepath.Join(root, "examples", "policy", "check-plan.sh"), planFile, user, cluster)
	var out bytes.Buffer
	check.Stdout, check.Stderr = &out, &out
	err := check.Run()
	fmt.Print(indent(out.String()))
	if err != nil {
		return fmt.Errorf("the plan failed the policy check: %w", err)
	}
	return nil
}

// printTargetDevices prints the target_devices of each planned revocation
// of planJSON, the devices a reviewer approves, and fails when one is not
// in cluster: the demo is a smoke test too.
func printTargetDevices(planJSON []byte, cluster string) error {
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Type    string `json:"type"`
			Change  struct {
				After struct {
					TargetDevices []struct {
						Hostname    string  `json:"hostname"`
						MachineID   string  `json:"machine_id"`
						Address     string  `json:"address"`
						ClusterName *string `json:"cluster_name"`
					} `json:"target_devices"`
				} `json:"after"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(planJSON, &plan); err != nil {
		return fmt.Errorf("reading the plan JSON: %w", err)
	}
	shown := 0
	for _, rc := range plan.ResourceChanges {
		if rc.Type != "bigiq_oauth_token_revocation" {
			continue
		}
		devices := rc.Change.After.TargetDevices
		fmt.Printf("   %s: %d device(s)\n", rc.Address, len(devices))
		for _, d := range devices {
			in := "-"
			if d.ClusterName != nil {
				in = *d.ClusterName
			}
			fmt.Printf("     %-26s %-14s %-12s %s\n", d.Hostname, d.Address, in, d.MachineID)
			if in != cluster {
				return fmt.Errorf("the plan revokes on %s, which is not in cluster %s", d.Hostname, cluster)
			}
		}
		shown += len(devices)
	}
	if shown == 0 {
		return errors.New("the plan shows no target device")
	}
	fmt.Println("   The apply revokes on exactly these devices, or on none if they change before it starts.")
	return nil
}

// printTokens lists the live tokens per device, with the users holding them.
func printTokens(tokens map[string][]bigiqmock.Token, hosts, clusters map[string]string) {
	for _, id := range sortedDevices(tokens, hosts) {
		toks := tokens[id]
		users := make([]string, 0, len(toks))
		for _, t := range toks {
			users = append(users, t.UserName)
		}
		sort.Strings(users)
		list := strings.Join(users, ", ")
		if list == "" {
			list = "(none)"
		}
		fmt.Printf("   %-26s %-12s %d token(s): %s\n", hosts[id], orDash(clusters[id]), len(toks), list)
	}
}

// printRevoked lists the tokens present before and gone after, per device,
// and returns them.
func printRevoked(before, after map[string][]bigiqmock.Token, hosts, clusters map[string]string) []bigiqmock.Token {
	var all []bigiqmock.Token
	for _, id := range sortedDevices(before, hosts) {
		live := map[string]bool{}
		for _, t := range after[id] {
			live[t.ID] = true
		}
		for _, t := range before[id] {
			if live[t.ID] {
				continue
			}
			all = append(all, t)
			fmt.Printf("   revoked on %-26s (%s): token %s of user %s, client %s\n",
				hosts[id], orDash(clusters[id]), short(t.ID), t.UserName, short(t.ClientID))
		}
	}
	if len(all) == 0 {
		fmt.Println("   nothing was revoked")
	}
	return all
}

func sortedDevices(tokens map[string][]bigiqmock.Token, hosts map[string]string) []string {
	ids := make([]string, 0, len(tokens))
	for id := range tokens {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return hosts[ids[i]] < hosts[ids[j]] })
	return ids
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12] + "…"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return ""
	}
	return "   " + strings.ReplaceAll(s, "\n", "\n   ") + "\n"
}

func isTerminal() bool {
	fi, err := os.Stdout.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
