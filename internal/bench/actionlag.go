package bench

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/provider"
)

// ActionLagResult is how an invoked bigiq_revoke_oauth_tokens action
// followed tasks of one duration.
type ActionLagResult struct {
	TaskDuration time.Duration
	Invokes      int
	// Lag runs from the instant the mock's task reached FINISHED to the
	// InvokeAction stream's completed event.
	MedianLag, MaxLag time.Duration
	// ProgressEvents is the median number of progress events per invoke.
	ProgressEvents int
}

const revokeActionType = "bigiq_revoke_oauth_tokens"

// MeasureActionLag invokes the action invokes times at once, in process
// through the plugin protocol as Terraform 1.14 would (PlanAction, then
// InvokeAction read to its end), on a mock whose tasks take taskDuration.
// Terraform 1.14 is not available to run it for real; the provider's side
// of the wait, which is what an action adds, is the same.
func MeasureActionLag(ctx context.Context, taskDuration time.Duration, invokes int) (ActionLagResult, error) {
	res := ActionLagResult{TaskDuration: taskDuration, Invokes: invokes}
	s, err := startMock(bigiqmock.Options{TaskDuration: taskDuration})
	if err != nil {
		return res, err
	}
	defer s.Close()
	users := seedLeavers(s.Mock, invokes)

	server, schemas, err := configuredServer(ctx, s)
	if err != nil {
		return res, err
	}
	actions, ok := server.(tfprotov6.ProviderServerWithActions) //nolint:staticcheck // the only way to reach the action RPCs in terraform-plugin-go v0.31
	if !ok || schemas.ActionSchemas[revokeActionType] == nil {
		return res, errors.New("the provider serves no " + revokeActionType + " action")
	}
	schema := schemas.ActionSchemas[revokeActionType].Schema

	completed := make([]time.Time, invokes)
	events := make([]int, invokes)
	errs := make([]error, invokes)
	var wg sync.WaitGroup
	for i, user := range users {
		wg.Go(func() {
			config, err := objectOf(schema, map[string]tftypes.Value{
				"user_name":     tftypes.NewValue(tftypes.String, user),
				"cluster_names": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, blueCluster)}),
			})
			if err != nil {
				errs[i] = err
				return
			}
			completed[i], events[i], errs[i] = invokeOnce(ctx, actions, config)
		})
	}
	wg.Wait()

	var lags []time.Duration
	for _, id := range s.TaskIDs() {
		task, _ := s.TaskJSON(id)
		i := slices.Index(users, fmt.Sprint(task["userName"]))
		if i < 0 {
			return res, fmt.Errorf("task %s revoked for no invoke's user", id)
		}
		if errs[i] != nil {
			return res, fmt.Errorf("invoke %d: %w", i, errs[i])
		}
		end, err := taskEnd(s.Mock, id)
		if err != nil {
			return res, err
		}
		lags = append(lags, completed[i].Sub(end))
	}
	if len(lags) != invokes {
		return res, fmt.Errorf("%d invokes started %d tasks: %w", invokes, len(lags), errors.Join(errs...))
	}
	slices.Sort(events)
	res.MedianLag, res.MaxLag = median(lags), slices.Max(lags)
	res.ProgressEvents = events[len(events)/2]
	return res, nil
}

// invokeOnce plans and invokes the action, and returns when its completed
// event came and how many progress events came before it.
func invokeOnce(ctx context.Context, server tfprotov6.ActionServer, config *tfprotov6.DynamicValue) (time.Time, int, error) {
	plan, err := server.PlanAction(ctx, &tfprotov6.PlanActionRequest{ActionType: revokeActionType, Config: config})
	if err != nil {
		return time.Time{}, 0, err
	}
	if err := diagnosticsError(plan.Diagnostics); err != nil {
		return time.Time{}, 0, err
	}
	stream, err := server.InvokeAction(ctx, &tfprotov6.InvokeActionRequest{ActionType: revokeActionType, Config: config})
	if err != nil {
		return time.Time{}, 0, err
	}
	var completed time.Time
	progress := 0
	for event := range stream.Events {
		switch e := event.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			progress++
		case tfprotov6.CompletedInvokeActionEventType:
			completed = time.Now()
			err = diagnosticsError(e.Diagnostics)
		}
	}
	if completed.IsZero() && err == nil {
		err = errors.New("the invoke's event stream ended without a completed event")
	}
	return completed, progress, err
}

// configuredServer is the provider as Terraform sees it, configured for s.
func configuredServer(ctx context.Context, s *bigiqmock.Server) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse, error) {
	server, err := providerserver.NewProtocol6WithError(provider.New("bench")())()
	if err != nil {
		return nil, nil, err
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, nil, err
	}
	config, err := objectOf(schemas.Provider, map[string]tftypes.Value{
		"address":        tftypes.NewValue(tftypes.String, s.URL),
		"username":       tftypes.NewValue(tftypes.String, "admin"),
		"password":       tftypes.NewValue(tftypes.String, "admin"),
		"ca_certificate": tftypes.NewValue(tftypes.String, s.CACertPEM()),
	})
	if err != nil {
		return nil, nil, err
	}
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: config})
	if err != nil {
		return nil, nil, err
	}
	return server, schemas, diagnosticsError(resp.Diagnostics)
}

// objectOf is a value of schema's type with the given attributes set and
// every other one null, as a configuration that sets only those would be.
func objectOf(schema *tfprotov6.Schema, set map[string]tftypes.Value) (*tfprotov6.DynamicValue, error) {
	typ, ok := schema.ValueType().(tftypes.Object)
	if !ok {
		return nil, fmt.Errorf("the schema's type is %s, not an object", schema.ValueType())
	}
	attrs := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(t, nil)
		if v, ok := set[name]; ok {
			attrs[name] = v
		}
	}
	v, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	return &v, err
}

func diagnosticsError(diags []*tfprotov6.Diagnostic) error {
	var errs []error
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			errs = append(errs, fmt.Errorf("%s: %s", d.Summary, d.Detail))
		}
	}
	return errors.Join(errs...)
}

// MeasureActionLags measures each duration at once (a 20 s task's
// invokes mostly wait), and lays the results out.
func MeasureActionLags(ctx context.Context, durations []time.Duration, invokes int) (Section, error) {
	results := make([]ActionLagResult, len(durations))
	errs := make([]error, len(durations))
	var wg sync.WaitGroup
	for i, d := range durations {
		wg.Go(func() { results[i], errs[i] = MeasureActionLag(ctx, d, invokes) })
	}
	wg.Wait()
	return ActionLagSection(results), errors.Join(errs...)
}

// ActionLagSection lays out the invoked action's lag, against the same
// target as the resource's wait.
func ActionLagSection(results []ActionLagResult) Section {
	sec := Section{Name: "actionlag", Title: "Action: how soon an invoked action notices its task finished"}
	for _, r := range results {
		allowed := max(r.TaskDuration/10, 250*time.Millisecond)
		sec.add(fmt.Sprintf("%v tasks (%d invokes at once, in process): lag after FINISHED to the completed event, median / max", r.TaskDuration, r.Invokes),
			fmt.Sprintf("%s / %s", ms(r.MedianLag), ms(r.MaxLag)),
			"median ≤ "+ms(allowed), verdict(r.MedianLag <= allowed))
		sec.add(fmt.Sprintf("%v tasks: progress events per invoke (median)", r.TaskDuration),
			fmt.Sprint(r.ProgressEvents), noTarget, noTarget)
	}
	return sec
}
