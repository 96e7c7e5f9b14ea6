package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// BenchmarkDevicesDataSourceRead reads 10,000 devices (issue 6, "large
// inventory").
func BenchmarkDevicesDataSourceRead(b *testing.B) { benchmarkDataSourceRead(b, "bigiq_devices") }

// BenchmarkOAuthClientAppsDataSourceRead reads 50,000 client apps.
func BenchmarkOAuthClientAppsDataSourceRead(b *testing.B) {
	benchmarkDataSourceRead(b, "bigiq_oauth_client_apps")
}

func benchmarkDataSourceRead(b *testing.B, dataSource string) {
	mock := bigiqmock.Start(b, bigiqmock.Options{Fixture: bigiqmock.GenerateFixture(10000, 5, 0, 1)})
	server, schemas := protocolServer(b, mock)
	config := benchObject(b, schemas.DataSourceSchemas[dataSource], nil)
	for b.Loop() {
		resp, err := server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: dataSource, Config: config})
		if err != nil {
			b.Fatal(err)
		}
		failOnErrors(b, resp.Diagnostics)
	}
}
