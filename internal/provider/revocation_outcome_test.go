package provider

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiq"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// Tests of false successes: every path that ended in "Apply complete!"
// while a token asked for stayed live, or in a misleading record.

// TestAccRevocation_upperCaseMachineIDs: BIG-IQ matches machine ids
// case-sensitively, so an upper-case id next to another target used to be
// skipped while the task FINISHED. It is sent in lower case, and the
// device's tokens are really gone.
func TestAccRevocation_upperCaseMachineIDs(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, fmt.Sprintf(`
  user_name         = "user1"
  cluster_names     = ["BlueCluster"]
  device_references = [%q]
`, strings.ToUpper(redDeviceID)))
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: expectFinished(bigiq.ActionRevokeForUser),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRevokeBodies(m, fmt.Sprintf(`{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1",
  "clusterNames":["BlueCluster"],"deviceReferences":[{"link":%q}]}`, deviceLink(redDeviceID))),
					expectTokens(m, redDeviceID, redAliceToken, redBobToken, redCapAliceToken),
					expectTokens(m, blueDeviceID, blueAlice, blueCapAlice, blueBob),
				),
			},
			{Config: config, ConfigPlanChecks: expectEmptyPlan},
		},
	})
}

// TestAccRevocation_upperCaseTokenDevice: the same for the device of a
// per_device_oauth_ids entry, which is also the task's target.
func TestAccRevocation_upperCaseTokenDevice(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, fmt.Sprintf(`
  per_device_oauth_ids = [{
    device_reference = %q
    oauth_ids        = [{ id = %q, client_id = %q }]
  }]
`, strings.ToUpper(redDeviceID), redAliceToken, redCalendarClientID))
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: expectFinished(bigiq.ActionRevokeList),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectRevokeBodies(m, fmt.Sprintf(`{"action":"REVOKE_LIST_OF_TOKENS",
  "perDeviceOauthIds":[{"deviceReference":{"link":%[1]q},"oauthIds":[{"id":%[2]q,"clientId":%[3]q}]}],
  "deviceReferences":[{"link":%[1]q}]}`, deviceLink(redDeviceID), redAliceToken, redCalendarClientID)),
					expectTokens(m, redDeviceID, redUser1Token, redBobToken, redCapAliceToken),
				),
			},
			{Config: config, ConfigPlanChecks: expectEmptyPlan},
		},
	})
}

// TestAccRevocation_upperCaseOAuthIDs: BIG-IQ writes OAuth ids and client
// ids in lower-case hex and matches them exactly, so an id typed in upper
// case used to go out unchanged, match nothing, and end green as
// NOTHING_TO_REVOKE. They are sent in lower case, the tokens are really
// gone, and the configuration as typed plans no change.
func TestAccRevocation_upperCaseOAuthIDs(t *testing.T) {
	for _, tc := range []struct {
		name, body, wantBody string
		action               bigiq.Action
		left                 []string // tokens left on red
	}{
		{"listed tokens", fmt.Sprintf(`
  per_device_oauth_ids = [{
    device_reference = %q
    oauth_ids        = [{ id = %q, client_id = %q }]
  }]
`, redDeviceID, strings.ToUpper(redAliceToken), strings.ToUpper(redCalendarClientID)),
			fmt.Sprintf(`{"action":"REVOKE_LIST_OF_TOKENS",
  "perDeviceOauthIds":[{"deviceReference":{"link":%[1]q},"oauthIds":[{"id":%[2]q,"clientId":%[3]q}]}],
  "deviceReferences":[{"link":%[1]q}]}`, deviceLink(redDeviceID), redAliceToken, redCalendarClientID),
			bigiq.ActionRevokeList, []string{redUser1Token, redBobToken, redCapAliceToken}},
		{"client id", fmt.Sprintf(`
  client_id     = %q
  cluster_names = ["RedCluster"]
`, strings.ToUpper(redCalendarClientID)),
			fmt.Sprintf(`{"action":"REVOKE_TOKEN_FOR_CLIENT_ID","clientId":%q,"clusterNames":["RedCluster"]}`, redCalendarClientID),
			bigiq.ActionRevokeForClientID, []string{redBobToken, redCapAliceToken}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := startMock(t)
			config := revocationConfig(m, tc.body)
			parallelUnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:            config,
						ConfigStateChecks: expectFinished(tc.action),
						Check:             resource.ComposeAggregateTestCheckFunc(expectRevokeBodies(m, tc.wantBody), expectTokens(m, redDeviceID, tc.left...)),
					},
					{Config: config, ConfigPlanChecks: expectEmptyPlan},
				},
			})
		})
	}
}

