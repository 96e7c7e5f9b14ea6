package provider

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// Actions need Terraform 1.14, which CI does not have, so the action is
// tested through the protocol, as Terraform calls it: ValidateActionConfig,
// PlanAction, then InvokeAction, whose event stream is read to the end.

const revokeAction = "bigiq_revoke_oauth_tokens"

// actionServer is the provider's action RPCs. terraform-plugin-go v0.31
// still serves them through an interface of their own.
func (p protocolProvider) actionServer(t *testing.T) tfprotov6.ProviderServerWithActions { //nolint:staticcheck // the only way to reach the action RPCs in v0.31
	t.Helper()
	server, ok := p.ProviderServer.(tfprotov6.ProviderServerWithActions) //nolint:staticcheck // as above
	if !ok {
		t.Fatal("the provider server does not serve actions")
	}
	return server
}

func (p protocolProvider) actionSchema(t *testing.T) *tfprotov6.Schema {
	t.Helper()
	s := p.schemas.ActionSchemas[revokeAction]
	if s == nil || s.Schema == nil {
		t.Fatalf("GetProviderSchema lists no %s action: %s", revokeAction, diagsString(p.schemas.Diagnostics))
	}
	return s.Schema
}

func (p protocolProvider) validateAction(t *testing.T, set map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	resp, err := p.actionServer(t).ValidateActionConfig(context.Background(), &tfprotov6.ValidateActionConfigRequest{
		ActionType: revokeAction, Config: schemaObject(t, p.actionSchema(t), set),
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

func (p protocolProvider) planAction(t *testing.T, set map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	resp, err := p.actionServer(t).PlanAction(context.Background(), &tfprotov6.PlanActionRequest{
		ActionType: revokeAction, Config: schemaObject(t, p.actionSchema(t), set),
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

// invocation is what the InvokeAction stream carried.
type invocation struct {
	progress []string
	diags    []*tfprotov6.Diagnostic
	// completed counts the completed events; an event after it is an error.
	completed int
}

// invokeAction reads the whole event stream. onProgress, when set, is
// called with each progress message as it arrives.
func (p protocolProvider) invokeAction(ctx context.Context, t *testing.T, set map[string]tftypes.Value, onProgress func(string)) invocation {
	t.Helper()
	stream, err := p.actionServer(t).InvokeAction(ctx, &tfprotov6.InvokeActionRequest{
		ActionType: revokeAction, Config: schemaObject(t, p.actionSchema(t), set),
	})
	if err != nil {
		t.Fatal(err)
	}
	var out invocation
	for event := range stream.Events {
		if out.completed > 0 {
			t.Errorf("an event came after the completed event: %#v", event.Type)
		}
		switch e := event.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			out.progress = append(out.progress, e.Message)
			if onProgress != nil {
				onProgress(e.Message)
			}
		case tfprotov6.CompletedInvokeActionEventType:
			out.diags = e.Diagnostics
			out.completed++
		default:
			t.Errorf("unexpected event %#v", event.Type)
		}
	}
	if out.completed != 1 {
		t.Errorf("the stream ended with %d completed events, want 1", out.completed)
	}
	return out
}

// plannedAndInvoked runs the action as `terraform apply -invoke` does:
// validate, plan, invoke. A validation or plan error stops it.
func (p protocolProvider) plannedAndInvoked(t *testing.T, set map[string]tftypes.Value) invocation {
	t.Helper()
	requireNoErrors(t, p.validateAction(t, set))
	requireNoErrors(t, p.planAction(t, set))
	return p.invokeAction(context.Background(), t, set, nil)
}

func strSet(values ...string) tftypes.Value {
	elems := make([]tftypes.Value, len(values))
	for i, v := range values {
		elems[i] = str(v)
	}
	return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, elems)
}

func boolean(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }

func invokeTimeout(d string) tftypes.Value {
	return tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"invoke": tftypes.String}},
		map[string]tftypes.Value{"invoke": str(d)})
}

// perDeviceIDs is per_device_oauth_ids with one entry: ids on one device,
// all issued to one client.
func (p protocolProvider) perDeviceIDs(t *testing.T, device, clientID string, ids ...string) tftypes.Value {
	t.Helper()
	actionType, _ := p.actionSchema(t).ValueType().(tftypes.Object)
	listType, _ := actionType.AttributeTypes["per_device_oauth_ids"].(tftypes.List)
	entryType, ok := listType.ElementType.(tftypes.Object)
	if !ok {
		t.Fatalf("per_device_oauth_ids is not a list of objects: %s", listType)
	}
	idsType, _ := entryType.AttributeTypes["oauth_ids"].(tftypes.List)
	idType := idsType.ElementType
	var idValues []tftypes.Value
	for _, id := range ids {
		idValues = append(idValues, objectValue(t, idType, map[string]tftypes.Value{"id": str(id), "client_id": str(clientID)}))
	}
	entry := objectValue(t, entryType, map[string]tftypes.Value{
		"device_reference": str(device),
		"oauth_ids":        tftypes.NewValue(entryType.AttributeTypes["oauth_ids"], idValues),
	})
	return tftypes.NewValue(listType, []tftypes.Value{entry})
}

// diagText is every diagnostic of one severity as "summary: detail".
func diagText(diags []*tfprotov6.Diagnostic, severity tfprotov6.DiagnosticSeverity) []string {
	var out []string
	for _, d := range diags {
		if d.Severity == severity {
			out = append(out, d.Summary+": "+d.Detail)
		}
	}
	return out
}

func expectOne(t *testing.T, what string, got []string, phrases ...string) {
	t.Helper()
	if len(got) != 1 {
		t.Errorf("%s: %d diagnostics, want 1: %q", what, len(got), got)
		return
	}
	for _, p := range phrases {
		if !strings.Contains(got[0], p) {
			t.Errorf("%s: %q does not say %q", what, got[0], p)
		}
	}
}

// newActionProvider is a configured provider for a mock whose tasks take
// taskDuration, with the requests the configuration made forgotten.
func newActionProvider(t *testing.T, taskDuration time.Duration) (*bigiqmock.Server, protocolProvider) {
	t.Helper()
	m := bigiqmock.Start(t, bigiqmock.Options{TaskDuration: taskDuration})
	p := newProtocolProvider(t, m)
	m.ResetRequests()
	return m, p
}

// The action's schema is the resource's arguments plus timeouts.invoke,
// and older Terraform, which knows no actions, still gets its schemas.
func TestActionSchema(t *testing.T) {
	t.Parallel()
	_, p := newActionProvider(t, time.Second)
	s := p.actionSchema(t)
	resourceSchema := oauthTokenRevocationSchema(context.Background())
	var names []string
	for _, a := range s.Block.Attributes {
		names = append(names, a.Name)
		resourceAttr := resourceSchema.Attributes[a.Name]
		if resourceAttr == nil || resourceAttr.GetMarkdownDescription() != a.Description {
			t.Errorf("action attribute %s is not described as the resource's argument", a.Name)
		}
	}
	slices.Sort(names)
	want := slices.Sorted(slices.Values(revocationInputNames))
	if !slices.Equal(names, want) {
		t.Errorf("action attributes %v, want %v", names, want)
	}
	// BIG-IQ names a listed token by its OAuth id and client id together,
	// so Terraform refuses an entry without client_id at validate, for the
	// action as for the resource.
	if got := listedTokenAttributes(s); !got["id"] || !got["client_id"] {
		t.Errorf("oauth_ids attributes required: %v, want id and client_id both required", got)
	}
	if len(s.Block.BlockTypes) != 1 || s.Block.BlockTypes[0].TypeName != "timeouts" ||
		len(s.Block.BlockTypes[0].Block.Attributes) != 1 || s.Block.BlockTypes[0].Block.Attributes[0].Name != "invoke" {
		t.Errorf("want one timeouts block with invoke, got %+v", s.Block.BlockTypes)
	}
}

// listedTokenAttributes says, for each attribute of an oauth_ids entry in
// the action's schema, whether it is required.
func listedTokenAttributes(s *tfprotov6.Schema) map[string]bool {
	required := map[string]bool{}
	for _, a := range s.Block.Attributes {
		if a.Name != "per_device_oauth_ids" || a.NestedType == nil {
			continue
		}
		for _, entry := range a.NestedType.Attributes {
			if entry.Name != "oauth_ids" || entry.NestedType == nil {
				continue
			}
			for _, id := range entry.NestedType.Attributes {
				required[id.Name] = id.Required
			}
		}
	}
	return required
}

// The action refuses what the resource refuses, with the same errors, and
// sends nothing to BIG-IQ.
func TestActionValidateConfigRefusesWhatTheResourceRefuses(t *testing.T) {
	t.Parallel()
	m, p := newActionProvider(t, time.Second)
	for _, tc := range []struct {
		name  string
		set   map[string]tftypes.Value
		error string
	}{
		{"no mode", map[string]tftypes.Value{"cluster_names": strSet("BlueCluster")}, "Exactly one of these attributes must be configured"},
		{"two modes", map[string]tftypes.Value{"user_name": str("bob"), "client_id": str("c"), "cluster_names": strSet("BlueCluster")}, "Exactly one of these attributes must be configured"},
		{"no target", map[string]tftypes.Value{"user_name": str("bob")}, "Missing revocation target"},
		{"blank user", map[string]tftypes.Value{"user_name": str(" "), "cluster_names": strSet("BlueCluster")}, "user_name"},
		{"blank cluster", map[string]tftypes.Value{"user_name": str("bob"), "cluster_names": strSet("")}, "cluster_names"},
		{"bad device", map[string]tftypes.Value{"user_name": str("bob"), "device_references": strSet("not-a-device")}, "device_references"},
		{"same device twice", map[string]tftypes.Value{"user_name": str("bob"), "device_references": strSet(redDeviceID, deviceLink(redDeviceID))}, "Duplicate device reference"},
		{"same token twice", map[string]tftypes.Value{"per_device_oauth_ids": p.perDeviceIDs(t, redDeviceID, redBobClientID, redBobToken, redBobToken)}, "Duplicate OAuth id"},
	} {
		got := diagText(p.validateAction(t, tc.set), tfprotov6.DiagnosticSeverityError)
		if len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), tc.error) {
			t.Errorf("%s: errors %q, want one saying %q", tc.name, got, tc.error)
		}
		// The resource, given the same arguments, says the same.
		resp, err := p.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
			TypeName: revocationType, Config: p.dynamic(t, p.revocationConfigValue(t, tc.set)),
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := diagText(resp.Diagnostics, tfprotov6.DiagnosticSeverityError); !slices.Equal(got, want) {
			t.Errorf("%s: the action says\n  %q\nthe resource says\n  %q", tc.name, got, want)
		}
	}

	got := diagText(p.validateAction(t, map[string]tftypes.Value{
		"user_name": str("bob"), "cluster_names": strSet("BlueCluster"), "timeouts": invokeTimeout("0s"),
	}), tfprotov6.DiagnosticSeverityError)
	expectOne(t, "zero timeout", got, "Invalid timeout", "timeouts.invoke is 0s")
	expectNoRequests(t, m)
}

