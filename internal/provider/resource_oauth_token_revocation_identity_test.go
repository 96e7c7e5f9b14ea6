package provider

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
)

// The protocol calls Terraform makes for the resource, for the tests of
// identity and of the list resource. Terraform 1.12+ sends and keeps the
// identity; the CI's Terraform is older, so these tests speak the protocol.

func (p protocolProvider) revocationSchema() *tfprotov6.Schema {
	return p.schemas.ResourceSchemas[revocationType]
}

func (p protocolProvider) revocationValue(t *testing.T, dv *tfprotov6.DynamicValue) tftypes.Value {
	t.Helper()
	v, err := dv.Unmarshal(p.revocationSchema().ValueType())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (p protocolProvider) dynamic(t *testing.T, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// revocationConfigValue is a configuration of the resource that sets only
// the given arguments.
func (p protocolProvider) revocationConfigValue(t *testing.T, set map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	return objectValue(t, p.revocationSchema().ValueType(), set)
}

// proposed is Terraform's proposed new state: the configuration, with each
// attribute the configuration leaves null taken from the prior state (the
// resource's arguments are all top-level, so one level is enough).
func proposed(t *testing.T, prior, config tftypes.Value) tftypes.Value {
	t.Helper()
	if prior.IsNull() {
		return config
	}
	priorAttrs, configAttrs := attrs(t, prior), attrs(t, config)
	out := map[string]tftypes.Value{}
	for name, v := range configAttrs {
		if v.IsNull() {
			v = priorAttrs[name]
		}
		out[name] = v
	}
	return tftypes.NewValue(config.Type(), out)
}

func (p protocolProvider) plan(t *testing.T, prior, config tftypes.Value, priorIdentity *tfprotov6.ResourceIdentityData) *tfprotov6.PlanResourceChangeResponse {
	t.Helper()
	resp, err := p.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName:         revocationType,
		PriorState:       p.dynamic(t, prior),
		ProposedNewState: p.dynamic(t, proposed(t, prior, config)),
		Config:           p.dynamic(t, config),
		PriorIdentity:    priorIdentity,
	})
	if err != nil {
		t.Fatal(err)
	}
	requireNoErrors(t, resp.Diagnostics)
	return resp
}

func (p protocolProvider) apply(t *testing.T, prior, config tftypes.Value, planned *tfprotov6.PlanResourceChangeResponse) *tfprotov6.ApplyResourceChangeResponse {
	t.Helper()
	resp, err := p.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName:        revocationType,
		PriorState:      p.dynamic(t, prior),
		PlannedState:    planned.PlannedState,
		Config:          p.dynamic(t, config),
		PlannedIdentity: planned.PlannedIdentity,
	})
	if err != nil {
		t.Fatal(err)
	}
	requireNoErrors(t, resp.Diagnostics)
	return resp
}

func (p protocolProvider) read(t *testing.T, state tftypes.Value, identity *tfprotov6.ResourceIdentityData) *tfprotov6.ReadResourceResponse {
	t.Helper()
	resp, err := p.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{
		TypeName: revocationType, CurrentState: p.dynamic(t, state), CurrentIdentity: identity,
	})
	if err != nil {
		t.Fatal(err)
	}
	requireNoErrors(t, resp.Diagnostics)
	return resp
}

// identityID is the id in an identity, "<null>" when there is none.
func (p protocolProvider) identityID(t *testing.T, identity *tfprotov6.ResourceIdentityData) string {
	t.Helper()
	if identity == nil || identity.IdentityData == nil {
		return "<null>"
	}
	schemas, err := p.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := identity.IdentityData.Unmarshal(schemas.IdentitySchemas[revocationType].ValueType())
	if err != nil {
		t.Fatal(err)
	}
	if v.IsNull() {
		return "<null>"
	}
	return stringOf(t, attrs(t, v)["id"])
}

func (p protocolProvider) identity(t *testing.T, id string) *tfprotov6.ResourceIdentityData {
	t.Helper()
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}}
	return &tfprotov6.ResourceIdentityData{IdentityData: p.dynamic(t, tftypes.NewValue(typ, map[string]tftypes.Value{"id": str(id)}))}
}