// TestAccRevocation_partialListMiss: a list revocation in which BIG-IQ
// revoked some ids and reported others in resultDetails is recorded as
// PARTIALLY_REVOKED (with a warning naming each id, see
// TestPartialRevocationDiagnostics), and with fail_on_not_found = true it
// is an error that taints the resource.
func TestAccRevocation_partialListMiss(t *testing.T) {
	const missing = "0000000000000000000000000000000000000000deadbeef"
	body := func(failOnNotFound bool) string {
		return fmt.Sprintf(`
  fail_on_not_found    = %[1]t
  per_device_oauth_ids = [{
    device_reference = %[2]q
    oauth_ids        = [{ id = %[3]q, client_id = %[5]q }, { id = %[4]q, client_id = %[5]q }]
  }]
`, failOnNotFound, redDeviceID, redAliceToken, missing, redCalendarClientID)
	}
	wantBody := fmt.Sprintf(`{"action":"REVOKE_LIST_OF_TOKENS",
  "perDeviceOauthIds":[{"deviceReference":{"link":%[1]q},"oauthIds":[{"id":%[2]q,"clientId":%[4]q},{"id":%[3]q,"clientId":%[4]q}]}],
  "deviceReferences":[{"link":%[1]q}]}`, deviceLink(redDeviceID), redAliceToken, missing, redCalendarClientID)

	t.Run("warning by default", func(t *testing.T) {
		m := startMock(t)
		config := revocationConfig(m, body(false))
		parallelUnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(revocation, tfjsonpath.New("status"), knownvalue.StringExact(bigiq.StatusFinished)),
						statecheck.ExpectKnownValue(revocation, tfjsonpath.New("result"), knownvalue.StringExact(bigiq.ResultComplete)),
						statecheck.ExpectKnownValue(revocation, tfjsonpath.New("outcome"), knownvalue.StringExact(string(bigiq.OutcomePartiallyRevoked))),
						statecheck.ExpectKnownValue(revocation, tfjsonpath.New("failures"), knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(missing)}),
						})),
					},
					Check: resource.ComposeAggregateTestCheckFunc(
						expectRevokeBodies(m, wantBody),
						expectTokens(m, redDeviceID, redUser1Token, redBobToken, redCapAliceToken),
					),
				},
				{Config: config, ConfigPlanChecks: expectEmptyPlan},
			},
		})
	})
	t.Run("error with fail_on_not_found", func(t *testing.T) {
		m := startMock(t)
		config := revocationConfig(m, body(true))
		parallelUnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config:      config,
					ExpectError: errorPattern("Listed tokens not revoked", "did not revoke 1 of the listed OAuth ids", "token "+missing+" on "+deviceLink(redDeviceID)+": not found", "tainted"),
				},
				{
					// Tainted: the next apply runs it again, which now finds
					// neither id live.
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(revocation, plancheck.ResourceActionReplace),
					}},
					ExpectError: errorPattern("Token revocation failed", bigiq.MessageTokensNotFound),
				},
			},
		})
	})
}

