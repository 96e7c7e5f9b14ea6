package e2e

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/tfcli"
)

// Revocations while BIG-IQ's estate moves: devices join and leave the
// targets between one revocation's task and the next, and while a task
// resolves its targets. Each test runs the real terraform CLI against the
// mock, moves devices at a chosen moment (AfterRequests,
// ChangeEstateDuring), and checks what BIG-IQ received, which tokens are
// left, the state and what the user reads.

const (
	pathDevices     = "/mgmt/cm/system/machineid-resolver"
	redbigip        = "901695c8-f405-489f-9996-54f7b21da642"
	bluebigipStandy = "3f320100-2177-42e0-8a46-2e33cd3366da"
)

// oneLine joins terraform's wrapped output, so phrases can be looked for.
func oneLine(s ...string) string { return strings.Join(strings.Fields(strings.Join(s, " ")), " ") }

func wantPhrases(t *testing.T, out string, phrases ...string) {
	t.Helper()
	for _, p := range phrases {
		if !strings.Contains(out, p) {
			t.Errorf("the output does not say %q:\n%s", p, out)
		}
	}
}

func userTokens(s *bigiqmock.Server, machineID, user string) int {
	n := 0
	for _, tok := range s.Tokens(machineID) {
		if tok.UserName == user {
			n++
		}
	}
	return n
}

// TestEachRevocationChecksTheEstateAsItIsWhenItStarts: of two revocations
// on RedCluster, applied one after the other, the second is checked
// against BIG-IQ as it is when its create begins, not as the first create
// saw it. greenbigip joins RedCluster once the first task has been
// posted: the second revocation is refused with no POST, naming it, and
// the first is told that a device joined while its task ran. (Before
// device listings were fresh per revocation, one listing served the whole
// apply, and the second task was posted, reaching greenbigip, with state
// listing only redbigip.)
func TestEachRevocationChecksTheEstateAsItIsWhenItStarts(t *testing.T) {
	t.Parallel()
	s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: 300 * time.Millisecond})
	w := tfcli.WorkspaceForTest(t, tfcli.MockEnv(s.URL, s.CACertPEM()))
	if err := w.WriteFile("main.tf", tfcli.RequiredProviders+`
# In this order, so that the revocation refused is alice's: greenbigip
# holds a token of alice's and none of bob's, so the first task, which may
# reach greenbigip, leaves alice's token alone whatever it resolves.
resource "bigiq_oauth_token_revocation" "first" {
  user_name     = "bob"
  cluster_names = ["RedCluster"]
}

resource "bigiq_oauth_token_revocation" "second" {
  user_name     = "alice"
  cluster_names = ["RedCluster"]
  depends_on    = [bigiq_oauth_token_revocation.first]
}
`); err != nil {
		t.Fatal(err)
	}
	s.AfterRequests(http.MethodPost, pathTasks, 1, func() {
		if err := s.MoveDevice(greenbigip, "RedCluster", "GreenGroup"); err != nil {
			t.Error(err)
		}
	})
	res, err := w.Run(context.Background(), "apply", "-auto-approve", "-no-color")
	if err == nil {
		t.Fatalf("the apply succeeded although a device joined RedCluster before the second task:\n%s", res.Stdout)
	}
	out := oneLine(err.Error(), res.Stdout, res.Stderr)
	wantPhrases(t, out, "Revocation targets changed since the plan", "+ greenbigip1.labf.com ("+greenbigip+")",
		"no task was started", "A device joined the targets during the revocation")
	if n := s.CountRequests(http.MethodPost, pathTasks); n != 1 {
		t.Errorf("BIG-IQ received %d revoke-tokens POSTs; want 1, the first revocation's", n)
	}
	if userTokens(s, greenbigip, "alice") != 1 {
		t.Error("greenbigip's token of alice was revoked, though no plan listed greenbigip")
	}
	instances := readState(t, w)
	if len(instances) != 1 {
		t.Fatalf("the state holds %d revocations; want the first only", len(instances))
	}
	if got := instances[0].Attributes["outcome"]; got != "REVOKED" {
		t.Errorf("the first revocation's outcome = %v; want REVOKED (a joined device is a warning)", got)
	}
}

