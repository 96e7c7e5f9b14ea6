package bench

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
	"github.com/bigiq-community/terraform-provider-bigiq/internal/provider"
)

// The benchmarks below call the provider in-process through the plugin
// protocol, as terraform does, so that its own cost can be profiled apart
// from terraform's:
//
//	go test -run '^$' -bench DevicesDataSource -cpuprofile cpu.out -memprofile mem.out ./internal/bench/

// protocolProvider is the provider as terraform sees it, configured for s.
func protocolProvider(b testing.TB, s *bigiqmock.Server) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	b.Helper()
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(provider.New("bench")())()
	if err != nil {
		b.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	config := objectValue(b, schemas.Provider, map[string]tftypes.Value{
		"address":        tftypes.NewValue(tftypes.String, s.URL),
		"username":       tftypes.NewValue(tftypes.String, "admin"),
		"password":       tftypes.NewValue(tftypes.String, "admin"),
		"ca_certificate": tftypes.NewValue(tftypes.String, s.CACertPEM()),
	})
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: config})
	if err != nil {
		b.Fatal(err)
	}
	failOnDiagnostics(b, resp.Diagnostics)
	return server, schemas
}

// objectValue is a value of schema's type with the given attributes set and
// every other one null, as a configuration that sets only those would be.
func objectValue(b testing.TB, schema *tfprotov6.Schema, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	b.Helper()
	typ, ok := schema.ValueType().(tftypes.Object)
	if !ok {
		b.Fatalf("the schema's type is %T, not an object", schema.ValueType())
	}
	attrs := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		if v, ok := set[name]; ok {
			attrs[name] = v
		} else {
			attrs[name] = tftypes.NewValue(t, nil)
		}
	}
	v, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	if err != nil {
		b.Fatal(err)
	}
	return &v
}

func failOnDiagnostics(b testing.TB, diags []*tfprotov6.Diagnostic) {
	b.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			b.Fatalf("%s: %s", d.Summary, d.Detail)
		}
	}
}

func benchmarkDataSourceRead(b *testing.B, dataSource string) {
	s, err := startMock(bigiqmock.Options{Fixture: bigiqmock.GenerateFixture(10000, 5, 0, 1)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	server, schemas := protocolProvider(b, s)
	config := objectValue(b, schemas.DataSourceSchemas[dataSource], nil)
	for b.Loop() {
		resp, err := server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: dataSource, Config: config})
		if err != nil {
			b.Fatal(err)
		}
		failOnDiagnostics(b, resp.Diagnostics)
	}
}

// BenchmarkDevicesDataSourceRead reads 10,000 devices.
func BenchmarkDevicesDataSourceRead(b *testing.B) { benchmarkDataSourceRead(b, "bigiq_devices") }

// BenchmarkOAuthClientAppsDataSourceRead reads 50,000 client apps.
func BenchmarkOAuthClientAppsDataSourceRead(b *testing.B) {
	benchmarkDataSourceRead(b, "bigiq_oauth_client_apps")
}