// TestPartialRevocationDiagnostics: each id BIG-IQ did not find is named,
// with its device, in the warning (or error). An id a device refused to
// revoke (an error other than "not found") is an error whatever
// fail_on_not_found says: that token may still be live.
func TestPartialRevocationDiagnostics(t *testing.T) {
	notFound := `status:400, body:{"code":400,"message":"Token revoke failed. The OAuth ID is not found"}`
	task := &bigiq.Task{
		ID: "t1", Action: bigiq.ActionRevokeList, Status: bigiq.StatusFinished, Result: bigiq.ResultComplete,
		ResultDetails: []bigiq.DeviceFailure{{
			DeviceReference: bigiq.Reference{Link: deviceLink(redDeviceID)},
			FailedIDs: []bigiq.FailedID{
				{ID: "id-a", ErrorCode: 400, Error: notFound},
				{ID: "id-c", ErrorCode: 400, Error: notFound},
			},
		}},
	}
	for _, failOnNotFound := range []bool{false, true} {
		diags := partialRevocationDiagnostics(task, failOnNotFound, resourceWords)
		diags.Append(mayBeLiveDiagnostics(task, resourceWords)...)
		if len(diags) != 1 || diags.HasError() != failOnNotFound {
			t.Fatalf("fail_on_not_found=%t: want one %s, got %v", failOnNotFound, map[bool]string{false: "warning", true: "error"}[failOnNotFound], diags)
		}
		detail := diags[0].Detail()
		for _, want := range []string{"t1", "token id-a on " + deviceLink(redDeviceID) + ": not found", "token id-c on " + deviceLink(redDeviceID) + ": not found"} {
			if !strings.Contains(detail, want) {
				t.Errorf("fail_on_not_found=%t: detail does not contain %q:\n%s", failOnNotFound, want, detail)
			}
		}
	}

	found := task.ResultDetails[0].FailedIDs
	// A 500, and a 400 whose text is not the BIG-IP's "not found": both
	// are refusals, and the token may still be live.
	for _, refused := range []bigiq.FailedID{
		{ID: "id-b", ErrorCode: 500, Error: "boom"},
		{ID: "id-b", ErrorCode: 400, Error: "OAuth database unavailable"},
	} {
		task.ResultDetails[0].FailedIDs = append(slices.Clone(found), refused)
		for _, failOnNotFound := range []bool{false, true} {
			diags := partialRevocationDiagnostics(task, failOnNotFound, resourceWords)
			diags.Append(mayBeLiveDiagnostics(task, resourceWords)...)
			if len(diags) != 1 || !diags.HasError() {
				t.Fatalf("fail_on_not_found=%t with a refused id (%d %s): want one error, got %v", failOnNotFound, refused.ErrorCode, refused.Error, diags)
			}
			if detail := diags[0].Detail(); !strings.Contains(detail, fmt.Sprintf("token id-b on %s: not revoked: %d %s", deviceLink(redDeviceID), refused.ErrorCode, refused.Error)) ||
				!strings.Contains(detail, "may still be live") {
				t.Errorf("fail_on_not_found=%t: the error does not name the refused id:\n%s", failOnNotFound, detail)
			}
		}
	}

	task.ResultDetails = nil
	if diags := partialRevocationDiagnostics(task, true, resourceWords); len(diags) != 0 {
		t.Errorf("a list revocation with no misses gave %v", diags)
	}
}