// TestPlannedDeviceLeavingDuringTheTask: a planned device that leaves the
// targets after the POST, before BIG-IQ resolves them, is skipped by the
// task without a word from BIG-IQ. The provider sees it in the estate
// after the task: an error naming the device and the task, the resource
// tainted, and an outcome that is not REVOKED; the device's tokens are
// left. A device that joins in that window is a warning naming it. (Before
// the check after the task, both applies were green, recording REVOKED.)
func TestPlannedDeviceLeavingDuringTheTask(t *testing.T) {
	t.Parallel()
	config := tfcli.RequiredProviders + `
resource "bigiq_oauth_token_revocation" "leaver" {
  user_name          = "alice"
  cluster_names      = ["RedCluster"]
  access_group_names = ["GreenGroup"]
}
`
	// applyMoving applies config while change happens as the task
	// resolves its targets.
	applyMoving := func(t *testing.T, change bigiqmock.EstateChange) (*bigiqmock.Server, *tfcli.Workspace, tfcli.Result, error) {
		s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: 300 * time.Millisecond})
		w := tfcli.WorkspaceForTest(t, tfcli.MockEnv(s.URL, s.CACertPEM()))
		if err := w.WriteFile("main.tf", config); err != nil {
			t.Fatal(err)
		}
		s.ChangeEstateDuring(bigiqmock.BeforeResolve, change)
		res, err := w.Run(context.Background(), "apply", "-auto-approve", "-no-color")
		return s, w, res, err
	}
	t.Run("left", func(t *testing.T) {
		t.Parallel()
		s, w, res, err := applyMoving(t, bigiqmock.Move(greenbigip, "", ""))
		if err == nil {
			t.Fatalf("the apply succeeded although a planned device left before the task resolved its targets:\n%s", res.Stdout)
		}
		ids := s.TaskIDs()
		if len(ids) != 1 || s.CountRequests(http.MethodPost, pathTasks) != 1 {
			t.Fatalf("tasks %v; want one POST", ids)
		}
		wantPhrases(t, oneLine(err.Error(), res.Stdout, res.Stderr), "A planned device left the targets during the revocation",
			"task "+ids[0], "- greenbigip1.labf.com ("+greenbigip+")", "its tokens may still be live", "tainted")
		if userTokens(s, redbigip, "alice") != 0 || userTokens(s, greenbigip, "alice") != 1 {
			t.Errorf("alice's tokens: %d on redbigip (want 0), %d on greenbigip (want 1, skipped)",
				userTokens(s, redbigip, "alice"), userTokens(s, greenbigip, "alice"))
		}
		instances := readState(t, w)
		if len(instances) != 1 || instances[0].Status != "tainted" || instances[0].Attributes["outcome"] != "PLANNED_DEVICES_LEFT" {
			t.Fatalf("state %+v; want one tainted revocation, outcome PLANNED_DEVICES_LEFT", instances)
		}
		// A refresh keeps the judgement: the task alone looks successful.
		if _, err := w.Run(context.Background(), "apply", "-refresh-only", "-auto-approve"); err != nil {
			t.Fatal(err)
		}
		if got := readState(t, w)[0].Attributes["outcome"]; got != "PLANNED_DEVICES_LEFT" {
			t.Errorf("after a refresh the outcome is %v", got)
		}
	})
	t.Run("joined", func(t *testing.T) {
		t.Parallel()
		s, w, res, err := applyMoving(t, bigiqmock.Move(bluebigipStandy, "", "GreenGroup"))
		if err != nil {
			t.Fatal(err)
		}
		ids := s.TaskIDs()
		if len(ids) != 1 {
			t.Fatalf("tasks %v; want the one revocation's", ids)
		}
		wantPhrases(t, oneLine(res.Stdout, res.Stderr), "A device joined the targets during the revocation",
			"task "+ids[0], "+ bluebigipveha2.labf.com ("+bluebigipStandy+")", "may have revoked tokens there too")
		instances := readState(t, w)
		if len(instances) != 1 || instances[0].Status == "tainted" || instances[0].Attributes["outcome"] != "REVOKED" {
			t.Errorf("state %+v; want one revocation, outcome REVOKED", instances)
		}
	})
}

