package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

const (
	pathTasks = "/mgmt/cm/access/tasks/revoke-tokens"
	pathLogin = "/mgmt/shared/authn/login"
	bluebigip = "98901455-6384-47cd-bc41-00a39dfe338f"
)

// stateInstance is what the tests read of a resource instance in
// terraform.tfstate.
type stateInstance struct {
	Status     string         `json:"status"`
	IndexKey   any            `json:"index_key"`
	Attributes map[string]any `json:"attributes"`
}

func readState(t *testing.T, w *tfcli.Workspace) []stateInstance {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(w.Dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Type      string          `json:"type"`
			Instances []stateInstance `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &state); err != nil {
		t.Fatal(err)
	}
	var out []stateInstance
	for _, r := range state.Resources {
		if r.Type == "bigiq_oauth_token_revocation" {
			out = append(out, r.Instances...)
		}
	}
	return out
}

// waitFor polls cond until it holds or the test's patience runs out.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func revocationConfig(timeout string) string {
	return tfcli.RequiredProviders + fmt.Sprintf(`
resource "bigiq_oauth_token_revocation" "leaver" {
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
  timeouts {
    create = %q
  }
}
`, timeout)
}

// TestInterruptEndsTheWait sends SIGINT to terraform while the provider
// waits for a task that never ends, as Ctrl-C does: the apply must end at
// once and leave the task id in state, tainted.
func TestInterruptEndsTheWait(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{})
	s.QueueTaskOutcome(bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeHang})
	w := tfcli.WorkspaceForTest(t, tfcli.MockEnv(s.URL, s.CACertPEM()))
	if err := w.WriteFile("main.tf", revocationConfig("15m")); err != nil {
		t.Fatal(err)
	}

	cmd := w.Command(context.Background(), "apply", "-auto-approve")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the task to be created and polled", func() bool { return s.CountRequests(http.MethodGet, pathTasks+"/") > 0 })
	interrupted := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	took := time.Since(interrupted)
	t.Logf("terraform exited %v after SIGINT", took)
	if err == nil {
		t.Fatalf("an interrupted apply succeeded:\n%s", out.String())
	}
	if took > 2*time.Second {
		t.Errorf("terraform took %v to stop after SIGINT; want under 2s", took)
	}

	ids := s.TaskIDs()
	instances := readState(t, w)
	if len(ids) != 1 || len(instances) != 1 {
		t.Fatalf("%d tasks, %d instances in state:\n%s", len(ids), len(instances), out.String())
	}
	if got := instances[0].Attributes["id"]; got != ids[0] || instances[0].Status != "tainted" {
		t.Errorf("state holds id %v, status %q; want %s, tainted", got, instances[0].Status, ids[0])
	}
	if !strings.Contains(out.String(), ids[0]) {
		t.Errorf("the error does not name task %s:\n%s", ids[0], out.String())
	}
}

// TestBIGIQDownMidApply stops the mock answering while the provider waits.
func TestBIGIQDownMidApply(t *testing.T) {
	t.Parallel()

	t.Run("back before the timeout", func(t *testing.T) {
		t.Parallel()
		s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: 3 * time.Second})
		w := tfcli.WorkspaceForTest(t, tfcli.MockEnv(s.URL, s.CACertPEM()))
		if err := w.WriteFile("main.tf", revocationConfig("2m")); err != nil {
			t.Fatal(err)
		}
		go func() {
			waitFor(t, "the task", func() bool { return len(s.TaskIDs()) == 1 })
			s.SetDown(true)
			time.Sleep(5 * time.Second)
			s.SetDown(false)
		}()
		if _, err := w.Run(context.Background(), "apply", "-auto-approve"); err != nil {
			t.Fatal(err)
		}
		instances := readState(t, w)
		if len(instances) != 1 || instances[0].Status == "tainted" || instances[0].Attributes["status"] != "FINISHED" {
			t.Errorf("state = %+v", instances)
		}
		for _, tok := range s.Tokens(bluebigip) {
			if tok.UserName == "user1" {
				t.Errorf("user1's token %s is still live", tok.ID)
			}
		}
	})

	t.Run("back after the timeout", func(t *testing.T) {
		t.Parallel()
		s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: 3 * time.Second})
		w := tfcli.WorkspaceForTest(t, tfcli.MockEnv(s.URL, s.CACertPEM()))
		if err := w.WriteFile("main.tf", revocationConfig("4s")); err != nil {
			t.Fatal(err)
		}
		go func() {
			waitFor(t, "the task", func() bool { return len(s.TaskIDs()) == 1 })
			s.SetDown(true)
		}()
		res, err := w.Run(context.Background(), "apply", "-auto-approve")
		if err == nil {
			t.Fatal("the apply succeeded although BIG-IQ never came back")
		}
		first := s.TaskIDs()[0]
		if !strings.Contains(res.Stdout+res.Stderr, first) {
			t.Errorf("the error does not name task %s:\n%s", first, res.Stdout+res.Stderr)
		}
		instances := readState(t, w)
		if len(instances) != 1 || instances[0].Status != "tainted" || instances[0].Attributes["id"] != first {
			t.Fatalf("state = %+v; want task %s, tainted", instances, first)
		}

		// BIG-IQ is back: the next apply replaces the tainted resource and
		// the revocation runs again, to the end.
		s.SetDown(false)
		if _, err := w.Run(context.Background(), "apply", "-auto-approve"); err != nil {
			t.Fatal(err)
		}
		instances = readState(t, w)
		if ids := s.TaskIDs(); len(ids) != 2 || len(instances) != 1 || instances[0].Attributes["id"] != ids[1] || instances[0].Status == "tainted" {
			t.Errorf("tasks %v, state %+v; want the second task, not tainted", ids, instances)
		}
	})
}

// TestStorm applies 50 revocations at parallelism 10 while the mock fails a
// fifth of GETs, resets a tenth of connections, adds latency spikes and
// expires auth tokens every few seconds. Every revocation must finish, each
// with exactly one task, and every matching token must be gone.
func TestStorm(t *testing.T) {
	if testing.Short() {
		t.Skip("the storm takes about a minute; make test-faults runs it")
	}
	t.Parallel()
	const users = 50
	const tokenExpiry = 3 * time.Second
	s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: time.Second})
	var names []string
	for i := range users {
		name := fmt.Sprintf("leaver%02d", i)
		names = append(names, fmt.Sprintf("%q", name))
		s.AddToken(bluebigip, bigiqmock.Token{ID: fmt.Sprintf("storm-token-%02d", i), ClientID: "89923892aed8eb142a8871058da9005056b09ae221df6a57", UserName: name})
	}
	w := tfcli.WorkspaceForTest(t, tfcli.MockEnv(s.URL, s.CACertPEM()))
	config := tfcli.RequiredProviders + fmt.Sprintf(`
resource "bigiq_oauth_token_revocation" "leaver" {
  for_each      = toset([%s])
  user_name     = each.value
  cluster_names = ["BlueCluster"]
}
`, strings.Join(names, ", "))
	if err := w.WriteFile("main.tf", config); err != nil {
		t.Fatal(err)
	}
	// Besides the random resets, two task POSTs surely lose their answer.
	s.DropNext(http.MethodPost, pathTasks, 2)
	s.SetChaos(bigiqmock.Chaos{
		GetErrorRate: 0.2, ResetRate: 0.1,
		LatencySpike: 500 * time.Millisecond, SpikeRate: 0.05,
		TokenExpiry: tokenExpiry, Seed: 7,
	})

	res, err := w.Run(context.Background(), "apply", "-auto-approve", "-parallelism=10")
	if err != nil {
		t.Fatal(err)
	}
	s.SetChaos(bigiqmock.Chaos{})

	instances := readState(t, w)
	if len(instances) != users {
		t.Fatalf("%d instances in state; want %d", len(instances), users)
	}
	taskOf := map[string]string{}
	for _, in := range instances {
		if in.Status == "tainted" || in.Attributes["status"] != "FINISHED" || in.Attributes["result"] != "COMPLETE" {
			t.Errorf("%v ended %v/%v (%s)", in.IndexKey, in.Attributes["status"], in.Attributes["result"], in.Status)
		}
		id, idOK := in.Attributes["id"].(string)
		key, keyOK := in.IndexKey.(string)
		if !idOK || !keyOK {
			t.Fatalf("instance %v has no task id", in.IndexKey)
		}
		taskOf[id] = key
	}
	ids := s.TaskIDs()
	if len(ids) != users || len(taskOf) != users {
		t.Errorf("%d tasks on BIG-IQ, %d distinct in state; want exactly one per revocation (%d)", len(ids), len(taskOf), users)
	}
	for _, id := range ids {
		task, _ := s.TaskJSON(id)
		if owner, ok := taskOf[id]; !ok || task["userName"] != owner {
			t.Errorf("task %s (for %v) belongs to no resource or to another user's (%q)", id, task["userName"], owner)
		}
	}
	for _, tok := range s.Tokens(bluebigip) {
		if strings.HasPrefix(tok.UserName, "leaver") {
			t.Errorf("%s's token is still live", tok.UserName)
		}
	}
	// Each provider process (terraform starts one to plan and one to
	// apply) logs in once, and again once per expiry of its token; logins
	// whose answer a reset lost are repeated.
	lostLogins := s.CountRequests(http.MethodPost, pathLogin) - s.Logins()
	allowed := 2*(int(res.Wall/tokenExpiry)+1) + lostLogins
	posts, searches := 0, 0
	for _, r := range s.Requests() {
		switch {
		case r.Method == http.MethodPost && r.Path == pathTasks:
			posts++
		case r.Method == http.MethodGet && r.Path == pathTasks:
			searches++
		}
	}
	t.Logf("apply took %v; %d logins (%d lost to resets), at most %d allowed; %d requests in all; "+
		"%d task POSTs for %d tasks, %d searches for tasks whose POST lost its answer",
		res.Wall, s.Logins(), lostLogins, allowed, len(s.Requests()), posts, len(ids), searches)
	if posts == users || searches == 0 {
		t.Error("no task POST lost its answer: the storm did not test the one path that could double a task")
	}
	if s.Logins() > allowed {
		t.Errorf("%d logins; tokens expired only often enough for %d", s.Logins(), allowed)
	}
}