// TestNothingToRevokeWording: the warning says what BIG-IQ found, names the
// user or client, says user names are case-sensitive, and does not claim
// the tokens were revoked before. The failure detail lists an id-less
// entry without an empty id, and no sentence ends in two periods.
func TestNothingToRevokeWording(t *testing.T) {
	notFound := `status:400, body:{"code":400,"message":"Token revoke failed. The OAuth ID is not found"}`
	task := func(action bigiq.Action) *bigiq.Task {
		return &bigiq.Task{
			ID: "t1", Action: action, UserName: "Alice", ClientID: "client-9",
			Status: bigiq.StatusFailed, Result: bigiq.ResultFailed, CurrentStep: "REVOKE",
			ErrorMessage: bigiq.MessageTokensNotFound,
			FailureDetails: []bigiq.DeviceFailure{{
				DeviceReference: bigiq.Reference{Link: deviceLink(redDeviceID)},
				FailedIDs:       []bigiq.FailedID{{ErrorCode: 400, Error: notFound}},
			}},
		}
	}
	check := func(name string, diags diag.Diagnostics, want ...string) {
		t.Helper()
		if len(diags) != 1 {
			t.Fatalf("%s: want one diagnostic, got %v", name, diags)
		}
		text := diags[0].Summary() + "\n" + diags[0].Detail()
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: does not contain %q:\n%s", name, w, text)
			}
		}
		for _, bad := range []string{"..", "-  on", "could not revoke", "were already revoked or have expired"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s: contains %q:\n%s", name, bad, text)
			}
		}
	}
	user := task(bigiq.ActionRevokeForUser)
	check("user warning", waitDiagnostics(&bigiq.TaskError{Task: user}, user, false, time.Minute, resourceWords),
		"No matching tokens found", "t1", "no live token of the user named in user_name", "case-sensitive", "no live matching token on "+deviceLink(redDeviceID),
		string(bigiq.OutcomeNothingToRevoke))
	check("user error", waitDiagnostics(&bigiq.TaskError{Task: user}, user, true, time.Minute, resourceWords),
		"Token revocation failed", "no live token of the user named in user_name", "case-sensitive", "Possibly already revoked tokens.")
	client := task(bigiq.ActionRevokeForClientID)
	check("client warning", waitDiagnostics(&bigiq.TaskError{Task: client}, client, false, time.Minute, resourceWords),
		`no live token issued to OAuth client "client-9"`, "bigiq_oauth_client_apps")

	noDevice := &bigiq.Task{ID: "t2", Action: bigiq.ActionRevokeForUser, Status: bigiq.StatusFailed, Result: bigiq.ResultFailed,
		CurrentStep: "RESOLVE_DEVICES", ErrorMessage: bigiq.MessageNoMatchingDevices}
	check("no device", waitDiagnostics(&bigiq.TaskError{Task: noDevice}, noDevice, false, time.Minute, resourceWords),
		"deviceReference list.")
}

// TestAccRevocation_importedUnsuccessfulTaskIsReplaced: a task that did not
// succeed, imported into the state, plans a replacement rather than
// looking done.
func TestAccRevocation_importedUnsuccessfulTaskIsReplaced(t *testing.T) {
	finished := expectFinished(bigiq.ActionRevokeForUser)
	// The imported task revoked the tokens and then reported an error, so
	// the replacement finds nothing left.
	nothingLeft := []statecheck.StateCheck{statecheck.ExpectKnownValue(revocation, tfjsonpath.New("outcome"), knownvalue.StringExact(string(bigiq.OutcomeNothingToRevoke)))}
	for name, tc := range map[string]struct {
		outcome bigiqmock.TaskOutcome
		then    []statecheck.StateCheck
	}{
		"FAILED":                         {bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeFail}, finished},
		"CANCELLED":                      {bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeCancel}, finished},
		"FINISHED with an error message": {bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeCompleteWithError, Message: "Revocation failed on 1 of 2 devices"}, nothingLeft},
	} {
		t.Run(name, func(t *testing.T) {
			m := startMock(t)
			m.QueueTaskOutcome(tc.outcome)
			id, err := m.StartTaskAs("admin", []byte(`{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1","clusterNames":["BlueCluster"]}`))
			if err != nil {
				t.Fatal(err)
			}
			waitTerminal(t, m, id)
			config := revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
`)
			parallelUnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: config, ResourceName: revocation, ImportState: true, ImportStateId: id, ImportStatePersist: true,
					},
					{
						// The import sent no revocation; the replacement sends one.
						PreConfig: func() {
							if n := m.CountRequests(http.MethodPost, revokeTasksPath); n != 0 {
								t.Errorf("import sent %d revoke-tokens POSTs", n)
							}
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(revocation, plancheck.ResourceActionReplace),
						}},
						ConfigStateChecks: tc.then,
						Check:             expectRevokeBodies(m, `{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1","clusterNames":["BlueCluster"]}`),
					},
				},
			})
		})
	}
}

