package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// The benchmarks of this package call the provider in-process through the
// plugin protocol, as terraform does, so that its own cost can be profiled
// apart from terraform's (go test -run '^$' -bench . -cpuprofile cpu.out).

// protocolServer is the provider as terraform sees it (as main serves it),
// configured for mock.
func protocolServer(b *testing.B, mock *bigiqmock.Server) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	b.Helper()
	return configuredServer(b, mock, NewProtocol6Server("bench")())
}

// frameworkProtocolServer is the framework's own server of the provider, without
// the fast reads of fast_read.go, for comparison.
func frameworkProtocolServer(b *testing.B, mock *bigiqmock.Server) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	b.Helper()
	return configuredServer(b, mock, providerserver.NewProtocol6(New("bench")())())
}

func configuredServer(b *testing.B, mock *bigiqmock.Server, server tfprotov6.ProviderServer) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	b.Helper()
	ctx := context.Background()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	config := benchObject(b, schemas.Provider, map[string]tftypes.Value{
		"address":        tftypes.NewValue(tftypes.String, mock.URL),
		"username":       tftypes.NewValue(tftypes.String, "admin"),
		"password":       tftypes.NewValue(tftypes.String, "admin"),
		"ca_certificate": tftypes.NewValue(tftypes.String, mock.CACertPEM()),
	})
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: config})
	if err != nil {
		b.Fatal(err)
	}
	failOnErrors(b, resp.Diagnostics)
	return server, schemas
}

// benchObject is a value of schema's type with the given attributes set and
// every other one null, as a configuration that sets only those would be.
func benchObject(b *testing.B, schema *tfprotov6.Schema, set map[string]tftypes.Value) *tfprotov6.DynamicValue {
	b.Helper()
	typ, ok := schema.ValueType().(tftypes.Object)
	if !ok {
		b.Fatalf("the schema's type is %s, not an object", schema.ValueType())
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

func failOnErrors(b *testing.B, diags []*tfprotov6.Diagnostic) {
	b.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			b.Fatalf("%s: %s", d.Summary, d.Detail)
		}
	}
}
