// Command schemajson writes the provider's schemas as `terraform providers
// schema -json` does, for tfplugindocs --providers-schema.
//
// tfplugindocs reads schemas through Terraform, and a Terraform older than
// 1.14 lists no list resource or action schemas. Asking the provider itself
// (its GetProviderSchema, in-process) documents everything it serves on any
// Terraform, and needs no Terraform at all.
//
//	go run ./internal/cmd/schemajson -out schema.json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/bigiq-community/terraform-provider-bigiq/internal/provider"
)

// providerKey is the name tfplugindocs looks the schema up by: the
// provider's short name.
const providerKey = "bigiq"

func main() {
	out := flag.String("out", "", "file to write the schema JSON to (default: standard output)")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "schemajson:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	server, err := providerserver.NewProtocol6WithError(provider.New("docs")())()
	if err != nil {
		return err
	}
	schemas, err := providerSchemas(context.Background(), server)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(schemas, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if out == "" {
		_, err = os.Stdout.Write(data)
		return err
	}
	return os.WriteFile(out, data, 0o600)
}