// The plan shows the resource's plan-time errors and warnings, and starts
// nothing.
func TestActionPlanShowsTargetProblems(t *testing.T) {
	t.Parallel()
	m, p := newActionProvider(t, time.Second)

	diags := p.planAction(t, map[string]tftypes.Value{"user_name": str("bob"), "cluster_names": strSet("NoSuchCluster")})
	expectOne(t, "unknown cluster", diagText(diags, tfprotov6.DiagnosticSeverityError),
		"Unknown cluster", `"NoSuchCluster"`, "BlueCluster")
	if len(diags) == 1 && (diags[0].Attribute == nil || diags[0].Attribute.String() != tftypes.NewAttributePath().WithAttributeName("cluster_names").String()) {
		t.Errorf("the error is about %v, want cluster_names", diags[0].Attribute)
	}

	diags = p.planAction(t, map[string]tftypes.Value{"user_name": str("bob"), "device_references": strSet(redDeviceID, orangeDeviceID)})
	requireNoErrors(t, diags)
	expectOne(t, "skipped device", diagText(diags, tfprotov6.DiagnosticSeverityWarning),
		"No token will be revoked on orangebigip1.labf.com", "device_references", bigiq.SkipAccessNotDiscovered)

	if n := m.CountRequests(http.MethodGet, bigiq.PathDevices); n != 1 {
		t.Errorf("two plans listed the devices %d times, want once per provider process", n)
	}
	expectNoRevokePOST(t, m)
}

