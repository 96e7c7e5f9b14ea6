package provider

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// `terraform query` needs Terraform 1.14, which CI does not have, so the
// list resource is tested through the protocol, as Terraform calls it.

type listed struct {
	displayName string
	identityID  string
	resource    tftypes.Value // null unless include_resource
}

// listServer is the provider's list resource RPCs. terraform-plugin-go
// v0.31 still serves them through an interface of their own.
func (p protocolProvider) listServer(t *testing.T) tfprotov6.ProviderServerWithListResource { //nolint:staticcheck // the only way to reach ListResource in v0.31
	t.Helper()
	server, ok := p.ProviderServer.(tfprotov6.ProviderServerWithListResource) //nolint:staticcheck // as above
	if !ok {
		t.Fatal("the provider server does not serve list resources")
	}
	return server
}

func (p protocolProvider) listRevocations(t *testing.T, set map[string]tftypes.Value, includeResource bool, limit int64) []listed {
	t.Helper()
	server := p.listServer(t)
	listSchema := p.schemas.ListResourceSchemas[revocationType]
	if listSchema == nil {
		t.Fatalf("GetProviderSchema lists no %s list resource", revocationType)
	}
	stream, err := server.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: revocationType, Config: schemaObject(t, listSchema, set), IncludeResource: includeResource, Limit: limit,
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []listed
	for result := range stream.Results {
		requireNoErrors(t, result.Diagnostics)
		l := listed{displayName: result.DisplayName, identityID: p.identityID(t, result.Identity)}
		l.resource = tftypes.NewValue(p.revocationSchema().ValueType(), nil)
		if result.Resource != nil {
			l.resource = p.revocationValue(t, result.Resource)
		}
		out = append(out, l)
	}
	return out
}

func TestListRevocations(t *testing.T) {
	t.Parallel()
	m := startHistoryMock(t, bigiqmock.Options{})
	h := m.standardHistory(t)
	listTask := m.startAt(t, timeAt(19), "admin", listOnRedBody) // still running
	p := newProtocolProvider(t, m.Server)
	m.ResetRequests()

	got := p.listRevocations(t, nil, false, 100)
	want := []listed{
		{"REVOKE_LIST_OF_TOKENS 1 token (STARTED 2026-11-20T19:00Z)", listTask, tftypes.Value{}},
		{"REVOKE_TOKEN_FOR_CLIENT_ID " + redCalendarClientID + " on " + redDeviceID + " (REVOKED 2026-11-20T18:00Z)", h.client, tftypes.Value{}},
		{"REVOKE_TOKEN_FOR_USER alice on BlueCluster (REVOKED 2026-11-20T17:00Z)", h.alice, tftypes.Value{}},
		{"REVOKE_TOKEN_FOR_USER bob on TestGroup2 (REVOKED 2026-11-20T12:00Z)", h.bob, tftypes.Value{}},
	}
	if len(got) != len(want) {
		t.Fatalf("%d results, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].displayName != want[i].displayName || got[i].identityID != want[i].identityID {
			t.Errorf("result %d = %q (identity %s), want %q (identity %s)", i, got[i].displayName, got[i].identityID, want[i].displayName, want[i].identityID)
		}
		if !got[i].resource.IsNull() {
			t.Errorf("result %d carries the resource without include_resource", i)
		}
	}
	if gets := collectionGETs(m.Server); len(gets) != 1 || m.CountRequests(http.MethodPost, revokeTasksPath) != 0 {
		t.Errorf("the mock received %d collection GETs and %d POSTs; want one GET and no POST", len(gets), m.CountRequests(http.MethodPost, revokeTasksPath))
	}
}

// TestListRevocationsNameTheOutcome: terraform query names a run that
// succeeded by its outcome, so one that found nothing left to revoke
// (which BIG-IQ reports as FAILED) does not read as a failure, while a run
// that really failed keeps BIG-IQ's status.
func TestListRevocationsNameTheOutcome(t *testing.T) {
	t.Parallel()
	m := startHistoryMock(t, bigiqmock.Options{})
	first := m.startAt(t, timeAt(10), "admin", aliceOnBlueBody)
	again := m.startAt(t, timeAt(11), "admin", aliceOnBlueBody) // alice's tokens are gone by then
	m.QueueTaskOutcome(bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeFail, Message: "BIG-IP unreachable"})
	failed := m.startAt(t, timeAt(12), "admin", bobOnGroupBody)
	m.setNow(timeAt(13))
	p := newProtocolProvider(t, m.Server)

	byID := map[string]string{}
	for _, l := range p.listRevocations(t, nil, false, 100) {
		byID[l.identityID] = l.displayName
	}
	for id, want := range map[string]string{
		first:  "REVOKE_TOKEN_FOR_USER alice on BlueCluster (REVOKED 2026-11-20T10:00Z)",
		again:  "REVOKE_TOKEN_FOR_USER alice on BlueCluster (NOTHING_TO_REVOKE 2026-11-20T11:00Z)",
		failed: "REVOKE_TOKEN_FOR_USER bob on TestGroup2 (FAILED 2026-11-20T12:00Z)",
	} {
		if byID[id] != want {
			t.Errorf("task %s is listed as %q, want %q", id, byID[id], want)
		}
	}
	if task, _ := m.TaskJSON(again); task["status"] != bigiq.StatusFailed || task["errorMessage"] != bigiq.MessageTokensNotFound {
		t.Errorf("test bug: the second run is not BIG-IQ's FAILED \"Tokens not found\": %v", task)
	}
}