func waitTerminal(t *testing.T, m *bigiqmock.Server, id string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		task, _ := m.TaskJSON(id)
		switch task["status"] {
		case bigiq.StatusFailed, bigiq.StatusCancelled, "CANCELED", bigiq.StatusFinished:
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("task %s did not end", id)
}

// TestRevocationModifyPlan_unsuccessfulTask calls ModifyPlan directly to
// see the warning that says why the plan replaces the resource.
func TestRevocationModifyPlan_unsuccessfulTask(t *testing.T) {
	r := &oauthTokenRevocationResource{}
	ctx := context.Background()
	sch := oauthTokenRevocationSchema(ctx)
	state := tfsdk.State{Schema: sch, Raw: tftypes.NewValue(sch.Type().TerraformType(ctx), nil)}
	for name, value := range map[string]string{"id": "t9", "action": string(bigiq.ActionRevokeForUser), "status": bigiq.StatusCancelled} {
		if diags := state.SetAttribute(ctx, path.Root(name), value); diags.HasError() {
			t.Fatal(diags)
		}
	}
	plan := tfsdk.Plan(state)
	resp := fwresource.ModifyPlanResponse{Plan: plan}
	r.ModifyPlan(ctx, fwresource.ModifyPlanRequest{State: state, Plan: plan}, &resp)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("want one warning, got %v", resp.Diagnostics)
	}
	if d := resp.Diagnostics.Warnings()[0].Detail(); !strings.Contains(d, "t9") || !strings.Contains(d, bigiq.StatusCancelled) {
		t.Errorf("warning does not name the task and its status: %s", d)
	}
	if len(resp.RequiresReplace) != 1 {
		t.Errorf("RequiresReplace = %v; want the resource replaced", resp.RequiresReplace)
	}

	// A recorded success, or nothing to revoke, stays.
	for _, status := range []struct{ status, result, message string }{
		{bigiq.StatusFinished, bigiq.ResultComplete, ""},
		{bigiq.StatusFailed, bigiq.ResultFailed, bigiq.MessageTokensNotFound},
	} {
		state.SetAttribute(ctx, path.Root("status"), status.status)
		state.SetAttribute(ctx, path.Root("result"), status.result)
		state.SetAttribute(ctx, path.Root("error_message"), status.message)
		resp := fwresource.ModifyPlanResponse{Plan: tfsdk.Plan(state)}
		r.ModifyPlan(ctx, fwresource.ModifyPlanRequest{State: state, Plan: tfsdk.Plan(state)}, &resp)
		if len(resp.Diagnostics) != 0 || len(resp.RequiresReplace) != 0 {
			t.Errorf("%+v: diagnostics %v, RequiresReplace %v; want neither", status, resp.Diagnostics, resp.RequiresReplace)
		}
	}
}

// TestRevocationRead_purgedTask calls Read directly to see the warning that
// names a task BIG-IQ no longer has, and the record kept.
func TestRevocationRead_purgedTask(t *testing.T) {
	m := startMock(t)
	client, err := bigiq.NewClient(bigiq.Config{Address: m.URL, Username: "admin", Password: "admin", CACertificatePEM: m.CACertPEM()})
	if err != nil {
		t.Fatal(err)
	}
	r := &oauthTokenRevocationResource{client: client, data: newProviderData(client)}
	ctx := context.Background()
	sch := oauthTokenRevocationSchema(ctx)
	state := tfsdk.State{Schema: sch, Raw: tftypes.NewValue(sch.Type().TerraformType(ctx), nil)}
	const id = "5b688828-2279-40b0-9dc1-eccdebb6837f"
	for name, value := range map[string]string{"id": id, "action": string(bigiq.ActionRevokeForUser), "status": bigiq.StatusFinished} {
		if diags := state.SetAttribute(ctx, path.Root(name), value); diags.HasError() {
			t.Fatal(diags)
		}
	}
	resp := fwresource.ReadResponse{State: state}
	r.Read(ctx, fwresource.ReadRequest{State: state}, &resp)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 ||
		!strings.Contains(resp.Diagnostics.Warnings()[0].Detail(), id) {
		t.Fatalf("want one warning naming task %s, got %v", id, resp.Diagnostics)
	}
	if resp.State.Raw.IsNull() || !resp.State.Raw.Equal(state.Raw) {
		t.Error("the state lost or changed the record of the purged task")
	}
}