// One invoke: one POST with exactly the request the arguments ask for, a
// progress event naming the task and its devices, one per step, and the
// tokens gone.
func TestActionInvokeRevokesAndReportsProgress(t *testing.T) {
	t.Parallel()
	m, p := newActionProvider(t, 600*time.Millisecond)
	got := p.plannedAndInvoked(t, map[string]tftypes.Value{
		"user_name": str("bob"), "cluster_names": strSet("RedCluster"), "access_group_names": strSet("GreenGroup"),
	})
	if len(got.diags) != 0 {
		t.Errorf("diagnostics: %q", diagText(got.diags, tfprotov6.DiagnosticSeverityError))
	}
	ids := m.TaskIDs()
	if len(ids) != 1 {
		t.Fatalf("mock has %d tasks, want 1", len(ids))
	}
	if err := expectRevokeBodies(m, `{"action":"REVOKE_TOKEN_FOR_USER","userName":"bob","clusterNames":["RedCluster"],"accessGroupNames":["GreenGroup"]}`)(nil); err != nil {
		t.Error(err)
	}
	task := ids[0]
	want := []string{
		"BIG-IQ revoke-tokens task " + task + ": REVOKE_TOKEN_FOR_USER on 2 target devices, STARTED at step RESOLVE_DEVICES.",
		"BIG-IQ revoke-tokens task " + task + ": STARTED at step REVOKE_TOKENS_FOR_CLUSTER.",
		"BIG-IQ revoke-tokens task " + task + ": FINISHED at step DONE.",
	}
	if !slices.Equal(got.progress, want) {
		t.Errorf("progress events:\n  %q\nwant\n  %q", got.progress, want)
	}
	if err := expectTokens(m, redDeviceID, redUser1Token, redAliceToken, redCapAliceToken)(nil); err != nil {
		t.Error(err)
	}
}

