// Command terraform-provider-bigiq is the Terraform provider for F5 BIG-IQ
// Centralized Management.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/provider"
)

// version is set at build time by goreleaser or make
// (-ldflags "-X main.version=1.2.3"); "dev" marks a local build.
var version = "dev"

func main() {
	var debugger bool
	flag.BoolVar(&debugger, "debug", false, "start the provider with support for debuggers like delve")
	flag.Parse()
	if !debugger {
		quietFrameworkLogs()
	}

	// The framework's server with faster reads of the list data sources
	// (see internal/provider/fast_read.go), served as providerserver.Serve
	// would serve the framework's own.
	var opts []tf6server.ServeOpt
	if debugger {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	err := tf6server.Serve("registry.terraform.io/bigiq-community/bigiq", provider.NewProtocol6Server(version), opts...)
	// Serve returns when Terraform stops the provider. Free the BIG-IQ auth
	// tokens now, within the two seconds Terraform waits before killing us.
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	if closeErr := provider.CloseClients(ctx); closeErr != nil {
		log.Printf("[WARN] %v", closeErr)
	}
	if err != nil {
		log.Fatal(err)
	}
}

// quietFrameworkLogs turns the framework's own logging off when nobody will
// read it. Terraform passes a provider's log lines on only when TF_LOG or
// TF_LOG_PROVIDER is set, yet the provider writes them regardless, and
// terraform-plugin-framework (v1.19) writes them in quadratic time over a
// long list: MarkComputedNilsAsUnknown and NullifyWriteOnlyAttributes add a
// context layer for each value they visit, and each trace line looks its
// logger up through all of them. Planning one revocation of 10,000 OAuth
// ids spent about 20 of its 26 s there. With -debug the provider's own
// stderr is the log, so it is left alone.
func quietFrameworkLogs() {
	for _, name := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK"} {
		if os.Getenv(name) != "" {
			return
		}
	}
	_ = os.Setenv("TF_LOG_SDK_FRAMEWORK", "off")
}