// TestDiagnosticsDoNotQuoteTheUserName: a user name is personal data, and
// Terraform does not tell a provider that it came from a sensitive
// variable, so no diagnostic of the resource or the action quotes it, at
// validate, at plan or after the run; they name user_name instead. The
// user has no token on BIG-IQ, so each run ends in BIG-IQ's "Tokens not
// found", a warning by default and an error with fail_on_not_found.
func TestDiagnosticsDoNotQuoteTheUserName(t *testing.T) {
	t.Parallel()
	const user = "jane.doe.offboarded"
	m, p := newActionProvider(t, 100*time.Millisecond)
	base := map[string]tftypes.Value{"user_name": str(user), "cluster_names": strSet("RedCluster")}
	with := func(set map[string]tftypes.Value) map[string]tftypes.Value {
		out := maps.Clone(base)
		maps.Copy(out, set)
		return out
	}
	var all []*tfprotov6.Diagnostic
	seen := func(what string, diags []*tfprotov6.Diagnostic, wantSeverity tfprotov6.DiagnosticSeverity) {
		t.Helper()
		n := 0
		for _, d := range diags {
			if d.Severity == wantSeverity {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: no diagnostic of severity %v, want one naming user_name: %v", what, wantSeverity, diags)
		}
		all = append(all, diags...)
	}

	// Validate, with names the user would not see are wrong.
	for _, name := range []string{user + "\u200b", " " + user, user + "\t"} {
		config := with(map[string]tftypes.Value{"user_name": str(name)})
		seen("action validate", p.validateAction(t, config), tfprotov6.DiagnosticSeverityError)
		resp, err := p.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
			TypeName: revocationType, Config: p.dynamic(t, p.revocationConfigValue(t, config)),
		})
		if err != nil {
			t.Fatal(err)
		}
		seen("resource validate", resp.Diagnostics, tfprotov6.DiagnosticSeverityError)
	}

	// The action, run to the end.
	seen("action not found", p.plannedAndInvoked(t, base).diags, tfprotov6.DiagnosticSeverityWarning)
	failing := with(map[string]tftypes.Value{"fail_on_not_found": boolean(true)})
	requireNoErrors(t, p.validateAction(t, failing))
	seen("action not found, fail_on_not_found", p.invokeAction(context.Background(), t, failing, nil).diags, tfprotov6.DiagnosticSeverityError)

	// The resource, planned and applied.
	null := tftypes.NewValue(p.revocationSchema().ValueType(), nil)
	for _, set := range []map[string]tftypes.Value{base, failing} {
		config := p.revocationConfigValue(t, set)
		planned := p.plan(t, null, config, nil)
		resp, err := p.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
			TypeName: revocationType, PriorState: p.dynamic(t, null), PlannedState: planned.PlannedState,
			Config: p.dynamic(t, config), PlannedIdentity: planned.PlannedIdentity,
		})
		if err != nil {
			t.Fatal(err)
		}
		severity := tfprotov6.DiagnosticSeverityWarning
		if _, ok := set["fail_on_not_found"]; ok {
			severity = tfprotov6.DiagnosticSeverityError
		}
		seen("resource apply", append(planned.Diagnostics, resp.Diagnostics...), severity)
	}

	if n := m.CountRequests(http.MethodPost, revokeTasksPath); n != 4 {
		t.Errorf("the mock received %d revoke-tokens POSTs, want 4 (two invokes, two applies)", n)
	}
	for _, d := range all {
		text := d.Summary + "\n" + d.Detail
		if strings.Contains(text, user) || strings.Contains(text, "jane") {
			t.Errorf("a diagnostic quotes the user name:\n%s", text)
		}
		if !strings.Contains(text, "user_name") {
			t.Errorf("a diagnostic does not name user_name:\n%s", text)
		}
	}
}