// Each way a task can end without revoking what was asked: the resource's
// outcome rules, errors naming the task, its status, step and BIG-IQ's
// message, and exactly one POST each time.
func TestActionInvokeOutcomes(t *testing.T) {
	t.Parallel()
	bob := map[string]tftypes.Value{"user_name": str("bob"), "cluster_names": strSet("RedCluster")}
	with := func(extra map[string]tftypes.Value) map[string]tftypes.Value {
		out := map[string]tftypes.Value{}
		for k, v := range bob {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		outcome  *bigiqmock.TaskOutcome
		set      map[string]tftypes.Value
		severity tfprotov6.DiagnosticSeverity
		phrases  []string // "%s" is the task id
	}{
		{"no device matched", &bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeFail}, bob, tfprotov6.DiagnosticSeverityError,
			[]string{"Token revocation failed", "revoke-tokens task %s FAILED at step", bigiq.MessageNoMatchingDevices, "-invoke=action.bigiq_revoke_oauth_tokens.NAME", "if an action_trigger ran it, replace the resource that triggers it (terraform apply -replace=ADDRESS)", `A plain terraform apply plans "No changes" and leaves the tokens live`}},
		{"tokens not found", &bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeFail, Message: bigiqmock.MessageTokensNotFound}, bob,
			tfprotov6.DiagnosticSeverityWarning, []string{"No matching tokens found", "task %s", "fail_on_not_found = true"}},
		{"tokens not found, fail_on_not_found", &bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeFail, Message: bigiqmock.MessageTokensNotFound},
			with(map[string]tftypes.Value{"fail_on_not_found": boolean(true)}), tfprotov6.DiagnosticSeverityError,
			[]string{"Token revocation failed", "task %s FAILED", bigiqmock.MessageTokensNotFound, "Set fail_on_not_found = false"}},
		{"finished, failed", &bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeFinishedFailed, Message: "BIG-IP unreachable"}, bob,
			tfprotov6.DiagnosticSeverityError, []string{"Token revocation failed", "task %s FINISHED at step", "with result FAILED", "BIG-IP unreachable", "-replace=ADDRESS"}},
		{"finished, complete, with an error message", &bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeCompleteWithError, Message: "Revocation failed on 1 of 2 devices"}, bob,
			tfprotov6.DiagnosticSeverityError, []string{"Token revocation failed", "task %s FINISHED at step DONE with result COMPLETE: Revocation failed on 1 of 2 devices", "some asked for may still be live"}},
		{"cancelled", &bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeCancel}, bob, tfprotov6.DiagnosticSeverityError,
			[]string{"Token revocation failed", "task %s CANCELLED at step REVOKE_TOKENS_FOR_CLUSTER", "cancelled on BIG-IQ", "-replace=ADDRESS"}},
		{"timeout", &bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeHang}, with(map[string]tftypes.Value{"timeouts": invokeTimeout("1s")}),
			tfprotov6.DiagnosticSeverityError, []string{"Timed out waiting for the token revocation", "task %s was still STARTED", "-replace=ADDRESS", "raise timeouts.invoke"}},
		{"listed token not revoked", nil, map[string]tftypes.Value{"per_device_oauth_ids": {}}, tfprotov6.DiagnosticSeverityWarning,
			[]string{"Some listed tokens were not revoked", "task %s finished, but did not revoke 1 of the listed OAuth ids", unknownOAuthID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, p := newActionProvider(t, 300*time.Millisecond)
			if tc.outcome != nil {
				m.QueueTaskOutcome(*tc.outcome)
			}
			set := tc.set
			if _, ok := set["per_device_oauth_ids"]; ok {
				set = map[string]tftypes.Value{"per_device_oauth_ids": p.perDeviceIDs(t, redDeviceID, redBobClientID, redBobToken, unknownOAuthID)}
			}
			got := p.plannedAndInvoked(t, set)
			ids := m.TaskIDs()
			if n := m.CountRequests(http.MethodPost, revokeTasksPath); n != 1 || len(ids) != 1 {
				t.Fatalf("the mock received %d POSTs and has %d tasks; want one of each", n, len(ids))
			}
			phrases := make([]string, len(tc.phrases))
			for i, ph := range tc.phrases {
				phrases[i] = strings.ReplaceAll(ph, "%s", ids[0])
			}
			expectOne(t, tc.name, diagText(got.diags, tc.severity), phrases...)
			if tc.severity == tfprotov6.DiagnosticSeverityWarning {
				requireNoErrors(t, got.diags)
			}
			if len(got.progress) == 0 || !strings.Contains(got.progress[0], ids[0]) {
				t.Errorf("the first progress event does not name task %s: %q", ids[0], got.progress)
			}
		})
	}
}

