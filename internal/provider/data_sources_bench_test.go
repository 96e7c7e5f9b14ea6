package provider

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/bigiqmock"
)

// BenchmarkDevicesDataSourceRead reads 10,000 devices, ten times BIG-IQ's
// maximum estate.
func BenchmarkDevicesDataSourceRead(b *testing.B) { benchmarkDataSourceRead(b, "bigiq_devices") }

// BenchmarkDevicesDataSourceRead8 reads BIG-IQ's maximum estate, 1,000
// devices, as a BIG-IQ 7/8 lists them (20 to 30 KB an item):
//
//	go test -run '^$' -bench DevicesDataSourceRead8/fast -cpuprofile cpu.out ./internal/provider/
func BenchmarkDevicesDataSourceRead8(b *testing.B) {
	fixture := bigiqmock.GenerateFixture(1000, 0, 0, 1)
	fixture.DeviceShape = bigiqmock.DeviceShape8
	benchmarkRead(b, fixture, "bigiq_devices")
}

// BenchmarkOAuthClientAppsDataSourceRead reads 50,000 client apps.
func BenchmarkOAuthClientAppsDataSourceRead(b *testing.B) {
	benchmarkDataSourceRead(b, "bigiq_oauth_client_apps")
}

// benchmarkDataSourceRead reads through the provider's server ("fast",
// see fast_read.go) and through the framework's own ("framework"), side by
// side in one run.
func benchmarkDataSourceRead(b *testing.B, dataSource string) {
	benchmarkRead(b, bigiqmock.GenerateFixture(10000, 5, 0, 1), dataSource)
}

func benchmarkRead(b *testing.B, fixture *bigiqmock.Fixture, dataSource string) {
	mock := bigiqmock.Start(b, bigiqmock.Options{Fixture: fixture})
	for _, path := range []struct {
		name   string
		server func(*testing.B, *bigiqmock.Server) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse)
	}{{"fast", protocolServer}, {"framework", frameworkProtocolServer}} {
		b.Run(path.name, func(b *testing.B) {
			server, schemas := path.server(b, mock)
			config := benchObject(b, schemas.DataSourceSchemas[dataSource], nil)
			defer reportCPU(b)()
			for b.Loop() {
				resp, err := server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: dataSource, Config: config})
				if err != nil {
					b.Fatal(err)
				}
				failOnErrors(b, resp.Diagnostics)
			}
		})
	}
}

// reportCPU reports the process's CPU time (user+sys) per operation, the
// steady figure on a shared machine; the mock's share is included. Call
// the function it returns when the loop is done.
func reportCPU(b *testing.B) func() {
	before := processCPU(b)
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(processCPU(b)-before)/float64(b.N)/1e6, "cpu-ms/op")
		}
	}
}

func processCPU(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
