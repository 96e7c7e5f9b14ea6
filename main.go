// Command terraform-provider-bigiq is the Terraform provider for F5 BIG-IQ
// Centralized Management.
package main

import (
	"context"
	"flag"
	"log"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/provider"
)

// version is set at build time by goreleaser or make
// (-ldflags "-X main.version=1.2.3"); "dev" marks a local build.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/bigiq-community/bigiq",
		Debug:   debug,
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