// Ctrl-C: a cancelled context ends the invoke within a second, with an
// error naming the task, and no progress event comes after the completed
// one (invokeAction checks). Run with -race: a progress event sent from a
// goroutine that outlives Invoke shows up as a race or a stuck stream.
func TestActionInvokeEndsPromptlyWhenCancelled(t *testing.T) {
	t.Parallel()
	m, p := newActionProvider(t, time.Second)
	m.QueueTaskOutcome(bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeHang})
	set := map[string]tftypes.Value{"user_name": str("bob"), "cluster_names": strSet("RedCluster")}
	requireNoErrors(t, p.planAction(t, set))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cancelledAt time.Time
	got := p.invokeAction(ctx, t, set, func(string) {
		if cancelledAt.IsZero() { // at the first event: the task has started
			cancelledAt = time.Now()
			cancel()
		}
	})
	if cancelledAt.IsZero() {
		t.Fatal("no progress event came before the cancel")
	}
	if took := time.Since(cancelledAt); took > time.Second {
		t.Errorf("the invoke ended %s after the cancel, want within a second", took)
	}
	ids := m.TaskIDs()
	if len(ids) != 1 {
		t.Fatalf("mock has %d tasks, want 1", len(ids))
	}
	expectOne(t, "cancelled", diagText(got.diags, tfprotov6.DiagnosticSeverityError),
		"Stopped waiting for the token revocation", "task "+ids[0], "To run the revocation again, invoke the action", "-replace=ADDRESS")
	if len(got.progress) != 1 {
		t.Errorf("progress after the cancel: %q", got.progress)
	}
}

// Devices that the targets select change between the plan and the invoke:
// the invoke fails naming the device, and starts nothing.
func TestActionInvokeRefusesDriftSinceThePlan(t *testing.T) {
	t.Parallel()
	m, p := newActionProvider(t, 300*time.Millisecond)
	set := map[string]tftypes.Value{"user_name": str("bob"), "cluster_names": strSet("RedCluster")}
	requireNoErrors(t, p.planAction(t, set))
	if err := m.MoveDevice(greenDeviceID, "RedCluster", "GreenGroup"); err != nil {
		t.Fatal(err)
	}
	got := p.invokeAction(context.Background(), t, set, nil)
	expectOne(t, "drift", diagText(got.diags, tfprotov6.DiagnosticSeverityError),
		"Revocation targets changed since the plan", "no task was started",
		fmt.Sprintf("+ greenbigip1.labf.com (%s)", greenDeviceID), "invoke the action again")
	if len(got.progress) != 0 {
		t.Errorf("progress without a task: %q", got.progress)
	}
	expectNoRevokePOST(t, m)
}