// TestOneTaskPerResource: sixteen revocations with the same request,
// differing only in triggers, applied at once, start sixteen tasks, and
// each records its own. (Before identical starts took turns, the search
// for a task to resume found another resource's fresh task, so some
// resources shared one.)
func TestOneTaskPerResource(t *testing.T) {
	t.Parallel()
	const n = 16
	s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: 2 * time.Second})
	w := tfcli.WorkspaceForTest(t, tfcli.MockEnv(s.URL, s.CACertPEM()))
	if err := w.WriteFile("main.tf", tfcli.RequiredProviders+fmt.Sprintf(`
resource "bigiq_oauth_token_revocation" "leaver" {
  for_each      = toset([for i in range(%d) : format("run%%02d", i)])
  user_name     = "bob"
  cluster_names = ["RedCluster"]
  triggers      = { run = each.key }
}
`, n)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Run(context.Background(), "apply", "-auto-approve", fmt.Sprintf("-parallelism=%d", n)); err != nil {
		t.Fatal(err)
	}
	if posts := s.CountRequests(http.MethodPost, pathTasks); posts != n {
		t.Errorf("BIG-IQ received %d revoke-tokens POSTs; want %d", posts, n)
	}
	var ids []string
	for _, inst := range readState(t, w) {
		id, _ := inst.Attributes["id"].(string)
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if len(slices.Compact(slices.Clone(ids))) != n || len(ids) != n {
		t.Errorf("the state records %d ids, %d distinct; want %d distinct: %v", len(ids), len(slices.Compact(slices.Clone(ids))), n, ids)
	}
	if userTokens(s, redbigip, "bob") != 0 {
		t.Error("bob's token on redbigip is still live")
	}
}

// TestReplacementStartsAFreshTask: a create that timed out leaves its task
// running and the resource tainted. Changing triggers asks for a new run:
// the replacement starts a new task and records it, and no task is
// adopted. Applying the tainted resource again unchanged follows the
// running task, with a warning naming it. (Before, a replacement adopted
// any identical running task of the same account, silently.)
func TestReplacementStartsAFreshTask(t *testing.T) {
	t.Parallel()
	config := func(trigger, timeout string) string {
		return tfcli.RequiredProviders + fmt.Sprintf(`
resource "bigiq_oauth_token_revocation" "leaver" {
  user_name     = "bob"
  cluster_names = ["RedCluster"]
  triggers      = { run = %q }
  timeouts {
    create = %q
  }
}
`, trigger, timeout)
	}
	// reapply times out a first apply with triggers run = "1", calls
	// between (when set), then applies with run = trigger and a longer
	// timeout. It returns what BIG-IQ received, the id recorded, the first
	// task's id and the output.
	reapply := func(t *testing.T, trigger string, between func(*bigiqmock.Server)) (posts int, recorded any, first, out string) {
		s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: 6 * time.Second})
		w := tfcli.WorkspaceForTest(t, tfcli.MockEnv(s.URL, s.CACertPEM()))
		if err := w.WriteFile("main.tf", config("1", "1s")); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Run(context.Background(), "apply", "-auto-approve"); err == nil || !strings.Contains(err.Error(), "Timed out") {
			t.Fatalf("the first apply did not time out: %v", err)
		}
		ids := s.TaskIDs()
		if len(ids) != 1 {
			t.Fatalf("tasks %v after the first apply", ids)
		}
		s.SetTaskDuration(300 * time.Millisecond)
		if between != nil {
			between(s)
		}
		if err := w.WriteFile("main.tf", config(trigger, "1m")); err != nil {
			t.Fatal(err)
		}
		res, err := w.Run(context.Background(), "apply", "-auto-approve", "-no-color")
		if err != nil {
			t.Fatal(err)
		}
		return s.CountRequests(http.MethodPost, pathTasks), readState(t, w)[0].Attributes["id"], ids[0], oneLine(res.Stdout)
	}
	t.Run("triggers changed", func(t *testing.T) {
		t.Parallel()
		posts, recorded, first, out := reapply(t, "2", nil)
		if posts != 2 {
			t.Errorf("BIG-IQ received %d POSTs; want 2, a fresh task for the new triggers", posts)
		}
		if recorded == first {
			t.Errorf("the replacement recorded the earlier task %s", first)
		}
		if strings.Contains(out, "Following a revocation task started earlier") {
			t.Errorf("a replacement with new triggers says it follows an earlier task:\n%s", out)
		}
	})
	t.Run("unchanged", func(t *testing.T) {
		t.Parallel()
		posts, recorded, first, out := reapply(t, "1", nil)
		if posts != 1 {
			t.Errorf("BIG-IQ received %d POSTs; want 1: the tainted revocation follows its running task", posts)
		}
		if recorded != first {
			t.Errorf("the state records %v; want the running task %s", recorded, first)
		}
		wantPhrases(t, out, "Following a revocation task started earlier", "task "+first,
			"by the BIG-IQ account this provider logs in as", "change triggers")
	})
	// The running task was started for RedCluster without greenbigip, and
	// BIG-IQ may have resolved its targets already: the replacement,
	// planned with greenbigip, starts a task of its own. (Before, it
	// followed the running task, both checks agreed with the new plan, and
	// the apply was green though greenbigip may never have been reached.)
	t.Run("a device joined the targets since the task started", func(t *testing.T) {
		t.Parallel()
		posts, recorded, first, out := reapply(t, "1", func(s *bigiqmock.Server) {
			if err := s.MoveDevice(greenbigip, "RedCluster", "GreenGroup"); err != nil {
				t.Fatal(err)
			}
		})
		if posts != 2 {
			t.Errorf("BIG-IQ received %d POSTs; want 2, a task of the replacement's own", posts)
		}
		if recorded == first {
			t.Errorf("the replacement recorded the earlier task %s, which could not reach greenbigip", first)
		}
		if strings.Contains(out, "Following a revocation task started earlier") {
			t.Errorf("the replacement says it follows the earlier task:\n%s", out)
		}
	})
}

