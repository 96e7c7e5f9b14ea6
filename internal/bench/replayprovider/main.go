// Command replayprovider is the provider with BIG-IQ taken out, the
// benchmarks' measure of the least a provider can cost terraform for the
// same data. It is this provider's own server, linked from the same
// packages, with the same schema and validation, served the same way
// (go-plugin, gRPC, mutual TLS); only ConfigureProvider reaches no BIG-IQ,
// and ReadDataSource answers with a state recorded before the measured run
// (the msgpack bytes in the file BIGIQ_BENCH_REPLAY_STATE), read once at
// start. What a plan costs with it is what terraform and a provider process
// cost for these objects whatever the provider does to get them; what the
// real provider costs beyond it is the login, the listing and its decoding.
package main

import (
	"context"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/provider"
)

func main() {
	state, err := os.ReadFile(os.Getenv("BIGIQ_BENCH_REPLAY_STATE"))
	if err != nil {
		log.Fatalf("replayprovider: the recorded state: %v", err)
	}
	// As the provider's main does when no log is asked for; the harness
	// asks for none.
	_ = os.Setenv("TF_LOG_SDK_FRAMEWORK", "off")
	err = tf6server.Serve("registry.terraform.io/bigiq-community/bigiq", func() tfprotov6.ProviderServer {
		return replay{ProviderServer: provider.NewProtocol6Server("bench")(), state: state}
	})
	if err != nil {
		log.Fatal(err)
	}
}

// replay is the provider's server with BIG-IQ taken out.
type replay struct {
	tfprotov6.ProviderServer
	state []byte
}

func (replay) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return &tfprotov6.ConfigureProviderResponse{}, nil
}

func (r replay) ReadDataSource(context.Context, *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return &tfprotov6.ReadDataSourceResponse{State: &tfprotov6.DynamicValue{MsgPack: r.state}}, nil
}