// TestListRevocationsRefuseALimitBelowOne: the provider as served refuses
// limit = 0 (or less) at validate, naming limit, rather than printing
// nothing; a positive or unknown limit passes. Nothing reaches BIG-IQ.
func TestListRevocationsRefuseALimitBelowOne(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	p := newProtocolProvider(t, m)
	served, ok := NewProtocol6Server("test")().(tfprotov6.ProviderServerWithListResource) //nolint:staticcheck // the only way to reach ListResource in v0.31
	if !ok {
		t.Fatal("the served provider does not serve list resources")
	}
	config := schemaObject(t, p.schemas.ListResourceSchemas[revocationType], nil)
	for _, tc := range []struct {
		limit tftypes.Value
		error bool
	}{
		{tftypes.NewValue(tftypes.Number, 0), true},
		{tftypes.NewValue(tftypes.Number, -5), true},
		{tftypes.NewValue(tftypes.Number, 1), false},
		{tftypes.NewValue(tftypes.Number, 100), false},
		{tftypes.NewValue(tftypes.Number, tftypes.UnknownValue), false},
	} {
		limit, err := tfprotov6.NewDynamicValue(tftypes.Number, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := served.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{
			TypeName: revocationType, Config: config, Limit: &limit,
		})
		if err != nil {
			t.Fatal(err)
		}
		errs := diagText(resp.Diagnostics, tfprotov6.DiagnosticSeverityError)
		if !tc.error {
			if len(errs) != 0 {
				t.Errorf("limit %s: errors %q, want none", tc.limit, errs)
			}
			continue
		}
		if len(errs) != 1 || !strings.Contains(errs[0], "Invalid limit") || !strings.Contains(errs[0], "must be at least 1") ||
			resp.Diagnostics[0].Attribute == nil || !resp.Diagnostics[0].Attribute.Equal(tftypes.NewAttributePath().WithAttributeName("limit")) {
			t.Errorf("limit %s: diagnostics %q, want one \"Invalid limit\" on limit", tc.limit, errs)
		}
	}
	expectNoRequests(t, m)
}

