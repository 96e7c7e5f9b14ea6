// Command terraform-provider-bigiq is the Terraform provider for F5 BIG-IQ
// Centralized Management.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/provider"
)

// version is set at build time by goreleaser or make
// (-ldflags "-X main.version=1.2.3"); "dev" marks a local build.
var version = "dev"

// memoryLimit is the provider's soft memory limit unless GOMEMLIMIT says
// otherwise. A data source over a large estate holds its result a few times
// over for a moment (the framework copies it); with no limit Go lets the
// heap grow to twice what is live before collecting. Near the limit the
// collector works harder instead (plan of 10,000 devices: peak 175-195 MB
// -> 140 MB for ~0.1 s more CPU; 50,000 apps: 190-235 MB -> 155 MB for
// ~0.4 s); past it the collector gives way rather than fail, so a bigger
// estate still works.
const memoryLimit = 120 << 20

func main() {
	var debugger bool
	flag.BoolVar(&debugger, "debug", false, "start the provider with support for debuggers like delve")
	flag.Parse()
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/bigiq-community/bigiq",
		Debug:   debugger,
	})
	// Serve returns when Terraform stops the provider. Free the BIG-IQ auth
	// tokens now, within the two seconds Terraform waits before killing us.
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	if closeErr := provider.CloseClients(ctx); closeErr != nil {
		log.Printf("[WARN] freeing the BIG-IQ auth token: %v", closeErr)
	}
	if err != nil {
		log.Fatal(err) //nolint:gocritic // the deferred cancel only matters while closing
	}
}