// An invoke this provider process did not plan (no listing to compare
// with) still refuses a target that names nothing, before any POST.
func TestActionInvokeUnplannedChecksTargets(t *testing.T) {
	t.Parallel()
	m, p := newActionProvider(t, 300*time.Millisecond)
	got := p.invokeAction(context.Background(), t, map[string]tftypes.Value{
		"user_name": str("bob"), "cluster_names": strSet("NoSuchCluster"),
	}, nil)
	expectOne(t, "unknown cluster", diagText(got.diags, tfprotov6.DiagnosticSeverityError), "Unknown cluster", `"NoSuchCluster"`)
	expectNoRevokePOST(t, m)
}

// Two invokes in one provider process: the second is checked against
// BIG-IQ as it is when it begins, not against the listing the first used.
// greenbigip joins RedCluster after the first task is posted; the second
// invoke refuses with no POST, naming it.
func TestActionInvokeChecksTheEstateAsItIsWhenItBegins(t *testing.T) {
	t.Parallel()
	m, p := newActionProvider(t, 300*time.Millisecond)
	set := map[string]tftypes.Value{"user_name": str("bob"), "cluster_names": strSet("RedCluster")}
	requireNoErrors(t, p.planAction(t, set))
	m.AfterRequests(http.MethodPost, revokeTasksPath, 1, func() {
		if err := m.MoveDevice(greenDeviceID, "RedCluster", "GreenGroup"); err != nil {
			t.Error(err)
		}
	})
	first := p.invokeAction(context.Background(), t, set, nil)
	requireNoErrors(t, first.diags)
	second := p.invokeAction(context.Background(), t, set, nil)
	expectOne(t, "drift", diagText(second.diags, tfprotov6.DiagnosticSeverityError),
		"Revocation targets changed since the plan", "no task was started",
		fmt.Sprintf("+ greenbigip1.labf.com (%s)", greenDeviceID))
	if n := m.CountRequests(http.MethodPost, revokeTasksPath); n != 1 {
		t.Errorf("%d revoke-tokens POSTs; want the first invoke's only", n)
	}
}

// A planned device that leaves the targets before BIG-IQ resolves them is
// an error of the invoke naming the device and the task; one that joins
// is a warning naming it.
func TestActionInvokeComparesTheEstateAfterTheTask(t *testing.T) {
	t.Parallel()
	set := map[string]tftypes.Value{"user_name": str("alice"), "cluster_names": strSet("RedCluster"), "access_group_names": strSet("GreenGroup")}
	// invokeMoving plans and invokes the action while change happens as
	// the task resolves its targets.
	invokeMoving := func(t *testing.T, change bigiqmock.EstateChange) (*bigiqmock.Server, invocation) {
		m, p := newActionProvider(t, 300*time.Millisecond)
		requireNoErrors(t, p.planAction(t, set))
		m.ChangeEstateDuring(bigiqmock.BeforeResolve, change)
		return m, p.invokeAction(context.Background(), t, set, nil)
	}
	t.Run("left", func(t *testing.T) {
		t.Parallel()
		m, got := invokeMoving(t, bigiqmock.Move(greenDeviceID, "", ""))
		ids := m.TaskIDs()
		if len(ids) != 1 {
			t.Fatalf("tasks %v; want one", ids)
		}
		expectOne(t, "left", diagText(got.diags, tfprotov6.DiagnosticSeverityError),
			"A planned device left the targets during the revocation", "task "+ids[0],
			fmt.Sprintf("- greenbigip1.labf.com (%s)", greenDeviceID), "may still be live", "invoke the action")
		if !slices.ContainsFunc(m.Tokens(greenDeviceID), func(tok bigiqmock.Token) bool { return tok.UserName == "alice" }) {
			t.Error("greenbigip's token of alice is gone, though the task skipped it")
		}
	})
	t.Run("joined", func(t *testing.T) {
		t.Parallel()
		_, got := invokeMoving(t, bigiqmock.Move(blueStandbyID, "", "GreenGroup"))
		requireNoErrors(t, got.diags)
		expectOne(t, "joined", diagText(got.diags, tfprotov6.DiagnosticSeverityWarning),
			"A device joined the targets during the revocation", fmt.Sprintf("+ bluebigipveha2.labf.com (%s)", blueStandbyID))
	})
}