// create plans and applies a revocation of alice's tokens on BlueCluster.
func (p protocolProvider) create(t *testing.T) (config tftypes.Value, resp *tfprotov6.ApplyResourceChangeResponse) {
	t.Helper()
	clusters := tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("BlueCluster")})
	config = p.revocationConfigValue(t, map[string]tftypes.Value{"user_name": str("alice"), "cluster_names": clusters})
	null := tftypes.NewValue(p.revocationSchema().ValueType(), nil)
	return config, p.apply(t, null, config, p.plan(t, null, config, nil))
}

func TestRevocationIdentitySchema(t *testing.T) {
	t.Parallel()
	p := newProtocolProvider(t, startMock(t))
	resp, err := p.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	schema := resp.IdentitySchemas[revocationType]
	if schema == nil || len(schema.IdentityAttributes) != 1 {
		t.Fatalf("identity schema = %+v; want { id }", schema)
	}
	if a := schema.IdentityAttributes[0]; a.Name != "id" || !a.RequiredForImport || !a.Type.Is(tftypes.String) {
		t.Errorf("identity attribute = %+v; want a string id required for import", a)
	}
}

// Create, Read and Update each return the task id as the identity.
func TestRevocationIdentityIsSetByCreateReadAndUpdate(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	p := newProtocolProvider(t, m)
	config, created := p.create(t)
	taskID := m.TaskIDs()[0]
	if got := p.identityID(t, created.NewIdentity); got != taskID {
		t.Errorf("identity after create = %s, want the task %s", got, taskID)
	}
	state := p.revocationValue(t, created.NewState)

	read := p.read(t, state, created.NewIdentity)
	if got := p.identityID(t, read.NewIdentity); got != taskID {
		t.Errorf("identity after read = %s, want %s", got, taskID)
	}

	// Only timeouts change: an in-place update, from state that has no
	// identity yet (written before the resource had one).
	withTimeouts := attrs(t, config)
	timeoutsType := withTimeouts["timeouts"].Type()
	withTimeouts["timeouts"] = tftypes.NewValue(timeoutsType, map[string]tftypes.Value{"create": str("20m")})
	newConfig := tftypes.NewValue(config.Type(), withTimeouts)
	planned := p.plan(t, state, newConfig, nil)
	if len(planned.RequiresReplace) != 0 {
		t.Fatalf("a timeouts change requires replacement of %v", planned.RequiresReplace)
	}
	posts := m.CountRequests(http.MethodPost, revokeTasksPath)
	updated := p.apply(t, state, newConfig, planned)
	if got := p.identityID(t, updated.NewIdentity); got != taskID {
		t.Errorf("identity after update = %s, want %s", got, taskID)
	}
	if n := m.CountRequests(http.MethodPost, revokeTasksPath); n != posts {
		t.Errorf("the update sent %d revoke-tokens POSTs; want none", n-posts)
	}
}

// State written before the resource had an identity gets one on its next
// refresh, and then plans no change at all.
func TestRevocationStateWithoutIdentityUpgradesWithoutDiff(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	p := newProtocolProvider(t, m)
	config, created := p.create(t)
	oldState := p.revocationValue(t, created.NewState) // as the previous release wrote it, with no identity

	read := p.read(t, oldState, nil)
	if got := p.identityID(t, read.NewIdentity); got != m.TaskIDs()[0] {
		t.Errorf("identity after refreshing old state = %s, want the task", got)
	}
	refreshed := p.revocationValue(t, read.NewState)
	if !refreshed.Equal(oldState) {
		t.Errorf("refresh changed the state:\n old %s\n new %s", oldState, refreshed)
	}
	planned := p.plan(t, refreshed, config, read.NewIdentity)
	if got := p.revocationValue(t, planned.PlannedState); !got.Equal(refreshed) || len(planned.RequiresReplace) != 0 {
		t.Errorf("plan after the upgrade is not empty:\n prior   %s\n planned %s\n replace %v", refreshed, got, planned.RequiresReplace)
	}
}

// Old state whose task BIG-IQ has purged keeps its record on refresh (a
// purged task must not re-run the revocation), and gains its identity: the
// framework requires one after every successful read.
func TestRevocationStateWithoutIdentityWhoseTaskIsGone(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	p := newProtocolProvider(t, m)
	_, created := p.create(t)
	taskID := m.TaskIDs()[0]
	m.DeleteTask(taskID)
	oldState := p.revocationValue(t, created.NewState)
	read := p.read(t, oldState, nil)
	if state := p.revocationValue(t, read.NewState); !state.Equal(oldState) {
		t.Errorf("state after the task is gone:\n got  %s\n want %s (the record kept)", state, oldState)
	}
	if got := p.identityID(t, read.NewIdentity); got != taskID {
		t.Errorf("identity after refreshing old state whose task is gone = %s, want %s", got, taskID)
	}
	warned := false
	for _, d := range read.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning && strings.Contains(d.Summary+d.Detail, taskID) {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning naming task %s: %v", taskID, read.Diagnostics)
	}
}