func TestListRevocationsHonoursLimit(t *testing.T) {
	t.Parallel()
	m := startHistoryMock(t, bigiqmock.Options{})
	h := m.standardHistory(t)
	p := newProtocolProvider(t, m.Server)
	for _, tc := range []struct {
		limit int64
		want  []string
	}{
		{1, []string{h.client}},
		{2, []string{h.client, h.alice}},
		{3, []string{h.client, h.alice, h.bob}},
		{10, []string{h.client, h.alice, h.bob}},
	} {
		var ids []string
		for _, l := range p.listRevocations(t, nil, true, tc.limit) {
			ids = append(ids, l.identityID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("limit %d: %v, want %v", tc.limit, ids, tc.want)
		}
	}
}

// The list resource has the data source's filters, sent to BIG-IQ where it
// can apply them and applied to what it returns.
func TestListRevocationsFilters(t *testing.T) {
	t.Parallel()
	m := startHistoryMock(t, bigiqmock.Options{})
	h := m.standardHistory(t)
	p := newProtocolProvider(t, m.Server)
	for _, tc := range []struct {
		set        map[string]tftypes.Value
		want       []string
		wantFilter string
	}{
		{map[string]tftypes.Value{"user_name": str("alice")}, []string{h.alice}, "'userName' eq 'alice'"},
		{map[string]tftypes.Value{"client_id": str(redCalendarClientID), "status": str("FINISHED")}, []string{h.client},
			"'clientId' eq '" + redCalendarClientID + "' and ('status' eq 'FINISHED')"},
		{map[string]tftypes.Value{"action": str("REVOKE_TOKEN_FOR_USER"), "started_after": str("2026-11-20T12:00:00Z")}, []string{h.alice},
			"'action' eq 'REVOKE_TOKEN_FOR_USER'"},
	} {
		m.ResetRequests()
		var ids []string
		for _, l := range p.listRevocations(t, tc.set, false, 100) {
			ids = append(ids, l.identityID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("%v: %v, want %v", tc.set, ids, tc.want)
		}
		if gets := collectionGETs(m.Server); len(gets) != 1 || gets[0].Query.Get("$filter") != tc.wantFilter {
			t.Errorf("%v: the mock received $filter %q in %d GETs, want %q in one", tc.set, firstFilter(gets), len(gets), tc.wantFilter)
		}
	}
}

func TestListRevocationsInvalidConfig(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	p := newProtocolProvider(t, m)
	m.ResetRequests()
	for name, tc := range map[string]struct {
		set     map[string]tftypes.Value
		summary string
	}{
		"user_name":            {map[string]tftypes.Value{"user_name": str("  ")}, "Blank value"},
		"client_id":            {map[string]tftypes.Value{"client_id": str("")}, "Blank value"},
		"look-alike user_name": {map[string]tftypes.Value{"user_name": str("ali\u200bce")}, "Invisible or surrounding characters in a name"},
		"action":               {map[string]tftypes.Value{"action": str("REVOKE")}, "Invalid Attribute Value Match"},
		"status":               {map[string]tftypes.Value{"status": str("finished")}, "Invalid Attribute Value Match"},
		"started_after":        {map[string]tftypes.Value{"started_after": str("yesterday")}, "Invalid time"},
	} {
		resp, err := p.listServer(t).ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{
			TypeName: revocationType, Config: schemaObject(t, p.schemas.ListResourceSchemas[revocationType], tc.set),
		})
		if err != nil {
			t.Fatal(err)
		}
		var attribute string
		for attribute = range tc.set {
		}
		if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary != tc.summary ||
			resp.Diagnostics[0].Attribute == nil || !resp.Diagnostics[0].Attribute.Equal(tftypes.NewAttributePath().WithAttributeName(attribute)) {
			t.Errorf("%s: diagnostics %+v; want one %q on %s", name, resp.Diagnostics, tc.summary, attribute)
		}
	}
	expectNoRequests(t, m)
}

// generatedConfig is what `terraform query -generate-config-out` writes for
// a listed resource: its arguments, not what is only computed.
func (p protocolProvider) generatedConfig(t *testing.T, listedResource tftypes.Value) tftypes.Value {
	t.Helper()
	set := map[string]tftypes.Value{}
	values := attrs(t, listedResource)
	for _, a := range p.revocationSchema().Block.Attributes {
		if (a.Optional || a.Required) && !values[a.Name].IsNull() {
			set[a.Name] = values[a.Name]
		}
	}
	return p.revocationConfigValue(t, set)
}

// With include_resource each result carries the revocation's arguments, so
// the configuration written from it imports with an empty plan, for each
// action and each kind of target.
func TestListRevocationsIncludeResourceRoundTrips(t *testing.T) {
	t.Parallel()
	m := startHistoryMock(t, bigiqmock.Options{})
	m.standardHistory(t)
	m.startAt(t, timeAt(19), "admin", listOnRedBody)
	m.setNow(timeAt(20))
	p := newProtocolProvider(t, m.Server)
	results := p.listRevocations(t, nil, true, 100)
	if len(results) != 4 {
		t.Fatalf("%d results, want 4", len(results))
	}
	m.ResetRequests()

	for _, r := range results {
		if r.resource.IsNull() {
			t.Fatalf("%s: include_resource gave no resource", r.displayName)
		}
		got := attrs(t, r.resource)
		if stringOf(t, got["id"]) != r.identityID || got["action"].IsNull() {
			t.Errorf("%s: resource id %s, action %s", r.displayName, got["id"], got["action"])
		}
		config := p.generatedConfig(t, r.resource)

		// terraform query writes an import block by identity; terraform
		// plan imports, reads, and plans against the written resource.
		imported, err := p.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{TypeName: revocationType, Identity: p.identity(t, r.identityID)})
		if err != nil {
			t.Fatal(err)
		}
		requireNoErrors(t, imported.Diagnostics)
		read := p.read(t, p.revocationValue(t, imported.ImportedResources[0].State), imported.ImportedResources[0].Identity)
		state := p.revocationValue(t, read.NewState)
		if !state.Equal(r.resource) {
			t.Errorf("%s: the listed resource differs from the imported one:\n listed   %s\n imported %s", r.displayName, r.resource, state)
		}
		planned := p.plan(t, state, config, read.NewIdentity)
		if got := p.revocationValue(t, planned.PlannedState); !got.Equal(state) || len(planned.RequiresReplace) != 0 {
			t.Errorf("%s: plan after import is not empty:\n state   %s\n planned %s\n replace %v", r.displayName, state, got, planned.RequiresReplace)
		}
		if !strings.Contains(config.String(), "cluster_names") {
			t.Fatalf("test bug: the generated config lacks the schema's arguments: %s", config)
		}
	}
	if n := m.CountRequests(http.MethodPost, revokeTasksPath); n != 0 {
		t.Errorf("importing listed revocations sent %d revoke-tokens POSTs; want none", n)
	}
}