// TestRevocationListingsAreShared: ten revocations at once list BIG-IQ's
// devices far less often than twice each (before the POST, after the
// task): checks share a listing that began after each of them needed it.
func TestRevocationListingsAreShared(t *testing.T) {
	t.Parallel()
	const n = 10
	s := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: time.Second})
	// Listings take long enough to be shared by checks that arrive while
	// one is in flight.
	s.SetLatency(100 * time.Millisecond)
	w := tfcli.WorkspaceForTest(t, tfcli.MockEnv(s.URL, s.CACertPEM()))
	if err := w.WriteFile("main.tf", tfcli.RequiredProviders+fmt.Sprintf(`
resource "bigiq_oauth_token_revocation" "leaver" {
  count         = %d
  user_name     = format("leaver%%02d", count.index)
  cluster_names = [element(["RedCluster", "BlueCluster"], count.index)]
}
`, n)); err != nil {
		t.Fatal(err)
	}
	res, err := w.Run(context.Background(), "apply", "-auto-approve", "-no-color", fmt.Sprintf("-parallelism=%d", n))
	if err != nil {
		t.Fatal(err)
	}
	// The plan's, the apply's final plan's, and the checks' around the
	// tasks: at least one before the POSTs and one after the tasks. How
	// many checks share one depends on how the creates bunch together on
	// the machine, so the bound is what no sharing would cost (two plans
	// and two checks each); the bench counts them at scale (BENCHMARKS.md,
	// estate).
	listings := s.Listings(pathDevices)
	t.Logf("%d full device listings for %d revocations", listings, n)
	if unshared := 2 + 2*n; listings < 4 || listings >= unshared {
		t.Errorf("%d full device listings; want 4 to %d for %d revocations (2 plans, and checks sharing listings)", listings, unshared-1, n)
	}
	if posts := s.CountRequests(http.MethodPost, pathTasks); posts != n {
		t.Errorf("%d POSTs; want %d:\n%s", posts, n, res.Stdout)
	}
}