// Import by id (terraform import, or an import block's id) and by identity
// (an import block's identity) both name the task; the read that follows
// fills in the arguments.
func TestRevocationImportByIDAndByIdentity(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	p := newProtocolProvider(t, m)
	_, created := p.create(t)
	taskID := m.TaskIDs()[0]
	want := p.revocationValue(t, created.NewState)

	for name, req := range map[string]*tfprotov6.ImportResourceStateRequest{
		"id":       {TypeName: revocationType, ID: taskID},
		"identity": {TypeName: revocationType, Identity: p.identity(t, taskID)},
	} {
		resp, err := p.ImportResourceState(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		requireNoErrors(t, resp.Diagnostics)
		if len(resp.ImportedResources) != 1 {
			t.Fatalf("by %s: %d imported resources", name, len(resp.ImportedResources))
		}
		imported := resp.ImportedResources[0]
		if got := p.identityID(t, imported.Identity); got != taskID {
			t.Errorf("by %s: imported identity = %s, want %s", name, got, taskID)
		}
		read := p.read(t, p.revocationValue(t, imported.State), imported.Identity)
		got := attrs(t, p.revocationValue(t, read.NewState))
		for _, attr := range []string{"id", "action", "user_name", "cluster_names", "status", "fail_on_not_found"} {
			if !got[attr].Equal(attrs(t, want)[attr]) {
				t.Errorf("by %s: %s = %s after import, want %s", name, attr, got[attr], attrs(t, want)[attr])
			}
		}
	}

	resp, err := p.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{TypeName: revocationType, Identity: p.identity(t, " ")})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) == 0 || resp.Diagnostics[0].Summary != "Invalid import ID" {
		t.Errorf("import by a blank identity: %v; want Invalid import ID", resp.Diagnostics)
	}
}

// A purged task is warned about once per refresh, in words that agree with
// the plan: a record of a run that succeeded is kept and not run again; a
// record of one that did not is replaced, and the refresh says so rather
// than promising the run is left alone.
func TestRevocationPurgedTaskWarningAgreesWithThePlan(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		status   string
		replaced bool
		says     string
	}{
		{"succeeded", bigiq.StatusFinished, false, "The revocation is not run again"},
		{"did not succeed", bigiq.StatusCancelled, true, "did not succeed (status CANCELLED, result FAILED), so the plan replaces"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := startMock(t)
			p := newProtocolProvider(t, m)
			config, created := p.create(t)
			taskID := m.TaskIDs()[0]
			record := attrs(t, p.revocationValue(t, created.NewState))
			if tc.status != bigiq.StatusFinished {
				record["status"] = str(tc.status)
				record["result"] = str(bigiq.ResultFailed)
				record["outcome"] = tftypes.NewValue(tftypes.String, nil)
			}
			state := tftypes.NewValue(config.Type(), record)
			m.DeleteTask(taskID)

			read := p.read(t, state, created.NewIdentity)
			planned := p.plan(t, p.revocationValue(t, read.NewState), config, read.NewIdentity)
			if got := len(planned.RequiresReplace) > 0; got != tc.replaced {
				t.Fatalf("plan replaces: %t, want %t", got, tc.replaced)
			}
			var warnings []string
			for _, d := range append(read.Diagnostics, planned.Diagnostics...) {
				if d.Severity == tfprotov6.DiagnosticSeverityWarning {
					warnings = append(warnings, d.Summary+": "+d.Detail)
				}
			}
			text := strings.Join(warnings, "\n")
			if !strings.Contains(text, "no longer has revoke-tokens task "+taskID) || !strings.Contains(text, tc.says) {
				t.Errorf("warnings do not say %q of task %s:\n%s", tc.says, taskID, text)
			}
			if tc.replaced && strings.Contains(text, "not run again") {
				t.Errorf("a warning says the run is not repeated while the plan replaces it:\n%s", text)
			}
			if n := m.CountRequests(http.MethodPost, revokeTasksPath); n != 1 {
				t.Errorf("the mock received %d revoke-tokens POSTs, want only the create's", n)
			}
		})
	}
}
