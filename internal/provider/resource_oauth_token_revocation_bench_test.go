package provider

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"github.com/hashicorp/terraform-plugin-log/tfsdklogtest"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// The benchmarks below drive bigiq_oauth_token_revocation through the plugin
// protocol (see protocol_bench_test.go) with one per_device_oauth_ids list
// of many tokens:
//
//	go test -run '^$' -bench RevocationBigList -cpuprofile cpu.out ./internal/provider/
//
// The requests log every message at trace level to a discarding writer, as
// a provider under terraform does when TF_LOG asks for its logs. Without
// TF_LOG the provider turns the framework's own logs off (main.go), because
// the framework writes them in quadratic time over a long list: run with
// TF_LOG_SDK_FRAMEWORK=off to measure that default.

const revocationType = "bigiq_oauth_token_revocation"

// bigListBench is a configured provider server and a configuration that
// revokes ids tokens spread over devices devices of a generated estate.
type bigListBench struct {
	server tfprotov6.ProviderServer
	mock   *bigiqmock.Server
	config *tfprotov6.DynamicValue
	// none is the prior state of a resource about to be created.
	none *tfprotov6.DynamicValue
	// ctx logs as terraform's provider process does.
	ctx context.Context
}

func newBigListBench(b *testing.B, ids, devices int) bigListBench {
	b.Helper()
	ctx := context.Background()
	perDevice := (ids + devices - 1) / devices
	// A generated estate gives tokens to three devices in four.
	fixture := bigiqmock.GenerateFixture(devices*4/3+4, 1, perDevice, 1)
	mock := bigiqmock.Start(b, bigiqmock.Options{Fixture: fixture, TaskDuration: 1})

	server, schemas := protocolServer(b, mock)

	schema := schemas.ResourceSchemas[revocationType]
	idType := oauthIDType().TerraformType(ctx)
	entryType := perDeviceOAuthIDsType().TerraformType(ctx)
	listType := tftypes.List{ElementType: entryType}
	var entries []tftypes.Value
	left := ids
	for _, d := range fixture.Devices {
		if len(d.Tokens) == 0 || len(entries) == devices {
			continue
		}
		var tokens []tftypes.Value
		for _, tok := range d.Tokens[:min(perDevice, left)] {
			tokens = append(tokens, tftypes.NewValue(idType, map[string]tftypes.Value{
				"id":        tftypes.NewValue(tftypes.String, tok.ID),
				"client_id": tftypes.NewValue(tftypes.String, tok.ClientID),
			}))
		}
		left -= len(tokens)
		entries = append(entries, tftypes.NewValue(entryType, map[string]tftypes.Value{
			"device_reference": tftypes.NewValue(tftypes.String, d.UUID),
			"oauth_ids":        tftypes.NewValue(tftypes.List{ElementType: idType}, tokens),
		}))
	}
	if len(entries) != devices || left != 0 {
		b.Fatalf("the generated estate has too few tokens for %d ids on %d devices", ids, devices)
	}
	config := benchObject(b, schema, map[string]tftypes.Value{
		"per_device_oauth_ids": tftypes.NewValue(listType, entries),
	})
	none, err := tfprotov6.NewDynamicValue(schema.ValueType(), tftypes.NewValue(schema.ValueType(), nil))
	if err != nil {
		b.Fatal(err)
	}
	ctx = tflogtest.RootLogger(tfsdklogtest.RootLogger(ctx, io.Discard), io.Discard)
	return bigListBench{server: server, mock: mock, config: config, none: &none, ctx: ctx}
}

// validate and plan are what terraform plan asks of the provider for a new
// resource; terraform apply asks them again before apply.
func (bl bigListBench) validate(b *testing.B) {
	b.Helper()
	resp, err := bl.server.ValidateResourceConfig(bl.ctx,
		&tfprotov6.ValidateResourceConfigRequest{TypeName: revocationType, Config: bl.config})
	if err != nil {
		b.Fatal(err)
	}
	failOnErrors(b, resp.Diagnostics)
}

func (bl bigListBench) plan(b *testing.B) *tfprotov6.PlanResourceChangeResponse {
	b.Helper()
	resp, err := bl.server.PlanResourceChange(bl.ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: revocationType, PriorState: bl.none, ProposedNewState: bl.config, Config: bl.config,
	})
	if err != nil {
		b.Fatal(err)
	}
	failOnErrors(b, resp.Diagnostics)
	return resp
}

func (bl bigListBench) apply(b *testing.B, planned *tfprotov6.PlanResourceChangeResponse) {
	b.Helper()
	resp, err := bl.server.ApplyResourceChange(bl.ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: revocationType, PriorState: bl.none, PlannedState: planned.PlannedState,
		Config: bl.config, PlannedPrivate: planned.PlannedPrivate,
	})
	if err != nil {
		b.Fatal(err)
	}
	failOnErrors(b, resp.Diagnostics)
}

var bigListSizes = []struct{ ids, devices int }{{2000, 100}, {10000, 500}}

// BenchmarkRevocationBigListPlan is terraform plan of the new resource.
func BenchmarkRevocationBigListPlan(b *testing.B) {
	for _, size := range bigListSizes {
		b.Run(fmt.Sprintf("ids=%d", size.ids), func(b *testing.B) {
			bl := newBigListBench(b, size.ids, size.devices)
			for b.Loop() {
				bl.validate(b)
				bl.plan(b)
			}
		})
	}
}

// BenchmarkRevocationBigListApply is terraform apply after that plan:
// validate and plan again, then create (one POST, then waiting for a task
// the mock finishes at once).
func BenchmarkRevocationBigListApply(b *testing.B) {
	for _, size := range bigListSizes {
		b.Run(fmt.Sprintf("ids=%d", size.ids), func(b *testing.B) {
			bl := newBigListBench(b, size.ids, size.devices)
			for b.Loop() {
				bl.validate(b)
				bl.apply(b, bl.plan(b))
			}
		})
	}
}
