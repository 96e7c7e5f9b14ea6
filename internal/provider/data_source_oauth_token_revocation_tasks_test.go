package provider

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

func taskIDsAre(ids ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
	}
	return knownvalue.ListExact(checks)
}

func TestAccRevocationTasksDataSource(t *testing.T) {
	m := startHistoryMock(t, bigiqmock.Options{})
	h := m.standardHistory(t)
	listTask := m.startAt(t, timeAt(19), "admin", listOnRedBody) // still running
	const ds = "data.bigiq_oauth_token_revocation_tasks."
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(m.Server) + `
data "bigiq_oauth_token_revocation_tasks" "all" {}

data "bigiq_oauth_token_revocation_tasks" "alice" {
  user_name = "alice"
}

data "bigiq_oauth_token_revocation_tasks" "after" {
  started_after = "2026-11-20T16:00:00+00:00"
}

data "bigiq_oauth_token_revocation_tasks" "finished_by_user" {
  action = "REVOKE_TOKEN_FOR_USER"
  status = "FINISHED"
}

data "bigiq_oauth_token_revocation_tasks" "client" {
  client_id     = "` + redCalendarClientID + `"
  started_after = "2026-11-20T18:30:00Z"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				// Newest first, by instant: alice's 10:00-0700 is 17:00Z.
				statecheck.ExpectKnownValue(ds+"all", tfjsonpath.New("tasks"), taskIDsAre(listTask, h.client, h.alice, h.bob)),
				statecheck.ExpectKnownValue(ds+"all", tfjsonpath.New("tasks").AtSliceIndex(2), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":                   knownvalue.StringExact(h.alice),
					"action":               knownvalue.StringExact("REVOKE_TOKEN_FOR_USER"),
					"status":               knownvalue.StringExact("FINISHED"),
					"result":               knownvalue.StringExact("COMPLETE"),
					"outcome":              knownvalue.StringExact("REVOKED"),
					"current_step":         knownvalue.StringExact("DONE"),
					"user_name":            knownvalue.StringExact("alice"),
					"client_id":            knownvalue.Null(),
					"cluster_names":        knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("BlueCluster")}),
					"access_group_names":   knownvalue.ListExact([]knownvalue.Check{}),
					"device_references":    knownvalue.ListExact([]knownvalue.Check{}),
					"per_device_oauth_ids": knownvalue.ListExact([]knownvalue.Check{}),
					"error_message":        knownvalue.Null(),
					"start_date_time":      knownvalue.StringExact("2026-11-20T10:00:00.000-0700"),
					"end_date_time":        knownvalue.StringExact("2026-11-20T10:01:00.000-0700"),
					"started_by":           knownvalue.StringExact("ops"),
				})),
				statecheck.ExpectKnownValue(ds+"all", tfjsonpath.New("tasks").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"status":        knownvalue.StringExact("STARTED"),
					"outcome":       knownvalue.Null(),
					"end_date_time": knownvalue.Null(),
					"started_by":    knownvalue.StringExact("admin"),
					"per_device_oauth_ids": knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
						"device_reference": knownvalue.StringExact(deviceLink(redDeviceID)),
						"oauth_ids": knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id":        knownvalue.StringExact(redBobToken),
							"client_id": knownvalue.StringExact(redCalendarClientID),
						})}),
					})}),
				})),
				statecheck.ExpectKnownValue(ds+"all", tfjsonpath.New("tasks").AtSliceIndex(1).AtMapKey("device_references"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(deviceLink(redDeviceID))})),
				statecheck.ExpectKnownValue(ds+"alice", tfjsonpath.New("tasks"), taskIDsAre(h.alice)),
				statecheck.ExpectKnownValue(ds+"after", tfjsonpath.New("tasks"), taskIDsAre(listTask, h.client, h.alice)),
				statecheck.ExpectKnownValue(ds+"finished_by_user", tfjsonpath.New("tasks"), taskIDsAre(h.alice, h.bob)),
				// The client's task matches the id but started before 18:30Z.
				statecheck.ExpectKnownValue(ds+"client", tfjsonpath.New("tasks"), taskIDsAre()),
			},
		}},
	})
}

func TestAccRevocationTasksDataSource_invalid(t *testing.T) {
	m := startMock(t)
	for _, tc := range []struct{ config, message string }{
		{`user_name = " "`, `(?s)Blank value.*user_name`},
		{`client_id = ""`, `(?s)Blank value.*client_id`},
		{`action = "REVOKE_EVERYTHING"`, `(?s)Invalid Attribute Value Match.*action`},
		{`status = "DONE"`, `(?s)Invalid Attribute Value Match.*status`},
		{`started_after = "2026-11-20"`, `(?s)Invalid time.*started_after`},
		{`started_after = "2026-11-20T10:00:00.000-0700"`, `(?s)Invalid time.*started_after`},
	} {
		unitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      providerConfig(m) + "data \"bigiq_oauth_token_revocation_tasks\" \"x\" {\n  " + tc.config + "\n}\n",
				ExpectError: regexp.MustCompile(tc.message),
			}},
		})
	}
	expectNoRequests(t, m)
}

// readTasks reads the data source through the protocol with the filters
// set, and returns the ids of the tasks.
func readTasks(t *testing.T, p protocolProvider, set map[string]tftypes.Value) []string {
	t.Helper()
	const typeName = "bigiq_oauth_token_revocation_tasks"
	config := schemaObject(t, p.schemas.DataSourceSchemas[typeName], set)
	resp, err := p.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: config})
	if err != nil {
		t.Fatal(err)
	}
	requireNoErrors(t, resp.Diagnostics)
	state, err := resp.State.Unmarshal(p.schemas.DataSourceSchemas[typeName].ValueType())
	if err != nil {
		t.Fatal(err)
	}
	var tasks []tftypes.Value
	if err := attrs(t, state)["tasks"].As(&tasks); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(tasks))
	for i, task := range tasks {
		ids[i] = stringOf(t, attrs(t, task)["id"])
	}
	return ids
}

// One read follows every page: five tasks in pages of two are three GETs.
func TestRevocationTasksDataSourceFollowsEveryPage(t *testing.T) {
	t.Parallel()
	m := startHistoryMock(t, bigiqmock.Options{MaxPageSize: 2})
	var want []string
	for hour := range 5 {
		want = append(want, m.startAt(t, timeAt(10+hour), "admin", aliceOnBlueBody))
	}
	slices.Reverse(want)
	p := newProtocolProvider(t, m.Server)
	m.ResetRequests()

	if got := readTasks(t, p, nil); !slices.Equal(got, want) {
		t.Errorf("tasks = %v, want all five newest first %v", got, want)
	}
	if gets := collectionGETs(m.Server); len(gets) != 6 {
		t.Errorf("the mock received %d GETs of the task collection, want 6 (two readings of pages of 2, 2 and 1)", len(gets))
	}
}

// A set filter is never ignored: each narrows what BIG-IQ is asked for
// ($filter) or what is kept (started_after), and together they all apply.
func TestRevocationTasksDataSourceFilters(t *testing.T) {
	t.Parallel()
	m := startHistoryMock(t, bigiqmock.Options{})
	h := m.standardHistory(t)
	p := newProtocolProvider(t, m.Server)
	for _, tc := range []struct {
		name       string
		set        map[string]tftypes.Value
		want       []string
		wantFilter string
	}{
		{"none", nil, []string{h.client, h.alice, h.bob}, ""},
		{"user", map[string]tftypes.Value{"user_name": str("bob")}, []string{h.bob}, "'userName' eq 'bob'"},
		{"client", map[string]tftypes.Value{"client_id": str(redCalendarClientID)}, []string{h.client}, "'clientId' eq '" + redCalendarClientID + "'"},
		{"action", map[string]tftypes.Value{"action": str("REVOKE_TOKEN_FOR_CLIENT_ID")}, []string{h.client}, "'action' eq 'REVOKE_TOKEN_FOR_CLIENT_ID'"},
		{"status", map[string]tftypes.Value{"status": str("FAILED")}, nil, "('status' eq 'FAILED')"},
		{"started after", map[string]tftypes.Value{"started_after": str("2026-11-20T16:30:00Z")}, []string{h.client, h.alice}, ""},
		{"user and started after", map[string]tftypes.Value{"user_name": str("bob"), "started_after": str("2026-11-20T16:30:00Z")}, nil, "'userName' eq 'bob'"},
	} {
		m.ResetRequests()
		if got := readTasks(t, p, tc.set); !slices.Equal(got, tc.want) {
			t.Errorf("%s: tasks = %v, want %v", tc.name, got, tc.want)
		}
		gets := collectionGETs(m.Server)
		if len(gets) != 1 || gets[0].Query.Get("$filter") != tc.wantFilter {
			t.Errorf("%s: the mock received %d collection GETs, first $filter %q; want one with %q", tc.name, len(gets), firstFilter(gets), tc.wantFilter)
		}
	}
}

func firstFilter(gets []bigiqmock.Request) string {
	if len(gets) == 0 {
		return ""
	}
	return gets[0].Query.Get("$filter")
}