// TestAccRevocation_tokensNotFoundThenAnotherFailure: a FAILED task whose
// message begins with BIG-IQ's "Tokens not found" and goes on to another
// failure used to count as nothing left to revoke, green with the user's
// tokens live. Only the whole message means that.
func TestAccRevocation_tokensNotFoundThenAnotherFailure(t *testing.T) {
	m := startMock(t)
	message := bigiq.MessageTokensNotFound + " Revocation on 10.255.4.124 timed out."
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				m.QueueTaskOutcome(bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeFail, Message: message})
			},
			Config: revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
`),
			ExpectError: errorPattern("Token revocation failed", "revoke-tokens task <task-id> FAILED", message, "resource is tainted"),
		}},
	})
	if err := expectRevokeBodies(m, `{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1","clusterNames":["BlueCluster"]}`)(nil); err != nil {
		t.Error(err)
	}
	if n := len(m.Tokens(blueDeviceID)); n != 5 {
		t.Errorf("%d tokens on the blue device; the failed task revoked none of its five", n)
	}
}

// TestAccRevocation_finishedWithErrorMessage: a task BIG-IQ reports
// FINISHED with result COMPLETE and yet an errorMessage used to be
// recorded REVOKED without a word. What it revoked is unknown, so the run
// fails quoting the message, the resource is tainted, and the next apply
// runs the revocation again.
func TestAccRevocation_finishedWithErrorMessage(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
`)
	body := `{"action":"REVOKE_TOKEN_FOR_USER","userName":"user1","clusterNames":["BlueCluster"]}`
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					m.QueueTaskOutcome(bigiqmock.TaskOutcome{Kind: bigiqmock.OutcomeCompleteWithError, Message: "Revocation failed on 1 of 2 devices"})
				},
				Config: config,
				ExpectError: errorPattern("Token revocation failed", "revoke-tokens task <task-id> FINISHED at step DONE with result COMPLETE:",
					"Revocation failed on 1 of 2 devices", "some asked for may still be live", "resource is tainted"),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(revocation, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(revocation, tfjsonpath.New("outcome"), knownvalue.StringExact(string(bigiq.OutcomeNothingToRevoke))),
				},
				Check: expectRevokeBodies(m, body, body),
			},
		},
	})
}

// TestAccRevocation_unknownEstateAfterTheTaskIsNotGreen: when listing
// BIG-IQ's devices after the task fails, whether a planned device left
// the targets while the task ran (and was skipped) is unknown, so the
// apply fails naming the task, the resource is tainted, and the next apply
// runs the revocation again.
func TestAccRevocation_unknownEstateAfterTheTaskIsNotGreen(t *testing.T) {
	m := startMock(t)
	config := revocationConfig(m, `
  user_name     = "user1"
  cluster_names = ["BlueCluster"]
`)
	parallelUnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					// The listings before the POST have been made; the next
					// is the one after the task.
					m.AfterRequestsTo(http.MethodPost, bigiq.PathRevokeTasks, 1, func() {
						m.FailNext(http.MethodGet, bigiq.PathDevices, 1, http.StatusBadRequest)
					})
				},
				Config: config,
				ExpectError: errorPattern("Could not check BIG-IQ's devices after the revocation", "revoke-tokens task",
					"may still be live", "resource is tainted"),
			},
			{
				Config: config,
				Check: func(*terraform.State) error {
					if n := m.CountRequests(http.MethodPost, bigiq.PathRevokeTasks); n != 2 {
						return fmt.Errorf("%d revoke-tokens POSTs; want 2: the tainted revocation runs again", n)
					}
					return nil
				},
			},
		},
	})
}
