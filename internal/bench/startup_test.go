package bench

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/provider"
)

// BenchmarkProviderStartSchema is what each provider process terraform
// starts does before its first real call: build the provider server and
// answer GetProviderSchema (terraform starts the provider three times per
// plan or apply and asks each for its schema).
//
//	go test -run '^$' -bench ProviderStart -cpuprofile cpu.out ./internal/bench/
func BenchmarkProviderStartSchema(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		server, err := providerserver.NewProtocol6WithError(provider.New("bench")())()
		if err != nil {
			b.Fatal(err)
		}
		resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			b.Fatal(err)
		}
		if len(resp.Diagnostics) > 0 {
			b.Fatal(resp.Diagnostics[0].Summary)
		}
	}
}

// BenchmarkPluginCertificate is the key go-plugin generates for its
// automatic mutual TLS in every provider process (a P-521 ECDSA key).
func BenchmarkPluginCertificate(b *testing.B) {
	for b.Loop() {
		if _, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader); err != nil {
			b.Fatal(err)
		}
	}
}
